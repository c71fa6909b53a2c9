"""A press send of a statement (Distribution) and its record of who received it (Delivery)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Contact, PressList
from statements.models import OutgoingEmail, Statement


class Distribution(models.Model):
    """One press send of a statement: to whom, with what subject and note, and when."""

    class When(models.TextChoices):
        AT_PUBLICATION = "at_publication", _("When the statement is published")
        AT_TIME = "at_time", _("At a set time")
        NOW = "now", _("Now (under embargo if the statement is not public yet)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: not confirmed")
        WAITING = "waiting", _("Confirmed, waiting for its time")
        SENDING = "sending", pgettext_lazy("distribution status", "Sending")
        DONE = "done", pgettext_lazy("distribution status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("distribution status", "Cancelled")

    class Kind(models.TextChoices):
        RELEASE = "release", _("The release")
        CORRECTION = "correction", _("A correction notice")
        RETRACTION = "retraction", _("A retraction notice")

    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="distributions",
        verbose_name=_("statement"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.RELEASE, editable=False
    )
    # A correction notice's correction: its note and the comparison it links to.
    update = models.ForeignKey(
        "statements.StatementUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="distributions",
        verbose_name=_("correction"),
    )
    subject = models.CharField(_("subject"), max_length=250)
    note = models.TextField(_("personal note"), blank=True, max_length=2000)
    reply_to = models.ForeignKey(
        Contact,
        verbose_name=_("reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("One of the statement's press contacts."),
    )
    press_lists = models.ManyToManyField(
        PressList, blank=True, related_name="distributions", verbose_name=_("press lists")
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="distributions",
        verbose_name=_("contacts"),
        help_text=_("Individual recipients."),
    )
    when = models.CharField(_("when"), max_length=20, choices=When, default=When.AT_PUBLICATION)
    send_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("For “at a set time”.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    embargoed_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when it went out before publication."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)
    # A finished distribution's deliveries are kept RETENTION_DELIVERY_DAYS, then reduced
    # to how many ended in each state (press/retention.py) and removed.
    delivery_counts = models.JSONField(
        _("deliveries by state"), null=True, blank=True, editable=False
    )
    deliveries_reduced_at = models.DateTimeField(
        _("deliveries reduced to counts at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        permissions = [
            ("send_distribution", _("Can send test copies, confirm and stop distributions")),
        ]
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(when="at_time") | Q(send_at__isnull=False),
                name="distribution_at_time_has_time",
            ),
            # One notice of each correction, and of the retraction, per statement: sent
            # twice, it would reach every journalist twice.
            models.UniqueConstraint(
                fields=["update"],
                condition=Q(kind="correction"),
                name="distribution_one_notice_per_correction",
            ),
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(kind="retraction"),
                name="distribution_one_retraction_notice",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of one distribution: sent once, or failed, or skipped as suppressed."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery state", "Pending")
        SENDING = "sending", pgettext_lazy("delivery state", "Sending")
        SENT = "sent", pgettext_lazy("delivery state", "Sent")
        FAILED = "failed", pgettext_lazy("delivery state", "Failed")
        SUPPRESSED = "suppressed", pgettext_lazy("delivery state", "Suppressed")
        BOUNCED = "bounced", pgettext_lazy("delivery state", "Bounced")
        COMPLAINED = "complained", pgettext_lazy("delivery state", "Complained")
        CANCELLED = "cancelled", pgettext_lazy("delivery state", "Cancelled before sending")

    # PROTECT: the record of who received the release, and what their unsubscribe
    # link reads; a distribution that sent anything is stopped, never deleted.
    distribution = models.ForeignKey(
        Distribution,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("distribution"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("contact")
    )
    email = models.EmailField(_("email"), max_length=254)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_response = models.TextField(_("last response"), blank=True)
    preview_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    unsubscribe_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    provider_message_id = models.CharField(
        _("provider message ID"), max_length=255, blank=True, db_index=True
    )
    # When the journalist's data was erased on request: the row keeps its state for the
    # counts, its address and links are gone.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        indexes = [models.Index(fields=["distribution", "state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "contact"], name="delivery_once_per_contact"
            )
        ]

    def __str__(self) -> str:
        return _("%(email)s (%(state)s)") % {
            "email": self.email,
            "state": self.get_state_display().lower(),
        }


class StaffCopy(models.Model):
    """A test copy of a distribution, sent to the staff member preparing it.

    The email itself is one the site owes (statements.OutgoingEmail), sent with the
    others; this row says which distribution it shows.
    """

    # PROTECT: the test copy's email is built from its distribution, perhaps after
    # staff would have deleted it.
    distribution = models.ForeignKey(
        Distribution,
        on_delete=models.PROTECT,
        related_name="test_copies",
        verbose_name=_("distribution"),
    )
    email = models.OneToOneField(
        OutgoingEmail,
        on_delete=models.CASCADE,
        related_name="press_test_copy",
        verbose_name=_("email"),
    )

    class Meta:
        verbose_name = _("test copy")
        verbose_name_plural = _("test copies")

    def __str__(self) -> str:
        return _("Test copy of %(distribution)s") % {"distribution": self.distribution}
