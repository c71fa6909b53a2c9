"""Posting a dated update on a public statement, and its emails to signatories and followers."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.links import absolute
from core.tokens import token_hash
from organizations.models import Suppression
from organizations.services import suppression_add
from statements.models import (
    Follower,
    FollowerToken,
    OutgoingEmail,
    Signature,
    Statement,
    StatementUpdate,
)
from statements.services import updates
from tests.factories import (
    make_individuals,
    make_signed_statement,
    make_statement,
)
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

POSTED_AT = datetime.datetime(2024, 10, 14, 9, 0, tzinfo=datetime.UTC)
SIGNER = "layla@rukban.example.org"
READER = "reader@example.net"


def published(**fields):
    """A published statement with three organizations (one issuer), each with a contact:
    alpha@, beta@ and gamma@example.org."""
    statement, contacts = make_signed_statement(
        status=Statement.Status.PUBLISHED, published_at=timezone.now(), **fields
    )
    return statement, contacts


def follower(statement, email=READER, **fields) -> Follower:
    defaults = {"confirmed_at": timezone.now(), "language": "en"}
    return Follower.objects.create(statement=statement, email=email, **(defaults | fields))


def post(statement, by, **fields) -> StatementUpdate:
    defaults = {
        "kind": StatementUpdate.Kind.UPDATE,
        "text": "The ministry agreed to meet the coalition.",
        "posted_at": POSTED_AT,
    }
    return updates.update_post(statement=statement, by=by, **(defaults | fields))


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# Posting


def test_staff_post_an_update_that_goes_on_the_page_with_its_record(staff):
    statement, _ = published()
    update = post(statement, staff)
    assert update.published_at is not None
    assert (update.kind, update.posted_at, update.created_by) == ("update", POSTED_AT, staff)
    assert list(StatementUpdate.objects.public()) == [update]
    entry = LogEntry.objects.get_for_object(update).get(additional_data__event="update_posted")
    assert entry.actor == staff
    # Nobody was chosen: nobody is emailed.
    assert update.emails.count() == 0
    assert update.emails_owed_at is None


def test_a_response_keeps_who_answered_when_and_where(staff):
    statement, _ = published()
    update = post(
        statement,
        staff,
        kind=StatementUpdate.Kind.RESPONSE,
        responder="UN Special Envoy",
        responded_on=datetime.date(2024, 10, 12),
        response_url="https://un.example.org/answer",
    )
    update.refresh_from_db()
    assert (update.responder, update.responded_on, update.response_url) == (
        "UN Special Envoy",
        datetime.date(2024, 10, 12),
        "https://un.example.org/answer",
    )


def test_a_response_says_who_answered(staff):
    statement, _ = published()
    with pytest.raises(ValidationError) as refused:
        post(statement, staff, kind=StatementUpdate.Kind.RESPONSE, responder=" ")
    assert refused.value.error_dict["responder"][0].code == "responder_required"
    assert not StatementUpdate.objects.exists()


def test_an_archived_statement_can_be_updated(staff):
    statement, _ = published()
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.ARCHIVED)
    assert post(statement, staff).published_at is not None


@pytest.mark.parametrize(
    "status", [Statement.Status.DRAFT, Statement.Status.SIGNOFF, Statement.Status.RETRACTED]
)
def test_a_statement_that_is_not_published_or_archived_is_refused(staff, status):
    statement = make_statement(status=status)
    with pytest.raises(ValidationError) as refused:
        post(statement, staff)
    assert refused.value.code == "not_public"
    assert not StatementUpdate.objects.exists()


@pytest.mark.parametrize("kind", [StatementUpdate.Kind.CORRECTION, StatementUpdate.Kind.DELIVERED])
def test_corrections_and_deliveries_are_not_posted_by_hand(staff, kind):
    statement, _ = published()
    with pytest.raises(ValidationError) as refused:
        post(statement, staff, kind=kind)
    assert refused.value.code == "kind_not_posted"


def test_an_outsider_may_not_post(outsider):
    statement, _ = published()
    with pytest.raises(PermissionDenied):
        post(statement, outsider, email_followers=True)
    assert not StatementUpdate.objects.exists()


def test_a_viewer_may_not_post_nor_change(viewer, staff):
    statement, _ = published()
    with pytest.raises(PermissionDenied):
        post(statement, viewer)
    update = post(statement, staff)
    with pytest.raises(PermissionDenied):
        updates.update_change(update=update, by=viewer, text="Changed.")


def test_nobody_may_post_without_a_person():
    statement, _ = published()
    with pytest.raises(PermissionDenied):
        post(statement, None)


def test_publishing_tells_the_page_cache(staff, django_capture_on_commit_callbacks, settings):
    statement, _ = published()
    with django_capture_on_commit_callbacks() as callbacks:
        post(statement, staff)
    # The page cache's bump is among what runs once the update commits.
    assert any("public_pages_changed" in c.__qualname__ for c in callbacks)


# Emails


def test_signatories_contacts_and_consenting_signers_get_one_email_each(
    staff, django_capture_on_commit_callbacks
):
    statement, contacts = published()
    organization = contacts[1].organization
    Signature.objects.filter(statement=statement, organization=organization).update(
        signer_email=SIGNER, consent_contact=True, language="en"
    )
    [individual] = make_individuals(statement, 1, consent_contact=True)
    make_individuals(statement, 1, consent_contact=False)  # did not agree: not written to
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True)
    assert sent_to() == sorted(
        ["alpha@example.org", "beta@example.org", "gamma@example.org", SIGNER,
         individual.signer_email]
    )  # fmt: skip
    assert update.emails.count() == 5
    assert {m.subject for m in mail.outbox} == {f"Update: {statement.title}"}
    update.refresh_from_db()
    assert update.emails_owed_at is not None


def test_the_email_carries_the_text_the_link_and_why_it_came(
    staff, django_capture_on_commit_callbacks
):
    statement, _ = published(names=("Alpha Aid",))
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True)
    [message] = mail.outbox
    assert message.to == ["alpha@example.org"]
    assert "The ministry agreed to meet the coalition." in message.body
    assert link_in_mail(f"#update-{update.pk}", message) == absolute(update.get_absolute_url())
    assert "You receive this as a contact of Alpha Aid, which signed the statement." in (
        message.body
    )
    # Signatories did not ask to follow: no unsubscribe header for them.
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_response_s_subject_says_so(staff, django_capture_on_commit_callbacks):
    statement, _ = published(names=("Alpha Aid",))
    with django_capture_on_commit_callbacks(execute=True):
        post(
            statement, staff, kind=StatementUpdate.Kind.RESPONSE, responder="The ministry",
            email_signatories=True,
        )  # fmt: skip
    [message] = mail.outbox
    assert message.subject == f"Response received: {statement.title}"
    assert "A response from The ministry" in message.body


def test_followers_get_it_with_a_one_click_unsubscribe(staff, django_capture_on_commit_callbacks):
    statement, _ = published()
    reader = follower(statement)
    follower(statement, "pending@example.net", confirmed_at=None)
    follower(statement, "gone@example.net", unsubscribed_at=timezone.now())
    follower(statement, "", email_key="", erased_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_followers=True)
    [message] = mail.outbox
    assert message.to == [READER]
    email = update.emails.get()
    assert email.follower == reader
    header = message.extra_headers["List-Unsubscribe"]
    url = str(header).strip("<>")
    assert "/follow/unsubscribe/" in url
    assert str(message.extra_headers["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    raw = url.rstrip("/").rsplit("/", 1)[-1]
    token = FollowerToken.objects.get(token_hash=token_hash(raw))
    assert (token.follower, token.purpose) == (reader, FollowerToken.Purpose.UNSUBSCRIBE)
    assert link_in_mail("/follow/unsubscribe/", message) == url
    assert "You receive this because you follow the statement." in message.body


def test_followers_are_not_written_to_unless_chosen(staff, django_capture_on_commit_callbacks):
    statement, _ = published(names=("Alpha Aid",))
    follower(statement)
    with django_capture_on_commit_callbacks(execute=True):
        post(statement, staff, email_signatories=True)
    assert sent_to() == ["alpha@example.org"]


def test_a_contact_who_also_follows_gets_it_once(staff, django_capture_on_commit_callbacks):
    statement, _ = published(names=("Alpha Aid",))
    follower(statement, "ALPHA@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True, email_followers=True)
    [message] = mail.outbox
    assert message.to == ["alpha@example.org"]
    # Both: why it came as a contact, and how to stop following.
    assert "You receive this as a contact of Alpha Aid" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert update.emails.count() == 1


def test_suppressed_and_erased_addresses_are_left_out(staff, django_capture_on_commit_callbacks):
    statement, contacts = published()
    suppression_add(email="Beta@example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    contacts[2].erased_at = timezone.now()
    contacts[2].save()
    follower(statement, "blocked@example.net")
    suppression_add(email="blocked@example.net", reason=Suppression.Reason.HARD_BOUNCE)
    with django_capture_on_commit_callbacks(execute=True):
        post(statement, staff, email_signatories=True, email_followers=True)
    assert sent_to() == ["alpha@example.org"]


def test_owing_it_twice_sends_nothing_twice(staff, django_capture_on_commit_callbacks):
    statement, _ = published()
    follower(statement)
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True, email_followers=True)
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        again = updates.update_emails_owe(update)
        updates.update_publish(update)
    assert again == []
    assert len(mail.outbox) == 4
    assert update.emails.count() == 4
    # The database refuses a second email of the update to an address.
    OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(kind="statement_update", to=READER, update=update)], ignore_conflicts=True
    )
    assert update.emails.filter(to=READER).count() == 1


def test_each_reads_it_in_their_language(staff, django_capture_on_commit_callbacks):
    statement, contacts = published(names=("Alpha Aid", "Beta Rights"))
    contacts[1].language = "ar"
    contacts[1].save()
    follower(statement, language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        post(statement, staff, email_signatories=True, email_followers=True)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["alpha@example.org"] == f"Update: {statement.title}"
    assert subjects["beta@example.org"].startswith("تحديث")
    assert subjects[READER].startswith("تحديث")
    arabic = next(m for m in mail.outbox if m.to == [READER])
    assert '<html lang="ar" dir="rtl">' in arabic.alternatives[0].content
    # Its link to the page keeps the statement's language (English, no /ar/).
    assert "/ar/" not in link_in_mail("#update-", arabic)


def test_a_correction_of_a_typo_is_never_sent_again(staff, django_capture_on_commit_callbacks):
    statement, _ = published(names=("Alpha Aid",))
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True)
    with django_capture_on_commit_callbacks(execute=True):
        updates.update_change(update=update, by=staff, text="The ministry agreed to meet us.")
    update.refresh_from_db()
    assert update.text == "The ministry agreed to meet us."
    assert len(mail.outbox) == 1


def test_what_was_sent_cannot_be_changed_afterwards(staff):
    statement, _ = published()
    update = post(statement, staff)
    with pytest.raises(ValueError):
        updates.update_change(update=update, by=staff, email_followers=True)


def test_update_publish_is_what_other_workflows_call(staff, django_capture_on_commit_callbacks):
    """A correction's or a delivery's service saves its update, then publishes it."""
    statement, _ = published(names=("Alpha Aid",))
    update = StatementUpdate.objects.create(
        statement=statement,
        kind=StatementUpdate.Kind.DELIVERED,
        text="Delivered to the UN Special Envoy.",
        email_signatories=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        updates.update_publish(update)
        updates.update_publish(update)
    update.refresh_from_db()
    assert update.published_at is not None
    [message] = mail.outbox
    assert message.subject == f"Delivered: {statement.title}"


# The admin


def test_staff_post_through_the_admin_from_the_statement_page(
    staff_client, django_capture_on_commit_callbacks
):
    statement, _ = published(names=("Alpha Aid",))
    page = staff_client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    html = page.content.decode()
    assert "Updates (0)" in html
    add = reverse("admin:statements_statementupdate_add")
    assert f"{add}?statement={statement.pk}" in html
    form = staff_client.get(f"{add}?statement={statement.pk}")
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            add,
            {
                "statement": statement.pk,
                "kind": "update",
                "posted_at_0": "2024-10-14",
                "posted_at_1": "09:00:00",
                "text": "The ministry agreed to meet the coalition.",
                "email_signatories": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = StatementUpdate.objects.get()
    assert (update.statement, update.created_by, update.email_signatories) == (
        statement,
        response.wsgi_request.user,
        True,
    )
    assert sent_to() == ["alpha@example.org"]
    page = staff_client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    assert "Updates (1)" in page.content.decode()


def test_the_admin_says_why_it_refuses_and_writes_nothing(staff_client):
    statement, _ = published()
    response = staff_client.post(
        reverse("admin:statements_statementupdate_add"),
        {
            "statement": statement.pk,
            "kind": "response",
            "posted_at_0": "2024-10-14",
            "posted_at_1": "09:00:00",
            "text": "They answered.",
        },
    )
    assert response.status_code == 200
    assert "Say who answered." in response.content.decode()
    assert not StatementUpdate.objects.exists()


def test_editing_in_the_admin_changes_the_words_and_sends_nothing(
    staff_client, staff, django_capture_on_commit_callbacks
):
    statement, _ = published(names=("Alpha Aid",))
    with django_capture_on_commit_callbacks(execute=True):
        update = post(statement, staff, email_signatories=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:statements_statementupdate_change", args=[update.pk]),
            {"posted_at_0": "2024-10-14", "posted_at_1": "09:00:00", "text": "Fixed typo."},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    update.refresh_from_db()
    assert update.text == "Fixed typo."
    assert len(mail.outbox) == 1


def test_an_outsider_cannot_reach_the_updates_admin(outsider, client):
    response = client.get(reverse("admin:statements_statementupdate_add"))
    assert response.status_code == 302  # to the sign-in page
    assert not StatementUpdate.objects.exists()
