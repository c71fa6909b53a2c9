import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.languages import LANGUAGES
from core.names import name_key, organization_sort_name
from organizations.validators import image_extensions, validate_image_pixels, validate_upload_size


def domain_of(url: str) -> str:
    """The host of a URL, lower-case and without "www.": https://www.Foo.org/x -> foo.org."""
    if url and "//" not in url:
        url = "//" + url
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO / non-profit")
        COALITION = "coalition", _("Coalition or network")
        COMMUNITY = "community", _("Community or diaspora group")
        FAITH = "faith", _("Faith-based organization")
        UNION = "union", _("Trade union")
        ACADEMIC = "academic", _("Academic or research")
        MEDIA = "media", _("Media outlet")
        OTHER = "other", pgettext_lazy("kind of organization", "Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("Acronym, e.g. SETF.")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    # What the name and short name look like (core.names.name_key), kept to find
    # the organization a co-signer means however they typed it, look-alikes included.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    short_name_key = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    # The name alphabetical lists put it under (core.names.organization_sort_name).
    sort_name = models.CharField(max_length=200, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NGO)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(
        _("general email address"),
        max_length=254,
        blank=True,
        help_text=_("The organization's own address, e.g. info@…, not a person's."),
    )
    domain = models.CharField(
        _("domain"),
        max_length=255,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The website's host without www., kept to match organizations and emails."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[image_extensions, validate_upload_size, validate_image_pixels],
    )
    description = models.TextField(_("description"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_(
            "Staff have confirmed this organization exists and is who it says, website "
            "included: only then may a signer's email at its website's domain be approved "
            "automatically."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # The archive's organization filter matches a name whatever its case
            # (name__iexact): without this, every organization is read to find one.
            models.Index(Upper("name"), name="organization_name_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        self.domain = domain_of(self.website)
        self.name_key = name_key(self.name)
        self.short_name_key = name_key(self.short_name)
        self.sort_name = organization_sort_name(self.name)
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
        Organization,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("organization"),
    )
    # Releases name some contacts by their role alone ("Operations Manager").
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Role, e.g. Director of Policy.")
    )
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    beat = models.CharField(
        _("beat"),
        max_length=200,
        blank=True,
        help_text=_("For journalists: what they cover, e.g. Middle East."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=LANGUAGES,
        blank=True,
        help_text=_("The language emails to this person are written in."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the person's data was erased on request (accounts.services.personal_data): the row stays,
    # since deliveries and sign-off answers name it, and holds nothing of theirs.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        permissions = [
            ("import_contact", _("Can import contacts")),
            ("export_contact", _("Can export contacts")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=~models.Q(email=""),
                name="contact_email_unique_per_organization",
            ),
            models.CheckConstraint(
                condition=~models.Q(name="", title=""), name="contact_has_name_or_title"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s, %(organization)s") % {
            "name": self.name or self.title,
            "organization": self.organization.short_name or self.organization.name,
        }

    def clean(self):
        if not self.name.strip() and not self.title.strip():
            message = gettext("Give the contact's name, or their title if the name is not known.")
            raise ValidationError({"name": ValidationError(message, code="name_or_title")})


class PressList(models.Model):
    """A named set of press contacts, e.g. "US national desks"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        Contact, related_name="press_lists", blank=True, verbose_name=_("contacts")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("press list")
        verbose_name_plural = _("press lists")

    def __str__(self) -> str:
        return self.name


class SuppressionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


def normalized_email(email: str) -> str:
    return email.strip().lower()


def address_hash(email: str) -> str:
    """The SHA-256 of the address in lower case: what is kept of an erased person's
    address, to recognise it (a suppression, a request) without holding it."""
    return hashlib.sha256(normalized_email(email).encode()).hexdigest()


class Suppression(models.Model):
    """An address no press send may reach: it unsubscribed, bounced for good or complained.

    Only staff lift a suppression, and the row keeps who did it, when and why.
    """

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        STAFF = "staff", _("Added by staff")
        ERASED = "erased", _("The person's data was erased on request")

    # Empty once the person's data was erased: the hash alone still matches the address.
    email = models.EmailField(_("email"), max_length=254, help_text=_("Kept in lower case."))
    email_hash = models.CharField(_("address hash"), max_length=64, editable=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True, editable=False)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppression")
        verbose_name_plural = _("suppressions")
        constraints = [
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=models.Q(lifted_at__isnull=True),
                name="suppression_active_once_per_address",
            ),
            models.CheckConstraint(
                condition=~models.Q(email_hash=""), name="suppression_has_address_hash"
            ),
        ]

    def __str__(self) -> str:
        email = self.email or gettext("erased address")
        return f"{email} ({self.get_reason_display().lower()})"

    def save(self, *args, **kwargs):
        if self.email:
            self.email = normalized_email(self.email)
            self.email_hash = address_hash(self.email)
        super().save(*args, **kwargs)
