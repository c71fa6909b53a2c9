"""Delivering a statement to decision makers: who may, to whom, once per address, the email
with its PDF, and the "delivered" update once it has gone."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CallToAction
from organizations.models import Suppression
from organizations.services import suppression_add
from statements.models import OutgoingEmail, Statement, StatementUpdate, TargetDelivery
from statements.services import delivery as delivering
from statements.services import outgoing
from tests.factories import make_call_to_action, make_campaign, make_signatures, make_statement

pytestmark = pytest.mark.django_db

ENVOY = "envoy@un.example.org"


@pytest.fixture
def statement() -> Statement:
    statement = make_statement(
        title="Open the crossings",
        slug="open-the-crossings",
        status=Statement.Status.PUBLISHED,
        campaign=make_campaign(),
    )
    make_signatures(statement, 3)
    return statement


@pytest.fixture
def envoy(statement) -> CallToAction:
    return make_call_to_action(
        statement=statement,
        kind=CallToAction.Kind.CONTACT,
        title="Write to the envoy",
        target_name="Ana Ruiz",
        target_role="UN Special Envoy",
        target_email=ENVOY,
    )


def deliver(statement, by, *targets, note=""):
    return delivering.statement_deliver(
        statement=statement, by=by, targets=list(targets), note=note
    )


def send_all() -> list[bool]:
    return [
        outgoing.outgoing_email_send(email_id=pk)
        for pk in OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.TARGET_DELIVERY)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]


@pytest.mark.parametrize("persona", ["outsider", "viewer", "editor", "press_officer"])
def test_staff_without_the_permission_may_not_deliver(request, persona, statement, envoy):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        deliver(statement, user, ("Ana Ruiz", ENVOY, envoy))
    assert not TargetDelivery.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    "status", [Statement.Status.DRAFT, Statement.Status.SCHEDULED, Statement.Status.RETRACTED]
)
def test_a_statement_that_is_not_public_or_retracted_is_not_delivered(staff, status):
    fields = {"publish_at": timezone.now()} if status == Statement.Status.SCHEDULED else {}
    statement = make_statement(status=status, **fields)
    with pytest.raises(ValidationError) as refused:
        deliver(statement, staff, ("Ana Ruiz", ENVOY, None))
    assert refused.value.code == "not_public"
    assert not TargetDelivery.objects.exists()


def test_each_decision_maker_gets_the_statement_once_with_its_pdf(
    staff, statement, envoy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = deliver(
            statement,
            staff,
            ("Ana Ruiz", ENVOY, envoy),
            ("Omar Haddad", "Omar.Haddad@ministry.example.org", None),
            note="Ahead of Thursday's meeting.",
        )
        assert mail.outbox == []  # queued once the deliveries are committed
    assert [(d.name, d.email, d.call_to_action) for d in made] == [
        ("Ana Ruiz", ENVOY, envoy),
        ("Omar Haddad", "Omar.Haddad@ministry.example.org", None),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["Omar.Haddad@ministry.example.org", ENVOY]
    to_envoy = next(m for m in mail.outbox if m.to == [ENVOY])
    assert to_envoy.subject == "Joint statement: Open the crossings"
    assert "Dear Ana Ruiz," in to_envoy.body
    assert "Ahead of Thursday's meeting." in to_envoy.body
    assert "Signed by 3 organizations." in to_envoy.body
    assert "http://127.0.0.1:8000/statements/open-the-crossings/" in to_envoy.body
    [(name, pdf, content_type)] = to_envoy.attachments
    assert (name, content_type) == ("open-the-crossings.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000

    # Sent again (a second worker, the sweep): nothing more goes.
    assert send_all() == [False, False]
    assert len(mail.outbox) == 2


def test_once_sent_the_delivery_is_dated_and_the_page_says_so(staff, statement, envoy, client):
    [delivery] = deliver(statement, staff, ("Ana Ruiz", ENVOY, envoy))
    assert (delivery.delivered_at, delivery.update) == (None, None)
    assert not StatementUpdate.objects.exists()

    assert send_all() == [True]
    assert send_all() == [False]
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    [update] = StatementUpdate.objects.public()
    assert delivery.update == update
    day = timezone.localdate(delivery.delivered_at)
    assert (update.kind, update.statement, update.created_by) == (
        StatementUpdate.Kind.DELIVERED,
        statement,
        staff,
    )
    assert update.text == (
        f"Delivered to Ana Ruiz, UN Special Envoy, on {day.day} {day:%B} {day.year}."
    )
    assert update.published_at is not None


def test_a_second_delivery_to_the_same_address_is_refused(staff, statement, envoy):
    deliver(statement, staff, ("Ana Ruiz", ENVOY, envoy))
    with pytest.raises(ValidationError) as refused:
        deliver(statement, staff, ("Ana R.", " ENVOY@un.example.org ", None))
    assert refused.value.code == "already_delivered"
    # With someone new: only they are sent it, and the caller sees who was left out.
    [made] = deliver(statement, staff, ("Ana", ENVOY, None), ("Omar", "omar@example.org", None))
    assert made.email == "omar@example.org"
    assert TargetDelivery.objects.count() == 2
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.TARGET_DELIVERY).count() == 2


def test_a_suppressed_address_is_left_out(staff, statement):
    suppression_add(email="Omar@example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    [made] = deliver(statement, staff, ("Ana", ENVOY, None), ("Omar", "omar@example.org", None))
    assert made.email == ENVOY
    with pytest.raises(ValidationError) as refused:
        deliver(statement, staff, ("Omar", "omar@example.org", None))
    assert refused.value.code == "already_delivered"
    assert not TargetDelivery.objects.filter(email="omar@example.org").exists()


def test_an_address_named_twice_in_one_delivery_is_sent_it_once(staff, statement):
    made = deliver(statement, staff, ("Ana", ENVOY, None), ("Ana Ruiz", ENVOY.upper(), None))
    assert [d.name for d in made] == ["Ana"]
    assert OutgoingEmail.objects.count() == 1


def test_a_reply_is_posted_as_a_response_received(staff, statement, envoy):
    [delivery] = deliver(statement, staff, ("Ana Ruiz", ENVOY, envoy))
    update = delivering.target_reply_post(
        delivery=delivery,
        text="The envoy will raise it on Thursday.",
        url="https://un.example.org/answer",
        on=datetime.date(2026, 10, 14),
        by=staff,
    )
    assert (update.kind, update.responder, update.responded_on, update.response_url) == (
        StatementUpdate.Kind.RESPONSE,
        "Ana Ruiz",
        datetime.date(2026, 10, 14),
        "https://un.example.org/answer",
    )
    assert list(StatementUpdate.objects.public()) == [update]


@pytest.mark.parametrize("persona", ["outsider", "viewer"])
def test_who_may_not_post_updates_may_not_post_a_reply(request, persona, staff, statement):
    [delivery] = deliver(statement, staff, ("Ana Ruiz", ENVOY, None))
    with pytest.raises(PermissionDenied):
        delivering.target_reply_post(
            delivery=delivery, text="Noted.", by=request.getfixturevalue(persona)
        )
    assert not StatementUpdate.objects.exists()


# The admin pages


def deliver_url(statement) -> str:
    return reverse("admin:statements_statement_deliver", args=[statement.pk])


def test_the_page_lists_the_decision_makers_and_delivers_to_those_ticked_and_named(
    staff_client, statement, envoy
):
    make_call_to_action(
        statement=statement,
        kind=CallToAction.Kind.CONTACT,
        title="Use their form",
        target_name="The ministry",
        target_form_url="https://gov.example.org/form",
    )  # no email: not offered
    make_call_to_action(
        campaign=statement.campaign,  # the campaign's, for each of its statements
        kind=CallToAction.Kind.CONTACT,
        title="Write to the minister",
        target_name="Lina Saleh",
        target_email="minister@gov.example.org",
    )
    change = staff_client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    assert deliver_url(statement) in change.content.decode()
    page = staff_client.get(deliver_url(statement)).content.decode()
    assert "Ana Ruiz, UN Special Envoy, envoy@un.example.org" in page
    assert "Lina Saleh, minister@gov.example.org" in page
    assert page.count('name="calls"') == 2

    response = staff_client.post(
        deliver_url(statement),
        {
            "calls": [envoy.pk],  # the minister left out
            "note": "",
            "others-TOTAL_FORMS": "3",
            "others-INITIAL_FORMS": "0",
            "others-0-name": "Omar Haddad",
            "others-0-email": "omar@example.org",
        },
    )
    assert response.status_code == 302
    assert sorted(TargetDelivery.objects.values_list("email", flat=True)) == [
        ENVOY,
        "omar@example.org",
    ]
    # Delivered: the envoy is not offered again, and is listed as delivered.
    again = staff_client.get(deliver_url(statement)).content.decode()
    assert again.count('name="calls"') == 1
    assert "Ana Ruiz, UN Special Envoy, envoy@un.example.org" not in again
    assert "Delivered so far" in again


def test_a_row_with_a_name_and_no_email_is_sent_back_with_a_message(staff_client, statement):
    response = staff_client.post(
        deliver_url(statement),
        {"others-TOTAL_FORMS": "3", "others-INITIAL_FORMS": "0", "others-0-name": "Omar"},
    )
    assert response.status_code == 400
    assert "Give their email address." in response.content.decode()
    assert not TargetDelivery.objects.exists()


def test_choosing_nobody_is_refused_with_a_message(staff_client, statement):
    response = staff_client.post(
        deliver_url(statement), {"others-TOTAL_FORMS": "3", "others-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 400
    assert "Choose at least one decision maker." in response.content.decode()


def test_staff_without_the_permission_see_no_button_and_get_a_403(client, editor, statement):
    client.force_login(editor)
    change = client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    assert change.status_code == 200
    assert deliver_url(statement) not in change.content.decode()
    assert client.get(deliver_url(statement)).status_code == 403


def test_an_outsider_is_sent_to_the_login_page(client, outsider, statement):
    response = client.get(deliver_url(statement))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_reply_page_posts_the_update(staff_client, staff, statement):
    [delivery] = deliver(statement, staff, ("Ana Ruiz", ENVOY, None))
    url = reverse("admin:statements_targetdelivery_reply", args=[delivery.pk])
    change = staff_client.get(reverse("admin:statements_targetdelivery_change", args=[delivery.pk]))
    assert url in change.content.decode()
    response = staff_client.post(url, {"text": "Noted, with thanks.", "url": "", "on": ""})
    assert response.status_code == 302
    update = StatementUpdate.objects.get()
    assert (update.kind, update.responder, update.text) == (
        StatementUpdate.Kind.RESPONSE,
        "Ana Ruiz",
        "Noted, with thanks.",
    )
