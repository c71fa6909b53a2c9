from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from statements.models import OutgoingEmail


class PasswordReset(models.Model):
    """A password reset email owed to a staff member.

    The email is one the site owes (statements.OutgoingEmail), sent with the others;
    this row says whose password it resets and in which language they asked. Its link
    is made when the email is built, so no usable key is ever stored.
    """

    email = models.OneToOneField(
        OutgoingEmail,
        on_delete=models.CASCADE,
        related_name="password_reset",
        verbose_name=_("email"),
    )
    # An account deleted before its email left takes the reset with it: the email then
    # fails for good instead of resetting nobody's password.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        verbose_name = _("password reset")
        verbose_name_plural = _("password resets")

    def __str__(self) -> str:
        return _("Password reset for %(user)s") % {"user": self.user}
