from django.urls import path

from press import views

urlpatterns = [
    path("press/unsubscribe/<str:token>/", views.press_unsubscribe, name="press_unsubscribe"),
    path("press/preview/<str:token>/", views.press_preview, name="press_preview"),
]
