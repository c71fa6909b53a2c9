from django.urls import path

from core.http import noindex
from statements import views

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
]
