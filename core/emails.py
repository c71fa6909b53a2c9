"""Building an email from its three templates, and the rules for sending it again.

Each email is templates/emails/<name>-subject.txt, -body.txt and -body.html; the
app that owes it has one small function per email that gathers the context.
Only the HTML body is autoescaped: the subject and the text body are plain text,
where "&amp;" would reach the reader as typed.
"""

import random
import smtplib
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language

from core.languages import direction

# A worker that claimed a message and went quiet this long is taken for dead: the
# sweep gives what it held to another worker.
CLAIM_TIMEOUT = timedelta(minutes=10)
# With retries 1, 2, 4 … minutes apart, capped at an hour: about eight hours in all.
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=1)


class PlainHeader(str):
    """A header value that goes out exactly as given, on one line: never folded, never encoded.

    Python's email policy writes a long value with no space in it as RFC 2047 encoded
    words, and `List-Unsubscribe: =?utf-8?q?=3Chttps...` is no address to a mail client
    (RFC 2369 and RFC 8058 want `<https://…>`). Give it as a value in build()'s headers,
    under the same name; it must be ASCII.
    """

    def __new__(cls, name: str, value: str):
        if not value.isascii() or "\r" in value or "\n" in value:
            raise ValueError(f"{name} must be one line of ASCII, not {value!r}")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self) -> tuple[str, str]:
        # Copied and pickled with its name (the locmem backend of the tests deep-copies).
        return self.name, str(self)

    def fold(self, *, policy) -> str:
        # What the email package calls to write a header it was given as an object.
        return f"{self.name}: {self}{policy.linesep}"


def _plain_text(template_name: str, context: dict) -> str:
    # The engine's own template, rendered in a context that does not autoescape.
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build(name: str, context: dict, to: list[str], *, headers=None) -> EmailMultiAlternatives:
    """The email from templates/emails/<name>-subject.txt, -body.txt and -body.html.

    Written in the active language: the caller builds it inside
    translation.override(<the recipient's language>), and the HTML says which
    (email_lang, email_dir for <html lang dir>).
    """
    language = get_language()
    rtl = direction(language) == "rtl"
    context = {
        "email_lang": language,
        "email_dir": "rtl" if rtl else "ltr",
        # Said in the style as well as by dir: some mail clients drop <html dir>.
        "email_align": "right" if rtl else "left",
    } | context
    subject = " ".join(_plain_text(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=_plain_text(f"emails/{name}-body.txt", context),
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    return message


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter, so retries after an outage do not all land at once."""
    delay = min(FIRST_RETRY * 2 ** (attempts - 1), LAST_RETRY)
    return delay * random.uniform(0.8, 1.2)


def is_permanent(error: Exception) -> bool:
    """Whether the SMTP server refused for good (a 5xx answer), so trying again is useless."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
