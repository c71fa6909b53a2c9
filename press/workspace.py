"""What the admin's front page shows staff: what needs them now, and the latest statements.

It reads statements, their sign-off and their press distributions, so it lives in the
highest app that may read them all. Each list is one query, however many statements,
signatures or deliveries there are: the page costs the same every morning.
"""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.db.models import F, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from press.models import Delivery, Distribution
from statements.models import (
    Signature,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
    Statement,
)

LATEST_STATEMENTS = 8
# A distribution with failed deliveries is shown for a week after it finished.
RECENT = timedelta(days=7)
# Enough to see what is going on; the lists behind the links have the rest.
LISTED = 20


@dataclass(frozen=True)
class Workspace:
    awaiting_moderation: int
    signoffs: list[Statement]  # annotated with .waiting and .declined
    scheduled: list[Statement]
    distributions: list[Distribution]  # annotated with .failed
    held: list[Statement]  # annotated with .held_at
    latest: list[Statement]

    def seen_by(self, user) -> "Workspace":
        """What this member of staff may act on: a role that may not moderate or send to
        the press is not told of the queue or of the sends, and is told that nothing
        waits when nothing else does."""
        may_moderate = user.has_perm("statements.view_pendingsignature")
        return replace(
            self,
            awaiting_moderation=self.awaiting_moderation if may_moderate else 0,
            distributions=self.distributions if user.has_perm("press.view_distribution") else [],
        )

    def needs_staff(self) -> bool:
        return bool(
            self.awaiting_moderation
            or self.signoffs
            or self.scheduled
            or self.distributions
            or self.held
        )


def workspace(*, now=None) -> Workspace:
    now = now or timezone.now()
    open_requests = SignoffRequest.objects.filter(
        statement=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=now, answer__isnull=True
    )
    # A decline counts while the statement is still on the version that was declined.
    declined = SignoffAnswer.objects.filter(
        version__statement=OuterRef("pk"),
        decision=SignoffAnswer.Decision.DECLINED,
        version__number=Subquery(
            Statement.objects.filter(pk=OuterRef(OuterRef("pk")))
            .annotate(last=Max("versions__number"))
            .values("last")[:1]
        ),
    )
    signoffs = (
        Statement.objects.filter(
            status__in=[Statement.Status.DRAFT, Statement.Status.SIGNOFF],
            translation_of__isnull=True,
        )
        .annotate(
            waiting=_count(open_requests),
            declined=_count(declined),
        )
        .filter(Q(waiting__gt=0) | Q(declined__gt=0))
        .order_by("-updated_at", "pk")[:LISTED]
    )
    scheduled = Statement.objects.filter(status=Statement.Status.SCHEDULED).order_by(
        "publish_at", "pk"
    )[:LISTED]
    failed = Delivery.objects.filter(distribution=OuterRef("pk"), state=Delivery.State.FAILED)
    distributions = (
        Distribution.objects.annotate(failed=_count(failed))
        .filter(
            Q(status__in=[Distribution.Status.WAITING, Distribution.Status.SENDING])
            | Q(embargoed_until__gt=now)
            | Q(failed__gt=0, finished_at__gt=now - RECENT)
        )
        .select_related("statement")
        .order_by("-created_at", "pk")[:LISTED]
    )
    # Held back: the latest scheduling event of a draft is a hold (statements.selectors
    # .publication_hold, for many statements at once).
    held = (
        Statement.objects.filter(status__in=[Statement.Status.DRAFT, Statement.Status.SIGNOFF])
        .annotate(
            held_at=Max(
                "signoff_events__at", filter=Q(signoff_events__kind=SignoffEvent.Kind.HELD)
            ),
            scheduled_at=Max(
                "signoff_events__at",
                filter=Q(
                    signoff_events__kind__in=[
                        SignoffEvent.Kind.SCHEDULED,
                        SignoffEvent.Kind.SCHEDULED_OVERRIDDEN,
                    ]
                ),
            ),
        )
        .filter(
            Q(held_at__isnull=False)
            & (Q(scheduled_at__isnull=True) | Q(held_at__gte=F("scheduled_at")))
        )
        .order_by("-held_at", "pk")[:LISTED]
    )
    return Workspace(
        awaiting_moderation=Signature.objects.filter(state=Signature.State.CONFIRMED).count(),
        signoffs=list(signoffs),
        scheduled=list(scheduled),
        distributions=list(distributions),
        held=list(held),
        latest=list(
            Statement.objects.select_related("campaign").order_by("-updated_at", "pk")[
                :LATEST_STATEMENTS
            ]
        ),
    )


def _count(queryset):
    """How many rows of a correlated queryset, as a subquery: several counts on one
    statement through different tables would multiply each other in joins."""
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)
