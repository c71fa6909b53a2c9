from django.urls import path

from statements import views

# <str:slug>, not <slug:slug>: slugs may be written in any script (allow_unicode).
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/<str:slug>/", views.statement_detail, name="statement_detail"),
    path("organizations/<str:slug>/", views.organization_detail, name="organization_detail"),
    path("campaigns/<str:slug>/", views.campaign_detail, name="campaign_detail"),
]
