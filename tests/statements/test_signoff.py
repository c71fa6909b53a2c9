import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from statements.models import (
    OutgoingEmail,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    Statement,
    Version,
)
from statements.services import lifecycle, signoff
from tests.factories import make_contact, make_signed_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

Decision = SignoffAnswer.Decision
SITE = "http://127.0.0.1:8000"


def in_three_days() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=3)


def request_signoff(statement, contacts, captured, **kwargs):
    with captured(execute=True):
        return signoff.signoff_requests_send(
            statement=statement, contacts=contacts, deadline=in_three_days(), **kwargs
        )


def token_for(contact, message=None) -> str:
    messages = [m for m in mail.outbox if m.to == [contact.email]]
    link = link_in_mail("/signoff/", message or messages[-1])
    return link.rstrip("/").rsplit("/", 1)[1]


def answer(contact, decision=Decision.APPROVED, comment=""):
    return signoff.signoff_answer(token=token_for(contact), decision=decision, comment=comment)


def test_the_whole_story_three_organizations_two_versions_an_override_and_one_release(
    staff, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    statement, (alpha, beta, gamma) = make_signed_statement()

    request_signoff(statement, [alpha, beta, gamma], captured)
    assert statement.versions.get().number == 1
    assert answer(alpha).answered_now
    assert answer(beta).answered_now

    statement.body = "The second, corrected text."
    statement.save()
    progress = {p.organization.name: p for p in signoff.signoff_progress(statement)}
    assert progress["Alpha Aid"].label == "Approved version 1 — text changed since"
    assert progress["Gamma Union"].state == "waiting"

    mail.outbox.clear()
    request_signoff(statement, [alpha, beta, gamma], captured)
    assert [v.number for v in statement.versions.all()] == [2, 1]
    # The new email shows what changed since the version they approved.
    alpha_email = next(m for m in mail.outbox if m.to == [alpha.email])
    assert "- The first text." in alpha_email.body
    assert "+ The second, corrected text." in alpha_email.body
    assert "which you approved" in alpha_email.body
    assert answer(alpha).answered_now

    statement.release_date = datetime.date(2026, 11, 23)
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=statement, by=staff)
    assert refused.value.code == "not_signed_off"
    assert "Beta Rights, Gamma Union" in refused.value.messages[0]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF

    mail.outbox.clear()
    with captured(execute=True):
        lifecycle.statement_publish(
            statement=statement, by=staff, override_reason="Beta and Gamma agreed by phone."
        )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    override = SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert override.actor == staff
    assert override.at is not None
    assert "Beta and Gamma agreed by phone." in override.note
    assert "Beta Rights, Gamma Union" in override.note
    # The published text is the version they were asked about.
    assert statement.versions.count() == 2

    released = [m for m in mail.outbox if m.subject == f"Published: {statement.title}"]
    assert sorted(m.to[0] for m in released) == [
        "alpha@example.org",
        "beta@example.org",
        "gamma@example.org",
    ]
    assert all(f"{SITE}{statement.get_absolute_url()}" in m.body for m in released)
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SIGNOFF_RELEASE).count() == 3


def test_publishing_goes_through_when_everyone_approved_the_current_text(
    staff, django_capture_on_commit_callbacks
):
    statement, contacts = make_signed_statement(names=("Alpha Aid", "Beta Rights"))
    request_signoff(statement, contacts, django_capture_on_commit_callbacks)
    answer(contacts[0])
    answer(contacts[1], Decision.CHANGE_REQUESTED, "A comma in paragraph two.")
    assert signoff.signoff_missing(statement) == []
    lifecycle.statement_publish(statement=statement, by=staff)
    assert not SignoffEvent.objects.filter(kind=SignoffEvent.Kind.OVERRIDDEN).exists()


def test_a_decline_blocks_publication(staff, django_capture_on_commit_callbacks):
    statement, contacts = make_signed_statement(names=("Alpha Aid",))
    request_signoff(statement, contacts, django_capture_on_commit_callbacks)
    answer(contacts[0], Decision.DECLINED, "We cannot support demand two.")
    assert [o.name for o in signoff.signoff_missing(statement)] == ["Alpha Aid"]
    [progress] = signoff.signoff_progress(statement)
    assert progress.label == "Declined version 1"
    assert progress.answer.comment == "We cannot support demand two."


