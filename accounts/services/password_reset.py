"""The password reset email a staff member asks for."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from accounts.models import PasswordReset
from statements.models import OutgoingEmail
from statements.services.outgoing import email_create


def password_reset_email_create(*, user: AbstractBaseUser, language: str) -> OutgoingEmail | None:
    """Owe a staff member an email with a link to set a new password; None if they
    cannot have one.

    Asked for by someone not signed in, by email address: only an active staff account
    with that address gets the email, and the page says the same either way, so no
    permission is checked and nothing is refused aloud.
    """
    if not (user.is_staff and user.is_active and user.email and user.has_usable_password()):
        return None
    with transaction.atomic():
        email = email_create(OutgoingEmail.Kind.PASSWORD_RESET, [user.email])
        PasswordReset.objects.create(email=email, user=user, language=language)
    return email
