import csv
import datetime
import io
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from core.audit import Event, audit_object_rename
from organizations.models import Contact, PressList, Suppression
from organizations.services import suppression_add, suppression_lift
from press import services as press
from statements.models import Signature, Statement
from statements.services import cosigning, lifecycle, signoff
from tests.conftest import PASSWORD
from tests.factories import (
    confirmed,
    make_contact,
    make_distribution,
    make_journalists,
    make_open_statement,
    make_organization,
    make_signed_statement,
    make_statement,
    submitted,
)

pytestmark = pytest.mark.django_db

LOG = reverse("admin:auditlog_logentry_changelist")
CSV = reverse("admin:auditlog_logentry_export")
SOON = timezone.now() + datetime.timedelta(days=2)


@pytest.fixture
def publisher() -> User:
    """Staff in the Publisher role, which may read the audit log."""
    user = User.objects.create_user("publisher", "publisher@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


@pytest.fixture
def editor() -> User:
    """Staff in the Editor role, which may not read the audit log."""
    user = User.objects.create_user("writer", "writer@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def events(name: str, obj=None):
    entries = LogEntry.objects.filter(additional_data__event=name)
    if obj is not None:
        entries = entries.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
    return list(entries)


def the_event(name: str, obj=None) -> LogEntry:
    found = events(name, obj)
    assert len(found) == 1
    return found[0]


def history_url(obj) -> str:
    info = obj._meta.app_label, obj._meta.model_name
    return reverse("admin:{}_{}_history".format(*info), args=[obj.pk])


def press_list_change(client, press_list, **headers):
    url = reverse("admin:organizations_presslist_change", args=[press_list.pk])
    return client.post(url, {"name": "Regional desks", "description": ""}, headers=headers)


# Changes


def test_a_change_through_the_admin_records_who_from_where_and_what(staff_client, staff):
    press_list = PressList.objects.create(name="US national desks")

    response = staff_client.post(
        reverse("admin:organizations_presslist_change", args=[press_list.pk]),
        {"name": "Regional desks", "description": ""},
        REMOTE_ADDR="192.0.2.10",
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PressList),
        action=LogEntry.Action.UPDATE,
    )
    assert entry.actor == staff
    assert entry.remote_addr == "192.0.2.10"
    assert entry.changes == {"name": ["US national desks", "Regional desks"]}


def test_the_address_is_the_one_the_proxy_header_names_not_a_forwarded_for_anyone_sends(
    staff_client, settings
):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    press_list = PressList.objects.create(name="US national desks")

    staff_client.post(
        reverse("admin:organizations_presslist_change", args=[press_list.pk]),
        {"name": "Regional desks", "description": ""},
        headers={"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "198.51.100.1"},
    )

    entry = LogEntry.objects.get(action=LogEntry.Action.UPDATE)
    assert entry.remote_addr == "203.0.113.7"


def test_a_change_outside_a_request_has_no_person_and_no_address():
    press_list = PressList.objects.create(name="US national desks")
    entry = LogEntry.objects.get_for_object(press_list).get(action=LogEntry.Action.CREATE)
    assert (entry.actor, entry.remote_addr) == (None, None)


def test_a_signers_personal_data_is_masked_in_the_log():
    signature = submitted(make_open_statement())

    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(signature), action=LogEntry.Action.CREATE
    )
    logged = json.dumps([entry.changes, entry.object_repr, entry.serialized_data])
    personal = ["layla@rukban.example.org", "Layla Haddad", "Coordinator", "+962 6 555 0100"]
    for value in [*personal, "Count us in."]:
        assert value not in logged
    for field in ["signer_email", "signer_name", "signer_title", "signer_phone", "message"]:
        assert entry.changes[field] == ["None", "***"]


def test_contacts_and_suppressed_addresses_are_masked_in_the_changes():
    contact = make_contact(name="Mona Saleh", email="mona@news.example", phone="+20 2 555 0199")
    suppression = suppression_add(email="gone@news.example", reason=Suppression.Reason.STAFF)

    entries = [
        *LogEntry.objects.get_for_object(contact),
        *LogEntry.objects.get_for_object(suppression),
    ]
    changes = json.dumps([entry.changes for entry in entries])
    for value in ["Mona Saleh", "mona@news.example", "+20 2 555 0199", "gone@news.example"]:
        assert value not in changes
    # The entry names its object as it is called: a suppression by its address, which
    # erasing the person's data must rewrite (see accounts.audit).
    assert "gone@news.example" in LogEntry.objects.get_for_object(suppression).get().object_repr


def test_passwords_and_the_private_cosign_key_are_never_recorded(staff):
    staff.set_password("another long password")
    staff.save()
    statement = make_statement()
    cosigning.statement_cosign_link_renew(statement=statement, by=staff)

    logged = json.dumps([entry.changes for entry in LogEntry.objects.all()])
    assert "password" not in logged
    assert "cosign_key" not in logged
    statement.refresh_from_db()
    assert statement.cosign_key not in logged


def test_adding_someone_to_a_role_is_recorded(editor):
    editor.groups.add(Group.objects.get(name="Publisher"))

    added = LogEntry.objects.get_for_object(editor).filter(changes__groups__operation="add")
    assert ["Publisher"] in [entry.changes["groups"]["objects"] for entry in added]


# Workflow events


def test_publishing_records_who_published_and_the_version(staff):
    statement = make_statement()
    lifecycle.statement_publish(statement=statement, by=staff)

    entry = the_event(Event.PUBLISHED, statement)
    assert entry.actor == staff
    assert entry.additional_data == {"event": "published", "version": 1}


def test_publishing_over_missing_approvals_records_the_reason(staff):
    statement, _ = make_signed_statement()
    lifecycle.statement_publish(statement=statement, by=staff, override_reason="The strike is now")

    entry = the_event(Event.PUBLISHED_OVERRIDE, statement)
    assert entry.actor == staff
    assert entry.additional_data["reason"].startswith("The strike is now\nNot approved by:")
    assert events(Event.PUBLISHED) == []


def test_scheduling_then_beat_publishing_records_both_and_nobody_published(staff):
    statement = make_statement()
    lifecycle.statement_schedule(statement=statement, publish_at=SOON, by=staff)
    lifecycle.statements_publish_due(now=SOON + datetime.timedelta(minutes=1))

    scheduled = the_event(Event.SCHEDULED, statement)
    assert scheduled.actor == staff
    assert scheduled.additional_data["publish_at"] == timezone.localtime(SOON).isoformat()
    assert the_event(Event.PUBLISHED, statement).actor is None


def test_scheduling_over_missing_approvals_records_the_reason(staff):
    statement, _ = make_signed_statement()
    lifecycle.statement_schedule(
        statement=statement, publish_at=SOON, by=staff, override_reason="Agreed by phone"
    )
    assert (
        the_event(Event.SCHEDULED_OVERRIDE, statement)
        .additional_data["reason"]
        .startswith("Agreed by phone")
    )


def test_unscheduling_archiving_and_retracting_are_each_recorded(staff):
    statement = make_statement()
    lifecycle.statement_schedule(statement=statement, publish_at=SOON, by=staff)
    lifecycle.statement_unschedule(statement=statement, by=staff)
    assert the_event(Event.UNSCHEDULED, statement).actor == staff

    lifecycle.statement_publish(statement=statement, by=staff)
    lifecycle.statement_archive(statement=statement, by=staff)
    assert the_event(Event.ARCHIVED, statement).actor == staff

    lifecycle.statement_retract(statement=statement, by=staff, note="  Figures were wrong. ")
    retracted = the_event(Event.RETRACTED, statement)
    assert (retracted.actor, retracted.additional_data["note"]) == (staff, "Figures were wrong.")


def test_an_archive_through_the_admin_records_the_staff_member_and_address(staff_client, staff):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    staff_client.post(
        reverse("admin:statements_statement_archive", args=[statement.pk]),
        REMOTE_ADDR="192.0.2.44",
    )
    entry = the_event(Event.ARCHIVED, statement)
    assert (entry.actor, entry.remote_addr) == (staff, "192.0.2.44")


def test_moderation_decisions_are_recorded(staff):
    statement = make_open_statement()
    approved = confirmed(statement)
    rejected = confirmed(
        statement,
        organization_name="Other Group",
        website="https://other.example",
        signer_email="o@other.example",
    )
    cosigning.signature_approve(signature=approved, by=staff)
    cosigning.signature_reject(signature=rejected, by=staff, note="Not a real group")

    assert the_event(Event.SIGNATURE_APPROVED, approved).actor == staff
    assert the_event(Event.SIGNATURE_REJECTED, rejected).additional_data["note"] == (
        "Not a real group"
    )


def test_a_signature_added_by_staff_is_recorded(staff):
    signature = Signature(statement=make_statement(), organization=make_organization())
    cosigning.signature_add(signature=signature, by=staff)
    assert the_event(Event.SIGNATURE_ADDED, signature).actor == staff


def test_a_signoff_request_is_recorded_with_how_many_were_asked(staff):
    statement, contacts = make_signed_statement()
    signoff.signoff_requests_send(
        statement=statement, contacts=contacts[1:], deadline=SOON, by=staff
    )
    entry = the_event(Event.SIGNOFF_REQUESTED, statement)
    assert entry.actor == staff
    assert (entry.additional_data["version"], entry.additional_data["contacts"]) == (1, 2)


def test_confirming_stopping_and_test_copies_of_a_distribution_are_recorded(staff):
    desk = PressList.objects.create(name="US national desks")
    make_journalists(3, desk)
    distribution = make_distribution(lists=[desk])
    press.press_test_copy_send(distribution=distribution, to="editor@example.org", by=staff)
    press.distribution_confirm(distribution=distribution, by=staff)
    press.distribution_cancel(distribution=distribution, by=staff)

    assert the_event(Event.TEST_COPY_SENT, distribution).additional_data["to"] == (
        "editor@example.org"
    )
    confirmed_entry = the_event(Event.DISTRIBUTION_CONFIRMED, distribution)
    assert (confirmed_entry.actor, confirmed_entry.additional_data["recipients"]) == (staff, 3)
    assert the_event(Event.DISTRIBUTION_STOPPED, distribution).additional_data["spared"] == 3


def test_lifting_a_suppression_is_recorded_with_the_reason(staff):
    suppression = suppression_add(email="back@news.example", reason=Suppression.Reason.STAFF)
    suppression_lift(suppression=suppression, by=staff, reason="They asked again")
    entry = the_event(Event.SUPPRESSION_LIFTED, suppression)
    assert (entry.actor, entry.additional_data["reason"]) == (staff, "They asked again")


def test_exporting_signatories_is_recorded(staff_client, staff):
    statement, _ = make_signed_statement()
    staff_client.get(reverse("admin:statements_statement_signatories_csv", args=[statement.pk]))
    entry = the_event(Event.SIGNATORIES_EXPORTED, statement)
    assert (entry.actor, entry.additional_data["count"]) == (staff, 3)


def test_exporting_contacts_is_one_entry_on_contacts_as_a_whole(staff_client, staff):
    make_journalists(4)
    response = staff_client.post(
        reverse("admin:organizations_contact_export"), {"resource": "0", "format": "0"}
    )
    assert response.status_code == 200
    entry = the_event(Event.CONTACTS_EXPORTED)
    assert entry.content_type == ContentType.objects.get_for_model(Contact)
    assert (entry.actor, entry.object_pk, entry.additional_data["count"]) == (staff, "", 4)


# The admin


def test_publishers_read_the_log_with_each_entry_readable(client, publisher, staff, settings):
    settings.TIME_ZONE = "Asia/Damascus"
    statement = make_statement(title="Open the crossings")
    lifecycle.statement_publish(statement=statement, by=staff)
    client.force_login(publisher)

    page = client.get(LOG).content.decode()

    assert "Audit log" in page
    assert "Published" in page
    assert "Status: Draft → Published" in page
    statement.refresh_from_db()
    local = timezone.localtime(statement.published_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"Published at: — → {local}" in page
    # A creation lists what the object was made with, not the fields left empty.
    assert "Dateline" not in page
    assert reverse("admin:statements_statement_change", args=[statement.pk]) in page
    assert "Statement: Open the crossings" in page


def test_the_log_filters_by_person_object_type_and_date(client, publisher, staff):
    statement = make_statement(title="Open the crossings")
    lifecycle.statement_publish(statement=statement, by=staff)
    PressList.objects.create(name="Desks of the week")
    client.force_login(publisher)
    statements = ContentType.objects.get_for_model(Statement).pk

    by_staff = client.get(LOG, {"actor": staff.pk}).context["cl"].result_list
    assert {entry.actor for entry in by_staff} == {staff}
    by_nobody = client.get(LOG, {"actor": "none"}).context["cl"].result_list
    assert {entry.actor for entry in by_nobody} == {None}
    by_type = client.get(LOG, {"content_type": statements}).context["cl"].result_list
    assert {entry.object_repr for entry in by_type} == {"Open the crossings"}
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert client.get(LOG, {"timestamp__gte": tomorrow}).context["cl"].result_list.count() == 0
    found = client.get(LOG, {"q": "crossings"}).context["cl"].result_list
    assert {entry.object_repr for entry in found} == {
        "Open the crossings",
        "Version 1 of Open the crossings",
    }


def test_an_objects_history_button_leads_to_its_entries(client, publisher):
    organization = make_organization(name="Alpha Aid")
    other = make_organization(name="Beta Rights")
    client.force_login(publisher)

    response = client.get(history_url(organization))

    assert response.status_code == 302
    page = client.get(response.url)
    entries = page.context["cl"].result_list
    assert [entry.object_id for entry in entries] == [organization.pk]
    assert other.pk not in [entry.object_id for entry in entries]
    assert "History of “Alpha Aid (O" in page.content.decode()


def test_the_history_button_shows_only_to_staff_who_may_read_the_log(
    client, publisher, editor, staff
):
    campaign = Campaign.objects.create(title="Protect civilians", slug="protect-civilians")
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    client.force_login(editor)
    assert "historylink" not in client.get(url).content.decode()
    client.force_login(publisher)
    assert "historylink" in client.get(url).content.decode()


def test_the_csv_keeps_the_filters_and_has_every_column(client, publisher, staff):
    statement = make_statement(title="Open the crossings")
    lifecycle.statement_publish(statement=statement, by=staff, override_reason="")
    PressList.objects.create(name="Desks of the week")
    client.force_login(publisher)

    page = client.get(LOG, {"actor": staff.pk}).content.decode()
    assert f'{CSV}?actor={staff.pk}"' in page
    response = client.get(CSV, {"actor": staff.pk}, REMOTE_ADDR="192.0.2.1")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "time", "person", "address", "action or event", "object type", "object ID", "object",
        "changes",
    ]  # fmt: skip
    assert {row[1] for row in rows[1:]} == {"editor"}
    published = [row for row in rows[1:] if row[3] == "Published"]
    assert len(published) == 1
    assert published[0][4:7] == ["Statement", str(statement.pk), "Open the crossings"]
    assert published[0][7] == "Version: 1"


@pytest.mark.parametrize("page", ["list", "history", "csv", "entry"])
def test_staff_who_may_not_read_the_log_are_refused_everything(client, editor, page):
    press_list = PressList.objects.create(name="US national desks")
    entry = LogEntry.objects.get_for_object(press_list).get()
    client.force_login(editor)
    url = {
        "list": LOG,
        "history": history_url(press_list),
        "csv": CSV,
        "entry": reverse("admin:auditlog_logentry_change", args=[entry.pk]),
    }[page]
    assert client.get(url).status_code == 403


def test_nobody_may_change_or_delete_an_entry(client, publisher, staff_client):
    entry = LogEntry.objects.get_for_object(PressList.objects.create(name="Desks")).get()
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    page = staff_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert "Name: — → Desks" in page.content.decode()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_filters_that_make_no_sense_are_ignored_or_refused_never_an_error(client, publisher):
    client.force_login(publisher)
    for params in [{"actor": "x"}, {"content_type": "x"}]:
        assert client.get(LOG, params).status_code == 200
        assert client.get(CSV, params).status_code == 200
    # Django's lists answer a lookup they cannot make by showing the list again, flagged.
    assert client.get(LOG, {"object_id": "x"}).status_code == 302
    assert client.get(CSV, {"object_id": "x"}).status_code == 400


@pytest.mark.parametrize("entries", [3, 30])
def test_the_log_costs_the_same_queries_however_many_entries(
    client, publisher, django_assert_num_queries, entries
):
    for n in range(entries):
        PressList.objects.create(name=f"List {n}", description="x" * n)
    client.force_login(publisher)
    client.get(LOG)
    # Session and user, their own and their groups' permissions; the staff for the person
    # filter; the count for the pages; the page of entries with their people and types;
    # the date hierarchy's range and days; the session saved with its new expiry, in a
    # savepoint (3).
    with django_assert_num_queries(12):
        assert client.get(LOG).status_code == 200


def test_erasing_a_person_can_rename_their_objects_entries():
    contact = make_contact(name="Mona Saleh", email="mona@news.example")
    other = make_contact(name="Sam Okafor")

    assert audit_object_rename(obj=contact, name="Erased contact") == 1

    assert [entry.object_repr for entry in LogEntry.objects.get_for_object(contact)] == [
        "Erased contact"
    ]
    assert "Sam Okafor" in LogEntry.objects.get_for_object(other).get().object_repr


def test_the_log_speaks_the_staff_members_language(client, publisher, staff):
    lifecycle.statement_publish(statement=make_statement(), by=staff)
    client.force_login(publisher)
    client.cookies["django_language"] = "ar"

    page = client.get(LOG).content.decode()

    assert "سجل التدقيق" in page
    assert "منشور" in page
    assert "Published" not in page
