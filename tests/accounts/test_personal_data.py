"""A person's data on request: every record holding their address, as a JSON file, or
erased in place, so counts and the audit trail stay and the address is never emailed."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalDataRequest
from accounts.services import personal_data as services
from devmail.models import Message
from organizations.models import Contact, PressList, Suppression, address_hash
from organizations.services import suppressed, suppression_add
from press import services as press
from press.models import Delivery
from statements.models import (
    Follower,
    FollowerToken,
    OutgoingEmail,
    Signature,
    SignoffAnswer,
    SignoffRequest,
)
from statements.services import signoff
from tests.factories import (
    make_contact,
    make_distribution,
    make_open_statement,
    make_organization,
    make_signed_statement,
    submitted,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

JANE = "jane.roe@example.org"
PERSON_URL = reverse("admin:accounts_personaldatarequest_person")


@pytest.fixture
def jane(staff, django_capture_on_commit_callbacks):
    """Jane Roe's address in every kind of record, written in several cases."""
    statement = make_open_statement()
    signature = submitted(
        statement, signer_name="Jane Roe", signer_email="Jane.Roe@example.org", message="Hi!"
    )
    outlet = make_organization(name="Daily Wire Service", email="JANE.ROE@example.org")
    contact = make_contact(organization=outlet, name="Jane Roe", email=JANE, phone="+1 555 0100")
    desk = PressList.objects.create(name="Wire desks")
    desk.contacts.add(contact)
    signed, _ = make_signed_statement(names=("Alpha Aid",))
    Signature.objects.create(statement=signed, organization=outlet)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=signed,
            contacts=[contact],
            deadline=timezone.now() + datetime.timedelta(days=3),
            by=staff,
        )
    token = link_in_mail("/signoff/").rstrip("/").rsplit("/", 1)[1]
    signoff.signoff_answer(token=token, decision=SignoffAnswer.Decision.APPROVED)
    distribution = make_distribution(lists=[desk])
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    suppression_add(email="Jane.Roe@Example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    Message.objects.create(
        from_email="site@example.org", to=JANE, subject="Hello", body="Hi", raw="Hi"
    )
    return {
        "signature": signature,
        "contact": contact,
        "outlet": outlet,
        "desk": desk,
        "distribution": distribution,
    }


def staff_member(client, *permissions: str) -> User:
    """A staff member of every role, with these permissions of the accounts app besides;
    the test client is logged in as them."""
    user = User.objects.create_user("officer", "officer@example.org", "x", is_staff=True)
    user.groups.add(*Group.objects.all())
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=permissions)
    )
    client.force_login(user)
    return user


# Exporting


def test_the_export_holds_every_record_of_the_address_whatever_its_case(jane, staff):
    request, document = services.personal_data_export(email="JANE.ROE@EXAMPLE.ORG", by=staff)
    data = json.loads(document)

    def pks(kind):
        return [row["pk"] for row in data[kind]]

    assert data["email"] == JANE
    assert pks("signatures") == [jane["signature"].pk]
    assert data["signatures"][0]["fields"]["signer_name"] == "Jane Roe"
    assert data["signatures"][0]["fields"]["message"] == "Hi!"
    assert pks("contacts") == [jane["contact"].pk]
    assert data["contacts"][0]["fields"]["phone"] == "+1 555 0100"
    assert pks("organizations") == [jane["outlet"].pk]
    assert pks("signoff_requests") == [SignoffRequest.objects.get().pk]
    assert pks("signoff_answers") == [SignoffAnswer.objects.get().pk]
    assert len(data["signoff_events"]) >= 1
    assert pks("deliveries") == [Delivery.objects.get().pk]
    assert "unsubscribe_token_hash" not in data["deliveries"][0]["fields"]
    assert pks("suppressions") == [Suppression.objects.get().pk]
    owed = OutgoingEmail.objects.filter(to__iexact=JANE).order_by("pk")
    assert pks("outgoing_emails") == list(owed.values_list("pk", flat=True))
    assert {row["fields"]["kind"] for row in data["outgoing_emails"]} == {
        "signature_confirmation",
        "signoff_request",
    }
    assert pks("development_mailbox") == [Message.objects.get(subject="Hello").pk]
    assert request.kind == PersonalDataRequest.Kind.EXPORT
    assert request.email_hash == address_hash(JANE)
    assert request.counts["signatures"] == 1 and request.counts["deliveries"] == 1