def test_a_version_is_frozen_once_per_text():
    statement, _ = make_signed_statement()
    first = signoff.version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    again = signoff.version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    assert first == again
    assert first.content["body"] == "The first text."
    assert [s["organization"] for s in first.content["signatories"]] == [
        "Alpha Aid", "Beta Rights", "Gamma Union",
    ]  # fmt: skip
    statement.demands.create(heading="Access", text="Open the crossings.")
    second = signoff.version_freeze(statement=statement, reason=Version.Reason.SIGNOFF)
    assert second.number == 2
    assert second.content_hash != first.content_hash
    first.refresh_from_db()
    assert first.content["demands"] == []


def test_progress_shows_every_state(django_capture_on_commit_callbacks):
    names = ("Asked", "Approved", "Declined", "Changed", "Never asked")
    statement, contacts = make_signed_statement(names=names)
    request_signoff(statement, contacts[:4], django_capture_on_commit_callbacks)
    answer(contacts[1])
    answer(contacts[2], Decision.DECLINED, "No.")
    answer(contacts[3], Decision.CHANGE_REQUESTED, "Fix the date.")
    states = {p.organization.name: p.state for p in signoff.signoff_progress(statement)}
    assert states == {
        "Asked": "waiting",
        "Approved": "approved",
        "Declined": "declined",
        "Changed": "change_requested",
        "Never asked": "not_asked",
    }


