"""The password reset email, built when it is sent, in the language it was asked in."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from accounts.models import PasswordReset
from core.emails import build
from core.languages import interface_language
from core.links import absolute
from statements.emails import UnknownKind
from statements.models import OutgoingEmail


def password_reset_email(email: OutgoingEmail) -> EmailMultiAlternatives:
    try:
        reset = email.password_reset
    except PasswordReset.DoesNotExist:
        raise UnknownKind(f"Email {email.pk} resets the password of an account gone") from None
    with translation.override(interface_language(reset.language)):
        return _password_reset_email(email, reset)


def _password_reset_email(email: OutgoingEmail, reset: PasswordReset) -> EmailMultiAlternatives:
    user = reset.user
    # allauth's key, made now: it holds a hash of the current password and the time, so
    # it stops working once the password is changed, or PASSWORD_RESET_TIMEOUT after
    # this email was written. A retried email gets a new one.
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    context = {
        "username": user.get_username(),
        "reset_url": absolute(path.replace("UID-KEY", key)),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "signin_url": absolute(reverse("account_login")),
    }
    return build("password_reset", context, email.recipients())
