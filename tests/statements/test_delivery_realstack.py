"""A statement delivered to a decision maker over a real SMTP server: one message, the
PDF attached, sent once however often the sending runs, and the delivery then dated."""

import pytest

from campaigns.models import CallToAction
from statements.models import OutgoingEmail, Statement, StatementUpdate
from statements.services import delivery as delivering
from statements.tasks import send_email, send_unsent_emails
from tests.factories import make_call_to_action, make_campaign, make_signatures, make_statement
from tests.support import smtp_server

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


def test_the_decision_maker_receives_the_statement_and_its_pdf_once(smtp_port, staff):
    statement = make_statement(
        title="Open the crossings",
        slug="open-the-crossings",
        status=Statement.Status.PUBLISHED,
        campaign=make_campaign(),
    )
    make_signatures(statement, 2)
    envoy = make_call_to_action(
        statement=statement,
        kind=CallToAction.Kind.CONTACT,
        title="Write to the envoy",
        target_name="Ana Ruiz",
        target_email="envoy@un.example.org",
    )
    with smtp_server(smtp_port) as smtp:
        [delivery] = delivering.statement_deliver(
            statement=statement, by=staff, targets=[("Ana Ruiz", envoy.target_email, envoy)]
        )
        email = OutgoingEmail.objects.get(target_delivery=delivery)
        assert send_email.delay(email.pk).get() is False
        assert send_unsent_emails.delay().get() == 0

    [(recipients, message)] = smtp.received
    assert recipients == ["envoy@un.example.org"]
    assert message["Subject"] == "Joint statement: Open the crossings"
    assert "Signed by 2 organizations." in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "open-the-crossings.pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    assert delivery.update.kind == StatementUpdate.Kind.DELIVERED
    assert StatementUpdate.objects.count() == 1