def test_an_export_is_recorded_and_audited_without_the_address(jane, staff):
    request, _ = services.personal_data_export(email=JANE, by=staff)

    entry = LogEntry.objects.get(additional_data__event="personal_data_exported")
    assert entry.object_pk == str(request.pk)
    assert entry.actor == staff
    assert JANE not in json.dumps(entry.additional_data) + entry.object_repr
    assert request.requested_by == staff


def test_an_address_nobody_holds_exports_empty_lists(staff):
    _, document = services.personal_data_export(email="nobody@example.org", by=staff)
    data = json.loads(document)
    assert all(data[kind] == [] for kind in data if kind not in ("email", "exported_at"))


def test_a_malformed_address_is_refused_with_a_message(staff):
    with pytest.raises(ValidationError) as error:
        services.personal_data_export(email="not an address", by=staff)
    assert error.value.code == "invalid_email"


# Erasing


def test_erasure_anonymizes_every_record_in_place_and_keeps_the_counts(jane, staff):
    counted = [Signature, Contact, SignoffRequest, SignoffAnswer, Delivery, OutgoingEmail]
    before = {model: model.objects.count() for model in counted}

    services.personal_data_erase(email="JANE.roe@example.org", by=staff)

    assert {model: model.objects.count() for model in counted} == before
    signature = Signature.objects.get(pk=jane["signature"].pk)
    assert (signature.signer_name, signature.signer_email, signature.message) == ("", "", "")
    assert signature.erased_at is not None
    assert signature.organization_name == jane["signature"].organization_name
    contact = Contact.objects.get(pk=jane["contact"].pk)
    assert (contact.name, contact.email, contact.phone, contact.title) == ("", "", "", "[erased]")
    assert contact.erased_at is not None
    assert contact.organization == jane["outlet"]
    assert not jane["desk"].contacts.exists()
    assert SignoffAnswer.objects.get().contact == contact
    jane["outlet"].refresh_from_db()
    assert jane["outlet"].email == ""
    delivery = Delivery.objects.get()
    assert (delivery.email, delivery.unsubscribe_token_hash) == ("", "")
    assert delivery.state == Delivery.State.SENT
    assert not OutgoingEmail.objects.filter(to__icontains="jane.roe").exists()
    assert not Message.objects.filter(to__icontains="jane.roe").exists()
    # Nothing holds the address any more but the suppression's hash of it.
    left = services.personal_data_counts(email=JANE)
    assert left == dict.fromkeys(left, 0) | {"suppressions": 1}


def test_the_suppression_keeps_only_the_hash_and_still_matches(jane, staff):
    services.personal_data_erase(email=JANE, by=staff)

    suppression = Suppression.objects.get()
    assert suppression.email == ""
    assert suppression.email_hash == address_hash(JANE)
    assert suppression.lifted_at is None
    assert suppressed(["JANE.ROE@example.org", "other@example.org"]) == {JANE}


def test_after_erasure_a_press_send_to_the_address_is_suppressed(
    staff, django_capture_on_commit_callbacks
):
    services.personal_data_erase(email=JANE, by=staff)
    assert Suppression.objects.active().get().reason == Suppression.Reason.ERASED
    # Her address comes back later, in capitals, in an imported list.
    desk = PressList.objects.create(name="Imported desk")
    desk.contacts.add(make_contact(name="J. Roe", email="JANE.ROE@example.org"))

    distribution = make_distribution(lists=[desk])
    assert press.distribution_counts(distribution) == (0, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=staff)
    assert mail.outbox == []
    assert Delivery.objects.get(distribution=distribution).state == Delivery.State.SUPPRESSED


