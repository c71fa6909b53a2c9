"""A person's data on request, found by their email address: exported as one JSON
document, or erased.

Erasing anonymizes in place: every row stays, so counts, lists and the audit trail
still add up, and holds nothing of the person. Their address is kept only as a hash,
on a suppression, so that no press send reaches it again. Matching is case-insensitive.
"""

import json

from auditlog.context import disable_auditlog
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PersonalDataRequest
from core.audit import Event, audit_event
from core.erasure import ERASED, audit_scrub, audit_scrub_everywhere
from core.pagecache import public_pages_changed
from devmail.models import Message
from organizations.models import Contact, Organization, Suppression, address_hash, normalized_email
from press.models import Delivery
from statements.models import (
    Follower,
    FollowerToken,
    OutgoingEmail,
    Signature,
    SignoffAnswer,
    SignoffEvent,
    SignoffRequest,
)
from statements.services.retention import signatures_erase

CONTACT_FIELDS = ("name", "title", "email", "phone", "beat", "region")


def _address(email: str) -> str:
    email = normalized_email(email or "")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address."), code="invalid_email") from None
    return email


def _holding(queryset, field: str, email: str) -> list[int]:
    """The ids of rows whose field lists the address on a line of its own (OutgoingEmail.to,
    the development mailbox's recipients), in any case."""
    rows = queryset.filter(**{f"{field}__icontains": email}).values_list("pk", field)
    return [pk for pk, text in rows if email in text.lower().split()]


def personal_data_records(*, email: str) -> dict:
    """Every record that holds the address, by kind: querysets, in a stable order."""
    email = _address(email)
    contacts = Contact.objects.filter(email__iexact=email)
    return {
        "signatures": Signature.objects.filter(signer_email__iexact=email),
        "contacts": contacts,
        "organizations": Organization.objects.filter(email__iexact=email),
        "signoff_requests": SignoffRequest.objects.filter(contact__in=contacts),
        "signoff_answers": SignoffAnswer.objects.filter(contact__in=contacts),
        "signoff_events": SignoffEvent.objects.filter(contact__in=contacts),
        "deliveries": Delivery.objects.filter(email__iexact=email),
        "followers": Follower.objects.filter(email__iexact=email),
        "suppressions": Suppression.objects.filter(email_hash=address_hash(email)),
        "outgoing_emails": OutgoingEmail.objects.filter(
            pk__in=_holding(OutgoingEmail.objects.all(), "to", email)
        ),
        "development_mailbox": Message.objects.filter(
            pk__in=_holding(Message.objects.all(), "to", email)
        ),
    }


def personal_data_counts(*, email: str) -> dict[str, int]:
    return {kind: rows.count() for kind, rows in personal_data_records(email=email).items()}


def _serialized(queryset) -> list[dict]:
    rows = serializers.serialize("python", queryset.order_by("pk"))
    for row in rows:
        # The hashes of emailed links' secrets are no part of the person's data.
        row["fields"] = {
            name: value for name, value in row["fields"].items() if not name.endswith("token_hash")
        }
    return rows


def personal_data_export(*, email: str, by) -> tuple[PersonalDataRequest, str]:
    """Every record that holds the address, as one JSON document; recorded and audited."""
    if by is None or not by.has_perm("accounts.export_personal_data"):
        raise PermissionDenied(_("You may not export a person's data."))
    email = _address(email)
    records = personal_data_records(email=email)
    document = {
        "email": email,
        "exported_at": timezone.now(),
        **{kind: _serialized(rows) for kind, rows in records.items()},
    }
    counts = {kind: len(document[kind]) for kind in records}
    with transaction.atomic():
        request = PersonalDataRequest.objects.create(
            kind=PersonalDataRequest.Kind.EXPORT,
            email_hash=address_hash(email),
            requested_by=by,
            counts=counts,
        )
        audit_event(obj=request, event=Event.PERSONAL_DATA_EXPORTED, by=by, counts=counts)
    return request, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def personal_data_erase(*, email: str, by) -> PersonalDataRequest:
    """Erase the address's person from every record that holds it, in one transaction.

    Signatures lose their signer (statements.services.retention.signatures_erase): an
    individual's name with the rest, so they are listed no more;
    contacts their name, title, address, phone, beat and region, and their press lists
    (deliveries and sign-off answers name the row, which stays); an organization its
    general address; deliveries their address and links; followers their address and
    links, and they follow no more; owed emails the address
    (one not sent yet never will be); suppressions keep only the hash, and there is an
    active one afterwards, new if need be. The development mailbox's copies are deleted.
    The address, and the contacts' names as they were shown, are overwritten in the
    audit log.
    """
    if by is None or not by.has_perm("accounts.erase_personal_data"):
        raise PermissionDenied(_("You may not erase a person's data."))
    email = _address(email)
    now = timezone.now()
    with transaction.atomic():
        request = _erase(email, by, now)
        audit_event(obj=request, event=Event.PERSONAL_DATA_ERASED, by=by, counts=request.counts)
    return request


