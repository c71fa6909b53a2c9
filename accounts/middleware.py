"""Staff enrol a second factor before working in the admin, when STAFF_2FA_REQUIRED."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

# Recovery codes alone are no second factor: they are the way back when the device is lost.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


class TwoFactorRequiredMiddleware:
    """A signed-in staff member without an authenticator app or security key is sent from
    any admin page to set one up (allauth's TOTP activation, under /accounts/2fa/).

    Only the admin is guarded: the public site, the sign-in, enrolment and sign-out pages
    and static files are not. One query per admin request while it is on, none when off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_2FA_REQUIRED
            and request.path_info.startswith(reverse("admin:index"))
            and request.path_info != reverse("admin:logout")
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user, SECOND_FACTORS)
        ):
            messages.warning(
                request,
                gettext("Set up two-factor sign-in before you work in the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
