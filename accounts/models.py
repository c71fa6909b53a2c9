from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from statements.models import OutgoingEmail


class PersonalDataRequest(models.Model):
    """One request about a person's data, by email address: an export or an erasure.

    It keeps the hash of the address, never the address, so the record of an erasure
    does not hold what was erased.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    email_hash = models.CharField(
        _("address hash"),
        max_length=64,
        db_index=True,
        help_text=_("SHA-256 of the address in lower case."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    counts = models.JSONField(
        _("records"), default=dict, help_text=_("How many records of each kind it found.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        # Superusers only by default: no role holds these (accounts/migrations/0002_roles).
        permissions = [
            ("export_personal_data", _("Can export everything held about an email address")),
            ("erase_personal_data", _("Can erase everything held about an email address")),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s of %(hash)s…") % {
            "kind": self.get_kind_display(),
            "hash": self.email_hash[:12],
        }


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
