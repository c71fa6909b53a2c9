"""The four staff roles: what the migration gave each, what each may do, and every
refusal met both at the service and by posting the admin's page or form directly."""

import datetime
import io
import re
from html import unescape

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from demo.services import demo_data_create
from organizations.models import PressList, Suppression
from organizations.services import suppression_add, suppression_lift, suppression_staff_add
from press import services as press
from press.models import Distribution
from statements.models import PressContact, Signature, SignoffEvent, Statement
from statements.services import (
    cosigning,
    deletion,
    editing,
    exports,
    lifecycle,
    signoff,
    translations,
)
from statements.services.importing import release_import_create
from tests.factories import (
    confirmed,
    make_contact,
    make_distribution,
    make_journalists,
    make_open_statement,
    make_organization,
    make_signed_statement,
    make_statement,
)

pytestmark = pytest.mark.django_db

ROLES = ["Editor", "Publisher", "Press officer", "Moderator"]


def granted(name: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def statement_url(name: str, statement: Statement) -> str:
    return reverse(f"admin:statements_statement_{name}", args=[statement.pk])


def distribution_url(name: str, distribution: Distribution) -> str:
    return reverse(f"admin:press_distribution_{name}", args=[distribution.pk])


@pytest.fixture
def desk() -> PressList:
    """A press list of two journalists."""
    desk = PressList.objects.create(name="Foreign desks")
    make_journalists(2, desk)
    return desk


def in_the_future() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=1)


# What the migration made


def test_the_migration_made_the_four_roles_and_nothing_more_is_a_group():
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)


def test_a_publisher_may_do_everything_an_editor_may_and_publish_override_and_correct():
    editor, publisher = granted("Editor"), granted("Publisher")
    assert editor < publisher
    assert publisher - editor == {
        "statements.publish_statement",
        "statements.override_signoff",
        "statements.correct_statement",
        "auditlog.view_logentry",
        # What comes after release: updates are public and emailed, deliveries go out.
        "statements.add_statementupdate",
        "statements.change_statementupdate",
        "statements.deliver_statement",
        "statements.view_targetdelivery",
    }


@pytest.mark.parametrize(
    ("name", "may", "may_not"),
    [
        (
            "Editor",
            {
                "statements.add_statement", "statements.change_statement",
                "statements.delete_statement", "statements.request_signoff",
                "statements.add_signature", "organizations.change_organization",
                "organizations.change_contact", "campaigns.change_campaign",
            },
            {
                "statements.publish_statement", "statements.override_signoff",
                "statements.moderate_signature", "statements.export_signature",
                "press.send_distribution", "press.add_distribution",
                "organizations.change_suppression", "organizations.export_contact",
            },
        ),
        (
            "Press officer",
            {
                "press.add_distribution", "press.change_distribution", "press.send_distribution",
                "press.view_delivery", "organizations.add_presslist",
                "organizations.import_contact", "organizations.export_contact",
                "organizations.add_suppression", "organizations.change_suppression",
                "statements.view_statement",
            },
            {
                "statements.change_statement", "statements.publish_statement",
                "statements.moderate_signature", "statements.view_signature",
            },
        ),
        (
            "Moderator",
            {
                "statements.moderate_signature", "statements.export_signature",
                "statements.add_signature", "statements.change_pendingsignature",
                "statements.view_signatureevent", "statements.view_statement",
            },
            {
                "statements.change_statement", "statements.publish_statement",
                "press.send_distribution", "press.add_distribution", "press.view_distribution",
                "organizations.view_suppression",
            },
        ),
    ],
)  # fmt: skip
def test_each_role_has_the_permissions_of_its_job_and_not_the_others(name, may, may_not):
    permissions = granted(name)
    assert may <= permissions
    assert not may_not & permissions


def test_nobody_may_do_what_a_staff_service_does_without_being_named():
    with pytest.raises(PermissionDenied, match="You may not publish"):
        lifecycle.statement_publish(statement=make_statement(), by=None)


def _suppression():
    return suppression_add(email="gone@example.org", reason=Suppression.Reason.HARD_BOUNCE)


def _request_signoff(by):
    statement, contacts = make_signed_statement()
    signoff.signoff_requests_send(
        statement=statement, contacts=contacts, deadline=in_the_future(), by=by
    )


