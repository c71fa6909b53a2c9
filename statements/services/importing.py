"""Import a release: the draft statement made from what statements.importing recognised
in a finished release, with its organizations and contacts matched to the known ones.

`parsed` is the parser's dict (see release_parse), perhaps corrected by staff;
`matches` says which known organization each issuer, signatory and press contact's
organization is, keyed "issuers-0", "signatories-2", "press_contacts-1" (a pk, or None
for a new one). Without `matches` the organizations are matched automatically, as the
check page proposes them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.names import name_clean
from core.permissions import permission_require
from organizations.models import Contact, Organization
from organizations.services import organization_match, organization_match_or_create
from statements.models import Demand, PressContact, Quote, Signature, Statement

# The parts of a release that name organizations, in the order they are resolved.
ORGANIZATION_PARTS = {"issuers": Signature.Role.ISSUER, "signatories": Signature.Role.SIGNATORY}


def organization_known(*, name: str, short_name: str = "", email: str = "") -> Organization | None:
    """The known organization a release means: by its name or acronym, else by the
    domain of an address at it."""
    website = email.rpartition("@")[2] if "@" in email else ""
    found = organization_match(name=name) if name else None
    if found is None and short_name:
        found = organization_match(name=short_name)
    if found is None and website:
        found = organization_match(name="", website=website)
    return found


def contact_known(*, organization: Organization | None, name: str, title: str, email: str):
    """The known contact a press-contact block means: by email (at the organization
    first), else by name (or title, for a contact known by it alone) at the organization."""
    if email:
        by_email = Contact.objects.filter(email__iexact=email).order_by("pk")
        if organization is not None and (found := by_email.filter(organization=organization)):
            return found[0]
        if found := by_email.first():
            return found
    if organization is None or not (name or title):
        return None
    same = Q(name__iexact=name) if name else Q(name="", title__iexact=title)
    return organization.contacts.filter(same).order_by("pk").first()


def release_import_matches(*, parsed: dict) -> dict[str, Organization | None]:
    """The known organization each issuer and signatory of the release is, by key
    ("issuers-0"): what the check page proposes and confirming uses by default."""
    return {
        f"{part}-{i}": organization_known(
            name=entry.get("name", ""), short_name=entry.get("short_name", "")
        )
        for part in ORGANIZATION_PARTS
        for i, entry in enumerate(parsed.get(part) or [])
    }


def kind_of(value: str) -> str:
    """The statement kind the parser named, by value or by its English label."""
    wanted = slugify(value or "").replace("-", "_")
    for kind in Statement.Kind:
        if wanted in (kind.value, slugify(kind.label).replace("-", "_")):
            return kind.value
    return Statement.Kind.JOINT_STATEMENT


def _date(value) -> datetime.date | None:
    if not value or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date."), code="bad_date", params={"value": value}
        ) from None


def email_or_nothing(value: str) -> str:
    """The address, or nothing for one the release hid or mangled ("[email protected]")."""
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def _unique_slug(title: str) -> str:
    field = Statement._meta.get_field("slug")
    base = slugify(title, allow_unicode=True)[: field.max_length].strip("-") or "statement"
    slug, n = base, 1
    while Statement.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: field.max_length - len(suffix)] + suffix
    return slug


def _checked(obj):
    """The object, once its fields hold what the model allows (lengths, choices)."""
    obj.full_clean(validate_unique=False, validate_constraints=False)
    return obj


class _Organizations:
    """The release's organizations as they are resolved: known ones by pk, new ones made
    once however many parts name them."""

    def __init__(self, matches):
        self.matches = matches
        self.chosen = Organization.objects.in_bulk(
            [pk for pk in (matches or {}).values() if pk is not None]
        )
        self.resolved: list[Organization] = []

    def get(self, key: str, *, name: str, short_name: str = "", email: str = "") -> Organization:
        name = name_clean(name)
        if self.matches is not None and self.matches.get(key) is not None:
            try:
                organization = self.chosen[int(self.matches[key])]
            except (KeyError, ValueError):
                raise ValidationError(
                    _("The organization chosen for “%(name)s” no longer exists."),
                    code="organization_gone",
                    params={"name": name},
                ) from None
        else:
            organization = self.named(name, short_name) or organization_known(
                name=name, short_name=short_name, email=email
            )
        if organization is None:
            if not name:
                raise ValidationError(
                    _("Every organization needs a name."), code="organization_name_required"
                )
            organization, created = organization_match_or_create(name=name)
            if created and short_name:
                organization.short_name = name_clean(short_name)
                _checked(organization).save(update_fields=["short_name", "short_name_key"])
        self.resolved.append(organization)
        return organization

    def named(self, name: str, short_name: str = "") -> Organization | None:
        """One of the release's own organizations, by its name or acronym as written."""
        names = {n.casefold() for n in (name, short_name) if n}
        for organization in self.resolved:
            if names & {organization.name.casefold(), organization.short_name.casefold()} - {""}:
                return organization
        return None


