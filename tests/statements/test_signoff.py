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
from tests.factories import make_contact, make_signed_statement, make_staff
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

Decision = SignoffAnswer.Decision
SITE = "http://127.0.0.1:8000"


def in_three_days() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=3)


def request_signoff(statement, contacts, captured, **kwargs):
    with captured(execute=True):
        return signoff.signoff_requests_send(
            statement=statement,
            contacts=contacts,
            deadline=in_three_days(),
            **kwargs,
            by=make_staff(),
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
    assert "which Alpha Aid approved" in alpha_email.body
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


def test_a_scheduled_publication_held_back_tells_who_scheduled_it(
    staff, django_capture_on_commit_callbacks
):
    statement, _ = make_signed_statement(names=(), title="Open the crossings")
    now = datetime.datetime(2026, 6, 26, 9, 0, tzinfo=datetime.UTC)
    lifecycle.statement_schedule(
        statement=statement, publish_at=now + datetime.timedelta(hours=1), now=now, by=staff
    )
    statement.body = "Changed after scheduling."
    statement.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.statements_publish_due(now=now + datetime.timedelta(hours=2)) == 0

    held = SignoffEvent.objects.get(kind=SignoffEvent.Kind.HELD)
    why = (
        "Was due at 26 June 2026, 10:00 Coordinated Universal Time. "
        "The text changed after version 1 was cleared for publication."
    )
    assert held.note == why
    [email] = mail.outbox
    assert email.to == ["editor@example.org"]
    assert email.subject == "Not published, back to draft: Open the crossings"
    signoff_page = f"{SITE}/admin/statements/statement/{statement.pk}/signoff/"
    assert email.body == (
        "“Open the crossings”, which you scheduled, was held back instead of being published, "
        "and is a draft again: the public cannot see it.\n\n"
        f"{why}\n\n"
        "See what changed, ask the signatories again if needed, then publish or schedule it "
        f"again:\n\n{signoff_page}\n\n"
    )
    html = email.alternatives[0].content
    assert html.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    assert f"<p>{why}</p>" in html
    assert f'<a href="{signoff_page}">' in html
    assert OutgoingEmail.objects.get().kind == OutgoingEmail.Kind.PUBLICATION_HELD


def test_the_sweep_holds_a_schedule_that_lacks_approvals_rather_than_publish_it(
    staff, django_capture_on_commit_callbacks
):
    # Not reachable through statement_schedule, which asks for the approvals or a reason
    # first; the sweep still checks rather than trust the row.
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.SCHEDULED,
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
        scheduled_version=signoff.version_freeze(statement=statement, reason="scheduling"),
        scheduled_by=staff,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.statements_publish_due() == 0
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    held = SignoffEvent.objects.get(kind=SignoffEvent.Kind.HELD)
    assert held.note.endswith(
        "Not every signatory organization has approved the current text: Alpha Aid. "
        "Request sign-off, or give a reason to publish anyway."
    )
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert held.note in mail.outbox[0].body


# An override given when scheduling


def schedule_with_override(statement, staff, reason="Alpha agreed by phone."):
    lifecycle.statement_schedule(
        statement=statement,
        publish_at=timezone.now() + datetime.timedelta(hours=1),
        by=staff,
        override_reason=reason,
    )


def test_an_override_given_when_scheduling_is_recorded_as_such(staff):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    schedule_with_override(statement, staff)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SCHEDULED
    [event] = SignoffEvent.objects.all()
    assert event.kind == SignoffEvent.Kind.SCHEDULED_OVERRIDDEN
    assert event.get_kind_display() == "Scheduled without every approval"
    assert event.actor == staff
    assert event.note.endswith("\nAlpha agreed by phone.\nNot approved by: Alpha Aid")
    assert event.version.get_reason_display() == "Scheduled for publication"
    assert statement.published_version is None


def test_publish_now_does_not_ask_again_for_the_reason_given_when_scheduling(
    staff, django_capture_on_commit_callbacks
):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    schedule_with_override(statement, staff)
    statement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_publish(statement=statement, by=staff)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    published = SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert published.actor == staff
    assert published.note == "Alpha agreed by phone.\nNot approved by: Alpha Aid"
    assert published.version == statement.published_version == statement.versions.get()


def test_a_reason_given_when_scheduling_does_not_cover_a_changed_text(staff):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    schedule_with_override(statement, staff)
    statement.refresh_from_db()
    statement.body = "Changed after scheduling."
    statement.save()
    with pytest.raises(ValidationError) as refused:
        lifecycle.statement_publish(statement=statement, by=staff)
    assert refused.value.code == "not_signed_off"
    assert not SignoffEvent.objects.filter(kind=SignoffEvent.Kind.OVERRIDDEN).exists()


def test_at_its_time_a_schedule_with_an_override_is_published_on_that_reason(staff):
    statement, _ = make_signed_statement(names=("Alpha Aid",))
    schedule_with_override(statement, staff)
    assert lifecycle.statements_publish_due(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    published = SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert (published.actor, published.version) == (staff, statement.published_version)
    assert published.note == "Alpha agreed by phone.\nNot approved by: Alpha Aid"


# Who is told what


def test_a_re_request_speaks_of_the_organization_s_answer_by_name(
    django_capture_on_commit_callbacks,
):
    statement, (alpha, *_) = make_signed_statement()
    colleague = make_contact(organization=alpha.organization, email="colleague@example.org")
    request_signoff(statement, [colleague], django_capture_on_commit_callbacks)
    answer(colleague, Decision.DECLINED, "Not with demand two.")
    statement.body = "The second text."
    statement.save()
    mail.outbox.clear()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert email.to == ["alpha@example.org"]
    assert email.subject.endswith(f": {statement.title} (version 2)")
    sentence = (
        "The text changed since version 1, which Alpha Aid declined: please look at version 2."
    )
    assert sentence in email.body
    isolated = sentence.replace("Alpha Aid", "<bdi>Alpha Aid</bdi>")
    assert isolated in email.alternatives[0].content
    assert "which you" not in email.body


def test_a_re_request_shows_the_changed_sentence_not_the_whole_body(
    django_capture_on_commit_callbacks,
):
    body = " ".join(f"Sentence number {n} of a long body." for n in range(1, 21))
    statement, (alpha, *_) = make_signed_statement()
    statement.body = body
    statement.save()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    statement.body = body.replace("number 10 of a long", "number 10 of a longer")
    statement.save()
    mail.outbox.clear()
    request_signoff(statement, [alpha], django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert (
        "What changed since version 1:\n\n"
        "Body:\n"
        "  …\n"
        "  Sentence number 9 of a long body.\n"
        "- Sentence number 10 of a long body.\n"
        "+ Sentence number 10 of a longer body.\n"
        "  Sentence number 11 of a long body.\n"
        "  …\n"
    ) in email.body
    assert "Sentence number 1 of" not in email.body


def test_the_release_email_says_what_each_organization_answered_on_the_text_that_went_out(
    staff, django_capture_on_commit_callbacks
):
    names = (
        "Approving Aid", "Changing Rights", "Declining Union", "Earlier Relief",
        "Refusing Trust", "Silent Watch", "Removed Group",
    )  # fmt: skip
    statement, contacts = make_signed_statement(names=names, title="Open the crossings")
    approving, changing, declining, earlier, refusing, silent, removed = contacts
    colleague = make_contact(organization=approving.organization, email="colleague@example.org")
    request_signoff(statement, [*contacts, colleague], django_capture_on_commit_callbacks)
    answer(earlier)
    answer(refusing, Decision.DECLINED, "Not this text.")
    statement.signatures.filter(organization=removed.organization).delete()
    statement.body = "The second text."
    statement.save()
    request_signoff(
        statement, [approving, changing, declining, silent], django_capture_on_commit_callbacks
    )
    answer(approving)
    answer(changing, Decision.CHANGE_REQUESTED, "A comma, please.")
    answer(declining, Decision.DECLINED, "We cannot sign this.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.statement_publish(statement=statement, by=staff, override_reason="Urgent.")

    url = f"{SITE}{statement.get_absolute_url()}"
    thanks = "Thank you. Please share it now."
    said = {
        "approving@example.org": f"Approving Aid approved this text (version 2). {thanks}",
        "colleague@example.org": f"Approving Aid approved this text (version 2). {thanks}",
        "changing@example.org": "Changing Rights approved this text (version 2) while asking "
        f"for a change; it was published as approved, without that change. {thanks}",
        "declining@example.org": "Declining Union declined this text (version 2). "
        "The coalition published it without Declining Union’s approval.",
        "earlier@example.org": "Earlier Relief approved version 1. The text changed after "
        "that, and version 2 was published without Earlier Relief’s approval of the changes.",
        "refusing@example.org": "Refusing Trust declined version 1. The text changed after "
        "that, and version 2 was published without an answer from Refusing Trust.",
        "silent@example.org": "The coalition published this text (version 2) without an "
        "answer from Silent Watch.",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(said)
    organization_of = {c.email: c.organization.name for c in [*contacts, colleague]}
    for email in mail.outbox:
        [address] = email.to
        assert email.subject == "Published: Open the crossings"
        assert email.body == (
            f"“Open the crossings” is now public, with {organization_of[address]} among its "
            f"signatories:\n\n{url}\n\n{said[address]}\n"
        ), address
        html = email.alternatives[0].content
        assert html.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
        assert f"<p>{said[address]}</p>" in html, address