# Every service that acts for staff, with what it needs made on the spot.
STAFF_SERVICES = {
    "publish": lambda by: lifecycle.statement_publish(statement=make_statement(), by=by),
    "export signatories": lambda by: exports.signatories_export(
        statement=make_statement(), out=io.StringIO(), by=by
    ),
    "schedule": lambda by: lifecycle.statement_schedule(
        statement=make_statement(), publish_at=in_the_future(), by=by
    ),
    "unschedule": lambda by: lifecycle.statement_unschedule(
        statement=make_statement(status="scheduled", publish_at=in_the_future()), by=by
    ),
    "archive": lambda by: lifecycle.statement_archive(
        statement=make_statement(status="published"), by=by
    ),
    "retract": lambda by: lifecycle.statement_retract(
        statement=make_statement(status="published"), note="No.", by=by
    ),
    "request sign-off": lambda by: _request_signoff(by),
    "approve": lambda by: cosigning.signature_approve(
        signature=confirmed(make_open_statement()), by=by
    ),
    "reject": lambda by: cosigning.signature_reject(
        signature=confirmed(make_open_statement()), by=by
    ),
    "add a signature": lambda by: cosigning.signature_add(
        signature=Signature(statement=make_statement(), organization=make_organization()), by=by
    ),
    "renew the co-sign link": lambda by: cosigning.statement_cosign_link_renew(
        statement=make_statement(), by=by
    ),
    "delete a statement": lambda by: deletion.statement_delete(statement=make_statement(), by=by),
    "delete a signature": lambda by: deletion.signature_delete(
        signature=Signature.objects.create(
            statement=make_statement(), organization=make_organization()
        ),
        by=by,
    ),
    "translate": lambda by: translations.translation_create(
        statement=make_statement(), language="fr", by=by
    ),
    "mark a translation up to date": lambda by: translations.translation_mark_up_to_date(
        translation=make_statement(translation_of=make_statement(), language="fr"), by=by
    ),
    "name an organization on the form": lambda by: editing.signature_by_name_save(
        signature=Signature(statement=make_statement()), organization_name="Someone", by=by
    ),
    "type a press contact on the form": lambda by: editing.press_contact_by_name_save(
        press_contact=PressContact(statement=make_statement()),
        organization_name="Someone",
        name="Rana",
        by=by,
    ),
    "import a release": lambda by: release_import_create(parsed={"headline": "A"}, by=by),
    "prepare a distribution": lambda by: press.distribution_create(
        distribution=Distribution(statement=make_statement(), subject="Out"), by=by
    ),
    "confirm a distribution": lambda by: press.distribution_confirm(
        distribution=make_distribution(contacts=[make_contact()]), by=by
    ),
    "stop a distribution": lambda by: press.distribution_cancel(
        distribution=make_distribution(status=Distribution.Status.WAITING), by=by
    ),
    "send a test copy": lambda by: press.press_test_copy_send(
        distribution=make_distribution(), to="me@example.org", by=by
    ),
    "suppress an address": lambda by: suppression_staff_add(email="no@example.org", by=by),
    "lift a suppression": lambda by: suppression_lift(
        suppression=_suppression(), by=by, reason="Back."
    ),
}


@pytest.mark.parametrize("act", STAFF_SERVICES.values(), ids=STAFF_SERVICES.keys())
def test_every_staff_service_refuses_someone_with_an_account_and_no_role(outsider, act):
    with pytest.raises(PermissionDenied):
        act(outsider)
    assert not mail.outbox


# The editor: drafts, never publishes


@pytest.mark.parametrize(
    ("status", "act"),
    [
        ("draft", lambda s, by: lifecycle.statement_publish(statement=s, by=by)),
        (
            "draft",
            lambda s, by: lifecycle.statement_schedule(
                statement=s, publish_at=in_the_future(), by=by
            ),
        ),
        ("published", lambda s, by: lifecycle.statement_archive(statement=s, by=by)),
        ("published", lambda s, by: lifecycle.statement_retract(statement=s, note="No.", by=by)),
    ],
    ids=["publish", "schedule", "archive", "retract"],
)
def test_an_editor_cannot_publish_schedule_archive_or_retract_at_the_service(editor, status, act):
    statement = make_statement(status=status)
    with pytest.raises(PermissionDenied, match="You may not publish, schedule, archive or retract"):
        act(statement, editor)
    statement.refresh_from_db()
    assert statement.status == status


