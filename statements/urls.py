from django.urls import path

from core.http import noindex
from statements import views, views_following

# <str:slug>, not <slug:slug>: slugs may be written in any script (allow_unicode).
urlpatterns = [
    path("statements/<str:slug>/sign/", views.cosign, name="cosign"),
    path("statements/<str:slug>/sign/sent/", views.cosign_sent, name="cosign_sent"),
    path("statements/<str:slug>/sign/resend/", views.cosign_resend, name="cosign_resend"),
    # Whoever has the private link may read the draft; search engines may not.
    path("cosign/<str:key>/", noindex(views.cosign), name="cosign_private"),
    path("cosign/<str:key>/sent/", noindex(views.cosign_sent), name="cosign_private_sent"),
    path("cosign/<str:key>/resend/", noindex(views.cosign_resend), name="cosign_private_resend"),
    path("signatures/confirm/<str:token>/", views.signature_confirm, name="signature_confirm"),
    path("signatures/withdraw/<str:token>/", views.signature_withdraw, name="signature_withdraw"),
    path("signoff/<str:token>/", views.signoff_link, name="signoff"),
    # Following a statement by email.
    path(
        "statements/<str:slug>/follow/", views_following.statement_follow, name="statement_follow"
    ),
    path(
        "statements/<str:slug>/follow/sent/",
        views_following.statement_follow_sent,
        name="statement_follow_sent",
    ),
    path("follow/confirm/<str:token>/", views_following.follow_confirm, name="follow_confirm"),
    path(
        "follow/unsubscribe/<str:token>/",
        views_following.follow_unsubscribe,
        name="follow_unsubscribe",
    ),
]
