"""The release as SMTP sends it (press_email_bytes, made from one draft per language) is
the email the per-journalist builder makes (press_release_email), link for link."""

import datetime
import re
from email import policy
from email.parser import BytesParser

import pytest
from django.utils import timezone

from core.tokens import token_hash
from press.emails import message_bytes, press_email_bytes, press_parts, press_release_email
from press.models import Delivery
from statements.models import Statement
from statements.services import lifecycle
from tests.factories import make_contact, make_distribution, make_journalists, make_statement
from tests.press.test_languages import arabic_translation

pytestmark = pytest.mark.django_db

# Long enough for quoted-printable to wrap lines, and so split some tokens.
BODY = "\n\n".join(
    f"Paragraph {i}: the crossings must open now — for aid, for water, for every family "
    "that has waited through the winter without shelter or medicine." * 3
    for i in range(6)
)


def links(message, path: str) -> set[str]:
    text = "".join(part.get_content() for part in message.walk() if not part.is_multipart())
    return set(re.findall(rf"/press/{path}/([\w-]+)/", text))


def normalized(raw: bytes, fields: dict) -> tuple:
    """The message's headers but its Date, and its parts, with its own tokens (which must
    be the ones whose hashes the delivery stores) named instead of given."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    [unsubscribe] = links(message, "unsubscribe")
    assert f"/press/unsubscribe/{unsubscribe}/" in message["List-Unsubscribe"]
    named = {unsubscribe: "UNSUBSCRIBE"}
    preview = links(message, "preview")
    if "preview_token_hash" in fields:
        [token] = preview
        named[token] = "PREVIEW"
    else:
        assert not preview

    def name(text: str) -> str:
        for token, label in named.items():
            text = text.replace(token, label)
        return text

    assert token_hash(unsubscribe) == fields["unsubscribe_token_hash"]
    if "preview_token_hash" in fields:
        assert token_hash(next(iter(preview))) == fields["preview_token_hash"]
    assert message["Date"]
    headers = [
        (header, message.get_content_type() if header == "Content-Type" else name(str(value)))
        for header, value in message.items()
        if header != "Date"
    ]
    parts = [
        (
            part.get_content_type(),
            part["Content-Transfer-Encoding"],
            part.get_content_charset(),
            name(part.get_content()),
        )
        for part in message.walk()
        if not part.is_multipart()
    ]
    return headers, parts, sorted(fields)


@pytest.mark.parametrize("embargoed", [False, True])
def test_each_journalist_gets_what_the_builder_makes_in_their_language(embargoed, staff):
    status = Statement.Status.DRAFT if embargoed else Statement.Status.PUBLISHED
    original = make_statement(status=status, title="Open the crossings", body=BODY, dateline="GAZA")
    original.demands.create(heading="Access", text="Open every crossing, day and night.")
    if embargoed:
        embargo = timezone.now() + datetime.timedelta(days=2)
        lifecycle.statement_schedule(statement=original, publish_at=embargo, by=staff)
        original.refresh_from_db()
    arabic_translation(original)
    officer = make_contact(name="Sam Okafor", email="press@coalition.example.org")
    distribution = make_distribution(
        original, reply_to=officer, note="Call us first.", embargoed_until=original.publish_at
    )
    english, arab, other = make_journalists(3)
    arab.language = "ar"
    arab.save()
    for contact in (english, arab, other):
        Delivery.objects.create(distribution=distribution, contact=contact, email=contact.email)
    deliveries = Delivery.objects.select_related(
        "distribution__statement", "distribution__reply_to", "contact"
    ).order_by("pk")
    parts = press_parts(original)

    for delivery in deliveries:
        raw, fields = press_email_bytes(delivery, parts)
        message, built_fields = press_release_email(delivery, parts)
        assert normalized(raw, fields) == normalized(message_bytes(message), built_fields)
    # One draft per language: the second English journalist's message came from the first's.
    assert len(parts._drafts) == 2
    assert all(draft.usable for draft in parts._drafts.values())
