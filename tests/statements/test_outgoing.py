"""Sending what is owed: each OutgoingEmail leaves once, or is given up on for a reason."""

import datetime
import smtplib

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from accounts.models import PasswordReset
from core import emails as retry_rules
from press.models import Distribution, StaffCopy
from statements.models import Follower, OutgoingEmail, Signature, StatementUpdate, TargetDelivery
from statements.services import cosigning, outgoing, signoff
from statements.tasks import send_email, send_unsent_emails
from tests.factories import confirmed, make_contact, make_open_statement, submitted
from tests.support import link_in_mail

pytestmark = pytest.mark.django_db

SIGNER = "layla@rukban.example.org"


class FailingBackend(LocmemBackend):
    """Raises the errors it is given, one per sending, then delivers to the locmem outbox.

    The list comes through MAILERS' OPTIONS and is shared by every connection made
    from them, so each sending uses up one error.
    """

    def __init__(self, *, failures: list[Exception], **kwargs):
        super().__init__(**kwargs)
        self.failures = failures

    def send_messages(self, messages):
        if self.failures:
            raise self.failures.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def failures(settings) -> list[Exception]:
    """What the mailer raises before it delivers again; append errors to it."""
    errors: list[Exception] = []
    settings.MAILERS = {
        "default": {
            "BACKEND": "tests.statements.test_outgoing.FailingBackend",
            "OPTIONS": {"failures": errors},
        }
    }
    return errors


def owed_email() -> OutgoingEmail:
    """A signer's confirmation email, written but not sent: its on-commit enqueue never runs."""
    return submitted(make_open_statement()).emails.get()


def send(email: OutgoingEmail) -> bool:
    return outgoing.outgoing_email_send(email_id=email.pk)


def message_id(email: OutgoingEmail) -> str:
    return f"<outgoing-{email.pk}@{django_settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


TEMPORARY = [
    pytest.param(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), id="dropped"),
    pytest.param(smtplib.SMTPResponseException(421, b"4.7.0 Try again later"), id="421"),
    pytest.param(ConnectionRefusedError(111, "Connection refused"), id="refused-connection"),
    pytest.param(
        smtplib.SMTPRecipientsRefused({SIGNER: (450, b"4.2.1 Mailbox busy")}), id="450-recipient"
    ),
]

PERMANENT = [
    pytest.param(
        smtplib.SMTPRecipientsRefused({SIGNER: (550, b"5.1.1 No such user")}), id="550-recipient"
    ),
    pytest.param(smtplib.SMTPDataError(554, b"5.7.1 Message rejected"), id="554-data"),
]


def test_an_email_sent_twice_goes_out_once():
    email = owed_email()
    assert send(email) is True
    assert send(email) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SIGNER]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.last_error == ""


def test_an_email_another_worker_has_claimed_is_left_alone():
    email = owed_email()
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=ago(minutes=1), attempts=1)
    assert send(email) is False
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.attempts, email.sent_at) == (1, None)


def test_an_email_claimed_by_a_worker_that_died_is_sent_by_the_next():
    email = owed_email()
    abandoned = timezone.now() - retry_rules.CLAIM_TIMEOUT - datetime.timedelta(seconds=1)
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=abandoned, attempts=1)
    assert send(email) is True
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.sent_at is not None


@pytest.mark.parametrize("error", TEMPORARY)
def test_a_temporary_failure_releases_the_email_and_a_later_try_sends_it(failures, error):
    email = owed_email()
    failures.append(error)
    assert send(email) is False
    email.refresh_from_db()
    assert (email.sent_at, email.failed_at, email.claimed_at) == (None, None, None)
    assert email.attempts == 1
    assert email.last_error == str(error)
    assert mail.outbox == []
    # Not before its retry time, about a minute away.
    assert ago(seconds=-47) < email.next_attempt_at < ago(seconds=-73)
    assert outgoing.outgoing_emails_due() == []

    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=ago(seconds=1))
    assert outgoing.outgoing_emails_due() == [email.pk]
    assert send(email) is True
    assert len(mail.outbox) == 1
    # A retry is the same email to the mailbox, not a second one.
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(email)
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2
    assert email.last_error == ""


