from datetime import datetime
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Campaign(models.Model):
    """A cause that groups statements over months or years."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence shown in lists and on the home page."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the campaign is about.")
    )
    asks = models.TextField(
        _("what we ask"),
        blank=True,
        max_length=3000,
        help_text=_("What the campaign asks for, one ask per line, shown as a list."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Active campaigns are listed on the home page.")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign_detail", args=[self.slug])

    def ask_list(self) -> list[str]:
        return [line.strip() for line in self.asks.splitlines() if line.strip()]


class CallToActionQuerySet(models.QuerySet):
    def current(self, now: datetime | None = None):
        """Calls shown now: started (or with no start) and not ended.

        Filtered on the clock in the query, so a call appears and disappears
        by itself, with nothing to run at its start or end.
        """
        now = now or timezone.now()
        return self.not_ended(now).filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))

    def not_ended(self, now: datetime):
        """Calls shown now or later."""
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))

    def for_statement(self, statement):
        """The statement's own calls, and its campaign's calls for every statement."""
        return self.filter(
            Q(statement=statement) | Q(campaign_id=statement.campaign_id, statement__isnull=True)
        )


class WebURLField(models.URLField):
    """A URL field that takes only http and https addresses.

    A javascript: or data: address in a link would run in the reader's page.
    """

    default_validators = [URLValidator(schemes=["http", "https"])]


def _is_web(field: str) -> Q:
    return (
        Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"})
    )


class CallToAction(models.Model):
    """What readers of a campaign, or of one of its statements, are asked to do.

    It belongs to a campaign; tied to a statement, it shows on that statement's
    page, otherwise on the page of every statement of the campaign. Staff order
    them and may give each a start and an end.
    """

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact a decision maker")
        SHARE = "share", pgettext_lazy("kind of call to action", "Share")
        DONATE = "donate", pgettext_lazy("kind of call to action", "Donate")
        ATTEND = "attend", _("Attend an event")
        COSIGN = "cosign", _("Co-sign (organizations)")
        READ_MORE = "read_more", pgettext_lazy("kind of call to action", "Read more")

    # The buttons' words, in the reader's language.
    DEFAULT_BUTTONS = {
        Kind.SHARE: pgettext_lazy("button", "Share"),
        Kind.DONATE: pgettext_lazy("button", "Donate"),
        Kind.ATTEND: _("Event details"),
        Kind.COSIGN: _("Add your organization"),
        Kind.READ_MORE: pgettext_lazy("button", "Read more"),
    }
    LINKED_KINDS = (Kind.DONATE, Kind.READ_MORE)

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="calls_to_action",
        verbose_name=_("campaign"),
    )
    # By name, not by import: statements imports campaigns, and importing back would loop.
    statement = models.ForeignKey(
        "statements.Statement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calls_to_action",
        verbose_name=_("statement"),
        help_text=_(
            "Leave empty to show it with every statement of the campaign. "
            "Required to ask organizations to co-sign."
        ),
    )
    kind = models.CharField(_("type of call"), max_length=20, choices=Kind)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("A short heading: what to do.")
    )
    description = models.TextField(
        _("description"), blank=True, max_length=2000, help_text=_("Why, and how.")
    )
    button_label = models.CharField(
        _("button label"),
        max_length=60,
        blank=True,
        help_text=_(
            "Leave empty for the usual one (Donate, Read more…). "
            "A contact call has its own buttons."
        ),
    )
    url = WebURLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("The donation page, the page to read or the event's page (http or https)."),
    )

    target_name = models.CharField(_("decision maker"), max_length=200, blank=True)
    target_role = models.CharField(_("their role"), max_length=200, blank=True)
    target_email = models.EmailField(_("their email"), blank=True)
    target_phone = models.CharField(_("their phone"), max_length=40, blank=True)
    target_form_url = WebURLField(
        _("their web form"),
        max_length=500,
        blank=True,
        help_text=_("The address of their contact form (http or https)."),
    )
    message_subject = models.CharField(_("suggested subject"), max_length=200, blank=True)
    message_body = models.TextField(
        _("suggested message"),
        blank=True,
        max_length=5000,
        help_text=_("Readers copy it, or open it in their mail client with the subject."),
    )

    event_starts_at = models.DateTimeField(_("event starts at"), null=True, blank=True)
    event_place = models.TextField(
        _("place"), blank=True, max_length=500, help_text=_("Venue and address, one per line.")
    )

    position = models.PositiveIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(
        _("show from"), null=True, blank=True, help_text=_("Leave empty to show it at once.")
    )
    ends_at = models.DateTimeField(
        _("show until"), null=True, blank=True, help_text=_("Leave empty to keep it.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CallToActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("call to action")
        verbose_name_plural = _("calls to action")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="cta_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="contact")
                | (
                    ~Q(target_name="")
                    & (~Q(target_email="") | ~Q(target_phone="") | ~Q(target_form_url=""))
                ),
                name="cta_contact_reachable",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["donate", "read_more"]) | ~Q(url=""),
                name="cta_link_given",
            ),
            models.CheckConstraint(
                condition=~Q(kind="attend")
                | (Q(event_starts_at__isnull=False) & ~Q(event_place="")),
                name="cta_attend_has_time_and_place",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cosign") | Q(statement__isnull=False),
                name="cta_cosign_has_statement",
            ),
            models.CheckConstraint(condition=_is_web("url"), name="cta_url_is_web"),
            models.CheckConstraint(
                condition=_is_web("target_form_url"), name="cta_form_url_is_web"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ValidationError(
                _("It must end after it starts."), code="ends_before_start"
            )
        # Read through the relation: in an inline, the statement may not be saved yet.
        statement = self.statement
        if statement is not None and statement.campaign_id != self.campaign_id:
            errors["statement"] = ValidationError(
                _("This statement is not part of the call's campaign."),
                code="statement_outside_campaign",
            )
        if self.kind == self.Kind.CONTACT:
            if not self.target_name:
                errors["target_name"] = ValidationError(
                    _("Name the person or office to contact."), code="contact_without_target"
                )
            if not (self.target_email or self.target_phone or self.target_form_url):
                errors["target_email"] = ValidationError(
                    _(
                        "Give an email address, a phone number or a web form, "
                        "so readers can reach them."
                    ),
                    code="contact_unreachable",
                )
        elif self.kind in self.LINKED_KINDS and not self.url:
            errors["url"] = ValidationError(
                _("Give the address this call leads to."), code="link_required"
            )
        elif self.kind == self.Kind.ATTEND:
            if not self.event_starts_at:
                errors["event_starts_at"] = ValidationError(
                    _("Give the date and time of the event."), code="attend_without_time"
                )
            if not self.event_place.strip():
                errors["event_place"] = ValidationError(
                    _("Give the place of the event."), code="attend_without_place"
                )
        elif self.kind == self.Kind.COSIGN and statement is None:
            errors["statement"] = ValidationError(
                _("Choose the statement organizations are asked to co-sign."),
                code="cosign_without_statement",
            )
        if errors:
            raise ValidationError(errors)

    def schedule_state(self, now: datetime | None = None) -> str:
        """ "scheduled", "live" or "expired", by the same rule as CallToAction.objects.current()."""
        now = now or timezone.now()
        if self.starts_at and self.starts_at > now:
            return "scheduled"
        if self.ends_at and self.ends_at <= now:
            return "expired"
        return "live"

    def is_actionable(self) -> bool:
        """Whether a reader can act on it now: a co-sign call only while its statement signs."""
        if self.kind != self.Kind.COSIGN:
            return True
        statement = self.statement
        return statement.status == statement.Status.PUBLISHED and statement.cosign_is_open()

    def has_started(self, now: datetime) -> bool:
        return self.starts_at is None or self.starts_at <= now

    def button_text(self) -> str:
        return self.button_label or str(self.DEFAULT_BUTTONS.get(self.kind, ""))

    def mailto_url(self) -> str:
        """A mailto: link to the decision maker, subject and message filled in (RFC 6068)."""
        if not self.target_email:
            return ""
        fields = {"subject": self.message_subject}
        # Line breaks in a mailto body are written CRLF.
        fields["body"] = "\r\n".join(self.message_body.splitlines())
        query = urlencode({k: v for k, v in fields.items() if v}, quote_via=quote)
        address = quote(self.target_email, safe="@")
        return f"mailto:{address}?{query}" if query else f"mailto:{address}"
