"""Following a statement by email: a reader asks, confirms through the emailed link
(double opt-in), is told of its updates, and leaves through the link in any of them.

Followers are the release's: one asking on a translation's page follows its original,
and reads its emails in the language of the page they asked on.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tokens import token_hash
from organizations.models import normalized_email
from organizations.services import is_suppressed
from statements.models import Follower, FollowerToken, OutgoingEmail, Statement
from statements.services.outgoing import email_create


def follower_request(
    *, statement: Statement, email: str, language: str, consent_text: str
) -> Follower:
    """Owe the address a confirmation email, unless it follows already or is suppressed.

    The caller answers the same whatever happened, so the form does not tell who
    follows. Asking again with a pending confirmation sends a new link; asking after
    unsubscribing starts again.
    """
    try:
        return _follower_request(statement.original, email, language, consent_text)
    except IntegrityError:
        # The same address asked twice at once: the second try finds the first row.
        return _follower_request(statement.original, email, language, consent_text)


@transaction.atomic
def _follower_request(
    statement: Statement, email: str, language: str, consent_text: str
) -> Follower:
    key = normalized_email(email)
    follower = (
        Follower.objects.select_for_update().filter(statement=statement, email_key=key).first()
    )
    if follower is not None and follower.is_following():
        return follower
    if follower is None:
        follower = Follower(statement=statement)
    follower.email = email.strip()
    follower.language = language
    follower.consent_text = consent_text
    follower.confirmed_at = follower.unsubscribed_at = follower.erased_at = None
    follower.save()
    if not is_suppressed(follower.email):
        email_create(
            OutgoingEmail.Kind.FOLLOW_CONFIRMATION,
            [follower.email],
            follower=follower,
            statement=statement,
        )
    return follower


@dataclass(frozen=True)
class FollowerLink:
    """What an emailed link of a follower's found, and why it could not act if it could not."""

    follower: Follower | None
    # "unknown", "expired" or "used".
    problem: str | None = None
    acted: bool = False


def _lookup(
    raw: str, purpose: str, *, lock: bool = False
) -> tuple[FollowerToken | None, str | None]:
    tokens = FollowerToken.objects.select_related("follower__statement")
    if lock:
        tokens = tokens.select_for_update(of=("self",))
    token = tokens.filter(token_hash=token_hash(raw), purpose=purpose).first()
    if token is None or token.follower.erased_at is not None:
        return None, "unknown"
    if token.used_at is not None:
        return token, "used"
    if token.is_expired():
        return token, "expired"
    return token, None


def follower_link_check(*, token: str, purpose: str) -> FollowerLink:
    """What following the link would do, without doing it (for the page a GET shows)."""
    found, problem = _lookup(token, purpose)
    return FollowerLink(found.follower if found else None, problem)


def _act(token: str, purpose: str, change) -> FollowerLink:
    with transaction.atomic():
        # Locked: two clicks at once act once.
        found, problem = _lookup(token, purpose, lock=True)
        if problem:
            return FollowerLink(found.follower if found else None, problem)
        now = timezone.now()
        found.used_at = now
        found.save(update_fields=["used_at"])
        follower = found.follower
        change(follower, now)
    return FollowerLink(follower, acted=True)


def follower_confirm(*, token: str) -> FollowerLink:
    """The reader confirms their address: they follow the statement from now on."""

    def confirm(follower: Follower, now) -> None:
        follower.confirmed_at = now
        follower.unsubscribed_at = None
        follower.save(update_fields=["confirmed_at", "unsubscribed_at"])

    return _act(token, FollowerToken.Purpose.CONFIRM, confirm)


def follower_unsubscribe(*, token: str) -> FollowerLink:
    """The reader stops following: no update reaches them any more. Their other
    unsubscribe links then find the work done."""

    def unsubscribe(follower: Follower, now) -> None:
        if follower.unsubscribed_at is None:
            follower.unsubscribed_at = now
            follower.save(update_fields=["unsubscribed_at"])

    return _act(token, FollowerToken.Purpose.UNSUBSCRIBE, unsubscribe)
