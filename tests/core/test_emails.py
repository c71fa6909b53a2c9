"""Every email's subject and text body are plain text: only the HTML body is escaped."""

import datetime

import pytest
from django.utils import timezone

from accounts.services.password_reset import password_reset_email_create
from press.emails import press_parts, press_release_email
from press.models import Delivery
from press.services import press_test_copy_send
from statements.emails import build_outgoing
from statements.models import (
    Follower,
    OutgoingEmail,
    Signature,
    SignoffEvent,
    StatementUpdate,
    TargetDelivery,
)
from statements.services import cosigning, lifecycle, signoff
from tests.factories import (
    confirmed,
    make_contact,
    make_distribution,
    make_open_statement,
    make_signed_statement,
    make_staff,
    make_statement,
    submitted,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Children's hospitals & schools <now>"
ESCAPED = "Children&#x27;s hospitals &amp; schools &lt;now&gt;"


def signature() -> Signature:
    return submitted(make_open_statement(title=HEADLINE))


def owed(kind: str, **links) -> OutgoingEmail:
    return OutgoingEmail.objects.create(kind=kind, to="someone@example.org", **links)


def cosign_digest(staff) -> OutgoingEmail:
    confirmed(make_open_statement(title=HEADLINE))
    [digest] = cosigning.cosign_digests_create()
    return digest


def signoff_request(kind: str) -> OutgoingEmail:
    statement, contacts = make_signed_statement(title=HEADLINE)
    [request] = signoff.signoff_requests_send(
        statement=statement,
        contacts=contacts[:1],
        deadline=timezone.now() + datetime.timedelta(days=3),
        by=make_staff(),
    )
    return owed(kind, signoff_request=request)


def signoff_release() -> OutgoingEmail:
    """The release email of a statement published over its only organization's silence."""
    statement, contacts = make_signed_statement(title=HEADLINE)
    signoff.signoff_requests_send(
        statement=statement,
        contacts=contacts[:1],
        deadline=timezone.now() + datetime.timedelta(days=3),
        by=make_staff(),
    )
    lifecycle.statement_publish(statement=statement, override_reason="Urgent.", by=make_staff())
    return OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.SIGNOFF_RELEASE)


def publication_held() -> OutgoingEmail:
    statement = make_statement(title=HEADLINE)
    SignoffEvent.objects.create(
        statement=statement, kind=SignoffEvent.Kind.HELD, note="The text changed."
    )
    return owed(OutgoingEmail.Kind.PUBLICATION_HELD, statement=statement)


def press_test_copy() -> OutgoingEmail:
    distribution = make_distribution(make_statement(title=HEADLINE), subject=HEADLINE)
    return press_test_copy_send(distribution=distribution, to="editor@example.org", by=make_staff())


def follow_confirmation() -> OutgoingEmail:
    statement = make_open_statement(title=HEADLINE)
    follower = Follower.objects.create(statement=statement, email="someone@example.org")
    return owed(OutgoingEmail.Kind.FOLLOW_CONFIRMATION, follower=follower, statement=statement)


def statement_update() -> OutgoingEmail:
    statement = make_open_statement(title=HEADLINE)
    follower = Follower.objects.create(statement=statement, email="someone@example.org")
    update = StatementUpdate.objects.create(
        statement=statement, text="News.", published_at=timezone.now()
    )
    return owed(
        OutgoingEmail.Kind.STATEMENT_UPDATE, update=update, follower=follower, statement=statement
    )


def target_delivery() -> OutgoingEmail:
    statement = make_open_statement(title=HEADLINE)
    delivery = TargetDelivery.objects.create(
        statement=statement, name="Ana Ruiz", email="someone@example.org"
    )
    return owed(OutgoingEmail.Kind.TARGET_DELIVERY, target_delivery=delivery, statement=statement)


OWED = {
    OutgoingEmail.Kind.SIGNATURE_CONFIRMATION: lambda staff: owed(
        OutgoingEmail.Kind.SIGNATURE_CONFIRMATION, signature=signature()
    ),
    OutgoingEmail.Kind.SIGNATURE_LISTED: lambda staff: owed(
        OutgoingEmail.Kind.SIGNATURE_LISTED, signature=signature()
    ),
    OutgoingEmail.Kind.COSIGN_DIGEST: cosign_digest,
    OutgoingEmail.Kind.SIGNOFF_REQUEST: lambda staff: signoff_request(
        OutgoingEmail.Kind.SIGNOFF_REQUEST
    ),
    OutgoingEmail.Kind.SIGNOFF_REMINDER: lambda staff: signoff_request(
        OutgoingEmail.Kind.SIGNOFF_REMINDER
    ),
    OutgoingEmail.Kind.SIGNOFF_RELEASE: lambda staff: signoff_release(),
    OutgoingEmail.Kind.PUBLICATION_HELD: lambda staff: publication_held(),
    OutgoingEmail.Kind.PRESS_TEST: lambda staff: press_test_copy(),
    OutgoingEmail.Kind.FOLLOW_CONFIRMATION: lambda staff: follow_confirmation(),
    OutgoingEmail.Kind.STATEMENT_UPDATE: lambda staff: statement_update(),
    OutgoingEmail.Kind.TARGET_DELIVERY: lambda staff: target_delivery(),
    OutgoingEmail.Kind.PASSWORD_RESET: lambda staff: password_reset_email_create(
        user=staff, language="en"
    ),
}
# A password reset holds nothing anyone types but a username, which Django keeps to
# letters, digits and @.+-_ (tests/accounts/test_password_reset.py reads it whole).
TYPED = [kind for kind in OWED if kind != OutgoingEmail.Kind.PASSWORD_RESET]


def assert_plain_text_and_escaped_html(message) -> None:
    assert HEADLINE in message.subject
    assert "&" + "amp;" not in message.subject and "&#x27;" not in message.subject
    assert HEADLINE in message.body
    assert ESCAPED not in message.body
    [(html, _)] = message.alternatives
    assert ESCAPED in html
    assert HEADLINE not in html


def test_every_kind_of_owed_email_is_covered():
    assert set(OWED) == set(OutgoingEmail.Kind)


@pytest.mark.parametrize("kind", TYPED)
def test_an_owed_email_keeps_quotes_ampersands_and_brackets_as_typed(kind, staff):
    assert_plain_text_and_escaped_html(build_outgoing(OWED[kind](staff)))


def test_a_press_release_keeps_quotes_ampersands_and_brackets_as_typed():
    distribution = make_distribution(
        make_statement(title=HEADLINE, status="published", published_at=timezone.now()),
        subject=HEADLINE,
    )
    contact = make_contact(email="desk@news.example.org")
    delivery = Delivery.objects.create(
        distribution=distribution, contact=contact, email=contact.email
    )
    message, _ = press_release_email(delivery, press_parts(distribution.statement))
    assert_plain_text_and_escaped_html(message)
