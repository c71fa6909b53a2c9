"""The emails the site owes people: written in the cause's transaction, queued once it
commits, sent once by a worker, retried after a temporary failure."""

import logging
import smtplib
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.breaker import redis_call
from core.emails import CLAIM_TIMEOUT, MAX_ATTEMPTS, is_permanent, retry_delay
from statements.emails import UnknownKind, build_outgoing
from statements.models import OutgoingEmail
from statements.tasks import send_email

logger = logging.getLogger(__name__)

# What is recorded once an email of a kind has gone (a delivery to a decision maker is
# then delivered), registered from AppConfig.ready(): the services that record it owe
# their emails through this module, which cannot import them back.
_after_sent: dict[str, Callable[[OutgoingEmail], None]] = {}


def outgoing_after_sent_register(kind: str, action: Callable[[OutgoingEmail], None]) -> None:
    _after_sent[kind] = action


def email_enqueue(email: OutgoingEmail) -> None:
    """Send the email once the transaction that wrote it commits.

    If the broker cannot take the task, or failed moments ago (core.breaker), the
    email stays unsent in the database and the sweep enqueues it later; the request
    that caused it goes on.
    """

    def enqueue() -> None:
        try:
            redis_call(send_email.delay, email.pk)
        except Exception as error:
            logger.warning("Could not queue email %s (%s); the sweep will send it", email.pk, error)

    transaction.on_commit(enqueue)


def email_create(kind: str, to: list[str], **links) -> OutgoingEmail:
    """Owe an email, in the caller's transaction, and send it once that commits."""
    email = OutgoingEmail.objects.create(kind=kind, to="\n".join(to), **links)
    email_enqueue(email)
    return email


def outgoing_email_send(*, email_id: int) -> bool:
    """Send an owed email once: claim it, send it, mark it sent. True if this call sent it.

    A temporary failure releases the claim and sets when to try again, which the
    sweep honours; a refusal for good, or too many attempts, gives up on it.
    """
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True, failed_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .first()
        )
        if email is None:
            return False  # sent or given up already, or another worker has it
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["claimed_at", "attempts"])
    unsent = OutgoingEmail.objects.filter(pk=email.pk)
    try:
        # Its links' tokens are stored before the email leaves.
        with transaction.atomic():
            message = build_outgoing(email)
        message.send()
    except Exception as error:
        if is_permanent(error) or isinstance(error, UnknownKind) or email.attempts >= MAX_ATTEMPTS:
            unsent.update(claimed_at=None, failed_at=timezone.now(), last_error=str(error)[:2000])
            logger.error(
                "Gave up on email %s after %s attempts: %s", email.pk, email.attempts, error
            )
        else:
            unsent.update(
                claimed_at=None,
                next_attempt_at=timezone.now() + retry_delay(email.attempts),
                last_error=str(error)[:2000],
            )
            logger.warning("Email %s not sent (%s); will try again", email.pk, error)
        if not isinstance(error, smtplib.SMTPException | OSError | UnknownKind):
            raise  # a bug, not the network: let it show
        return False
    with transaction.atomic():
        unsent.update(sent_at=timezone.now(), last_error="")
        if after := _after_sent.get(email.kind):
            after(email)
    return True


def outgoing_emails_due() -> list[int]:
    """Emails nobody is sending: never queued, due for a retry, or claimed by a worker that died."""
    now = timezone.now()
    return list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
        .filter(
            Q(claimed_at__isnull=True, next_attempt_at__lte=now)
            | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
