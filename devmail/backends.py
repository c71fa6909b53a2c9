from django.core.mail.backends.base import BaseEmailBackend

from devmail.models import Message


class DevMailBackend(BaseEmailBackend):
    """Keeps each email in the database, where staff read it in the admin."""

    def send_messages(self, email_messages) -> int:
        for email in email_messages:
            html = next(
                (
                    content
                    for content, mimetype in getattr(email, "alternatives", [])
                    if mimetype == "text/html"
                ),
                "",
            )
            Message.objects.create(
                from_email=email.from_email,
                to="\n".join(email.recipients()),
                subject=email.subject,
                body=email.body,
                html_body=html,
                raw=email.message().as_string(),
            )
        return len(email_messages)
