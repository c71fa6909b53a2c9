"""Press distribution: a statement sent to journalists, each of them exactly once.

Confirming a distribution (or publishing its statement) writes one Delivery
row per recipient in one transaction and queues a task per range of rows; workers
claim small batches with SKIP LOCKED, send a task's batches over one SMTP connection and
mark each row sent as it goes; a sweep puts back what a dead worker held.
"""

import logging
import re
import select
import smtplib
import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from psycopg import pq

from core.audit import Event, audit_event
from core.breaker import redis_call
from core.emails import CLAIM_TIMEOUT, MAX_ATTEMPTS, is_permanent, retry_delay
from core.permissions import permission_require
from core.records import protected_records
from core.tokens import token_hash
from organizations.models import Contact, Suppression, normalized_email
from organizations.services import is_suppressed, suppressed, suppression_add
from press.emails import notice_subject, press_email, press_email_bytes, press_parts, release_for
from press.models import Delivery, Distribution, StaffCopy
from press.smtp import Unfinished, smtp_send
from press.tasks import send_deliveries
from statements.models import OutgoingEmail, Statement, StatementUpdate
from statements.services.outgoing import email_create

logger = logging.getLogger(__name__)

CLAIM_BATCH = 50  # rows a worker takes at a time; a task's batches share one connection
TASK_RANGE = 500  # rows per queued task


def distribution_recipients(distribution: Distribution):
    """Every contact with an address on the distribution's lists or named on it, once."""
    return (
        Contact.objects.filter(
            Q(press_lists__in=distribution.press_lists.all()) | Q(distributions=distribution)
        )
        .exclude(email="")
        .distinct()
    )


def distribution_counts(distribution: Distribution) -> tuple[int, int]:
    """How many would receive it, and how many of those are suppressed and will not."""
    emails = list(distribution_recipients(distribution).values_list("email", flat=True))
    blocked = suppressed(emails)
    skipped = sum(1 for email in emails if normalized_email(email) in blocked)
    return len(emails) - skipped, skipped


def _sender_require(by) -> None:
    permission_require(
        by=by,
        perm="press.send_distribution",
        message=_("You may not send press distributions, test copies included, nor stop them."),
    )


def distribution_create(*, distribution: Distribution, by) -> Distribution:
    """Staff prepare a distribution: a draft, sent only once someone confirms it."""
    permission_require(
        by=by, perm="press.add_distribution", message=_("You may not prepare press distributions.")
    )
    distribution.created_by = by
    distribution.save()
    return distribution


def distribution_confirm(*, distribution: Distribution, by) -> Distribution:
    """Staff confirm: the distribution goes now, at its time, or when the statement is published."""
    _sender_require(by)
    statement = distribution.statement
    if distribution.status != Distribution.Status.DRAFT:
        raise ValidationError(_("This distribution was already confirmed."), code="not_draft")
    if not distribution_recipients(distribution).exists():
        raise ValidationError(
            _("Choose at least one list or contact with an email address."), code="empty"
        )
    if statement.status in (Statement.Status.RETRACTED,):
        raise ValidationError(
            _("A retracted statement is not sent to the press."), code="retracted"
        )
    if distribution.when == Distribution.When.AT_TIME and distribution.send_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future."), code="send_at_in_past")
    embargoed = distribution.when == Distribution.When.NOW and not statement.is_public()
    if embargoed and statement.status != Statement.Status.SCHEDULED:
        raise ValidationError(
            _(
                "To send before publication, schedule the statement first: its publication "
                "time is the embargo."
            ),
            code="no_embargo_time",
        )
    with transaction.atomic():
        distribution.status = Distribution.Status.WAITING
        distribution.confirmed_at = timezone.now()
        distribution.save(update_fields=["status", "confirmed_at"])
        go_now = distribution.when == Distribution.When.NOW or (
            distribution.when == Distribution.When.AT_PUBLICATION and statement.is_public()
        )
        if go_now:
            distribution_start(distribution=distribution)
        audit_event(
            obj=distribution,
            event=Event.DISTRIBUTION_CONFIRMED,
            by=by,
            recipients=distribution_counts(distribution)[0],
        )
    return distribution


