from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField

from core.languages import LANGUAGES
from core.names import name_key
from organizations.validators import image_extensions, validate_image_pixels, validate_upload_size


def domain_of(url: str) -> str:
    """The host of a URL, lower-case and without "www.": https://www.Foo.org/x -> foo.org."""
    if url and "//" not in url:
        url = "//" + url
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", "NGO / non-profit"
        COALITION = "coalition", "Coalition or network"
        COMMUNITY = "community", "Community or diaspora group"
        FAITH = "faith", "Faith-based organization"
        UNION = "union", "Trade union"
        ACADEMIC = "academic", "Academic or research"
        MEDIA = "media", "Media outlet"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        "short name", max_length=40, blank=True, help_text="Acronym, e.g. SETF."
    )
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    # What the name and short name look like (core.names.name_key), kept to find
    # the organization a co-signer means however they typed it, look-alikes included.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    short_name_key = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NGO)
    country = CountryField(blank=True)
    website = models.URLField(max_length=300, blank=True)
    domain = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The website's host without www., kept to match organizations and emails.",
    )
    logo = models.ImageField(
        upload_to="logos/",
        blank=True,
        validators=[image_extensions, validate_upload_size, validate_image_pixels],
    )
    description = models.TextField(blank=True)
    verified = models.BooleanField(
        default=False,
        help_text="Staff have confirmed this organization exists and is who it says, website "
        "included: only then may a signer's email at its website's domain be approved "
        "automatically.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        self.domain = domain_of(self.website)
        self.name_key = name_key(self.name)
        self.short_name_key = name_key(self.short_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organization_detail", args=[self.slug])

    def is_named(self, name: str) -> bool:
        """Whether the name is this organization's name or short name, in any case."""
        name = name.casefold()
        return name in (self.name.casefold(), self.short_name.casefold())

    def email_matches_domain(self, email: str) -> bool:
        """Whether an address is at the organization's website domain or a subdomain of it."""
        email_domain = email.rpartition("@")[2].lower()
        return bool(self.domain) and (
            email_domain == self.domain or email_domain.endswith("." + self.domain)
        )


class Contact(models.Model):
    """A person at an organization; a journalist is a contact at a media outlet."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text="Role, e.g. Director of Policy.")
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    beat = models.CharField(
        max_length=200, blank=True, help_text="For journalists: what they cover, e.g. Middle East."
    )
    region = models.CharField(max_length=100, blank=True)
    language = models.CharField(
        max_length=10,
        choices=LANGUAGES,
        blank=True,
        help_text="The language emails to this person are written in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=~models.Q(email=""),
                name="contact_email_unique_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organization.short_name or self.organization.name}"


class PressList(models.Model):
    """A named set of press contacts, e.g. "US national desks"."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, related_name="press_lists", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "press list"

    def __str__(self) -> str:
        return self.name


class SuppressionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


def normalized_email(email: str) -> str:
    return email.strip().lower()


class Suppression(models.Model):
    """An address no press send may reach: it unsubscribed, bounced for good or complained.

    Only staff lift a suppression, and the row keeps who did it, when and why.
    """

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        STAFF = "staff", "Added by staff"

    email = models.EmailField(max_length=254, help_text="Kept in lower case.")
    reason = models.CharField(max_length=20, choices=Reason)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    lift_reason = models.TextField(blank=True, editable=False)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(lifted_at__isnull=True),
                name="suppression_active_once_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display().lower()})"
