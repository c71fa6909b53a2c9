from django.db.models import Q
from django.utils.text import slugify

from organizations.models import Organization, domain_of


def organization_match(*, name: str, website: str = "") -> Organization | None:
    """The organization a co-signer means: same name or acronym, or same website domain.

    Names are compared without regard to case, in any script; a name match wins
    over a domain match, since several groups may share a host (e.g. a network's).
    """
    name = " ".join(name.split())
    by_name = Organization.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
    organization = by_name.order_by("-verified", "pk").first()
    if organization is None and (domain := domain_of(website)):
        organization = (
            Organization.objects.filter(domain=domain).order_by("-verified", "pk").first()
        )
    return organization


def organization_slug(name: str) -> str:
    """A free slug for a new organization, in the script of its name."""
    base = slugify(name, allow_unicode=True)[:200] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
