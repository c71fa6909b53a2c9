"""What a statement or a signature holds that someone relies on (sign-off answers,
versions, a signature's history, owed emails) is never erased by deleting it."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from statements.models import (
    Demand,
    OutgoingEmail,
    Quote,
    Signature,
    SignatureEvent,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    Statement,
    Version,
)
from statements.services import cosigning, lifecycle, signoff
from tests.factories import (
    make_open_statement,
    make_organization,
    make_signed_statement,
    make_staff,
    make_statement,
    submitted,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:statements_statement_changelist")


def change_url(statement) -> str:
    return reverse("admin:statements_statement_change", args=[statement.pk])


def delete_url(statement) -> str:
    return reverse("admin:statements_statement_delete", args=[statement.pk])


@pytest.fixture
def answered(django_capture_on_commit_callbacks) -> Statement:
    """A draft whose first signatory approved version 1 and whose others were asked."""
    statement, contacts = make_signed_statement()
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement,
            contacts=contacts,
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=make_staff(),
        )
    [message] = [m for m in mail.outbox if m.to == [contacts[0].email]]
    token = link_in_mail("/signoff/", message).rstrip("/").rsplit("/", 1)[1]
    signoff.signoff_answer(token=token, decision=SignoffAnswer.Decision.APPROVED, comment="")
    return statement


def test_a_statement_asked_for_sign_off_keeps_its_versions_requests_and_answers(answered):
    with pytest.raises(ProtectedError) as error:
        answered.delete()
    kinds = {type(record) for record in error.value.protected_objects}
    assert {Version, SignoffRequest, SignoffEvent, OutgoingEmail} <= kinds
    request = SignoffRequest.objects.filter(answer__isnull=False).get()
    with pytest.raises(ProtectedError):
        request.delete()
    assert SignoffAnswer.objects.count() == 1
    assert Version.objects.filter(statement=answered).count() == 1


def test_a_signature_keeps_its_history_and_its_emails():
    signature = submitted(make_open_statement())
    with pytest.raises(ProtectedError) as error:
        signature.delete()
    assert {type(r) for r in error.value.protected_objects} == {SignatureEvent, OutgoingEmail}
    with pytest.raises(ProtectedError):
        signature.statement.delete()


def test_a_published_statement_is_not_offered_for_deletion(staff_client, staff):
    statement = make_statement()
    lifecycle.statement_publish(statement=statement, by=staff)
    html = staff_client.get(change_url(statement)).content.decode()
    assert delete_url(statement) not in html
    assert (
        "This statement cannot be deleted. It has been published: archive or retract it "
        "instead." in html
    )
    assert staff_client.post(delete_url(statement), {"post": "yes"}).status_code == 403
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_a_statement_in_sign_off_says_which_records_it_holds(staff_client, answered):
    html = staff_client.get(change_url(answered)).content.decode()
    assert delete_url(answered) not in html
    assert "It holds records that must stay: " in html
    for records in ["1 version", "3 sign-off requests", "3 outgoing emails", "sign-off events"]:
        assert records in html, records


def test_bulk_deletion_refuses_in_words_and_deletes_nothing(staff_client, answered):
    draft = make_statement(title="Nothing yet")
    data = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [answered.pk, draft.pk]}
    for confirmed in ({}, {"post": "yes"}):
        response = staff_client.post(CHANGELIST, data | confirmed)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing was deleted: what you selected holds records that must stay." in html
        assert f"“{answered}”: It holds records that must stay:" in html
    assert Statement.objects.count() == 2


def test_a_draft_with_nothing_relied_on_is_deleted_with_its_parts(staff_client, staff):
    statement = make_statement()
    Demand.objects.create(statement=statement, heading="Access", text="Open the crossings.")
    Quote.objects.create(statement=statement, text="Now.", person_name="Rana Haddad")
    added = Signature(statement=statement, organization=make_organization(name="Added Org"))
    cosigning.signature_add(signature=added, by=staff)
    page = staff_client.get(change_url(statement)).content.decode()
    assert delete_url(statement) in page
    confirm = staff_client.get(delete_url(statement)).content.decode()
    assert "Are you sure" in confirm
    assert "Added by staff" in confirm
    response = staff_client.post(delete_url(statement), {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.exists()
    assert not Signature.objects.exists() and not SignatureEvent.objects.exists()
    assert not Demand.objects.exists() and not Quote.objects.exists()


def test_drafts_with_nothing_relied_on_go_in_bulk(staff_client, staff):
    drafts = [make_statement(), make_statement()]
    cosigning.signature_add(
        signature=Signature(statement=drafts[0], organization=make_organization()), by=staff
    )
    staff_client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "post": "yes",
            helpers.ACTION_CHECKBOX_NAME: [d.pk for d in drafts],
        },
    )
    assert not Statement.objects.exists()


def test_a_draft_partners_signed_through_the_private_link_is_kept(staff_client):
    statement = make_statement(cosign_open=True)
    submitted(statement)
    html = staff_client.get(change_url(statement)).content.decode()
    assert delete_url(statement) not in html
    assert "It holds records that must stay: 1 outgoing email, 1 signature event." in html


def test_a_partners_signature_is_not_offered_for_deletion(staff_client):
    signature = submitted(make_open_statement())
    url = reverse("admin:statements_signature_change", args=[signature.pk])
    html = staff_client.get(url).content.decode()
    assert reverse("admin:statements_signature_delete", args=[signature.pk]) not in html
    assert "It came through the co-sign form: reject it, or the signer withdraws it" in html
    delete = reverse("admin:statements_signature_delete", args=[signature.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403


def test_an_organization_staff_added_to_a_draft_by_mistake_can_be_removed(staff_client, staff):
    statement = make_statement()
    signature = Signature(statement=statement, organization=make_organization())
    cosigning.signature_add(signature=signature, by=staff)
    delete = reverse("admin:statements_signature_delete", args=[signature.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Signature.objects.exists()
    lifecycle.statement_publish(statement=statement, by=staff)
    listed = Signature(statement=statement, organization=make_organization())
    cosigning.signature_add(signature=listed, by=staff)
    delete = reverse("admin:statements_signature_delete", args=[listed.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