def distribution_cancel(*, distribution: Distribution, by) -> int:
    """Staff stop a confirmed distribution: whoever has not been sent it yet never is.

    A message a worker is writing at this moment is dropped before its final ".",
    since the worker finds its row no longer "sending" (see _deliver); returns how
    many recipients it spared.
    """
    _sender_require(by)
    with transaction.atomic():
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if distribution.status not in (Distribution.Status.WAITING, Distribution.Status.SENDING):
            raise ValidationError(
                _("Only a distribution waiting for its time or sending can be cancelled."),
                code="not_cancellable",
            )
        spared = distribution.deliveries.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
        ).update(state=Delivery.State.CANCELLED, claimed_at=None)
        distribution.status = Distribution.Status.CANCELLED
        distribution.finished_at = timezone.now()
        distribution.save(update_fields=["status", "finished_at"])
        audit_event(obj=distribution, event=Event.DISTRIBUTION_STOPPED, by=by, spared=spared)
    return spared


def distribution_deletion_refusals(distribution: Distribution) -> list[str]:
    """Why the distribution may not be deleted: once it sent anything, its deliveries are
    the record of who received the release (and keep their unsubscribe links working)."""
    records = protected_records(distribution)
    if not records:
        return []
    listed = pgettext("list separator", ", ").join(str(record) for record in records)
    if distribution.status == Distribution.Status.SENDING:
        return [
            _("It has sent email, and its records must stay: %(records)s. Stop it instead.")
            % {"records": listed}
        ]
    return [_("It has sent email, and its records must stay: %(records)s.") % {"records": listed}]


def press_test_copy_send(*, distribution: Distribution, to: str, by) -> OutgoingEmail:
    """A copy of a press send for the staff member preparing it."""
    _sender_require(by)
    with transaction.atomic():
        email = email_create(OutgoingEmail.Kind.PRESS_TEST, [to], statement=distribution.statement)
        StaffCopy.objects.create(distribution=distribution, email=email)
        audit_event(obj=distribution, event=Event.TEST_COPY_SENT, by=by, to=to)
    return email