def test_an_owed_email_to_the_address_is_never_sent(staff, django_capture_on_commit_callbacks):
    statement = make_open_statement()
    signature = submitted(statement, signer_email=JANE)
    owed = OutgoingEmail.objects.get(signature=signature)
    assert owed.sent_at is None  # on-commit callbacks were not run: still owed

    services.personal_data_erase(email=JANE, by=staff)

    owed.refresh_from_db()
    assert owed.to == "" and owed.failed_at is not None and owed.sent_at is None


def test_two_people_told_of_the_same_release_can_both_be_erased(staff):
    statement = make_open_statement()
    for address in (JANE, "omar@example.org"):
        OutgoingEmail.objects.create(
            kind=OutgoingEmail.Kind.SIGNOFF_RELEASE, statement=statement, to=address
        )

    services.personal_data_erase(email=JANE, by=staff)
    services.personal_data_erase(email="omar@example.org", by=staff)

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["", ""]


def test_erasure_overwrites_the_address_and_name_in_the_audit_log(jane, staff):
    contact = jane["contact"]
    own = LogEntry.objects.log_create(
        contact,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"email": ["", JANE], "beat": ["", "Politics"]},
    )
    suppression = Suppression.objects.get()
    of_suppression = LogEntry.objects.log_create(
        suppression, force_log=True, action=LogEntry.Action.CREATE, changes={}
    )
    elsewhere = LogEntry.objects.log_create(
        jane["desk"],
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"contacts": {"type": "m2m", "operation": "add", "objects": [str(contact)]}},
        additional_data={"note": f"Added {JANE.upper()}"},
    )
    assert JANE in of_suppression.object_repr

    services.personal_data_erase(email=JANE, by=staff)

    for entry in (own, of_suppression, elsewhere):
        entry.refresh_from_db()
    assert own.changes == {"email": ["", "[erased]"], "beat": ["", "[erased]"]}
    assert "Jane" not in own.object_repr
    assert of_suppression.object_repr == "[erased] (unsubscribed)"
    assert elsewhere.changes["contacts"]["objects"] == ["[erased]"]
    assert elsewhere.additional_data == {"note": "Added [erased]"}


def test_an_erasure_is_recorded_and_audited_with_its_counts(jane, staff):
    request = services.personal_data_erase(email=JANE, by=staff)

    assert request.kind == PersonalDataRequest.Kind.ERASE
    assert request.email_hash == address_hash(JANE)
    assert request.counts["contacts"] == 1 and request.counts["signatures"] == 1
    entry = LogEntry.objects.get(additional_data__event="personal_data_erased")
    assert entry.object_pk == str(request.pk)
    assert entry.actor == staff
    assert entry.additional_data["counts"] == request.counts