def test_a_confirmation_sent_again_after_a_failure_brings_the_one_link_that_works(client, failures):
    statement = make_open_statement()
    signature = submitted(statement)
    assert send(signature.emails.get())
    [first] = mail.outbox
    cosigning.signature_confirmation_resend(statement=statement, email=SIGNER)
    resent = signature.emails.latest("pk")
    failures.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert send(resent) is False  # a link was made for it, and the email did not leave
    OutgoingEmail.objects.filter(pk=resent.pk).update(next_attempt_at=ago(seconds=1))
    assert send(resent) is True
    [_, second] = mail.outbox

    old = link_in_mail("/signatures/confirm/", first).removeprefix(django_settings.SITE_URL)
    page = client.get(old)
    assert page.status_code == 410
    assert "A newer confirmation email replaced this link" in page.text
    assert client.post(old).status_code == 410
    new = link_in_mail("/signatures/confirm/", second).removeprefix(django_settings.SITE_URL)
    assert client.post(new).status_code == 302
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED
    # Withdraw links are not replaced: each email's keeps working.
    withdraw = link_in_mail("/signatures/withdraw/", first).removeprefix(django_settings.SITE_URL)
    assert client.get(withdraw).status_code == 200


@pytest.mark.parametrize("error", PERMANENT)
def test_a_permanent_refusal_gives_up_at_once_and_the_sweep_leaves_it(failures, error):
    email = owed_email()
    failures.append(error)
    assert send(email) is False
    email.refresh_from_db()
    assert email.failed_at is not None
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.last_error == str(error)

    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=ago(hours=1))
    assert outgoing.outgoing_emails_due() == []
    assert send_unsent_emails.delay().get() == 0
    assert send(email) is False
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


def test_it_gives_up_after_max_attempts_temporary_failures(failures):
    email = owed_email()
    failures.extend(
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        for _ in range(retry_rules.MAX_ATTEMPTS)
    )
    for _ in range(retry_rules.MAX_ATTEMPTS - 1):
        assert send(email) is False
    assert OutgoingEmail.objects.get(pk=email.pk).failed_at is None

    assert send(email) is False
    email.refresh_from_db()
    assert email.failed_at is not None
    assert email.attempts == retry_rules.MAX_ATTEMPTS
    assert email.last_error == "Connection unexpectedly closed"
    assert failures == []
    assert send(email) is False
    assert mail.outbox == []


def test_the_sweep_tries_again_later_each_time_until_the_server_takes_it(failures):
    email = owed_email()
    failures.extend(
        [
            smtplib.SMTPResponseException(421, b"4.7.0 Try again later"),
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            ConnectionRefusedError(111, "Connection refused"),
        ]
    )
    delays = []
    for _ in range(3):
        before = timezone.now()
        assert send_email.delay(email.pk).get() is False
        email.refresh_from_db()
        delays.append(email.next_attempt_at - before)
        # Time passes: the sweep finds it due and queues it again.
        OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=ago(seconds=1))
    # Backoff doubles (one, two, four minutes), give or take a fifth for jitter.
    for delay, minutes in zip(delays, [1, 2, 4], strict=True):
        assert datetime.timedelta(minutes=minutes * 0.8) <= delay
        assert delay <= datetime.timedelta(minutes=minutes * 1.2, seconds=1)
    assert send_unsent_emails.delay().get() == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 4
    assert email.sent_at is not None


def test_a_bug_while_sending_is_raised_and_retried_a_bounded_number_of_times(failures):
    email = owed_email()
    failures.append(ValueError("a bug"))
    with pytest.raises(ValueError):
        send(email)
    email.refresh_from_db()
    assert (email.claimed_at, email.failed_at, email.attempts) == (None, None, 1)
    assert email.last_error == "a bug"
    assert email.next_attempt_at > timezone.now()


