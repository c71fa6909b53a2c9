from django.urls import path

from statements import views

# <str:slug>, not <slug:slug>: slugs may be written in any script (allow_unicode).
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="statement_list"),
    path("search/", views.search, name="search"),
    path("statements/<str:slug>/", views.statement_detail, name="statement_detail"),
    path("statements/<str:slug>/sign/", views.cosign, name="cosign"),
    path("statements/<str:slug>/sign/sent/", views.cosign_sent, name="cosign_sent"),
    path("statements/<str:slug>/sign/resend/", views.cosign_resend, name="cosign_resend"),
    path("cosign/<str:key>/", views.cosign, name="cosign_private"),
    path("cosign/<str:key>/sent/", views.cosign_sent, name="cosign_private_sent"),
    path("cosign/<str:key>/resend/", views.cosign_resend, name="cosign_private_resend"),
    path("signatures/confirm/<str:token>/", views.signature_confirm, name="signature_confirm"),
    path("signatures/withdraw/<str:token>/", views.signature_withdraw, name="signature_withdraw"),
    path("signoff/<str:token>/", views.signoff, name="signoff"),
    path("press/unsubscribe/<str:token>/", views.press_unsubscribe, name="press_unsubscribe"),
    path("press/preview/<str:token>/", views.press_preview, name="press_preview"),
    path("organizations/suggest/", views.organization_suggest, name="organization_suggest"),
    path("organizations/<str:slug>/", views.organization_detail, name="organization_detail"),
    path("campaigns/<str:slug>/", views.campaign_detail, name="campaign_detail"),
]
