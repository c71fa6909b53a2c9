"""Who a correction or retraction notice is for, and the retract form's box that sends it
or not (the messages themselves: test_notices_realstack.py)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from press.models import Delivery, Distribution
from statements.models import Statement
from statements.services import lifecycle
from tests.factories import make_contact, make_distribution, make_statement

pytestmark = pytest.mark.django_db


def sent_release(statement, *contacts, state=Delivery.State.SENT) -> Distribution:
    """A release that went to these contacts, as the sender leaves its rows."""
    distribution = make_distribution(statement, contacts=contacts, status=Distribution.Status.DONE)
    Delivery.objects.bulk_create(
        Delivery(
            distribution=distribution,
            contact=contact,
            email=contact.email,
            state=state,
            sent_at=timezone.now(),
        )
        for contact in contacts
    )
    return distribution


def retract_url(statement) -> str:
    return reverse("admin:statements_statement_retract", args=[statement.pk])


def test_the_retract_form_offers_the_box_ticked(staff_client):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    form = staff_client.get(retract_url(statement)).content.decode()
    assert re.search(r'<input type="checkbox" name="notify_press"[^>]* checked>', form)
    assert "Tell the journalists who received the release" in form


@pytest.mark.parametrize(("ticked", "notices"), [(True, 1), (False, 0)])
def test_the_box_decides_whether_the_journalists_are_told(staff_client, ticked, notices):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    sent_release(statement, make_contact())
    data = {"note": "The figures were wrong."} | ({"notify_press": "on"} if ticked else {})
    assert staff_client.post(retract_url(statement), data).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED
    assert Distribution.objects.filter(kind=Distribution.Kind.RETRACTION).count() == notices


def test_only_who_was_sent_the_release_is_told(staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    reader = make_contact()
    sent_release(statement, reader)
    sent_release(statement, make_contact(), state=Delivery.State.FAILED)
    sent_release(statement, make_contact(), state=Delivery.State.CANCELLED)
    sent_release(make_statement(status=Statement.Status.PUBLISHED), make_contact())
    lifecycle.statement_retract(statement=statement, note="Wrong.", by=staff)
    notice = Distribution.objects.get(kind=Distribution.Kind.RETRACTION)
    assert list(notice.contacts.all()) == [reader]
    assert notice.subject == f"RETRACTED: {statement.title}"
    assert [d.contact for d in notice.deliveries.all()] == [reader]


def test_a_release_nobody_was_sent_makes_no_notice(staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    make_distribution(statement, contacts=[make_contact()])  # a draft, never sent
    lifecycle.statement_retract(statement=statement, note="Wrong.", by=staff)
    assert not Distribution.objects.filter(kind=Distribution.Kind.RETRACTION).exists()


@pytest.mark.parametrize("persona", ["outsider", "press_officer", "editor"])
def test_who_may_not_retract_sends_no_notice_either(request, persona):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    sent_release(statement, make_contact())
    with pytest.raises(PermissionDenied):
        lifecycle.statement_retract(
            statement=statement, note="Wrong.", by=request.getfixturevalue(persona)
        )
    assert not Distribution.objects.filter(kind=Distribution.Kind.RETRACTION).exists()