def test_an_editor_cannot_unschedule_at_the_service(editor, publisher):
    statement = make_statement()
    lifecycle.statement_schedule(statement=statement, publish_at=in_the_future(), by=publisher)
    with pytest.raises(PermissionDenied):
        lifecycle.statement_unschedule(statement=statement, by=editor)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED


@pytest.mark.parametrize(
    ("page", "status", "data"),
    [
        ("publish", "draft", {"when": "now"}),
        ("publish", "draft", {"when": "now", "override_reason": "We talked on the phone."}),
        ("archive", "published", {}),
        ("retract", "published", {"note": "Withdrawn."}),
    ],
)
def test_an_editor_posting_a_publisher_s_page_directly_is_refused(
    client, editor, page, status, data
):
    statement = make_statement(status=status)
    client.force_login(editor)
    assert client.get(statement_url(page, statement)).status_code == 403
    assert client.post(statement_url(page, statement), data).status_code == 403
    statement.refresh_from_db()
    assert statement.status == status


def test_an_editor_posting_the_bulk_publish_action_publishes_nothing(client, editor):
    statement = make_statement()
    client.force_login(editor)
    changelist = reverse("admin:statements_statement_changelist")
    assert "publish_selected" not in client.get(changelist).content.decode()
    client.post(
        changelist,
        {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: [statement.pk]},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_an_editor_s_statement_page_offers_no_publishing_moderation_or_export(client, editor):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    client.force_login(editor)
    html = client.get(statement_url("change", statement)).content.decode()
    assert "Translate…" in html
    assert "Create a translation…" in html
    for hidden in ["Publish…", "Archive…", "Retract…", "Signatories (CSV)", "Moderation queue"]:
        assert hidden not in html, hidden
    assert client.get(statement_url("signatories_csv", statement)).status_code == 403
    with pytest.raises(PermissionDenied, match="You may not export signatories"):
        exports.signatories_export(statement=statement, out=io.StringIO(), by=editor)


def test_an_editor_edits_and_requests_sign_off(client, editor, django_capture_on_commit_callbacks):
    statement, contacts = make_signed_statement()
    client.force_login(editor)
    html = client.get(statement_url("signoff", statement)).content.decode()
    assert "Request sign-off…" in html
    assert "Publish…" not in html
    with django_capture_on_commit_callbacks(execute=True):
        signoff.signoff_requests_send(
            statement=statement, contacts=contacts[:1], deadline=in_the_future(), by=editor
        )
    assert [message.to for message in mail.outbox] == [[contacts[0].email]]
    translation = translations.translation_create(statement=statement, language="fr", by=editor)
    assert translation.translation_of == statement


def test_an_editor_deletes_a_draft_but_a_moderator_may_not(editor, moderator):
    draft = make_statement()
    with pytest.raises(PermissionDenied, match="You may not delete statements"):
        deletion.statement_delete(statement=draft, by=moderator)
    deletion.statement_delete(statement=draft, by=editor)
    assert not Statement.objects.filter(pk=draft.pk).exists()


def test_an_editor_cannot_approve_signatures(client, editor):
    signature = confirmed(make_open_statement())
    with pytest.raises(PermissionDenied, match="You may not approve or reject signatures"):
        cosigning.signature_approve(signature=signature, by=editor)
    with pytest.raises(PermissionDenied):
        cosigning.signature_reject(signature=signature, by=editor)
    client.force_login(editor)
    changelist = reverse("admin:statements_signature_changelist")
    assert "approve_selected" not in client.get(changelist).content.decode()
    client.post(
        changelist, {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [signature.pk]}
    )
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED
    # The queue is the moderator's.
    queue = reverse("admin:statements_pendingsignature_changelist")
    assert client.get(queue).status_code == 403


def test_an_editor_cannot_lift_or_add_suppressions(client, editor):
    suppression = suppression_add(email="gone@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    with pytest.raises(PermissionDenied, match="You may not lift suppressions"):
        suppression_lift(suppression=suppression, by=editor, reason="They came back.")
    with pytest.raises(PermissionDenied, match="You may not suppress addresses"):
        suppression_staff_add(email="other@example.org", by=editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:organizations_suppression_changelist"),
        {
            "action": "lift_selected",
            helpers.ACTION_CHECKBOX_NAME: [suppression.pk],
            "post": "yes",
            "reason": "They came back.",
        },
    )
    assert response.status_code == 403
    suppression.refresh_from_db()
    assert suppression.lifted_at is None


def test_an_editor_can_neither_import_nor_export_contacts(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:organizations_contact_import")).status_code == 403
    export = reverse("admin:organizations_contact_export")
    assert client.post(export, {"resource": "0", "format": "0"}).status_code == 403
    html = client.get(reverse("admin:organizations_contact_changelist")).content.decode()
    assert reverse("admin:organizations_contact_import") not in html
    assert export not in html


# The publisher: publishes, and overrides the sign-off gate


def test_a_publisher_publishes_with_an_override_and_it_is_recorded(client, publisher):
    statement, _contacts = make_signed_statement()
    client.force_login(publisher)
    page = client.get(statement_url("publish", statement)).content.decode()
    assert 'name="override_reason"' in page
    response = client.post(
        statement_url("publish", statement),
        {"when": "now", "override_reason": "Approved by phone this morning."},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    override = statement.signoff_events.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert override.actor == publisher
    assert override.note.startswith("Approved by phone this morning.")


def test_a_publisher_schedules_unschedules_archives_and_retracts(publisher):
    statement = make_statement()
    lifecycle.statement_schedule(statement=statement, publish_at=in_the_future(), by=publisher)
    lifecycle.statement_unschedule(statement=statement, by=publisher)
    lifecycle.statement_publish(statement=statement, by=publisher)
    lifecycle.statement_archive(statement=statement, by=publisher)
    lifecycle.statement_retract(statement=statement, note="Superseded.", by=publisher)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RETRACTED


@pytest.fixture
def publisher_without_override(editor):
    """An editor given the right to publish, but not to override sign-off."""
    editor.user_permissions.add(Permission.objects.get(codename="publish_statement"))
    return type(editor).objects.get(pk=editor.pk)


def test_overriding_sign_off_is_a_permission_of_its_own(
    client, publisher_without_override, publisher
):
    statement, _contacts = make_signed_statement()
    by = publisher_without_override
    with pytest.raises(PermissionDenied, match="You may not publish without every signatory"):
        lifecycle.statement_publish(statement=statement, by=by, override_reason="Trust me.")
    with pytest.raises(PermissionDenied):
        lifecycle.statement_schedule(
            statement=statement, publish_at=in_the_future(), by=by, override_reason="Trust me."
        )
    # Nor does publishing now lean on the reason a publisher gave when scheduling.
    lifecycle.statement_schedule(
        statement=statement, publish_at=in_the_future(), by=publisher, override_reason="By phone."
    )
    with pytest.raises(PermissionDenied):
        lifecycle.statement_publish(statement=statement, by=by)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED
    # What needs no override, they publish.
    ready = make_statement()
    lifecycle.statement_publish(statement=ready, by=by)
    ready.refresh_from_db()
    assert ready.status == Statement.Status.PUBLISHED


def test_the_publish_page_asks_no_reason_of_who_may_not_override_and_ignores_a_posted_one(
    client, publisher_without_override
):
    statement, _contacts = make_signed_statement()
    client.force_login(publisher_without_override)
    page = client.get(statement_url("publish", statement)).content.decode()
    assert 'name="override_reason"' not in page
    assert "ask a publisher who may" in page
    response = client.post(
        statement_url("publish", statement), {"when": "now", "override_reason": "Trust me."}
    )
    assert response.status_code == 200
    assert "Not every signatory organization has approved the current text" in (
        response.content.decode()
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert not statement.signoff_events.filter(kind=SignoffEvent.Kind.OVERRIDDEN).exists()


def test_a_bulk_publish_that_would_override_sign_off_says_who_may(
    client, publisher_without_override, publisher
):
    statement, _contacts = make_signed_statement()
    lifecycle.statement_schedule(
        statement=statement, publish_at=in_the_future(), by=publisher, override_reason="By phone."
    )
    client.force_login(publisher_without_override)
    response = client.post(
        reverse("admin:statements_statement_changelist"),
        {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: [statement.pk]},
        follow=True,
    )
    assert "You may not publish without every signatory organization" in (
        response.content.decode().replace("&#x27;", "'")
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED


# The press officer: sends to the press, never edits a statement


def test_a_press_officer_prepares_tests_confirms_and_stops_a_distribution(
    client, press_officer, desk, django_capture_on_commit_callbacks
):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    client.force_login(press_officer)
    response = client.post(
        reverse("admin:press_distribution_add"),
        {
            "statement": statement.pk,
            "subject": "Joint statement",
            "note": "",
            "press_lists": [desk.pk],
            "when": "at_time",
            "send_at_0": f"{in_the_future():%Y-%m-%d}",
            "send_at_1": "09:00",
        },
    )
    assert response.status_code == 302
    distribution = Distribution.objects.get()
    assert distribution.created_by == press_officer
    html = client.get(distribution_url("change", distribution)).content.decode()
    assert "Confirm and send…" in html
    assert "Send a test copy…" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(distribution_url("test", distribution))
    assert [message.to for message in mail.outbox] == [[press_officer.email]]
    assert client.post(distribution_url("confirm", distribution)).status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.WAITING
    assert client.post(distribution_url("cancel", distribution)).status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CANCELLED


def test_a_press_officer_confirms_a_distribution_and_the_press_receives_it(
    press_officer, desk, django_capture_on_commit_callbacks
):
    distribution = make_distribution(lists=[desk], when=Distribution.When.NOW)
    with django_capture_on_commit_callbacks(execute=True):
        press.distribution_confirm(distribution=distribution, by=press_officer)
    assert len(mail.outbox) == 2


def test_a_press_officer_cannot_edit_a_statement_s_text(client, press_officer):
    statement = make_statement(title="The words partners agreed")
    client.force_login(press_officer)
    page = client.get(statement_url("change", statement))
    assert page.status_code == 200  # they read it, to send it
    html = page.content.decode()
    for hidden in ["Translate…", "Create a translation…", "make a new link", "Publish…"]:
        assert hidden not in html, hidden
    assert "Anyone with it can sign." in html
    assert client.post(statement_url("new_cosign_link", statement)).status_code == 403
    response = client.post(statement_url("change", statement), {"title": "Other words"})
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.title == "The words partners agreed"
    with pytest.raises(PermissionDenied, match="You may not change statements"):
        translations.translation_create(statement=statement, language="fr", by=press_officer)
    with pytest.raises(PermissionDenied, match="You may not change statements"):
        editing.signature_by_name_save(
            signature=Signature(statement=statement, role=Signature.Role.SIGNATORY),
            organization_name="Someone",
            by=press_officer,
        )
    with pytest.raises(PermissionDenied, match="You may not add statements"):
        release_import_create(parsed={"headline": "A release"}, by=press_officer)


def test_a_press_officer_cannot_approve_a_signature(client, press_officer):
    signature = confirmed(make_open_statement())
    with pytest.raises(PermissionDenied):
        cosigning.signature_approve(signature=signature, by=press_officer)
    client.force_login(press_officer)
    response = client.post(
        reverse("admin:statements_pendingsignature_changelist"),
        {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [signature.pk]},
    )
    assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED


def test_a_press_officer_lifts_a_suppression_and_exports_contacts(client, press_officer):
    make_contact()
    suppression = suppression_add(email="gone@example.org", reason=Suppression.Reason.HARD_BOUNCE)
    suppression_lift(suppression=suppression, by=press_officer, reason="A new mailbox.")
    assert suppression_staff_add(email="no@example.org", by=press_officer).reason == "staff"
    client.force_login(press_officer)
    export = reverse("admin:organizations_contact_export")
    response = client.post(export, {"resource": "0", "format": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert client.get(reverse("admin:organizations_contact_import")).status_code == 200


# The moderator: the queue, staff-added signatures, signatory exports


@pytest.mark.parametrize("page", ["confirm", "test", "cancel"])
def test_a_moderator_posting_a_press_page_directly_is_refused(client, moderator, desk, page):
    distribution = make_distribution(lists=[desk])
    client.force_login(moderator)
    assert client.post(distribution_url(page, distribution)).status_code == 403
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DRAFT
    assert not mail.outbox


def test_a_moderator_cannot_create_test_confirm_or_stop_a_distribution(moderator, desk):
    distribution = make_distribution(lists=[desk])
    message = "You may not send press distributions"
    with pytest.raises(PermissionDenied, match="You may not prepare press distributions"):
        press.distribution_create(
            distribution=Distribution(statement=distribution.statement, subject="Mine"),
            by=moderator,
        )
    with pytest.raises(PermissionDenied, match=message):
        press.press_test_copy_send(distribution=distribution, to="me@example.org", by=moderator)
    with pytest.raises(PermissionDenied, match=message):
        press.distribution_confirm(distribution=distribution, by=moderator)
    with pytest.raises(PermissionDenied, match=message):
        press.distribution_cancel(distribution=distribution, by=moderator)
    assert Distribution.objects.count() == 1
    assert not mail.outbox


def test_a_moderator_cannot_add_a_distribution_in_the_admin(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("admin:press_distribution_add")).status_code == 403


def test_a_moderator_approves_from_the_queue(client, moderator, django_capture_on_commit_callbacks):
    statement = make_open_statement()
    signature = confirmed(statement)
    mail.outbox.clear()
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:statements_pendingsignature_changelist"),
            {"action": "approve_selected", helpers.ACTION_CHECKBOX_NAME: [signature.pk]},
            follow=True,
        )
    assert "1 signature approved." in response.content.decode()
    signature.refresh_from_db()
    assert signature.state == Signature.State.APPROVED
    assert [message.subject for message in mail.outbox] == [f"You are listed: {statement.title}"]


def test_a_moderator_adds_a_signature_and_exports_the_signatories(client, moderator):
    statement = make_open_statement()
    signature = cosigning.signature_add(
        signature=Signature(statement=statement, organization=make_organization(name="By Phone")),
        by=moderator,
    )
    assert signature.state == Signature.State.APPROVED
    client.force_login(moderator)
    html = client.get(statement_url("change", statement)).content.decode()
    assert "Signatories (CSV)" in html
    assert "Moderation queue" in html
    assert "Publish…" not in html
    csv = client.get(statement_url("signatories_csv", statement))
    assert csv.status_code == 200
    assert "By Phone" in csv.content.decode()


def test_a_moderator_cannot_ask_for_sign_off(moderator):
    statement, contacts = make_signed_statement()
    with pytest.raises(PermissionDenied, match="You may not ask signatories"):
        signoff.signoff_requests_send(
            statement=statement, contacts=contacts, deadline=in_the_future(), by=moderator
        )
    assert not statement.versions.exists()


def test_a_press_officer_cannot_add_a_signature(press_officer):
    statement = make_open_statement()
    with pytest.raises(PermissionDenied, match="You may not add signatures"):
        cosigning.signature_add(
            signature=Signature(statement=statement, organization=make_organization()),
            by=press_officer,
        )
    assert not statement.signatures.exists()


# Every page a role reaches


@pytest.mark.parametrize("persona", ["editor", "publisher", "press_officer", "moderator"])
def test_no_admin_page_a_role_opens_links_to_one_it_may_not(client, request, staff, persona):
    demo_data_create(now=timezone.now())
    # A co-signature listed, beside those waiting: both are linked from the statement.
    waiting = Signature.objects.filter(state=Signature.State.CONFIRMED).first()
    cosigning.signature_approve(signature=waiting, by=staff)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    pages = [reverse("admin:index")] + [
        statement_url("change", statement) for statement in Statement.objects.all()
    ]
    if user.has_perm("press.view_distribution"):
        pages += [distribution_url("change", d) for d in Distribution.objects.all()]
    # Two links deep, each address once (its query string, a filter or an order, asks
    # for no other permission).
    answers, reached = {}, {}
    for depth in range(3):
        following = []
        for page in pages:
            response = client.get(page)
            answers[page.split("?")[0]] = response.status_code
            if response.status_code != 200 or depth == 2:
                continue
            for href in re.findall(r'href="(/admin/[^"#]*)"', response.content.decode()):
                href = unescape(href)
                path = href.split("?")[0]
                if path not in answers and path not in reached and "/logout/" not in path:
                    reached[path] = page
                    following.append(href)
        pages = following
    refused = {path: code for path, code in answers.items() if code not in (200, 302)}
    assert {path: reached.get(path) for path in refused} == {}


# The front page


def test_the_front_page_offers_each_role_only_its_own_work(client, editor, press_officer):
    confirmed(make_open_statement())
    client.force_login(press_officer)
    html = client.get(reverse("admin:index")).content.decode()
    assert "New statement" not in html
    assert "await moderation" not in html and "awaits moderation" not in html
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "New statement" in html
    assert "Import a release" in html
    assert "awaits moderation" not in html
    assert "Nothing is waiting for you." in html
    client.force_login(press_officer)
    assert "Nothing is waiting for you." in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("act", STAFF_SERVICES.values(), ids=STAFF_SERVICES.keys())
def test_a_superuser_may_do_what_every_staff_service_does(staff, act):
    # The outsider above was refused for want of a role, not for anything else.
    act(staff)
