import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from statements.models import (
    Demand,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    Statement,
    StatementUpdate,
    Version,
)
from statements.services import corrections, signoff
from statements.services.signoff import version_freeze
from statements.signals import statement_corrected
from tests.factories import make_signed_statement, make_staff, make_statement
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

Decision = SignoffAnswer.Decision
NOTE = "The death toll was 46, not 64."


def published(**fields):
    """A published statement signed by three organizations, each with a contact, and the
    version that went out."""
    statement, contacts = make_signed_statement(status=Statement.Status.PUBLISHED, **fields)
    statement.body = "The strike killed 64 people."
    statement.published_version = version_freeze(
        statement=statement, reason=Version.Reason.PUBLICATION
    )
    statement.save()
    return statement, contacts


@pytest.fixture
def sent():
    """What statement_corrected was sent with, as the press receiver would get it."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    statement_corrected.connect(receiver)
    yield calls
    statement_corrected.disconnect(receiver)


def correct(statement, by, captured=None, **kwargs):
    kwargs = {"changes": {"body": "The strike killed 46 people."}, "note": NOTE} | kwargs
    if captured is None:
        return corrections.statement_correct(statement=statement, by=by, **kwargs)
    with captured(execute=True):
        return corrections.statement_correct(statement=statement, by=by, **kwargs)


def answer(contact, decision=Decision.APPROVED, comment=""):
    message = [m for m in mail.outbox if m.to == [contact.email]][-1]
    token = link_in_mail("/signoff/", message).rstrip("/").rsplit("/", 1)[1]
    return signoff.signoff_answer(token=token, decision=decision, comment=comment)


def test_an_outsider_may_not_correct(outsider):
    statement, _ = published()
    with pytest.raises(PermissionDenied):
        correct(statement, outsider, override_reason="Agreed by phone.")
    assert not StatementUpdate.objects.exists()


def test_an_editor_may_not_correct(editor):
    statement, _ = published()
    with pytest.raises(PermissionDenied):
        correct(statement, editor, override_reason="Agreed by phone.")


def test_the_note_is_required(staff):
    statement, _ = published()
    with pytest.raises(ValidationError) as refused:
        correct(statement, staff, note="  ", override_reason="Agreed by phone.")
    assert refused.value.code == "note_required"


def test_a_correction_that_changes_nothing_is_refused(staff):
    statement, _ = published()
    with pytest.raises(ValidationError) as refused:
        correct(
            statement,
            staff,
            changes={"body": statement.body, "title": statement.title},
            override_reason="Agreed by phone.",
        )
    assert refused.value.code == "nothing_changed"
    assert statement.versions.count() == 1


def test_a_draft_cannot_be_corrected(staff):
    statement = make_statement()
    with pytest.raises(ValidationError) as refused:
        correct(statement, staff, override_reason="Agreed by phone.")
    assert refused.value.code == "not_published"


def test_without_approvals_a_correction_needs_a_reason_or_a_sign_off(staff):
    statement, _ = published()
    with pytest.raises(ValidationError) as refused:
        correct(statement, staff)
    assert refused.value.code == "not_signed_off"
    assert "Alpha Aid, Beta Rights, Gamma Union" in refused.value.messages[0]
    assert statement.versions.count() == 1
    assert not StatementUpdate.objects.exists()


def test_an_override_needs_override_signoff(staff):
    statement, _ = published()
    # A correction's publisher who may not override sign-off.
    user = make_staff()
    user.is_superuser = False
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="correct_statement"))
    with pytest.raises(PermissionDenied):
        correct(statement, user, override_reason="Agreed by phone.")
    assert statement.versions.count() == 1


def test_an_override_publishes_at_once_and_records_the_reason(
    staff, sent, django_capture_on_commit_callbacks
):
    statement, _ = published()
    before = statement.published_version
    update = correct(
        statement, staff, django_capture_on_commit_callbacks, override_reason="Agreed by phone."
    )
    statement.refresh_from_db()
    assert statement.body == "The strike killed 46 people."
    assert update.kind == StatementUpdate.Kind.CORRECTION
    assert update.text == NOTE
    assert update.published_at is not None
    assert update.previous_version == before
    assert update.version == statement.published_version
    assert update.version.reason == Version.Reason.CORRECTION
    assert update.version.number == before.number + 1
    assert update.version.content_hash != before.content_hash
    override = SignoffEvent.objects.get(kind=SignoffEvent.Kind.OVERRIDDEN)
    assert override.actor == staff
    assert override.version == update.version
    assert override.note == (
        "Agreed by phone.\nNot approved by: Alpha Aid, Beta Rights, Gamma Union"
    )
    entry = LogEntry.objects.get(additional_data__event="corrected_override")
    assert entry.additional_data["reason"] == override.note
    assert entry.additional_data["version"] == update.version.number
    assert sent == [{"signal": statement_corrected, "statement": statement, "update": update,
                     "notify_press": True}]  # fmt: skip
    assert mail.outbox == []


def test_staff_may_choose_not_to_tell_the_journalists(staff, sent):
    statement, _ = published()
    update = correct(statement, staff, override_reason="A typo.", notify_press=False)
    assert sent[0]["notify_press"] is False
    assert sent[0]["update"] == update


def test_a_statement_without_signatories_is_corrected_at_once(staff, sent):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    statement.published_version = version_freeze(
        statement=statement, reason=Version.Reason.PUBLICATION
    )
    statement.save()
    update = correct(statement, staff, changes={"title": "A better headline"})
    statement.refresh_from_db()
    assert statement.title == "A better headline"
    assert update.published_at is not None
    assert LogEntry.objects.filter(additional_data__event="corrected").count() == 1
    assert not SignoffEvent.objects.filter(kind=SignoffEvent.Kind.OVERRIDDEN).exists()
    assert len(sent) == 1


def test_sign_off_keeps_the_correction_pending_until_every_signatory_approved(
    staff, sent, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    statement, (alpha, beta, gamma) = published()
    update = correct(statement, staff, captured, request_signoff=True)
    statement.refresh_from_db()
    assert update.published_at is None
    assert statement.body == "The strike killed 64 people."
    assert statement.published_version == update.previous_version
    assert sorted(m.to[0] for m in mail.outbox) == [alpha.email, beta.email, gamma.email]
    assert SignoffRequest.objects.filter(version=update.version).count() == 3
    assert sent == []

    with captured(execute=True):
        assert answer(alpha).answered_now
        assert answer(beta).answered_now
    update.refresh_from_db()
    assert update.published_at is None

    with captured(execute=True):
        assert answer(gamma).answered_now
    update.refresh_from_db()
    statement.refresh_from_db()
    assert update.published_at is not None
    assert statement.body == "The strike killed 46 people."
    assert statement.published_version == update.version
    assert [call["update"] for call in sent] == [update]
    assert LogEntry.objects.filter(additional_data__event="corrected").count() == 1


def test_the_request_email_shows_the_correction_against_the_published_text(
    staff, django_capture_on_commit_callbacks
):
    statement, (alpha, _beta, _gamma) = published()
    update = correct(statement, staff, django_capture_on_commit_callbacks, request_signoff=True)
    message = next(m for m in mail.outbox if m.to == [alpha.email])
    number = update.previous_version.number
    assert f"What changed since version {number}:" in message.body
    assert "- The strike killed 64 people." in message.body
    assert "+ The strike killed 46 people." in message.body
    assert f"The note published with the correction: {NOTE}" in message.body
    html = message.alternatives[0].content
    assert "<del>64</del>" in html
    assert "<ins>46</ins>" in html


def test_a_rejection_keeps_it_pending_and_staff_see_it(
    staff, sent, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    statement, (alpha, beta, gamma) = published()
    update = correct(statement, staff, captured, request_signoff=True)
    with captured(execute=True):
        answer(alpha)
        answer(beta, Decision.DECLINED, "We counted 64.")
        answer(gamma)
    update.refresh_from_db()
    assert update.published_at is None
    assert sent == []
    progress = {
        p.organization.name: p.label
        for p in signoff.signoff_progress(statement, version=update.version)
    }
    number = update.version.number
    assert progress == {
        "Alpha Aid": f"Approved this version ({number})",
        "Beta Rights": f"Declined version {number}",
        "Gamma Union": f"Approved this version ({number})",
    }
    assert corrections.correction_pending(statement) == update
    with pytest.raises(ValidationError) as refused:
        corrections.correction_publish(update=update, by=staff)
    assert refused.value.code == "not_signed_off"
    assert "Beta Rights" in refused.value.messages[0]

    corrections.correction_publish(update=update, by=staff, override_reason="Beta agreed later.")
    update.refresh_from_db()
    assert update.published_at is not None
    assert len(sent) == 1


def test_a_second_correction_waits_for_the_pending_one(staff, django_capture_on_commit_callbacks):
    statement, _ = published()
    correct(statement, staff, django_capture_on_commit_callbacks, request_signoff=True)
    with pytest.raises(ValidationError) as refused:
        correct(statement, staff, changes={"title": "Another"}, override_reason="Agreed.")
    assert refused.value.code == "correction_pending"


def test_a_withdrawn_correction_stops_its_links(staff, django_capture_on_commit_callbacks):
    statement, (alpha, _beta, _gamma) = published()
    update = correct(statement, staff, django_capture_on_commit_callbacks, request_signoff=True)
    corrections.correction_withdraw(update=update, by=staff)
    assert not StatementUpdate.objects.exists()
    assert answer(alpha).problem == "published"
    statement.refresh_from_db()
    assert statement.body == "The strike killed 64 people."


def test_an_outsider_may_not_publish_or_withdraw_a_pending_correction(
    staff, outsider, django_capture_on_commit_callbacks
):
    statement, _ = published()
    update = correct(statement, staff, django_capture_on_commit_callbacks, request_signoff=True)
    with pytest.raises(PermissionDenied):
        corrections.correction_publish(update=update, by=outsider, override_reason="Agreed.")
    with pytest.raises(PermissionDenied):
        corrections.correction_withdraw(update=update, by=outsider)


def test_demands_and_quotes_are_corrected(staff):
    statement, _ = published()
    Demand.objects.create(statement=statement, position=1, heading="Access", text="Open it.")
    Demand.objects.create(statement=statement, position=2, heading="Aid", text="Let it in.")
    statement.published_version = version_freeze(
        statement=statement, reason=Version.Reason.PUBLICATION
    )
    statement.save()
    correct(
        statement,
        staff,
        changes={
            "demands": [
                {"heading": "Access", "text": "Open the crossings."},
                {"heading": "Aid", "text": "Let it in."},
                {"heading": "", "text": "Investigate."},
            ],
            "closing": "Signed in Geneva.",
        },
        override_reason="Agreed by phone.",
    )
    assert [(d.heading, d.text) for d in statement.demands.all()] == [
        ("Access", "Open the crossings."),
        ("Aid", "Let it in."),
        ("", "Investigate."),
    ]
    statement.refresh_from_db()
    assert statement.closing == "Signed in Geneva."
    # The text on the page is the version's, to the hash.
    assert statement.published_version.content_hash == signoff.content_hash(
        statement.signable_content()
    )


def test_a_reminder_goes_to_who_has_not_answered_a_correction(
    staff, django_capture_on_commit_callbacks
):
    statement, (alpha, _beta, _gamma) = published()
    correct(statement, staff, django_capture_on_commit_callbacks, request_signoff=True)
    SignoffRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    answer(alpha)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = signoff.signoff_reminders_create()
    assert sorted(e.to for e in reminded) == ["beta@example.org", "gamma@example.org"]


def test_a_translation_is_corrected_on_its_own(staff, client):
    original = make_statement(status=Statement.Status.PUBLISHED, body="English text.")
    translation = make_statement(
        status=Statement.Status.PUBLISHED, translation_of=original, language="ar", body="نص."
    )
    version = version_freeze(statement=original, reason=Version.Reason.PUBLICATION)
    Statement.objects.filter(pk__in=[original.pk, translation.pk]).update(published_version=version)
    translation.refresh_from_db()
    update = correct(translation, staff, changes={"body": "نص مصحَّح."})
    translation.refresh_from_db()
    original.refresh_from_db()
    assert translation.body == "نص مصحَّح."
    assert original.body == "English text."
    assert translation.published_version == update.version
    assert original.published_version == version
    assert update.version.content["translations"]["ar"]["body"] == "نص مصحَّح."
    assert update.version.content["body"] == "English text."
    assert "نص مصحَّح." in client.get(translation.get_absolute_url()).content.decode()
    assert "Corrected on" not in client.get(original.get_absolute_url()).content.decode()