def distribution_start(*, distribution: Distribution) -> int:
    """Write a Delivery row per recipient and queue their sending once committed."""
    statement = distribution.statement
    now = timezone.now()
    with transaction.atomic():
        recipients = list(distribution_recipients(distribution).values_list("pk", "email"))
        blocked = suppressed(email for _, email in recipients)
        Delivery.objects.bulk_create(
            (
                Delivery(
                    distribution=distribution,
                    contact_id=contact_id,
                    email=email,
                    state=Delivery.State.SUPPRESSED
                    if normalized_email(email) in blocked
                    else Delivery.State.PENDING,
                    next_attempt_at=now,
                )
                for contact_id, email in recipients
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
        distribution.status = Distribution.Status.SENDING
        distribution.started_at = now
        if not statement.is_public():
            distribution.embargoed_until = statement.publish_at
        distribution.save(update_fields=["status", "started_at", "embargoed_until"])
        ids = list(
            distribution.deliveries.filter(state=Delivery.State.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ranges = [(chunk[0], chunk[-1]) for chunk in _chunks(ids, TASK_RANGE)]

        def enqueue() -> None:
            for lo, hi in ranges:
                try:
                    redis_call(send_deliveries.delay, distribution.pk, lo, hi)
                except Exception as error:
                    logger.warning("Could not queue deliveries (%s); the sweep will", error)
                    return

        transaction.on_commit(enqueue)
    return len(ids)


def release_receivers(statements: list[Statement]) -> list[int]:
    """The contacts who were sent the release as one of these statements (one release's),
    by id: a correction of the Arabic text concerns those who read the Arabic release.

    Which statement each journalist was shown is worked out again as the release emails
    chose it (press.emails.release_for), from their language and the release as it
    stands now.
    """
    release = statements[0].release()
    members = {member.pk: member for member in release}
    wanted = {statement.pk for statement in statements}
    sent = (
        Delivery.objects.filter(
            distribution__statement__in=release,
            distribution__kind=Distribution.Kind.RELEASE,
            state=Delivery.State.SENT,
            erased_at__isnull=True,
        )
        .values_list("contact_id", "contact__language", "distribution__statement_id")
        .distinct()
    )
    return sorted(
        {
            contact_id
            for contact_id, language, statement_id in sent
            if release_for(members[statement_id], language, release).pk in wanted
        }
    )


def _notice_start(
    *, statement: Statement, kind: str, receivers: list[int], **lookup
) -> Distribution | None:
    """Send a notice about the release to those who received it, once: a second call for
    the same correction, or retraction, finds the first notice and sends nothing.

    Runs in the transaction of the correction or retraction that calls for it.
    """
    if not receivers:
        return None
    # The release's last send: its reply-to address answers the notice too.
    release = (
        Distribution.objects.filter(
            statement__in=statement.release(),
            kind=Distribution.Kind.RELEASE,
            status__in=[Distribution.Status.SENDING, Distribution.Status.DONE],
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    distribution, created = Distribution.objects.get_or_create(
        kind=kind,
        statement=statement,
        **lookup,
        defaults={
            "subject": notice_subject(kind, statement)[:250],
            "when": Distribution.When.NOW,
            "status": Distribution.Status.WAITING,
            "confirmed_at": timezone.now(),
            "reply_to": release.reply_to if release else None,
        },
    )
    if not created:
        return None
    distribution.contacts.set(receivers)
    distribution_start(distribution=distribution)
    audit_event(
        obj=distribution,
        event=Event.DISTRIBUTION_CONFIRMED,
        recipients=distribution_counts(distribution)[0],
    )
    return distribution


def correction_notice_send(*, update: StatementUpdate) -> Distribution | None:
    """The correction notice, to the journalists who were sent the corrected text."""
    return _notice_start(
        statement=update.statement,
        kind=Distribution.Kind.CORRECTION,
        receivers=release_receivers([update.statement]),
        update=update,
    )


def retraction_notice_send(*, statement: Statement) -> Distribution | None:
    """The retraction notice, to the journalists who were sent the statement or one of
    the translations retracted with it (at the same moment: a translation retracted
    before had its own notice)."""
    retracted = [
        member
        for member in statement.release()
        if member.is_retracted() and member.retracted_at == statement.retracted_at
    ]
    return _notice_start(
        statement=statement,
        kind=Distribution.Kind.RETRACTION,
        receivers=release_receivers(retracted),
    )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def distributions_at_publication(statement: Statement) -> None:
    """Start the distributions waiting for this statement's publication."""
    for distribution in statement.distributions.filter(
        status=Distribution.Status.WAITING, when=Distribution.When.AT_PUBLICATION
    ):
        distribution_start(distribution=distribution)


def distributions_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    started = 0
    with transaction.atomic():
        due = Distribution.objects.select_for_update(skip_locked=True).filter(
            status=Distribution.Status.WAITING,
            when=Distribution.When.AT_TIME,
            send_at__lte=now,
        )
        for distribution in due:
            distribution_start(distribution=distribution)
            started += 1
    return started


def _claim(distribution_id: int, lo: int, hi: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            # of=self: the distribution's row is read, not locked, or workers would skip
            # every row of a distribution another worker is claiming from.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                distribution_id=distribution_id,
                distribution__status=Distribution.Status.SENDING,
                pk__range=(lo, hi),
                state=Delivery.State.PENDING,
                next_attempt_at__lte=now,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("distribution__statement", "distribution__reply_to", "contact")
        .order_by("pk")
    )


class _RateShare:
    """The sends this process counted against the global rate and has not made yet, and
    how many its batch still has to make: counted a batch at a time, a message costs no
    round trip to the cache."""

    minute = -1  # the minute `left` was counted in
    left = 0
    ahead = 1


_share = _RateShare()


def _rate_wait() -> None:
    """Hold until this minute's share of the global rate allows one more message.

    The count lives in the shared cache (Redis), so it holds across every worker. A
    process counts the rest of its batch at once (`_share.ahead`), and sends what of it
    fits in the minute; what does not waits for the next.
    """
    limit = settings.PRESS_RATE_PER_MINUTE
    while True:
        minute = int(time.time() // 60)
        if _share.left and _share.minute == minute:
            _share.left -= 1
            _share.ahead = max(1, _share.ahead - 1)
            return
        wanted = _share.ahead
        key = f"press-rate:{minute}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key, wanted)
        except ValueError:
            count = wanted  # the key vanished (cache restarted): start over
        # Counted over the limit, the rest of the minute is no one's.
        _share.minute, _share.left = minute, min(wanted, max(0, limit - (count - wanted)))
        if not _share.left:
            time.sleep(60 - time.time() % 60 + 0.01)


def deliveries_send(*, distribution_id: int, lo: int, hi: int) -> int:
    """Send the pending deliveries in [lo, hi], batch after batch; returns how many went.

    One SMTP connection serves every batch of the task, until it fails.
    """
    sent = 0
    parts = None
    mailer = mailers.default
    two_phase = isinstance(mailer, SmtpBackend)
    try:
        while batch := _claim(distribution_id, lo, hi):
            parts = parts or press_parts(batch[0].distribution.statement)
            claim = batch[0].claimed_at
            _share.ahead = len(batch)
            answers: dict[int, str] = {}
            try:
                if mailer.open():
                    _no_delay(mailer)
                for delivery in batch:
                    _rate_wait()
                    if two_phase:
                        message, tokens = press_email_bytes(delivery, parts)
                    else:
                        message, tokens = press_email(delivery, parts)
                    sent += _deliver(mailer, delivery, message, tokens, two_phase, answers)
            except (smtplib.SMTPException, OSError) as error:
                # The connection failed, or the claim was lost: what the batch has
                # not sent goes back, unless another worker holds it by now.
                _retry_later(_held(batch, claim), error)
                _drop(mailer)
            finally:
                _answers_record(answers)
    finally:
        _share.left = 0  # what this task counted and did not send is not the next one's
        mailer.close()
    distribution_finish_if_done(distribution_id)
    return sent


def _answers_record(answers: dict[int, str]) -> None:
    """The server's answers to the batch's messages, kept for staff in one write: a row
    a bounce or complaint has answered for since keeps that answer."""
    if answers:
        _quick_commit(
            lambda: Delivery.objects.filter(
                state=Delivery.State.SENT, last_response=""
            ).bulk_update(
                [Delivery(pk=pk, last_response=answer[:1000]) for pk, answer in answers.items()],
                ["last_response"],
            )
        )


def _held(deliveries: list[Delivery], claim: datetime):
    """The rows of these still held by this claim."""
    return Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], state=Delivery.State.SENDING, claimed_at=claim
    )


def _no_delay(mailer) -> None:
    """Send each write at once: without it, Nagle's algorithm holds the final "." of
    every message back until the server acknowledges the body, about 40 ms each."""
    sock = getattr(getattr(mailer, "connection", None), "sock", None)
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _drop(mailer) -> None:
    """Close without a QUIT: in the middle of DATA the server would take a QUIT as
    part of the message and never answer; a closed socket makes it discard the message."""
    connection = getattr(mailer, "connection", None)
    if connection is not None:
        connection.close()
        mailer.connection = None
    mailer.close()


class ClaimLost(smtplib.SMTPException):
    """The row is no longer this worker's (its claim outlived CLAIM_TIMEOUT and the
    sweep gave it to another): this worker must not finish sending it."""


def _quick_commit(update) -> None:
    """Commit at once, without waiting for the disk: on PostgreSQL the commit returns
    before its fsync, so a worker killed meanwhile has almost never told the server
    "sent" without sending the final "." (a database crash could lose such a mark)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        update()


# The mark as one statement, committed without waiting for the disk (as _quick_commit).
# The unused-looking join runs set_config, for this transaction only.
MARK_SENT = """
WITH quick AS (SELECT set_config('synchronous_commit', 'off', true))
UPDATE press_delivery SET {columns}
FROM quick WHERE id = %s AND claimed_at = %s AND state = %s
"""


def _marked_sent(delivery: Delivery, row, tokens: dict) -> Callable[[], None] | None:
    """Mark the row sent with its links' tokens, if this claim still holds it; None if
    it does not. On PostgreSQL the mark is left to commit: what is returned reads the
    commit's answer, once the final "." is written (press.smtp.smtp_send)."""
    fields = {"state": Delivery.State.SENT, "sent_at": timezone.now(), "last_response": ""}
    fields |= tokens
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        marked = []
        _quick_commit(lambda: marked.append(row.update(**fields)))
        return (lambda: None) if marked[0] else None
    columns = ", ".join(f"{Delivery._meta.get_field(name).column} = %s" for name in fields)
    where = [delivery.pk, delivery.claimed_at, Delivery.State.SENDING]
    with connection.cursor() as cursor:
        # The UPDATE holds the row (staff stopping the send, or the sweep, wait for it)
        # and says whether the claim holds, before anything is committed.
        cursor.execute("BEGIN")
        cursor.execute(MARK_SENT.format(columns=columns), [*fields.values(), *where])
        if cursor.rowcount != 1:
            cursor.execute("ROLLBACK")
            return None
    return _commit_sent(connection.connection.pgconn)


def _commit_sent(pgconn) -> Callable[[], None]:
    """Send COMMIT without waiting for its answer; what is returned waits for it.

    A commit's answer is a round trip, and a worker killed between the answer and the
    final "." leaves a row marked sent that no server accepted: under load, a wait for
    the scheduler as much as for the database, and the kill runs of bench/press_send.py
    met it. With the COMMIT handed to the kernel and the "." written right behind it,
    what is between is a few instructions: a worker killed before the COMMIT went out
    leaves the row sending (the database rolls back a transaction whose client went
    away) and the message unfinished; after, the database commits what it has read."""
    pgconn.send_query(b"COMMIT")
    while pgconn.flush():  # 1 while libpq still holds some of it
        select.select([], [pgconn.socket], [])

    def answered() -> None:
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        results = []
        while (result := pgconn.get_result()) is not None:
            results.append(result)
        if [r.status for r in results] != [pq.ExecStatus.COMMAND_OK]:
            message = b"; ".join(r.error_message for r in results) or b"no answer"
            raise DatabaseError(f"the mark sent did not commit: {message.decode(errors='replace')}")

    return answered


def _deliver(
    mailer, delivery: Delivery, message, tokens: dict, two_phase: bool, answers: dict[int, str]
) -> int:
    """Send one message: over SMTP its bytes (press_email_bytes), marked sent before the
    server may accept them; through an email service the Django email. Its server's answer
    goes in `answers`, for the batch to record."""
    # Every write names the claim: a row the sweep gave to another worker is left alone.
    ours = Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at)
    row = ours.filter(state=Delivery.State.SENDING)

    def mark_sent() -> Callable[[], None]:
        # The links' tokens go in with the mark: one commit per message.
        committed = _marked_sent(delivery, row, tokens)
        if committed is None:
            raise ClaimLost(f"delivery {delivery.pk} is no longer this worker's")
        return committed

    try:
        if two_phase:
            answers[delivery.pk] = smtp_send(
                mailer.connection,
                message,
                sender=settings.DEFAULT_FROM_EMAIL,
                recipients=[delivery.email],
                before_accept=mark_sent,
            )
        else:
            if not row.update(**tokens):
                raise ClaimLost(f"delivery {delivery.pk} is no longer this worker's")
            mailer.send_messages([message])
            status = getattr(message, "anymail_status", None)
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.SENT,
                sent_at=timezone.now(),
                provider_message_id=_bracketed(status.message_id or "") if status else "",
            )
        return 1
    except Unfinished:
        # Marked sent, but the server never got the final ".": it goes back.
        _retry_later(ours, "connection lost mid-message")
        raise
    except (smtplib.SMTPServerDisconnected, ClaimLost):
        raise  # the connection is gone or unusable: the batch's remaining rows go back
    except smtplib.SMTPException as error:
        # A refusal after the final "." finds the row already marked sent.
        if is_permanent(error) or delivery.attempts >= MAX_ATTEMPTS:
            with transaction.atomic():
                ours.update(
                    state=Delivery.State.FAILED, sent_at=None, last_response=str(error)[:1000]
                )
                if _refuses_recipient(error):
                    suppression_add(
                        email=delivery.email,
                        reason=Suppression.Reason.HARD_BOUNCE,
                        detail=f"Refused by the mail server: {error}"[:1000],
                    )
        else:
            _retry_later(ours, error)
        return 0


def _refuses_recipient(error: smtplib.SMTPException) -> bool:
    """A 5xx to the recipient or the message, which every later send would meet again: a
    hard bounce. A 5xx to our own sender address is about us, not the journalist."""
    return is_permanent(error) and not isinstance(error, smtplib.SMTPSenderRefused)


def _retry_later(rows, error) -> None:
    """Back to pending after a delay, or failed once it has had MAX_ATTEMPTS tries."""
    # A message lost mid-send while staff cancelled its distribution is not tried again.
    rows.exclude(distribution__status=Distribution.Status.SENDING).update(
        state=Delivery.State.CANCELLED, sent_at=None, claimed_at=None
    )
    for delivery in rows.filter(distribution__status=Distribution.Status.SENDING):
        again = rows.filter(pk=delivery.pk)
        if delivery.attempts >= MAX_ATTEMPTS:
            again.update(
                state=Delivery.State.FAILED,
                sent_at=None,
                claimed_at=None,
                last_response=str(error)[:1000],
            )
            continue
        again.update(
            state=Delivery.State.PENDING,
            sent_at=None,
            claimed_at=None,
            next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
            last_response=str(error)[:1000],
        )


def distribution_finish_if_done(distribution_id: int) -> None:
    unfinished = Delivery.objects.filter(
        distribution_id=distribution_id, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    )
    if not unfinished.exists():
        Distribution.objects.filter(pk=distribution_id, status=Distribution.Status.SENDING).update(
            status=Distribution.Status.DONE, finished_at=timezone.now()
        )


def deliveries_sweep(*, now: datetime | None = None) -> list[tuple[int, int, int]]:
    """Put back rows a dead worker held, and the ranges of pending rows to queue again."""
    now = now or timezone.now()
    Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(state=Delivery.State.PENDING, claimed_at=None)
    due = (
        Delivery.objects.filter(
            state=Delivery.State.PENDING,
            next_attempt_at__lte=now,
            distribution__status=Distribution.Status.SENDING,
        )
        .values("distribution_id")
        .annotate(count=Count("pk"))
    )
    ranges = []
    for row in due:
        ids = list(
            Delivery.objects.filter(
                distribution_id=row["distribution_id"],
                state=Delivery.State.PENDING,
                next_attempt_at__lte=now,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ranges += [(row["distribution_id"], c[0], c[-1]) for c in _chunks(ids, TASK_RANGE)]
    for distribution_id in Distribution.objects.filter(
        status=Distribution.Status.SENDING
    ).values_list("pk", flat=True):
        distribution_finish_if_done(distribution_id)
    return ranges


def delivery_progress(distribution: Distribution) -> dict[str, int]:
    """How many deliveries are in each state; for one reduced to counts, the counts kept."""
    if distribution.deliveries_reduced_at is not None:
        kept = distribution.delivery_counts or {}
        return {state: kept.get(state, 0) for state in Delivery.State.values}
    counts = dict(
        distribution.deliveries.values_list("state").annotate(count=Count("pk")).order_by()
    )
    return {state: counts.get(state, 0) for state in Delivery.State.values}


def delivery_by_token(*, field: str, token: str) -> Delivery | None:
    return (
        Delivery.objects.select_related("distribution__statement", "contact")
        .filter(**{field: token_hash(token)})
        .exclude(**{field: ""})
        .first()
    )


def unsubscribe(*, token: str) -> tuple[Delivery | None, bool]:
    """Suppress the address the link was sent to; (delivery, whether it acted now)."""
    delivery = delivery_by_token(field="unsubscribe_token_hash", token=token)
    if delivery is None or unsubscribe_expired(delivery):
        return delivery, False
    already = is_suppressed(delivery.email)
    suppression_add(
        email=delivery.email,
        reason=Suppression.Reason.UNSUBSCRIBED,
        detail=f"Unsubscribe link in “{delivery.distribution.subject}”",
    )
    return delivery, not already


def unsubscribe_expired(delivery: Delivery) -> bool:
    sent = delivery.sent_at or delivery.claimed_at or timezone.now()
    return timezone.now() > sent + timedelta(days=settings.PRESS_UNSUBSCRIBE_DAYS)


def _bracketed(message_id: str) -> str:
    message_id = message_id.strip()
    return message_id if not message_id or message_id.startswith("<") else f"<{message_id}>"


def delivery_tracked(*, event_type: str, message_id: str, recipient: str, detail: str = "") -> None:
    """An email service's word on a message: a bounce or complaint suppresses the address."""
    state, reason = {
        "bounced": (Delivery.State.BOUNCED, Suppression.Reason.HARD_BOUNCE),
        "complained": (Delivery.State.COMPLAINED, Suppression.Reason.COMPLAINT),
    }.get(event_type, (None, None))
    if state is None:
        return
    message_id = _bracketed(message_id or "")
    # A service that relays our own Message-ID names the delivery in it.
    pattern = rf"<delivery-(\d+)@{re.escape(settings.EMAIL_MESSAGE_ID_DOMAIN)}>"
    ours = re.fullmatch(pattern, message_id)
    matches = Q(provider_message_id=message_id) | Q(pk=int(ours[1]) if ours else None)
    deliveries = Delivery.objects.filter(matches) if message_id else Delivery.objects.none()
    with transaction.atomic():
        for delivery in deliveries:
            Delivery.objects.filter(pk=delivery.pk).update(state=state, last_response=detail[:1000])
            recipient = recipient or delivery.email
        if recipient:
            suppression_add(email=recipient, reason=reason, detail=detail[:1000])
