from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """An email kept in the database instead of sent, for machines without an SMTP server."""

    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"), help_text=_("All recipients, one per line."))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    raw = models.TextField(_("raw"), help_text=_("The whole message as it would have gone out."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("email kept, not sent")
        verbose_name_plural = _("emails kept, not sent")

    def __str__(self) -> str:
        return self.subject
