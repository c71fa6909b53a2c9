"""Dated updates on a public statement: staff post them, the page, feeds, API and PDF
show them, and, when staff choose, its signatories and followers are emailed, once per
address.

Staff post the kinds "update" and "response received" here (update_post). A correction
and a delivery are made by their own services, which call update_publish() for what
every update does once it is public.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import Event, audit_event
from core.pagecache import public_pages_changed
from core.permissions import permission_require
from organizations.models import Contact, normalized_email
from organizations.services import suppressed
from statements.models import OutgoingEmail, Statement, StatementUpdate
from statements.services.outgoing import email_enqueue

# What staff post by hand; a correction and a delivery come from their own workflows.
POSTED_KINDS = (StatementUpdate.Kind.UPDATE, StatementUpdate.Kind.RESPONSE)
# An update is news about a statement that stands; a retracted one is withdrawn.
UPDATABLE_STATUSES = (Statement.Status.PUBLISHED, Statement.Status.ARCHIVED)
# The fields staff may correct once it is posted; whom it was emailed to stays.
EDITABLE_FIELDS = ("posted_at", "text", "responder", "responded_on", "response_url")


def update_check(*, statement: Statement, kind: str, text: str, responder: str = "") -> None:
    """Refuse, with a ValidationError, an update staff may not post as given: the same
    words in the admin's form as from the service."""
    if kind not in POSTED_KINDS:
        raise ValidationError(
            gettext("A correction or a delivery is made from the statement's own page."),
            code="kind_not_posted",
        )
    if statement.status not in UPDATABLE_STATUSES:
        raise ValidationError(
            gettext(
                "Only a published or archived statement can be updated; this one is %(status)s."
            ),
            code="not_public",
            params={"status": statement.get_status_display().lower()},
        )
    update_fields_check(kind=kind, text=text, responder=responder)


def update_fields_check(*, kind: str, text: str, responder: str) -> None:
    if kind == StatementUpdate.Kind.RESPONSE and not responder.strip():
        raise ValidationError(
            {"responder": ValidationError(gettext("Say who answered."), code="responder_required")}
        )
    if not text.strip():
        raise ValidationError(
            {"text": ValidationError(gettext("Write the update."), code="text_required")}
        )


def update_post(
    *,
    statement: Statement,
    by,
    kind: str,
    text: str,
    posted_at: datetime,
    responder: str = "",
    responded_on: date | None = None,
    response_url: str = "",
    email_signatories: bool = False,
    email_followers: bool = False,
) -> StatementUpdate:
    """Post an update on a published or archived statement: on its page at once, and
    emailed to whom staff chose."""
    permission_require(
        by=by,
        perm="statements.add_statementupdate",
        message=gettext("You may not post updates on statements."),
    )
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        update_check(statement=statement, kind=kind, text=text, responder=responder)
        update = StatementUpdate(
            statement=statement,
            kind=kind,
            text=text,
            posted_at=posted_at,
            responder=responder if kind == StatementUpdate.Kind.RESPONSE else "",
            responded_on=responded_on if kind == StatementUpdate.Kind.RESPONSE else None,
            response_url=response_url if kind == StatementUpdate.Kind.RESPONSE else "",
            email_signatories=email_signatories,
            email_followers=email_followers,
            created_by=by,
        )
        update.save()
        update_publish(update, by=by)
    return update


def update_change(*, update: StatementUpdate, by, **fields) -> StatementUpdate:
    """Correct a posted update (a typo, a date): the page shows the new words; nobody
    is emailed again."""
    permission_require(
        by=by,
        perm="statements.change_statementupdate",
        message=gettext("You may not change updates."),
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        update = StatementUpdate.objects.select_for_update().get(pk=update.pk)
        for name, value in fields.items():
            setattr(update, name, value)
        update_fields_check(kind=update.kind, text=update.text, responder=update.responder)
        update.save(update_fields=[*fields])
        if update.published_at is not None:
            public_pages_changed(*update.statement.page_parts())
    return update


def update_publish(update: StatementUpdate, *, by=None) -> None:
    """Put a saved update on the statement's pages, record it, and owe its emails if
    staff chose to send them. For the services that make updates (posting, a
    correction's, a delivery's), inside their transaction; it checks no permission.

    Calling it again for the same update does nothing more: published once, emailed
    once.
    """
    with transaction.atomic():
        locked = StatementUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
            public_pages_changed(*locked.statement.page_parts())
            audit_event(obj=locked, event=Event.UPDATE_POSTED, by=by, kind=locked.kind)
        if locked.emails_owed_at is None and (locked.email_signatories or locked.email_followers):
            update_emails_owe(locked)
    # The caller's instance says what it now is.
    update.refresh_from_db(fields=["published_at", "emails_owed_at"])


def _signatory_recipients(statement: Statement) -> dict[str, dict]:
    """The release's signatory organizations' contacts and the form signers who agreed
    to be contacted, by address, with the signature that brings a signer in."""
    original = statement.original
    listed = original.signatures.listed()
    recipients: dict[str, dict] = {}
    contacts = (
        Contact.objects.filter(
            organization__in=listed.organizations().values("organization"),
            erased_at__isnull=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    for email in contacts:
        recipients.setdefault(normalized_email(email), {})
    signers = (
        listed.filter(consent_contact=True, erased_at__isnull=True)
        .exclude(signer_email="")
        .order_by("pk")
    )
    for signature in signers.only("pk", "signer_email"):
        recipients.setdefault(normalized_email(signature.signer_email), {})["signature"] = signature
    return recipients


def update_emails_owe(update: StatementUpdate) -> list[OutgoingEmail]:
    """One STATEMENT_UPDATE email per address, owed in the caller's transaction and
    queued once it commits; suppressed and erased addresses left out.

    An address already owed this update is not owed it again (the constraint
    email_update_once_per_address), so a second run sends nothing twice. Returns the
    emails owed now.
    """
    statement = update.statement
    recipients: dict[str, dict] = {}
    if update.email_signatories:
        recipients |= _signatory_recipients(statement)
    if update.email_followers:
        followers = statement.original.followers.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, erased_at__isnull=True
        ).exclude(email_key="")
        for follower in followers:
            # A contact who also follows gets one email, with the unsubscribe link.
            recipients.setdefault(follower.email_key, {})["follower"] = follower
    for address in suppressed(recipients):
        del recipients[address]
    already = set(update.emails.values_list("to", flat=True))
    new = sorted(set(recipients) - already)
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind=OutgoingEmail.Kind.STATEMENT_UPDATE,
                to=address,
                statement=statement,
                update=update,
                **recipients[address],
            )
            for address in new
        ],
        # Another run owing the same update at the same moment wrote some first.
        ignore_conflicts=True,
    )
    owed = list(update.emails.filter(to__in=new, sent_at__isnull=True).order_by("pk"))
    for email in owed:
        email_enqueue(email)
    StatementUpdate.objects.filter(pk=update.pk).update(emails_owed_at=timezone.now())
    return owed