def test_a_follower_is_exported_then_erased_and_follows_no_more(staff):
    statement = make_open_statement()
    follower = Follower.objects.create(
        statement=statement, email="Jane.Roe@example.org", confirmed_at=timezone.now()
    )
    FollowerToken.objects.create(
        follower=follower,
        purpose=FollowerToken.Purpose.UNSUBSCRIBE,
        token_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    _request, document = services.personal_data_export(email=JANE, by=staff)
    assert [row["pk"] for row in json.loads(document)["followers"]] == [follower.pk]

    services.personal_data_erase(email=JANE, by=staff)

    follower.refresh_from_db()
    assert (follower.email, follower.email_key) == ("", "")
    assert follower.erased_at is not None and not follower.is_following()
    assert not FollowerToken.objects.filter(follower=follower).exists()


def test_a_second_erasure_finds_nothing_more(jane, staff):
    services.personal_data_erase(email=JANE, by=staff)
    again = services.personal_data_erase(email=JANE, by=staff)
    assert again.counts == dict.fromkeys(again.counts, 0) | {"suppressions": 1}
    assert Suppression.objects.count() == 1


# The admin page


def test_the_page_downloads_the_json_file(jane, staff_client):
    response = staff_client.post(PERSON_URL, {"email": JANE, "export": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    filename = f"personal-data-{address_hash(JANE)[:12]}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert json.loads(response.content)["contacts"][0]["pk"] == jane["contact"].pk


def test_the_page_asks_before_erasing_and_erases_once_confirmed(jane, staff_client):
    asked = staff_client.post(PERSON_URL, {"email": JANE, "erase": "1"})
    assert asked.status_code == 200
    assert "Yes, erase" in asked.content.decode()
    assert Contact.objects.get(pk=jane["contact"].pk).email == JANE

    done = staff_client.post(PERSON_URL, {"email": JANE, "confirm": "1"}, follow=True)

    assert done.status_code == 200
    assert Contact.objects.get(pk=jane["contact"].pk).email == ""
    assert PersonalDataRequest.objects.get().kind == PersonalDataRequest.Kind.ERASE


def test_the_page_says_what_is_wrong_with_the_address(staff_client):
    response = staff_client.post(PERSON_URL, {"email": "jane at example", "export": "1"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not PersonalDataRequest.objects.exists()


def test_the_requests_are_listed_under_staff_accounts_and_found_by_address(jane, staff_client):
    services.personal_data_export(email=JANE, by=User.objects.get(username="editor"))
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:accounts_personaldatarequest_changelist") in index

    found = staff_client.get(
        reverse("admin:accounts_personaldatarequest_changelist"), {"q": JANE.upper()}
    )
    assert found.context["cl"].result_count == 1
    assert PERSON_URL in found.content.decode()


# Who may


def test_staff_of_every_role_may_not_open_the_page(client):
    staff_member(client)
    assert client.get(PERSON_URL).status_code == 403
    assert client.post(PERSON_URL, {"email": JANE, "export": "1"}).status_code == 403
    assert client.get(reverse("admin:accounts_personaldatarequest_changelist")).status_code == 403


def test_staff_of_every_role_may_neither_export_nor_erase_through_the_services(client):
    user = staff_member(client)
    with pytest.raises(PermissionDenied):
        services.personal_data_export(email=JANE, by=user)
    with pytest.raises(PermissionDenied):
        services.personal_data_erase(email=JANE, by=user)
    assert not PersonalDataRequest.objects.exists()


def test_staff_who_may_export_may_not_erase(jane, client):
    user = staff_member(client, "export_personal_data")
    assert client.post(PERSON_URL, {"email": JANE, "export": "1"}).status_code == 200
    assert client.post(PERSON_URL, {"email": JANE, "erase": "1"}).status_code == 403
    assert client.post(PERSON_URL, {"email": JANE, "confirm": "1"}).status_code == 403
    assert Contact.objects.get(pk=jane["contact"].pk).email == JANE
    with pytest.raises(PermissionDenied):
        services.personal_data_erase(email=JANE, by=user)


def test_staff_who_may_erase_may_not_export(jane, client):
    staff_member(client, "erase_personal_data")
    assert client.post(PERSON_URL, {"email": JANE, "export": "1"}).status_code == 403
    assert client.post(PERSON_URL, {"email": JANE, "confirm": "1"}).status_code == 302


def test_no_role_holds_the_personal_data_permissions():
    codenames = set(
        Permission.objects.filter(group__isnull=False).values_list("codename", flat=True)
    )
    assert not codenames & {"export_personal_data", "erase_personal_data"}


def test_staff_find_the_erased_suppression_by_the_address(jane, staff, staff_client):
    services.personal_data_erase(email=JANE, by=staff)

    found = staff_client.get(
        reverse("admin:organizations_suppression_changelist"), {"q": "Jane.Roe@example.org"}
    )

    assert [str(s) for s in found.context["cl"].result_list] == ["erased address (unsubscribed)"]