def _erase(email: str, by, now) -> PersonalDataRequest:
    hashed = address_hash(email)
    with disable_auditlog():
        records = personal_data_records(email=email)
        counts = {kind: rows.count() for kind, rows in records.items()}

        # Their name was all an individual's listing showed: the pages drop it.
        unlisted = records["signatures"].listed().individuals().exists()
        signatures_erase(signatures=records["signatures"], now=now)

        contacts = list(records["contacts"].select_related("organization"))
        shown = [str(contact) for contact in contacts if contact.name]
        for contact in contacts:
            contact.press_lists.clear()
        audit_scrub(
            model=Contact,
            values_by_pk={c.pk: [c.name, c.email, c.phone] for c in contacts},
            fields=CONTACT_FIELDS,
        )
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
            **(dict.fromkeys(CONTACT_FIELDS, "") | {"title": ERASED}), erased_at=now
        )

        organizations = list(records["organizations"].values_list("pk", flat=True))
        audit_scrub(
            model=Organization,
            values_by_pk=dict.fromkeys(organizations, (email,)),
            fields=["email"],
        )
        Organization.objects.filter(pk__in=organizations).update(email="")

        deliveries = list(records["deliveries"].values_list("pk", flat=True))
        # One still to be sent is not: there is no address left to send it to.
        Delivery.objects.filter(pk__in=deliveries, state=Delivery.State.PENDING).update(
            state=Delivery.State.SUPPRESSED
        )
        audit_scrub(
            model=Delivery, values_by_pk=dict.fromkeys(deliveries, (email,)), fields=["email"]
        )
        Delivery.objects.filter(pk__in=deliveries).update(
            email="",
            last_response="",
            preview_token_hash="",
            unsubscribe_token_hash="",
            erased_at=now,
        )

        followers = list(records["followers"].values_list("pk", flat=True))
        FollowerToken.objects.filter(follower__in=followers).delete()
        audit_scrub(
            model=Follower, values_by_pk=dict.fromkeys(followers, (email,)), fields=["email"]
        )
        for follower in Follower.objects.filter(pk__in=followers):
            follower.email, follower.erased_at = "", now
            follower.unsubscribed_at = follower.unsubscribed_at or now
            follower.save(update_fields=["email", "email_key", "erased_at", "unsubscribed_at"])

        suppressions = list(records["suppressions"].values_list("pk", flat=True))
        audit_scrub(
            model=Suppression, values_by_pk=dict.fromkeys(suppressions, (email,)), fields=["email"]
        )
        Suppression.objects.filter(pk__in=suppressions).update(email="", detail="")
        if not Suppression.objects.active().filter(email_hash=hashed).exists():
            Suppression.objects.create(email_hash=hashed, reason=Suppression.Reason.ERASED)

        for outgoing in records["outgoing_emails"]:
            outgoing.to = "\n".join(r for r in outgoing.recipients() if r.lower() != email)
            outgoing.last_error = ""
            # Unsent and now to nobody: it is given up, never sent.
            if not outgoing.to and outgoing.sent_at is None and outgoing.failed_at is None:
                outgoing.failed_at, outgoing.claimed_at = now, None
            outgoing.save(update_fields=["to", "last_error", "failed_at", "claimed_at"])
        records["development_mailbox"].delete()

        audit_scrub_everywhere(values=[email, *shown])
    if contacts or unlisted:
        # A contact may be a statement's press contact, shown on its public page; an
        # individual is counted on every page that counts the statement's signatories.
        public_pages_changed()
    return PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASE, email_hash=hashed, requested_by=by, counts=counts
    )


def personal_data_staff(*, by) -> bool:
    """Whether the staff member may use the personal data page at all."""
    return by.has_perm("accounts.export_personal_data") or by.has_perm(
        "accounts.erase_personal_data"
    )
