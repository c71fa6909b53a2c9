from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from campaigns.models import Campaign
from organizations.models import Contact, Organization
from organizations.validators import image_extensions, validate_upload_size
from statements.markdown import render_markdown

LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية (Arabic)"),
    ("fr", "Français (French)"),
    ("es", "Español (Spanish)"),
    ("de", "Deutsch (German)"),
    ("tr", "Türkçe (Turkish)"),
    ("ku", "Kurdî (Kurdish)"),
]
RTL_LANGUAGES = {"ar"}


class StatementQuerySet(models.QuerySet):
    def public(self):
        """Statements anyone may read: published, and later archived or retracted."""
        return self.filter(status__in=Statement.PUBLIC_STATUSES)

    def published(self):
        return self.filter(status=Statement.Status.PUBLISHED)


class Statement(models.Model):
    class Kind(models.TextChoices):
        JOINT_STATEMENT = "joint_statement", "Joint statement"
        URGENT_JOINT_STATEMENT = "urgent_joint_statement", "Urgent joint statement"
        PRESS_RELEASE = "press_release", "Press release"
        OPEN_LETTER = "open_letter", "Open letter"
        DECLARATION = "declaration", "Declaration"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNOFF = "signoff", "In sign-off"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"
        RETRACTED = "retracted", "Retracted"

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.ARCHIVED, Status.RETRACTED)
    # A statement can be published from any state before publication.
    UNPUBLISHED_STATUSES = (Status.DRAFT, Status.SIGNOFF, Status.SCHEDULED)

    kind = models.CharField(max_length=30, choices=Kind, default=Kind.JOINT_STATEMENT)
    title = models.CharField("headline", max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The statement's address: /statements/<slug>/. Letters of any script.",
    )
    standfirst = models.TextField(
        blank=True, max_length=1000, help_text="One or two sentences under the headline."
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where it is issued from, e.g. WASHINGTON, DC."
    )
    release_date = models.DateField(
        null=True, blank=True, help_text="The date printed on the statement. Required to publish."
    )
    body = models.TextField(
        blank=True, help_text="Markdown: links, *emphasis*, lists, > block quotes, ## headings."
    )
    hero_image = models.ImageField(
        "image",
        upload_to="statements/",
        blank=True,
        validators=[image_extensions, validate_upload_size],
        help_text="JPEG, PNG, WebP or GIF, at most 5 MB.",
    )
    hero_alt = models.CharField(
        "image description",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    hero_credit = models.CharField("image credit", max_length=200, blank=True)
    language = models.CharField(max_length=10, choices=LANGUAGES, default="en")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    publish_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a scheduled statement goes public."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    retracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    retraction_note = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-release_date", "-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-release_date"])]
        constraints = [
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
        return reverse("statement_detail", args=[self.slug])

    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED

    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def text_direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @cached_property
    def body_html(self) -> str:
        return mark_safe(render_markdown(self.body))


class Demand(models.Model):
    """One numbered demand or call, e.g. "Ceasefire: …"."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="demands")
    position = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200, blank=True, help_text="e.g. Ceasefire")
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading or self.text[:60]


class Quote(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(max_length=3000)
    person_name = models.CharField("person", max_length=200)
    person_title = models.CharField("person's title", max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.text[:50]}"


class Signature(models.Model):
    """An organization on a statement, as one of its issuers or one of its signatories."""

    class Role(models.TextChoices):
        ISSUER = "issuer", "Issued by"
        SIGNATORY = "signatory", "Signed by"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatures")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.SIGNATORY)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"], name="signature_one_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} on {self.statement}"


class PressContact(models.Model):
    """A contact listed under "For press inquiries" on a statement."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="press_contacts"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "contact"], name="press_contact_once")
        ]

    def __str__(self) -> str:
        return str(self.contact)


class RelatedLink(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    url = models.URLField("URL", max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