def release_import_create(*, parsed: dict, by, matches=None) -> Statement:
    """The draft statement of an imported release, with its demands, quotes, issuers,
    signatories and press contacts, and the organizations and contacts it names that
    were not known yet: all of them, in one transaction, or none."""
    permission_require(
        by=by, perm="statements.add_statement", message=_("You may not add statements.")
    )
    title = " ".join((parsed.get("headline") or "").split())
    if not title:
        raise ValidationError(_("The release needs a headline."), code="headline_required")
    with transaction.atomic():
        statement = _checked(
            Statement(
                kind=kind_of(parsed.get("kind", "")),
                title=title,
                slug=_unique_slug(title),
                standfirst=parsed.get("standfirst") or "",
                dateline=parsed.get("dateline") or "",
                release_date=_date(parsed.get("release_date")),
                body=parsed.get("body") or "",
                demands_heading=parsed.get("demands_heading") or "",
                closing=parsed.get("closing") or "",
                press_contacts_heading=parsed.get("press_contacts_heading") or "",
                hero_credit=parsed.get("image_credit") or "",
                # The release lists its signatories in an order of its own: keep it.
                signatory_order=Statement.SignatoryOrder.MANUAL,
            )
        )
        statement.save()
        organizations = _Organizations(matches)
        signed = set()
        for part, role in ORGANIZATION_PARTS.items():
            for i, entry in enumerate(parsed.get(part) or []):
                organization = organizations.get(
                    f"{part}-{i}",
                    name=entry.get("name", ""),
                    short_name=entry.get("short_name", ""),
                )
                # Two names for one organization (merged by staff): it signs once, first.
                if organization.pk not in signed:
                    signed.add(organization.pk)
                    Signature.objects.create(
                        statement=statement, organization=organization, role=role, position=i
                    )
        for i, entry in enumerate(parsed.get("demands") or []):
            _checked(
                Demand(
                    statement=statement,
                    position=i,
                    heading=entry.get("heading") or "",
                    text=entry.get("text") or "",
                )
            ).save()
        for i, entry in enumerate(parsed.get("quotes") or []):
            named = entry.get("organization") or ""
            _checked(
                Quote(
                    statement=statement,
                    position=i,
                    text=entry.get("text") or "",
                    person_name=entry.get("person_name") or "",
                    person_title=entry.get("person_title") or "",
                    organization=organizations.named(named) or organization_known(name=named),
                )
            ).save()
        _press_contacts_add(statement, parsed.get("press_contacts") or [], organizations, matches)
    return statement


def _press_contacts_add(statement, entries, organizations: _Organizations, matches) -> None:
    for i, entry in enumerate(entries):
        email = email_or_nothing(entry.get("email", ""))
        name = name_clean(entry.get("name") or "")
        title = name_clean(entry.get("title") or "")
        named = entry.get("organization") or ""
        key = f"press_contacts-{i}"
        if named or (matches or {}).get(key) is not None:
            organization = organizations.get(key, name=named, email=email)
        elif organizations.resolved:
            # A block that names no organization speaks for the release's first.
            organization = organizations.resolved[0]
        else:
            raise ValidationError(
                _("Name the organization of the press contact “%(contact)s”."),
                code="press_contact_organization_required",
                params={"contact": name or title or email},
            )
        contact = contact_known(organization=organization, name=name, title=title, email=email)
        if contact is None:
            contact = _checked(
                Contact(
                    organization=organization,
                    name=name,
                    title=title,
                    email=email,
                    phone=(entry.get("phone") or "").strip(),
                )
            )
            contact.save()
        PressContact.objects.get_or_create(
            statement=statement, contact=contact, defaults={"position": i}
        )