def test_the_emails_due_are_those_never_queued_due_for_a_retry_or_whose_worker_died():
    statement = make_open_statement()
    long_claimed = timezone.now() - retry_rules.CLAIM_TIMEOUT - datetime.timedelta(seconds=1)

    def email(**fields) -> int:
        return OutgoingEmail.objects.create(
            kind=OutgoingEmail.Kind.COSIGN_DIGEST,
            to="staff@example.org",
            statement=statement,
            **fields,
        ).pk

    never_enqueued = email(created_at=ago(minutes=2), next_attempt_at=ago(minutes=1))
    abandoned = email(created_at=ago(hours=1), claimed_at=long_claimed, attempts=1)
    retry_due = email(created_at=ago(hours=1), next_attempt_at=ago(seconds=1), attempts=2)
    email()  # fresh: its enqueue is still on its way
    email(created_at=ago(hours=1), next_attempt_at=ago(minutes=-5), attempts=3)  # retry later
    email(created_at=ago(hours=1), claimed_at=ago(minutes=1), attempts=1)  # being sent
    email(created_at=ago(hours=1), claimed_at=ago(hours=1), sent_at=ago(hours=1), attempts=1)
    email(created_at=ago(hours=1), failed_at=ago(hours=1), attempts=1)
    email(created_at=ago(hours=1), claimed_at=long_claimed, failed_at=ago(hours=1), attempts=8)

    assert sorted(outgoing.outgoing_emails_due()) == sorted([never_enqueued, abandoned, retry_due])


def test_the_sweep_sends_what_was_never_enqueued_once():
    email = owed_email()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=ago(minutes=4))
    assert send_unsent_emails.delay().get() == 1
    assert send_unsent_emails.delay().get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("kind", OutgoingEmail.Kind.values)
def test_every_outgoing_email_carries_a_message_id_made_from_its_id(settings, kind, staff):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "jointly.example.org"
    signature = confirmed(make_open_statement())
    Signature.objects.filter(pk=signature.pk).update(state=Signature.State.APPROVED)
    contact = make_contact(organization=signature.organization, email=SIGNER)
    [request] = signoff.signoff_requests_send(
        statement=signature.statement,
        contacts=[contact],
        deadline=timezone.now() + datetime.timedelta(days=2),
        by=staff,
    )
    email = OutgoingEmail.objects.create(
        kind=kind,
        to=SIGNER,
        signature=signature,
        statement=signature.statement,
        signoff_request=request,
    )
    if kind == OutgoingEmail.Kind.PRESS_TEST:
        distribution = Distribution.objects.create(statement=signature.statement, subject="Out")
        StaffCopy.objects.create(distribution=distribution, email=email)
    if kind == OutgoingEmail.Kind.PASSWORD_RESET:
        user = User.objects.create_user("staff", SIGNER, "a password", is_staff=True)
        PasswordReset.objects.create(email=email, user=user, language="en")
    if kind in (OutgoingEmail.Kind.FOLLOW_CONFIRMATION, OutgoingEmail.Kind.STATEMENT_UPDATE):
        email.follower = Follower.objects.create(statement=signature.statement, email=SIGNER)
        email.update = StatementUpdate.objects.create(statement=signature.statement, text="News.")
        email.save(update_fields=["follower", "update"])
    if kind == OutgoingEmail.Kind.TARGET_DELIVERY:
        email.target_delivery = TargetDelivery.objects.create(
            statement=signature.statement, name="Ana Ruiz", email=SIGNER
        )
        email.save()
    assert send(email) is True
    [message] = mail.outbox
    expected = f"<outgoing-{email.pk}@jointly.example.org>"
    assert message.extra_headers["Message-ID"] == expected
    assert message.message().get_all("Message-ID") == [expected]


def test_an_email_of_a_kind_nothing_can_write_is_given_up_at_once_with_the_reason():
    email = OutgoingEmail.objects.create(kind="no_such_kind", to=SIGNER)
    assert send(email) is False
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert email.failed_at is not None
    assert "'no_such_kind', which nothing can write" in email.last_error
    assert mail.outbox == []
