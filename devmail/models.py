from django.db import models


class Message(models.Model):
    """An email kept in the database instead of sent, for machines without an SMTP server."""

    from_email = models.CharField(max_length=300)
    to = models.TextField(help_text="All recipients, one per line.")
    subject = models.CharField(max_length=998)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    raw = models.TextField(help_text="The whole message as it would have gone out.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "email kept, not sent"
        verbose_name_plural = "emails kept, not sent"

    def __str__(self) -> str:
        return self.subject
