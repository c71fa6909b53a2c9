import hashlib
import html
import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from campaigns.models import Campaign
from core.collation import collated
from core.languages import LANGUAGES, direction, interface_language
from core.names import family_name_first, name_key
from organizations.models import Contact, Organization
from organizations.validators import image_extensions, validate_image_pixels, validate_upload_size
from statements.markdown import render_markdown

# About what a search engine shows of a page's description.
SUMMARY_LENGTH = 160


def new_cosign_key() -> str:
    return secrets.token_urlsafe(24)


def content_hash(content: dict) -> str:
    """The fingerprint of a statement's text: the same text always gives the same hash."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class StatementQuerySet(models.QuerySet):
    def public(self):
        """Statements anyone may read: published, and later archived or retracted."""
        return self.filter(status__in=Statement.PUBLIC_STATUSES)

    def published(self):
        return self.filter(status=Statement.Status.PUBLISHED)


class Statement(models.Model):
    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        URGENT_JOINT_STATEMENT = "urgent_joint_statement", _("Urgent joint statement")
        PRESS_RELEASE = "press_release", _("Press release")
        OPEN_LETTER = "open_letter", _("Open letter")
        DECLARATION = "declaration", _("Declaration")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNOFF = "signoff", _("In sign-off")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")
        RETRACTED = "retracted", _("Retracted")

    class SignatoryOrder(models.TextChoices):
        ALPHABETICAL = "alphabetical", _("Alphabetical")
        SIGNED = "signed", _("By date of signing")
        MANUAL = "manual", _("In the order of their position")
        COUNTRY = "country", _("By country, then alphabetical")
        KIND = "kind", _("By kind of organization, then alphabetical")

    class Signers(models.TextChoices):
        ORGANIZATIONS = "organizations", _("Organizations only")
        EVERYONE = "everyone", _("Organizations and individuals")

    class SignatoryGrouping(models.TextChoices):
        NONE = "", _("No headings")
        COUNTRY = "country", _("By country")
        KIND = "kind", _("By kind of organization")
        GROUPS = "groups", _("By the groups named below")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.ARCHIVED, Status.RETRACTED)
    # A statement can be published from any state before publication.
    UNPUBLISHED_STATUSES = (Status.DRAFT, Status.SIGNOFF, Status.SCHEDULED)
    # What a retraction notice may send readers to: a public statement that stands.
    CORRECTING_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.JOINT_STATEMENT)
    title = models.CharField(_("headline"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("The statement's address: /statements/<slug>/. Letters of any script."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        max_length=1000,
        help_text=_("One or two sentences under the headline."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=100,
        blank=True,
        help_text=_("Where it is issued from, e.g. WASHINGTON, DC."),
    )
    release_date = models.DateField(
        _("release date"),
        null=True,
        blank=True,
        help_text=_("The date printed on the statement. Empty: the day it is published."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Markdown: links, *emphasis*, lists, > block quotes, ## headings."),
    )
    # The order releases have: the lead (body), the demands, then what follows them.
    demands_heading = models.CharField(
        _("heading of the demands"),
        max_length=300,
        blank=True,
        help_text=_(
            "The release's own lead-in, e.g. “We call upon the following actions:”. "
            "Empty: “Our demands”."
        ),
    )
    closing = models.TextField(
        _("text after the demands"),
        blank=True,
        help_text=_("Markdown, shown after the demands."),
    )
    press_contacts_heading = models.CharField(
        _("heading of the press contacts"),
        max_length=300,
        blank=True,
        help_text=_(
            "The release's own words, e.g. “For press inquiries, please contact:”. "
            "Empty: “For press inquiries”."
        ),
    )
    hero_image = models.ImageField(
        _("image"),
        upload_to="statements/",
        blank=True,
        validators=[image_extensions, validate_upload_size, validate_image_pixels],
        help_text=_("JPEG, PNG, WebP or GIF, at most 5 MB."),
    )
    hero_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    hero_credit = models.CharField(_("image credit"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="en")
    # A translation is a statement of its own (language, slug, text, demands, quotes)
    # that shares the original's issuers, signatories, campaign and sign-off: the
    # original and its translations are one release.
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="translations",
        help_text=_("The original this statement translates."),
    )
    # What the translation was made from: the original's own text (translated_text())
    # when it was created or last marked up to date, and its hash. When the original's
    # text hashes otherwise, the translation is behind and staff see what changed.
    source_text = models.JSONField(null=True, blank=True, editable=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    source_checked_at = models.DateTimeField(
        _("checked against the original at"), null=True, blank=True, editable=False
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("campaign"),
    )

    signatory_order = models.CharField(
        _("order of signatories"),
        max_length=20,
        choices=SignatoryOrder,
        default=SignatoryOrder.ALPHABETICAL,
        help_text=_(
            "How the signatories are listed. Issuing organizations always come first, "
            "in the order you give them."
        ),
    )
    signers = models.CharField(
        _("who may sign"),
        max_length=20,
        choices=Signers,
        default=Signers.ORGANIZATIONS,
        help_text=_("Individuals sign in their own name, with an affiliation if they wish."),
    )
    signatory_numbering = models.BooleanField(
        _("number the signatories"), default=False, help_text=_("“12. Syrian American Council”.")
    )
    signatory_details = models.BooleanField(
        _("show acronym and country"),
        default=False,
        help_text=_("“Syrian American Council (SAC), United States”."),
    )
    signatory_grouping = models.CharField(
        _("headings in the list"),
        max_length=20,
        choices=SignatoryGrouping,
        default=SignatoryGrouping.NONE,
        blank=True,
    )
    logo_wall = models.BooleanField(
        _("show a wall of logos"),
        default=False,
        help_text=_("The logos of the organizations that agreed to show theirs."),
    )
    affiliation_note = models.CharField(
        _("note on affiliations"),
        max_length=300,
        blank=True,
        help_text=_(
            "Printed above the individuals. Leave empty for “Affiliations are for "
            "identification only.” in the statement's language."
        ),
    )
    individuals_auto_approve = models.BooleanField(
        _("approve individuals automatically"),
        default=False,
        help_text=_("List an individual as soon as they confirm their email, without review."),
    )
    cosign_open = models.BooleanField(
        _("open for co-signing"),
        default=False,
        help_text=_(
            "Partners can sign through the private link before publication, "
            "and through “Add your organization” on the public page after it."
        ),
    )
    cosign_closes_at = models.DateTimeField(
        _("co-signing closes at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep it open."),
    )
    cosign_auto_approve = models.BooleanField(
        _("approve matching signers automatically"),
        default=False,
        help_text=_(
            "Approve a confirmed signature without review when the signer's email "
            "address is at the organization's website domain."
        ),
    )
    cosign_key = models.CharField(
        _("co-sign key"), max_length=64, unique=True, default=new_cosign_key, editable=False
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    scheduled_version = models.ForeignKey(
        "Version",
        verbose_name=_("scheduled version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The text that was cleared for publication when it was scheduled."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a scheduled statement goes public."),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Who scheduled it: told if the publication is held back."),
    )
    scheduled_override = models.TextField(
        _("scheduled override"),
        blank=True,
        editable=False,
        help_text=_(
            "The reason given when scheduling to publish without every approval; "
            "it stands for the scheduled text only."
        ),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_version = models.ForeignKey(
        "Version",
        verbose_name=_("published version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The text that went out."),
    )
    # When it was archived: its co-signers' personal data is erased a set time after
    # (statements/services/retention.py).
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True, editable=False)
    retraction_note = models.TextField(_("retraction note"), blank=True, editable=False)
    corrected_by = models.ForeignKey(
        "self",
        verbose_name=_("corrected by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The public statement that corrects a retracted one, linked from its notice."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        # The roles (accounts/migrations) are made of these and the model permissions;
        # the services check them, whatever page or command asks.
        permissions = [
            ("publish_statement", _("Can publish, schedule, archive and retract statements")),
            ("override_signoff", _("Can publish without every signatory's approval")),
            ("correct_statement", _("Can correct published statements")),
            ("request_signoff", _("Can ask signatories to approve the text")),
            ("deliver_statement", _("Can deliver statements to decision makers")),
        ]
        ordering = ["-release_date", "-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-release_date"]),
            # The archive (front.releases.archive_entries): its public statements in its
            # order, with what decides whether each is an entry, read from the index alone
            # and only as far as the page shown; the count of originals too. The columns
            # after the id only carry values (SQLite has no INCLUDE): the id is unique.
            models.Index(
                fields=[
                    "-release_date",
                    "-published_at",
                    "-id",
                    "translation_of",
                    "language",
                    "campaign",
                ],
                condition=Q(status__in=["published", "archived", "retracted"]),
                name="statement_archive",
            ),
            # Whether an original has a public translation in the reader's language: the
            # archive looks among the translations, not among every public statement.
            models.Index(
                fields=["language", "translation_of"],
                condition=Q(
                    status__in=["published", "archived", "retracted"],
                    translation_of__isnull=False,
                ),
                name="statement_public_translations",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="statement_one_translation_per_language",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled")
                | Q(publish_at__isnull=False, release_date__isnull=False),
                name="statement_scheduled_has_time_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "archived", "retracted"])
                | Q(published_at__isnull=False, release_date__isnull=False),
                name="statement_public_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted")
                | (Q(retracted_at__isnull=False) & ~Q(retraction_note="")),
                name="statement_retraction_explained",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The page in the statement's own language, where the interface speaks it."""
        with translation.override(interface_language(self.language)):
            return reverse("statement_detail", args=[self.slug])

    @property
    def original(self) -> "Statement":
        """The statement this one translates, or itself: a release's signatures,
        campaign, co-signing and sign-off live on its original."""
        return self.translation_of if self.translation_of_id else self

    def release(self) -> list["Statement"]:
        """Every statement of the release: the original first, then its translations."""
        original = self.original
        return [original, *original.translations.order_by("language", "pk")]

    def in_language(self, language: str) -> "Statement | None":
        """The statement of this release written in `language`, if there is one."""
        return next((s for s in self.release() if s.language == language), None)

    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is None:
            if self.pk and self.translations.filter(language=self.language).exists():
                raise ValidationError(
                    {"language": _("A translation of this statement is already in that language.")},
                    code="translation_exists",
                )
            return
        if original.translation_of_id is not None:
            raise ValidationError(
                _("A translation is made from the original, not from another translation."),
                code="translation_of_translation",
            )
        if self.language == original.language:
            raise ValidationError(
                {"language": _("A translation is in another language than its original.")},
                code="same_language",
            )
        others = original.translations.filter(language=self.language).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(
                {"language": _("The release already has a translation in that language.")},
                code="translation_exists",
            )

    def is_up_to_date(self) -> bool:
        """Whether a translation was made from, or checked against, the original's
        text as it is now; an original is its own text."""
        if self.translation_of_id is None:
            return True
        return self.source_hash == content_hash(self.translation_of.translated_text())

    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED

    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def cosign_is_open(self) -> bool:
        """Whether partners may sign now, through whichever link fits the statement's state.

        Co-signing is the release's: a translation's page follows its original's settings.
        """
        original = self.original
        if not original.cosign_open or self.status in (
            self.Status.ARCHIVED,
            self.Status.RETRACTED,
        ):
            return False
        return original.cosign_closes_at is None or timezone.now() < original.cosign_closes_at

    def get_cosign_url(self) -> str:
        """The public co-sign form once published; the private link (the release's) before."""
        if self.status == self.Status.PUBLISHED:
            return reverse("cosign", args=[self.slug])
        return reverse("cosign_private", args=[self.original.cosign_key])

    def translated_text(self) -> dict:
        """The parts of the text a translation has in its own words, in reading order."""
        text = {
            "title": self.title,
            "standfirst": self.standfirst,
            "body": self.body,
            "demands_heading": self.demands_heading,
            "demands": [{"heading": d.heading, "text": d.text} for d in self.demands.all()],
            "closing": self.closing,
            "quotes": [
                {
                    "text": q.text,
                    "person_name": q.person_name,
                    "person_title": q.person_title,
                    "organization": q.organization.name if q.organization else "",
                }
                for q in self.quotes.select_related("organization")
            ],
            "press_contacts_heading": self.press_contacts_heading,
        }
        # A part left empty is left out, so a text that does not use the parts added
        # later hashes as it did before they existed: the approvals and translations
        # made from it stay valid.
        for part in ("demands_heading", "closing", "press_contacts_heading"):
            if not text[part]:
                del text[part]
        return text

    def signable_content(self) -> dict:
        """What signatories approve: the release in every language (headline, standfirst,
        body, demands and their heading, the closing, quotes, the press contacts' heading)
        and its signatories. A translation's is its original's,
        so one version, and one approval, covers every language that goes out."""
        if self.translation_of_id:
            return self.translation_of.signable_content()
        return {
            **self.translated_text(),
            "language": self.language,
            "translations": {
                t.language: t.translated_text() for t in self.translations.order_by("language")
            },
            # Individuals sign the text; they are not part of what partners approve.
            "signatories": [
                {"organization": s.organization.name, "role": s.role}
                for s in self.signatures.listed()
                .organizations()
                .in_order(self.SignatoryOrder.MANUAL)
                .select_related("organization")
            ],
        }

    def individuals_may_sign(self) -> bool:
        return self.original.signers == self.Signers.EVERYONE

    def affiliation_note_text(self) -> str:
        """The note printed above the individuals, in the statement's language."""
        original = self.original
        if original.affiliation_note:
            return original.affiliation_note
        with translation.override(interface_language(self.language)):
            return gettext("Affiliations are for identification only.")

    def page_parts(self) -> list[str]:
        """What the page cache calls the public pages showing this statement: every
        statement of its release, as each page links to the others and shows the same
        signatories, and the campaign's."""
        release = self.release()
        parts = [f"statement:{member.slug}" for member in release]
        if release[0].campaign_id:
            parts.append(f"campaign:{release[0].campaign.slug}")
        return parts

    @property
    def text_direction(self) -> str:
        return direction(self.language)

    @cached_property
    def body_html(self) -> str:
        return mark_safe(render_markdown(self.body))

    @cached_property
    def closing_html(self) -> str:
        return mark_safe(render_markdown(self.closing))

    @cached_property
    def summary(self) -> str:
        """What describes the statement in a card, a search result or a share preview:
        its standfirst, or else the start of its body as plain text, cut at a word."""
        if self.standfirst:
            return self.standfirst
        text = " ".join(html.unescape(strip_tags(render_markdown(self.body))).split())
        if len(text) <= SUMMARY_LENGTH:
            return text
        return text[: SUMMARY_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;:—–-") + "…"


class Demand(models.Model):
    """One numbered demand or call, e.g. "Ceasefire: …"."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="demands"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("e.g. Ceasefire")
    )
    text = models.TextField(_("text"), max_length=2000)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading or self.text[:60]


class Quote(models.Model):
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="quotes"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), max_length=3000)
    person_name = models.CharField(_("person"), max_length=200)
    person_title = models.CharField(_("person's title"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.text[:50]}"


def listed_signatures(prefix: str = "") -> Q:
    """The signatures shown on a statement's page, seen through a relation: from a
    statement or an organization, listed_signatures("signatures__").

    An individual whose name was erased is listed no more: the name was all there was.
    """
    return Q(**{f"{prefix}state": Signature.State.APPROVED}) & (
        Q(**{f"{prefix}kind": Signature.Kind.ORGANIZATION}) | ~Q(**{f"{prefix}signer_name": ""})
    )


class SignatureQuerySet(models.QuerySet):
    def listed(self):
        """Signatures shown on the statement's page."""
        return self.filter(listed_signatures())

    def on_public_statements(self):
        """Signatures shown on a page anyone may read."""
        return self.listed().filter(statement__status__in=Statement.PUBLIC_STATUSES)

    def organizations(self):
        return self.filter(kind=Signature.Kind.ORGANIZATION)

    def individuals(self):
        return self.filter(kind=Signature.Kind.INDIVIDUAL)

    def in_order(self, order: str, *, language: str = "en", grouping: str = ""):
        """Issuers first, in the order staff gave them; then signatories under their
        headings (Statement.SignatoryGrouping), the pinned first under each, then in
        `order` (Statement.SignatoryOrder). Names sort by the collation of `language`,
        countries by their names in it."""
        is_issuer = Q(role=Signature.Role.ISSUER)
        issuer_position = Case(When(is_issuer, then=F("position")), default=Value(0))
        # Ordering by country name is a CASE over every country: built only when used,
        # since it costs more than the rest of a statement page's queries together.
        headings = {
            Statement.SignatoryGrouping.COUNTRY: lambda: _by_country(language),
            Statement.SignatoryGrouping.KIND: lambda: _BY_KIND,
            Statement.SignatoryGrouping.GROUPS: lambda: [
                F("group__position").asc(nulls_last=True),
                F("group_id").asc(nulls_last=True),
            ],
        }.get(grouping, list)()
        keys = {
            Statement.SignatoryOrder.ALPHABETICAL: list,
            Statement.SignatoryOrder.SIGNED: lambda: ["created_at"],
            Statement.SignatoryOrder.MANUAL: lambda: ["position"],
            Statement.SignatoryOrder.COUNTRY: lambda: _by_country(language),
            Statement.SignatoryOrder.KIND: lambda: _BY_KIND,
        }[order]()
        name = collated(
            Coalesce(
                NullIf(F("sort_key"), Value("")),
                NullIf(F("organization__sort_name"), Value("")),
                F("organization__name"),
                F("organization_name"),
            ),
            language,
        )
        return self.alias(country_code=signatory_country_code()).order_by(
            "role", issuer_position, *headings, "-pinned", *keys, name.asc(), "id"
        )


# Kinds of organization in the order Organization.Kind declares them; individuals after.
_BY_KIND = [
    Case(
        *[When(organization__kind=kind, then=Value(i)) for i, kind in enumerate(Organization.Kind)],
        default=Value(len(Organization.Kind)),
    )
]


def signatory_country_code():
    """The country a signature is listed under: its organization's, or an individual's own."""
    return Coalesce(NullIf(F("organization__country"), Value("")), F("signer_country"))


def _by_country(language: str) -> list:
    """Order by the country's name in `language`, those without one last."""
    with translation.override(interface_language(language)):
        names = [When(country_code=c, then=Value(str(n))) for c, n in countries]
    country_name = Case(*names, default=Value(""))
    return [
        Case(When(Q(country_code=""), then=Value(1)), default=Value(0)),
        collated(country_name, language),
    ]


class Signature(models.Model):
    """An organization on a statement, as one of its issuers or one of its signatories.

    Staff add signatures by hand (approved at once); partners sign through the
    co-sign form: submitted, then confirmed by email, then approved or rejected
    by staff (or approved automatically), and perhaps withdrawn later.

    A signature from the form keeps the organization as the signer typed it. If it
    names no organization we know, the organization is made when the signer
    confirms: until then the signature has none, and nobody's list shows one that
    may never exist.
    """

    class Role(models.TextChoices):
        ISSUER = "issuer", _("Issued by")
        SIGNATORY = "signatory", _("Signed by")

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        INDIVIDUAL = "individual", _("Individual")

    class Source(models.TextChoices):
        STAFF = "staff", _("Added by staff")
        FORM = "form", _("Co-sign form")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting email confirmation")
        CONFIRMED = "confirmed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A release's signatures are its original's: forms offer no translation.
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="signatures",
        limit_choices_to={"translation_of__isnull": True},
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        related_name="signatures",
        verbose_name=_("organization"),
    )
    kind = models.CharField(
        _("signs as"), max_length=20, choices=Kind, default=Kind.ORGANIZATION, editable=False
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SIGNATORY)
    position = models.PositiveIntegerField(_("position"), default=0)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Listed at the top, whatever the order.")
    )
    group = models.ForeignKey(
        "SignatoryGroup",
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )
    sort_as = models.CharField(
        _("sort as"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where alphabetical lists put it, if not by the name: “Beethoven, Ludwig van”."
        ),
    )
    # What alphabetical lists order it by: sort_as, or for an individual the name family
    # name first; empty for an organization, listed under its organization's sort_name.
    sort_key = models.CharField(max_length=200, blank=True, editable=False)
    show_logo = models.BooleanField(
        _("logo may be shown"),
        default=False,
        help_text=_("The organization agreed to have its logo on the statement's logo wall."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source, default=Source.STAFF, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.APPROVED, editable=False
    )

    organization_name = models.CharField(
        _("organization as typed"), max_length=200, blank=True, editable=False
    )
    organization_website = models.URLField(
        _("website as typed"), max_length=300, blank=True, editable=False
    )
    organization_country = CountryField(_("country as typed"), blank=True, editable=False)
    organization_kind = models.CharField(
        _("kind as typed"),
        max_length=20,
        choices=Organization.Kind,
        blank=True,
        editable=False,
    )
    # What the typed name looks like (core.names.name_key): one signature per statement
    # for each organization still to be made.
    organization_key = models.CharField(
        _("organization key"), max_length=200, blank=True, editable=False
    )

    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title or role"), max_length=200, blank=True)
    signer_email = models.EmailField(_("signer's email"), max_length=254, blank=True)
    # An individual's: their affiliation (printed "for identification only"), country,
    # and their consent to have their name published.
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    signer_country = CountryField(_("signer's country"), blank=True)
    consent_publish = models.BooleanField(
        _("name may be published"),
        default=False,
        help_text=_("The individual agreed to have their name listed on the statement."),
    )
    # The individual's address as compared (lowercase): one signature per person per
    # statement. Empty for an organization's signature and for an individual added by
    # staff without an address.
    person_key = models.CharField(max_length=254, blank=True, editable=False)
    # The language of the page it was signed on: its emails are written in it.
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, blank=True)
    signer_phone = models.CharField(_("signer's phone"), max_length=40, blank=True)
    authorized = models.BooleanField(
        _("authorized"),
        default=False,
        help_text=_("The signer said they may sign for the organization."),
    )
    consent_contact = models.BooleanField(
        _("may be contacted"), default=False, help_text=_("About this statement.")
    )
    # The words of the boxes the signer ticked, as the form showed them (in the page's
    # language), and when: what they agreed to stays on record if the form changes.
    consent_text = models.TextField(
        _("consent as worded"),
        blank=True,
        editable=False,
        help_text=_("The words of the boxes the signer ticked, as the form showed them."),
    )
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True, editable=False)
    message = models.TextField(_("message to the coalition"), max_length=2000, blank=True)
    logo = models.ImageField(
        _("logo sent with the signature"),
        upload_to="signature-logos/",
        blank=True,
        validators=[image_extensions, validate_upload_size, validate_image_pixels],
        help_text=_("Given to the organization on approval if it has none."),
    )
    organization_created = models.BooleanField(
        _("new organization"),
        default=False,
        editable=False,
        help_text=_("The organization was made from what the signer typed, when they confirmed."),
    )

    created_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(
        _("decided at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When it was approved or rejected."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    # When the signer's personal data was erased (by the retention rules or on request):
    # the row stays, with its organization, state and dates, so that counts stay.
    erased_at = models.DateTimeField(
        _("signer's data erased at"), null=True, blank=True, editable=False
    )
    digest_email = models.ForeignKey(
        "OutgoingEmail",
        verbose_name=_("digest email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="digested_signatures",
        help_text=_("The digest that told staff of this signature."),
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        permissions = [
            ("moderate_signature", _("Can approve and reject co-signatures")),
            ("export_signature", _("Can export signatories")),
            ("import_signature", _("Can import individual signatories")),
        ]
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["statement", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"], name="signature_one_per_organization"
            ),
            models.CheckConstraint(
                condition=Q(source="staff") | ~Q(signer_email="") | Q(erased_at__isnull=False),
                name="signature_from_form_has_email",
            ),
            models.UniqueConstraint(
                fields=["statement", "organization_key"],
                condition=Q(organization__isnull=True, kind="organization"),
                name="signature_once_per_organization_to_make",
            ),
            # Only a signature from the form waits for its organization, and only
            # until it is confirmed: whatever is listed or awaits approval has one.
            models.CheckConstraint(
                condition=Q(kind="individual")
                | Q(organization__isnull=False)
                | (
                    Q(source="form", state__in=["submitted", "rejected", "withdrawn"])
                    & ~Q(organization_name="")
                ),
                name="signature_has_organization_once_confirmed",
            ),
            # An individual signs for nobody but themselves, once per statement, and
            # is never an issuer.
            models.CheckConstraint(
                condition=Q(kind="organization") | Q(organization__isnull=True, role="signatory"),
                name="signature_individual_has_no_organization",
            ),
            models.UniqueConstraint(
                fields=["statement", "person_key"],
                condition=Q(kind="individual") & ~Q(person_key=""),
                name="signature_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="organization") | ~Q(signer_name="") | Q(erased_at__isnull=False),
                name="signature_individual_has_name",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(organization)s on %(statement)s") % {
            "organization": self.organization_label(),
            "statement": self.statement,
        }

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_as or (
            family_name_first(self.signer_name) if self.is_individual() else ""
        )
        if self.is_individual():
            self.person_key = self.signer_email.strip().lower()
        super().save(*args, **kwargs)

    def is_individual(self) -> bool:
        return self.kind == self.Kind.INDIVIDUAL

    def organization_label(self) -> str:
        """The organization's name, or the name typed for one still to be made; an
        individual's own name."""
        if self.is_individual():
            return self.signer_name
        return self.organization.name if self.organization else self.organization_name

    def email_matches_domain(self) -> bool:
        return (
            bool(self.signer_email)
            and self.organization is not None
            and self.organization.email_matches_domain(self.signer_email)
        )

    def name_only_looks_like(self) -> bool:
        """Whether the signer typed a name that is not the organization's but looks like it
        (another script's letter, an invisible character): an impostor's trick."""
        organization = self.organization
        if organization is None or not self.organization_name:
            return False
        return not organization.is_named(self.organization_name) and name_key(
            self.organization_name
        ) in (organization.name_key, organization.short_name_key)

    def may_be_approved_automatically(self) -> bool:
        """Whether a confirmed signature may be listed without review: when the statement
        allows it, and the signer's email is at the website domain of an organization
        staff verified, that existed before this signature and that the signer named.

        An organization made from the signature, or one nobody on staff checked, proves
        nothing about its domain: anyone can type a famous name and their own website.
        An individual speaks only for themselves: the statement alone decides
        (individuals_auto_approve).
        """
        if self.is_individual():
            return self.statement.individuals_auto_approve
        organization = self.organization
        return (
            self.statement.cosign_auto_approve
            and organization is not None
            and organization.verified
            and not self.organization_created
            and not self.name_only_looks_like()
            and self.email_matches_domain()
        )


class SignatoryGroup(models.Model):
    """A heading staff name in a statement's list of signatories ("Lead organizations")."""

    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="signatory_groups",
    )
    name = models.CharField(_("heading"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("group of signatories")
        verbose_name_plural = _("groups of signatories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "name"], name="signatory_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class PendingSignature(Signature):
    """Confirmed signatures awaiting staff: the admin's moderation queue."""

    class Meta:
        proxy = True
        verbose_name = _("signature awaiting approval")
        verbose_name_plural = _("moderation queue")


class SignatureToken(models.Model):
    """An emailed link that confirms or withdraws a signature; only its hash is kept."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("Confirm")
        WITHDRAW = "withdraw", _("Withdraw")

    signature = models.ForeignKey(
        Signature, verbose_name=_("signature"), on_delete=models.CASCADE, related_name="tokens"
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # A confirmation link stops working when a newer confirmation email is written.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature link")
        verbose_name_plural = _("signature links")

    def __str__(self) -> str:
        return gettext("%(purpose)s link for %(signature)s") % {
            "purpose": self.get_purpose_display(),
            "signature": self.signature,
        }

    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class RateLimitCount(models.Model):
    """Attempts on the co-sign and resend forms in one time window, by visitor address or
    email address: counted here only while the shared cache, where they are normally
    counted, does not answer (statements/ratelimits.py)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate limit count")
        verbose_name_plural = _("rate limit counts")

    def __str__(self) -> str:
        return gettext("%(count)s attempts until %(end)s") % {
            "count": self.count,
            "end": date_format(timezone.localtime(self.expires_at), "DATETIME_FORMAT"),
        }


class SignatureEvent(models.Model):
    """One line of a signature's history."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added by staff")
        SUBMITTED = "submitted", _("Submitted through the form")
        RESEND_REQUESTED = "resend_requested", _("Asked for the confirmation again")
        CONFIRMED = "confirmed", _("Confirmed by email")
        APPROVED = "approved", _("Approved")
        AUTO_APPROVED = "auto_approved", _("Approved automatically")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # PROTECT: a signature's history (who signed, confirmed, approved it, when) is a record.
    signature = models.ForeignKey(
        Signature, verbose_name=_("signature"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("signature event")
        verbose_name_plural = _("signature events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


def sweep_after_grace():
    # Long enough for the task queued on commit to have sent it.
    return timezone.now() + timedelta(minutes=1)


class OutgoingEmail(models.Model):
    """An email the site owes someone, written in the same transaction as its cause.

    A worker sends it and marks it sent; the periodic sweep re-enqueues what
    was never enqueued (broker down) or whose worker died, so none is lost,
    and a sent one is never sent again.
    """

    class Kind(models.TextChoices):
        SIGNATURE_CONFIRMATION = "signature_confirmation", _("Co-sign: confirm your signature")
        SIGNATURE_LISTED = "signature_listed", _("Co-sign: you are listed")
        COSIGN_DIGEST = "cosign_digest", _("Co-sign: digest for staff")
        SIGNOFF_REQUEST = "signoff_request", _("Sign-off: please approve")
        SIGNOFF_REMINDER = "signoff_reminder", _("Sign-off: reminder")
        SIGNOFF_RELEASE = "signoff_release", _("Sign-off: published")
        PUBLICATION_HELD = "publication_held", _("Publishing: scheduled publication held back")
        PRESS_TEST = "press_test", _("Press: test copy for staff")
        PASSWORD_RESET = "password_reset", _("Staff: password reset")
        FOLLOW_CONFIRMATION = "follow_confirmation", _("Following: confirm your address")
        STATEMENT_UPDATE = "statement_update", _("Following: an update on the statement")
        TARGET_DELIVERY = "target_delivery", _("Delivery: the statement to a decision maker")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    to = models.TextField(_("to"), help_text=_("Recipients, one per line."))
    # PROTECT: an email owed or sent is a record; what it is about cannot go before it.
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("statement"),
    )
    signature = models.ForeignKey(
        Signature,
        on_delete=models.PROTECT,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("signature"),
    )
    signoff_request = models.ForeignKey(
        "SignoffRequest",
        on_delete=models.PROTECT,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("sign-off request"),
    )
    update = models.ForeignKey(
        "StatementUpdate",
        on_delete=models.PROTECT,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("update"),
    )
    follower = models.ForeignKey(
        "Follower",
        on_delete=models.PROTECT,
        related_name="emails",
        null=True,
        blank=True,
        verbose_name=_("follower"),
    )
    target_delivery = models.OneToOneField(
        "TargetDelivery",
        on_delete=models.PROTECT,
        related_name="outgoing_email",
        null=True,
        blank=True,
        verbose_name=_("delivery to a decision maker"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        default=sweep_after_grace,
        help_text=_(
            "When the sweep sends it if no worker has: a minute after it is owed, "
            "later after each temporary failure."
        ),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("failed at"),
        null=True,
        blank=True,
        help_text=_("When sending was given up: refused for good."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="email_unsent",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["signature"],
                condition=Q(kind="signature_listed"),
                name="email_listed_once_per_signature",
            ),
            # An update goes once to each address, however many ways it is owed there
            # (a signatory's contact who also follows the statement).
            models.UniqueConstraint(
                fields=["update", "to"],
                condition=Q(update__isnull=False) & ~Q(to=""),
                name="email_update_once_per_address",
            ),
            # An email whose recipient was erased (to="") holds no address's place.
            models.UniqueConstraint(
                fields=["statement", "to"],
                condition=Q(kind="signoff_release") & ~Q(to=""),
                name="email_release_once_per_address",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s to %(recipient)s") % {
            "kind": self.get_kind_display(),
            "recipient": self.recipients()[0] if self.to else "-",
        }

    def recipients(self) -> list[str]:
        return self.to.split()


class PressContact(models.Model):
    """A contact listed under "For press inquiries" on a statement."""

    # A release's press contacts are its original's.
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="press_contacts",
        verbose_name=_("statement"),
        limit_choices_to={"translation_of__isnull": True},
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "contact"], name="press_contact_once")
        ]

    def __str__(self) -> str:
        return str(self.contact)


class RelatedLink(models.Model):
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="related_links",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)

    class Meta:
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    """A numbered, frozen copy of a statement's signable text; never changed once made."""

    class Reason(models.TextChoices):
        SIGNOFF = "signoff", _("Sign-off requested")
        SCHEDULING = "scheduling", _("Scheduled for publication")
        PUBLICATION = "publication", _("Published")
        CORRECTION = "correction", _("Corrected after publication")

    # PROTECT: who approved which text is read from the versions.
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return gettext("Version %(number)s of %(statement)s") % {
            "number": self.number,
            "statement": self.statement,
        }


class SignoffRequest(models.Model):
    """A request to one contact of a signatory organization to approve one version."""

    # PROTECT: the record of whom the coalition asked to approve which version.
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        related_name="signoff_requests",
        verbose_name=_("statement"),
    )
    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.PROTECT, related_name="requests"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="signoff_requests",
    )
    deadline = models.DateTimeField(_("deadline"))
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("The deadline plus a grace period.")
    )
    note = models.TextField(_("personal note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(
        _("revoked at"),
        null=True,
        blank=True,
        help_text=_("A newer request to the same contact replaced it."),
    )
    viewed_at = models.DateTimeField(_("viewed at"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-off request")
        verbose_name_plural = _("sign-off requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(contact)s asked to approve %(version)s") % {
            "contact": self.contact,
            "version": self.version,
        }


class SignoffToken(models.Model):
    """The secret in one emailed sign-off link (request or reminder); only its hash is kept."""

    request = models.ForeignKey(
        SignoffRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="tokens"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-off link")
        verbose_name_plural = _("sign-off links")

    def __str__(self) -> str:
        return gettext("Link for %(request)s") % {"request": self.request}


class SignoffAnswer(models.Model):
    """An organization's answer on one version: one per organization and version, final."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGE_REQUESTED = "change_requested", _("Approved with a requested change")
        DECLINED = "declined", _("Declined")

    request = models.OneToOneField(
        SignoffRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="answer"
    )
    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.PROTECT, related_name="answers"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-off answer")
        verbose_name_plural = _("sign-off answers")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization"], name="signoff_answer_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="signoff_answer_explained",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(organization)s: %(decision)s (%(version)s)") % {
            "organization": self.organization,
            "decision": self.get_decision_display(),
            "version": self.version,
        }

    def is_approval(self) -> bool:
        """Approving with a requested change still approves the version as it stands."""
        return self.decision in (self.Decision.APPROVED, self.Decision.CHANGE_REQUESTED)


class SignoffEvent(models.Model):
    """One line of a statement's sign-off timeline."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Sign-off requested")
        REMINDED = "reminded", _("Reminder sent")
        VIEWED = "viewed", _("Link opened")
        APPROVED = "approved", _("Approved")
        CHANGE_REQUESTED = "change_requested", _("Approved with a requested change")
        DECLINED = "declined", _("Declined")
        SCHEDULED = "scheduled", _("Publication scheduled")
        SCHEDULED_OVERRIDDEN = "scheduled_overridden", _("Scheduled without every approval")
        OVERRIDDEN = "overridden", _("Published without every approval")
        HELD = "held", _("Scheduled publication held back")

    # PROTECT: the timeline holds what no other row does, such as why staff
    # published without every approval.
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        related_name="signoff_events",
        verbose_name=_("statement"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sign-off event")
        verbose_name_plural = _("sign-off events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class StatementUpdateQuerySet(models.QuerySet):
    def public(self):
        """Updates shown on the statement's page, newest first."""
        return self.filter(published_at__isnull=False).order_by("-posted_at", "-pk")


class StatementUpdate(models.Model):
    """A dated note on a published statement: news, an answer received, a correction of
    its text, its delivery to a decision maker."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        RESPONSE = "response", _("Response received")
        CORRECTION = "correction", _("Correction")
        DELIVERED = "delivered", _("Delivered")

    # PROTECT: what was said publicly about a statement, and emailed, stays on record.
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="updates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.UPDATE)
    posted_at = models.DateTimeField(
        _("date"), default=timezone.now, help_text=_("The date the update carries.")
    )
    text = models.TextField(_("text"), max_length=10000)
    # A response received: who answered, when, and where the answer can be read.
    responder = models.CharField(_("who answered"), max_length=300, blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    response_url = models.URLField(_("link to the answer"), max_length=500, blank=True)
    # A correction: the version it made and the one it replaced.
    version = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("corrected version"),
    )
    previous_version = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("version corrected"),
    )
    # Whether the journalists who received the release are told of a correction, chosen
    # when it is made and acted on when it is published (perhaps after sign-off).
    notify_press = models.BooleanField(
        _("tell the journalists who received the release"), default=False, editable=False
    )
    # When it went on the page (a correction awaiting sign-off is not there yet).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    email_signatories = models.BooleanField(
        _("email the signatories"),
        default=False,
        help_text=_(
            "The signatory organizations' contacts, and individual signers who agreed to "
            "be contacted."
        ),
    )
    email_followers = models.BooleanField(
        _("email the followers"),
        default=False,
        help_text=_("Readers who follow the statement by email."),
    )
    emails_owed_at = models.DateTimeField(
        _("emails owed at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StatementUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(version__isnull=False),
                name="update_correction_has_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.statement}"

    def get_absolute_url(self) -> str:
        return f"{self.statement.get_absolute_url()}#{self.anchor()}"

    def anchor(self) -> str:
        return f"update-{self.pk}"

    def comparison_url(self) -> str:
        """A correction's public comparison of the text it replaced with its own."""
        if self.kind != self.Kind.CORRECTION or self.previous_version_id is None:
            return ""
        with translation.override(interface_language(self.statement.language)):
            return reverse(
                "statement_compare",
                args=[self.statement.slug, self.previous_version.number, self.version.number],
            )


class Follower(models.Model):
    """A reader who follows a statement by email: told of its updates once confirmed,
    until they unsubscribe."""

    # PROTECT: whom the site may write to, and what they agreed to, is a record.
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="followers"
    )
    email = models.EmailField(_("email"), max_length=254)
    # The address as compared: one follower per address per statement.
    email_key = models.CharField(max_length=254, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, blank=True)
    consent_text = models.TextField(_("consent as worded"), blank=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed at"), null=True, blank=True, editable=False
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "email_key"],
                condition=~Q(email_key=""),
                name="follower_once_per_address",
            )
        ]

    def __str__(self) -> str:
        return self.email or gettext("(erased)")

    def save(self, *args, **kwargs):
        self.email_key = self.email.strip().lower()
        super().save(*args, **kwargs)

    def is_following(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class FollowerToken(models.Model):
    """An emailed link of a follower's, stored hashed: to confirm, or to unsubscribe."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("Confirm")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")

    follower = models.ForeignKey(
        Follower, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("follower")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower link")
        verbose_name_plural = _("follower links")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.follower}"

    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class TargetDelivery(models.Model):
    """The statement sent to one decision maker: once, with its time."""

    # PROTECT: who was handed the statement, and when, is what the coalition reports.
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.PROTECT,
        related_name="target_deliveries",
    )
    call_to_action = models.ForeignKey(
        "campaigns.CallToAction",
        verbose_name=_("call to action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The contact call whose decision maker this is, if any."),
    )
    name = models.CharField(_("decision maker"), max_length=300)
    email = models.EmailField(_("email"), max_length=254)
    email_key = models.CharField(max_length=254, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, blank=True)
    note = models.TextField(_("covering note"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("owed at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    # The "delivered" update shown on the page once it went.
    update = models.OneToOneField(
        StatementUpdate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="target_delivery",
        verbose_name=_("update"),
    )

    class Meta:
        verbose_name = _("delivery to a decision maker")
        verbose_name_plural = _("deliveries to decision makers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "email_key"], name="target_delivery_once_per_address"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(statement)s to %(name)s") % {
            "statement": self.statement,
            "name": self.name,
        }

    def save(self, *args, **kwargs):
        self.email_key = self.email.strip().lower()
        super().save(*args, **kwargs)


class PrivacyNotice(models.Model):
    """What the coalition does with a co-signer's details, in one interface language.

    The co-sign form links to it, at /privacy/ in each language; staff write it, in
    Markdown, for each language the interface speaks.
    """

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, unique=True
    )
    text = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["language"]

    def __str__(self) -> str:
        return gettext("Privacy notice (%(language)s)") % {"language": self.get_language_display()}

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("privacy")

    @property
    def text_direction(self) -> str:
        return direction(self.language)

    @cached_property
    def text_html(self) -> str:
        return mark_safe(render_markdown(self.text))
