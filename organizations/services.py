import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.audit import Event, audit_event
from core.names import name_clean, name_key
from core.permissions import permission_require
from organizations.models import (
    Contact,
    Organization,
    Suppression,
    address_hash,
    domain_of,
    normalized_email,
)


def organization_match(*, name: str, website: str = "") -> Organization | None:
    """The organization a co-signer means: same name or acronym, or a name that looks the
    same (core.names.name_key: a look-alike letter, an invisible character), or same
    website domain.

    Names are compared without regard to case, in any script; a name match wins over
    a look-alike, and both over a domain match, since several groups may share a host
    (e.g. a network's).
    """
    name = name_clean(name)

    def best(condition: Q) -> Organization | None:
        return Organization.objects.filter(condition).order_by("-verified", "pk").first()

    organization = None
    if name:
        organization = best(Q(name__iexact=name) | Q(short_name__iexact=name))
        if organization is None:
            key = name_key(name)
            organization = best(Q(name_key=key) | Q(short_name_key=key))
    if organization is None and (domain := domain_of(website)):
        organization = best(Q(domain=domain))
    return organization


def organization_match_or_create(
    *, name: str, website: str = "", country: str = "", kind: str = Organization.Kind.NGO
) -> tuple[Organization, bool]:
    """The organization a co-signer means, created from what they typed if there is none;
    and whether it was created. Call it in a transaction.

    Two transactions creating the same new organization at once wait for each other
    (on PostgreSQL; SQLite runs one writer at a time), so the second finds the first's.
    """
    name = name_clean(name)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(name_key(name))])
    organization = organization_match(name=name, website=website)
    if organization is not None:
        return organization, False
    organization = Organization.objects.create(
        name=name, slug=organization_slug(name), website=website, country=country, kind=kind
    )
    return organization, True


def _lock_id(key: str) -> int:
    """A PostgreSQL advisory lock number (a signed 64-bit integer) for a name key."""
    return int.from_bytes(hashlib.sha256(f"organization:{key}".encode()).digest()[:8], signed=True)


def organization_slug(name: str) -> str:
    """A free slug for a new organization, in the script of its name."""
    base = slugify(name, allow_unicode=True)[:200] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def suppression_add(*, email: str, reason: str, detail: str = "") -> Suppression:
    """Suppress an address, once: a second call finds the suppression already in force.

    For what the site learns by itself (a bounce, a complaint, an unsubscribe link):
    staff go through suppression_staff_add, which checks their permission."""
    email = normalized_email(email)
    try:
        with transaction.atomic():
            return Suppression.objects.create(email=email, reason=reason, detail=detail)
    except IntegrityError:
        return Suppression.objects.active().get(email_hash=address_hash(email))


def suppression_staff_add(*, email: str, by, detail: str = "") -> Suppression:
    """Staff suppress an address (someone asked by phone not to be written to again)."""
    permission_require(
        by=by,
        perm="organizations.add_suppression",
        message=_("You may not suppress addresses."),
    )
    return suppression_add(email=email, reason=Suppression.Reason.STAFF, detail=detail)


@transaction.atomic
def suppression_lift(*, suppression: Suppression, by, reason: str) -> Suppression:
    # Suppressions are never edited: their "change" permission is the lifting.
    permission_require(
        by=by,
        perm="organizations.change_suppression",
        message=_("You may not lift suppressions."),
    )
    if not reason.strip():
        raise ValidationError(
            _("Say why the address may be emailed again."), code="reason_required"
        )
    if suppression.lifted_at is not None:
        raise ValidationError(_("This suppression was already lifted."), code="already_lifted")
    suppression.lifted_at = timezone.now()
    suppression.lifted_by = by
    suppression.lift_reason = reason.strip()
    suppression.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_event(obj=suppression, event=Event.SUPPRESSION_LIFTED, by=by, reason=reason.strip())
    return suppression


def suppressed(emails) -> set[str]:
    """Those of the addresses that are suppressed now, in lower case.

    Matched by hash: a suppression of an erased person keeps only the hash of their address.
    """
    wanted = {address_hash(e): normalized_email(e) for e in emails}
    hashes = Suppression.objects.active().filter(email_hash__in=wanted)
    return {wanted[h] for h in hashes.values_list("email_hash", flat=True)}


def is_suppressed(email: str) -> bool:
    return Suppression.objects.active().filter(email_hash=address_hash(email)).exists()


def contact_add(*, organization: Organization, email: str, name: str, title: str = "") -> Contact:
    """The organization's contact at this address, added with this name and title if new."""
    contact, _ = Contact.objects.get_or_create(
        organization=organization, email=email, defaults={"name": name, "title": title}
    )
    return contact