def test_a_new_request_to_the_same_contact_revokes_the_older_link(
    django_capture_on_commit_callbacks,
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    old_token = token_for(alpha)
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    refused = signoff.signoff_answer(token=old_token, decision=Decision.APPROVED)
    assert refused.problem == "revoked"
    assert not SignoffAnswer.objects.exists()
    assert answer(alpha).answered_now


def test_only_contacts_of_signatories_can_be_asked(django_capture_on_commit_callbacks):
    statement, _ = make_signed_statement()
    stranger = make_contact()
    with pytest.raises(ValidationError) as error:
        request_signoff(statement, [stranger], django_capture_on_commit_callbacks)
    assert error.value.code == "not_a_signatory"


def test_asking_for_a_change_or_declining_needs_a_comment(django_capture_on_commit_callbacks):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        answer(alpha, Decision.DECLINED, "  ")
    assert not SignoffAnswer.objects.exists()


# The link, as a contact's browser or a mail scanner follows it.


def signoff_path(contact) -> str:
    return reverse("signoff", args=[token_for(contact)])


def test_a_get_or_head_shows_the_version_and_changes_nothing_but_the_timeline(
    client, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    statement.demands.create(heading="Access", text="Open the crossings.")
    request_signoff(
        statement, [alpha], django_capture_on_commit_callbacks, note="Check the figures."
    )
    path = signoff_path(alpha)
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    for text in [
        "The first text.",
        "Access:",
        "Open the crossings.",
        "Check the figures.",
        "version 1",
    ]:
        assert text in html, text
    client.head(path)
    client.get(path)
    assert not SignoffAnswer.objects.exists()
    assert SignoffEvent.objects.filter(kind=SignoffEvent.Kind.VIEWED).count() == 1


def test_the_page_shows_the_frozen_text_even_after_staff_edit(
    client, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    statement.body = "Edited later."
    statement.save()
    html = client.get(signoff_path(alpha)).content.decode()
    assert "The first text." in html
    assert "Edited later." not in html


def test_a_post_answers_once_and_a_second_is_refused_with_the_first_shown(
    client, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    path = signoff_path(alpha)
    first = client.post(path, {"decision": "approved"})
    assert first.status_code == 302
    second = client.post(path, {"decision": "declined", "comment": "Changed our mind"})
    assert second.status_code == 409
    assert "has answered on version 1" in second.content.decode()
    assert "Approved" in second.content.decode()
    answer_ = SignoffAnswer.objects.get()
    assert (answer_.decision, answer_.contact, answer_.version.number) == ("approved", alpha, 1)
    assert client.get(path).status_code == 200


def test_another_contact_of_the_same_organization_sees_the_first_answer(
    client, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    colleague = make_contact(organization=alpha.organization, email="colleague@example.org")
    request_signoff(statement, [alpha, colleague], django_capture_on_commit_callbacks)
    client.post(signoff_path(alpha), {"decision": "approved"})
    response = client.post(signoff_path(colleague), {"decision": "approved"})
    assert response.status_code == 409
    assert SignoffAnswer.objects.count() == 1


@pytest.mark.parametrize("problem", ["tampered", "expired", "revoked", "reused"])
def test_a_bad_link_gets_a_clear_page_and_changes_nothing(
    client, django_capture_on_commit_callbacks, problem
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    path = signoff_path(alpha)
    expected = {
        "tampered": (404, "This link does not work"),
        "expired": (410, "The time to answer ended"),
        "revoked": (410, "replaced by a newer request"),
        "reused": (409, "has answered on version 1"),
    }[problem]
    if problem == "tampered":
        path = path[:-4] + ("xxxx/" if not path.endswith("xxxx/") else "yyyy/")
    elif problem == "expired":
        SignoffRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif problem == "revoked":
        SignoffRequest.objects.update(revoked_at=timezone.now())
    else:
        client.post(path, {"decision": "approved"})
    before = SignoffAnswer.objects.count()
    response = client.post(path, {"decision": "declined", "comment": "Try"})
    assert response.status_code == expected[0]
    assert expected[1] in response.content.decode()
    assert SignoffAnswer.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_approvals_record_exactly_one_answer(django_capture_on_commit_callbacks):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    path = signoff_path(alpha)
    start = threading.Barrier(10)
    statuses = []

    def approve():
        start.wait()
        try:
            statuses.append(Client().post(path, {"decision": "approved"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SignoffAnswer.objects.count() == 1
    assert sorted(statuses) == [302] + [409] * 9
    assert SignoffEvent.objects.filter(kind=SignoffEvent.Kind.APPROVED).count() == 1


# Reminders


def test_reminders_go_once_a_day_to_who_has_not_answered(django_capture_on_commit_callbacks):
    statement, (alpha, beta, gamma) = make_signed_statement()
    request_signoff(statement, [alpha, beta, gamma], django_capture_on_commit_callbacks)
    answer(alpha)
    SignoffRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    SignoffRequest.objects.filter(contact=gamma).update(revoked_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = signoff.signoff_reminders_create()
        second = signoff.signoff_reminders_create()
    assert len(first) == 1 and second == []
    assert [m.to for m in mail.outbox] == [["beta@example.org"]]
    assert mail.outbox[0].subject.startswith("Reminder: Please approve by")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert len(signoff.signoff_reminders_create(now=tomorrow)) == 1
    assert SignoffEvent.objects.filter(kind=SignoffEvent.Kind.REMINDED).count() == 2


def test_no_reminder_on_the_day_of_the_request_or_after_the_deadline(
    django_capture_on_commit_callbacks,
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    assert signoff.signoff_reminders_create() == []
    after_deadline = timezone.now() + datetime.timedelta(days=4)
    assert signoff.signoff_reminders_create(now=after_deadline) == []


# Publishing at a set time


def test_a_scheduled_statement_whose_text_changed_is_held_not_published(staff):
    statement, _ = make_signed_statement(names=())
    lifecycle.statement_schedule(
        statement=statement, publish_at=timezone.now() + datetime.timedelta(minutes=5), by=staff
    )
    statement.body = "Changed after scheduling."
    statement.save()
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert lifecycle.statements_publish_due(now=later) == 0
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert SignoffEvent.objects.get(kind=SignoffEvent.Kind.HELD).version.number == 1


def test_a_scheduled_statement_whose_text_did_not_change_is_published(staff):
    statement, _ = make_signed_statement(names=())
    lifecycle.statement_schedule(
        statement=statement, publish_at=timezone.now() + datetime.timedelta(minutes=5), by=staff
    )
    assert (
        lifecycle.statements_publish_due(now=timezone.now() + datetime.timedelta(minutes=10)) == 1
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED


def test_no_reminder_once_published_or_when_the_text_changed_since(
    staff, django_capture_on_commit_callbacks
):
    statement, (alpha, beta, _) = make_signed_statement()
    other, (other_contact,) = make_signed_statement(names=("Delta Relief",))
    request_signoff(statement, [alpha, beta], django_capture_on_commit_callbacks)
    request_signoff(other, [other_contact], django_capture_on_commit_callbacks)
    SignoffRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    other.body = "Changed, not asked again."
    other.save()
    lifecycle.statement_publish(statement=statement, by=staff, override_reason="Urgent.")
    assert signoff.signoff_reminders_create() == []


def test_a_link_to_a_published_statement_takes_no_answer(
    client, staff, django_capture_on_commit_callbacks
):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    path = signoff_path(alpha)
    lifecycle.statement_publish(statement=statement, by=staff, override_reason="Urgent.")
    response = client.post(path, {"decision": "approved"})
    assert response.status_code == 410
    assert "Answers are no longer taken." in response.content.decode()
    assert not SignoffAnswer.objects.exists()


def test_asking_for_sign_off_moves_a_draft_into_sign_off(django_capture_on_commit_callbacks):
    statement, (alpha, *_) = make_signed_statement()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF
