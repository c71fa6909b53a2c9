"""Co-signing: partners sign through the form, for their organization or, where the
statement allows it, as individuals; they confirm by email, staff approve or reject;
signers may withdraw. Staff add signatures received by phone or email."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.names import name_clean, name_key
from core.pagecache import public_pages_changed
from core.permissions import permission_require
from core.tokens import token_hash
from organizations.models import Organization
from organizations.services import organization_match, organization_match_or_create
from statements.models import (
    OutgoingEmail,
    Signature,
    SignatureEvent,
    SignatureToken,
    Statement,
    new_cosign_key,
)
from statements.services.outgoing import email_create


@dataclass(frozen=True, kw_only=True)
class Cosign:
    """What a partner typed into the co-sign form, cleaned.

    `signs_as` is a Signature.Kind. An individual has no organization: `country` is
    their own and the organization's fields stay empty; `consent_publish` is their
    consent to have their name listed. `kind` is the kind of organization.
    """

    signs_as: str = Signature.Kind.ORGANIZATION
    organization_name: str = ""
    website: str = ""
    country: str = ""
    kind: str = ""
    signer_name: str
    signer_title: str
    signer_email: str
    signer_phone: str
    affiliation: str = ""
    consent_contact: bool
    consent_publish: bool = False
    show_logo: bool = False
    message: str
    logo: ContentFile | None = None

    def is_individual(self) -> bool:
        return self.signs_as == Signature.Kind.INDIVIDUAL


class AlreadySigned(Exception):
    """The organization, or the person, is already on the statement."""

    def __init__(self, signature: Signature):
        super().__init__(f"{signature.organization_label()} already signed {signature.statement}")
        self.signature = signature


def _event(signature: Signature, kind: str, actor=None, note: str = "") -> None:
    SignatureEvent.objects.create(signature=signature, kind=kind, actor=actor, note=note)


def signature_submit(
    *, statement: Statement, cosign: Cosign, consent_text: str, language: str = ""
) -> Signature:
    """Record a signature from the co-sign form and owe its signer a confirmation email.

    The organization is the one we know by that name, a name that looks the same,
    or that website; if there is none, the signature keeps what the signer typed
    and the organization is made when they confirm (signature_confirm).

    An individual signs once per statement, known by their address in any case; for
    an organization too (`signs_as`), and on a statement that takes individuals only.

    Raises AlreadySigned when the organization or the person is already on the
    statement, unless they had withdrawn: then the same row is signed afresh.
    `language` is the language of the page it was signed on, which its emails are
    written in.

    Signed on a translation's page, the signature is the release's: it goes on the
    original. `consent_text` is the words of the consent boxes the signer ticked, as
    the form showed them; it is kept with the time.
    """
    try:
        return _signature_submit(statement, cosign, consent_text, language)
    except IntegrityError:
        # A simultaneous submission for the same organization or person was written
        # first; a second try finds it and answers accordingly.
        return _signature_submit(statement, cosign, consent_text, language)


def _signature_of(statement: Statement, organization, key: str) -> Signature | None:
    """The statement's signature for this organization, or for one of that look still
    to be made."""
    signatures = Signature.objects.select_for_update().filter(statement=statement)
    if organization is not None:
        signature = signatures.filter(organization=organization).first()
        if signature is not None:
            return signature
        keys = {key, organization.name_key, organization.short_name_key} - {""}
    else:
        keys = {key}
    return signatures.filter(organization__isnull=True, organization_key__in=keys).first()


def _signature_of_person(statement: Statement, email: str) -> Signature | None:
    return (
        Signature.objects.select_for_update()
        .individuals()
        .filter(statement=statement, person_key=email.strip().lower())
        .first()
    )


@transaction.atomic
def _signature_submit(
    page: Statement, cosign: Cosign, consent_text: str, language: str
) -> Signature:
    statement = page.original
    if cosign.is_individual():
        if not statement.individuals_may_sign():
            raise ValidationError(
                gettext("Only organizations may sign this statement."),
                code="individuals_not_allowed",
            )
        signature = _signature_of_person(statement, cosign.signer_email)
        organization, name, key = None, "", ""
    else:
        name = name_clean(cosign.organization_name)
        key = name_key(name)
        organization = organization_match(name=name, website=cosign.website)
        signature = _signature_of(statement, organization, key)
    if signature is not None and signature.state != Signature.State.WITHDRAWN:
        raise AlreadySigned(signature)
    if signature is None:
        signature = Signature(statement=statement)
    individual = cosign.is_individual()
    signature.kind = cosign.signs_as
    signature.organization = organization
    signature.organization_created = False
    signature.organization_name = name
    signature.organization_website = "" if individual else cosign.website
    signature.organization_country = "" if individual else cosign.country
    signature.organization_kind = "" if individual else cosign.kind
    signature.organization_key = key
    signature.affiliation = cosign.affiliation if individual else ""
    signature.signer_country = cosign.country if individual else ""
    signature.consent_publish = individual and cosign.consent_publish
    signature.show_logo = not individual and cosign.show_logo
    signature.role = Signature.Role.SIGNATORY
    signature.source = Signature.Source.FORM
    signature.state = Signature.State.SUBMITTED
    signature.signer_name = cosign.signer_name
    signature.signer_title = cosign.signer_title
    signature.signer_email = cosign.signer_email
    signature.signer_phone = cosign.signer_phone
    # An individual speaks for nobody else: there is no one to be authorized by.
    signature.authorized = not individual
    signature.consent_contact = cosign.consent_contact
    signature.consent_text = consent_text
    signature.consented_at = timezone.now()
    signature.message = cosign.message
    signature.language = language
    signature.confirmed_at = signature.decided_at = signature.withdrawn_at = None
    signature.erased_at = None
    signature.digest_email = None
    if cosign.logo is not None and not individual:
        signature.logo.save(cosign.logo.name, cosign.logo, save=False)
    signature.save()
    _event(signature, SignatureEvent.Kind.SUBMITTED)
    email_create(
        OutgoingEmail.Kind.SIGNATURE_CONFIRMATION,
        [signature.signer_email],
        signature=signature,
        statement=statement,
    )
    return signature


def signature_confirmation_resend(*, statement: Statement, email: str) -> bool:
    """Owe the signer a new confirmation email if a signature from that address awaits one.

    The caller shows the same answer either way, so the form does not tell who signed.
    """
    statement = statement.original
    with transaction.atomic():
        signatures = list(
            Signature.objects.select_for_update().filter(
                statement=statement,
                signer_email__iexact=email.strip(),
                state=Signature.State.SUBMITTED,
            )
        )
        for signature in signatures:
            _event(signature, SignatureEvent.Kind.RESEND_REQUESTED)
            email_create(
                OutgoingEmail.Kind.SIGNATURE_CONFIRMATION,
                [signature.signer_email],
                signature=signature,
                statement=statement,
            )
    return bool(signatures)


@dataclass(frozen=True)
class TokenResult:
    """What an emailed link found: the signature, and why it could not act, if it could not."""

    signature: Signature | None
    # "unknown", "revoked", "expired", "used", "too_late", or "already_signed" when
    # confirming finds the organization on the statement through another signature.
    problem: str | None = None
    acted: bool = False


def _token_lookup(raw: str, purpose: str) -> tuple[SignatureToken | None, str | None]:
    token = (
        SignatureToken.objects.select_related("signature__statement", "signature__organization")
        .filter(token_hash=token_hash(raw), purpose=purpose)
        .first()
    )
    if token is None:
        return None, "unknown"
    if token.used_at is not None:
        return token, "used"
    if token.revoked_at is not None:
        return token, "revoked"
    if token.is_expired():
        return token, "expired"
    return token, None


def signature_token_check(*, token: str, purpose: str) -> TokenResult:
    """What following a link would do, without doing it (for the page a GET shows)."""
    found, problem = _token_lookup(token, purpose)
    return TokenResult(found.signature if found else None, problem)


def _acting(token: str, purpose: str, allowed_states: tuple[str, ...]):
    found, problem = _token_lookup(token, purpose)
    if problem:
        return None, TokenResult(found.signature if found else None, problem)
    # Lock the signature, then read the token again: two clicks at once act once.
    signature = Signature.objects.select_for_update().get(pk=found.signature_id)
    found = SignatureToken.objects.select_for_update().get(pk=found.pk)
    if found.used_at is not None:
        return None, TokenResult(signature, "used")
    if found.revoked_at is not None:
        return None, TokenResult(signature, "revoked")
    if signature.state not in allowed_states:
        return None, TokenResult(signature, "too_late")
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return signature, None


def signature_confirm(*, token: str) -> TokenResult:
    """The signer confirms by email; a new organization is made now, from what they
    typed (an individual has none); approved at once when the statement and the
    organization allow it (for an individual, when the statement does)."""
    with transaction.atomic():
        signature, refused = _acting(
            token, SignatureToken.Purpose.CONFIRM, (Signature.State.SUBMITTED,)
        )
        if refused:
            return refused
        if signature.organization_id is None and not signature.is_individual():
            organization, created = organization_match_or_create(
                name=signature.organization_name,
                website=signature.organization_website,
                country=signature.organization_country,
                kind=signature.organization_kind or Organization.Kind.NGO,
            )
            if (
                not created
                and organization.signatures.filter(statement=signature.statement_id).exists()
            ):
                # Someone else signed for the organization meanwhile, under its name.
                transaction.set_rollback(True)
                return TokenResult(signature, "already_signed")
            signature.organization = organization
            signature.organization_created = created
        signature.state = Signature.State.CONFIRMED
        signature.confirmed_at = timezone.now()
        signature.save(
            update_fields=["state", "confirmed_at", "organization", "organization_created"]
        )
        _event(signature, SignatureEvent.Kind.CONFIRMED)
        if signature.may_be_approved_automatically():
            _approve(signature, actor=None, kind=SignatureEvent.Kind.AUTO_APPROVED)
    return TokenResult(signature, acted=True)


def signature_withdraw(*, token: str) -> TokenResult:
    withdrawable = (Signature.State.SUBMITTED, Signature.State.CONFIRMED, Signature.State.APPROVED)
    with transaction.atomic():
        signature, refused = _acting(token, SignatureToken.Purpose.WITHDRAW, withdrawable)
        if refused:
            return refused
        signature.state = Signature.State.WITHDRAWN
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["state", "withdrawn_at"])
        _event(signature, SignatureEvent.Kind.WITHDRAWN)
        public_pages_changed(*signature.statement.page_parts())
    return TokenResult(signature, acted=True)


def _approve(signature: Signature, *, actor, kind: str) -> None:
    signature.state = Signature.State.APPROVED
    signature.decided_at = timezone.now()
    signature.save(update_fields=["state", "decided_at"])
    public_pages_changed(*signature.statement.page_parts())
    organization = signature.organization
    if signature.logo and not organization.logo:
        organization.logo.save(signature.logo.name.rsplit("/", 1)[-1], signature.logo.file)
    _event(signature, kind, actor=actor)
    if not signature.emails.filter(kind=OutgoingEmail.Kind.SIGNATURE_LISTED).exists():
        email_create(
            OutgoingEmail.Kind.SIGNATURE_LISTED,
            [signature.signer_email],
            signature=signature,
            statement=signature.statement,
        )


def _moderate_require(by) -> None:
    permission_require(
        by=by,
        perm="statements.moderate_signature",
        message=gettext("You may not approve or reject signatures."),
    )


def signature_approve(*, signature: Signature, by) -> None:
    """Staff approve a confirmed signature: it is listed and its signer told."""
    _moderate_require(by)
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update(of=("self",))
            .select_related("organization", "statement")
            .get(pk=signature.pk)
        )
        if signature.state != Signature.State.CONFIRMED:
            raise ValidationError(
                gettext("Only a confirmed signature can be approved; this one is %(state)s."),
                code="not_confirmed",
                params={"state": signature.get_state_display().lower()},
            )
        _approve(signature, actor=by, kind=SignatureEvent.Kind.APPROVED)
        audit_event(obj=signature, event=Event.SIGNATURE_APPROVED, by=by)


def signature_reject(*, signature: Signature, by, note: str = "") -> None:
    _moderate_require(by)
    with transaction.atomic():
        signature = Signature.objects.select_for_update().get(pk=signature.pk)
        if signature.state not in (Signature.State.SUBMITTED, Signature.State.CONFIRMED):
            raise ValidationError(
                gettext(
                    "Only a signature awaiting a decision can be rejected; this one is %(state)s."
                ),
                code="not_pending",
                params={"state": signature.get_state_display().lower()},
            )
        signature.state = Signature.State.REJECTED
        signature.decided_at = timezone.now()
        signature.save(update_fields=["state", "decided_at"])
        _event(signature, SignatureEvent.Kind.REJECTED, actor=by, note=note)
        audit_event(obj=signature, event=Event.SIGNATURE_REJECTED, by=by, note=note)


def signature_add(*, signature: Signature, by) -> Signature:
    """Staff add a signature received by phone or email: approved at once."""
    permission_require(
        by=by, perm="statements.add_signature", message=gettext("You may not add signatures.")
    )
    with transaction.atomic():
        signature.source = Signature.Source.STAFF
        signature.state = Signature.State.APPROVED
        signature.decided_at = timezone.now()
        signature.save()
        _event(signature, SignatureEvent.Kind.ADDED, actor=by)
        public_pages_changed(*signature.statement.page_parts())
        audit_event(obj=signature, event=Event.SIGNATURE_ADDED, by=by)
    return signature


def cosign_digests_create() -> list[OutgoingEmail]:
    """One email per statement telling staff of the signatures confirmed since the last one."""
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    digests = []
    with transaction.atomic():
        new = list(
            Signature.objects.select_for_update(skip_locked=True)
            .filter(digest_email__isnull=True, confirmed_at__isnull=False)
            .order_by("statement_id", "pk")
        )
        if not staff:
            return digests
        by_statement: dict[int, list[Signature]] = {}
        for signature in new:
            by_statement.setdefault(signature.statement_id, []).append(signature)
        for statement_id, signatures in by_statement.items():
            email = email_create(OutgoingEmail.Kind.COSIGN_DIGEST, staff, statement_id=statement_id)
            Signature.objects.filter(pk__in=[s.pk for s in signatures]).update(digest_email=email)
            digests.append(email)
    return digests


def statement_cosign_link_renew(*, statement: Statement, by) -> Statement:
    """A new private co-sign link: the one shared so far stops working."""
    permission_require(
        by=by, perm="statements.change_statement", message=gettext("You may not change statements.")
    )
    statement.cosign_key = new_cosign_key()
    statement.save(update_fields=["cosign_key", "updated_at"])
    return statement
