"""A press send of a statement (Distribution) and its record of who received it (Delivery)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organizations.models import Contact, PressList
from statements.models import OutgoingEmail, Statement


class Distribution(models.Model):
    """One press send of a statement: to whom, with what subject and note, and when."""

    class When(models.TextChoices):
        AT_PUBLICATION = "at_publication", "When the statement is published"
        AT_TIME = "at_time", "At a set time"
        NOW = "now", "Now (under embargo if the statement is not public yet)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: not confirmed"
        WAITING = "waiting", "Confirmed, waiting for its time"
        SENDING = "sending", "Sending"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="distributions")
    subject = models.CharField(max_length=250)
    note = models.TextField("personal note", blank=True, max_length=2000)
    reply_to = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="One of the statement's press contacts.",
    )
    press_lists = models.ManyToManyField(PressList, blank=True, related_name="distributions")
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="distributions", help_text="Individual recipients."
    )
    when = models.CharField(max_length=20, choices=When, default=When.AT_PUBLICATION)
    send_at = models.DateTimeField(null=True, blank=True, help_text="For “at a set time”.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    embargoed_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when it went out before publication."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(when="at_time") | Q(send_at__isnull=False),
                name="distribution_at_time_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of one distribution: sent once, or failed, or skipped as suppressed."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"
        CANCELLED = "cancelled", "Cancelled before sending"

    # PROTECT: the record of who received the release, and what their unsubscribe
    # link reads; a distribution that sent anything is stopped, never deleted.
    distribution = models.ForeignKey(
        Distribution, on_delete=models.PROTECT, related_name="deliveries"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="deliveries")
    email = models.EmailField(max_length=254)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    preview_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    unsubscribe_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["id"]
        indexes = [models.Index(fields=["distribution", "state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "contact"], name="delivery_once_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_state_display().lower()})"


class StaffCopy(models.Model):
    """A test copy of a distribution, sent to the staff member preparing it.

    The email itself is one the site owes (statements.OutgoingEmail), sent with the
    others; this row says which distribution it shows.
    """

    # PROTECT: the test copy's email is built from its distribution, perhaps after
    # staff would have deleted it.
    distribution = models.ForeignKey(
        Distribution, on_delete=models.PROTECT, related_name="test_copies"
    )
    email = models.OneToOneField(
        OutgoingEmail, on_delete=models.CASCADE, related_name="press_test_copy"
    )

    class Meta:
        verbose_name = "test copy"
        verbose_name_plural = "test copies"

    def __str__(self) -> str:
        return f"Test copy of {self.distribution}"
