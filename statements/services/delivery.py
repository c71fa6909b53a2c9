"""Delivering a published statement to the decision makers it addresses: one email to each
address, with the PDF, sent once; once it has gone, the statement's page says so."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from campaigns.models import CallToAction
from core.languages import interface_language
from core.permissions import permission_require
from organizations.services import suppressed
from statements.models import OutgoingEmail, Statement, StatementUpdate, TargetDelivery
from statements.services.outgoing import email_create
from statements.services.updates import update_publish


def email_key(email: str) -> str:
    """An address as TargetDelivery compares it (its save() does the same)."""
    return email.strip().lower()


@transaction.atomic
def statement_deliver(
    *,
    statement: Statement,
    by,
    targets: list[tuple[str, str, CallToAction | None]],
    note: str = "",
) -> list[TargetDelivery]:
    """Owe the statement's email to each target (name, email, the contact call they come
    from or None), once per address: an address it was delivered to before, named twice,
    or on the suppression list (someone who asked not to be emailed) is left out. Returns
    the deliveries made, for the caller to say who was left out.
    """
    permission_require(
        by=by,
        perm="statements.deliver_statement",
        message=gettext("You may not deliver statements to decision makers."),
    )
    # Locked: two staff delivering at once would both find an address new.
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status not in Statement.CORRECTING_STATUSES:
        raise ValidationError(
            gettext("Only a published or archived statement can be delivered."),
            code="not_public",
        )
    if not targets:
        raise ValidationError(gettext("Choose at least one decision maker."), code="no_targets")
    taken = set(statement.target_deliveries.values_list("email_key", flat=True))
    taken |= suppressed([email for _name, email, _call in targets])
    deliveries = []
    for name, email, call_to_action in targets:
        if email_key(email) in taken:
            continue
        taken.add(email_key(email))
        delivery = TargetDelivery.objects.create(
            statement=statement,
            call_to_action=call_to_action,
            name=name.strip() or email.strip(),
            email=email.strip(),
            language=statement.language,
            note=note.strip(),
            created_by=by,
        )
        email_create(
            OutgoingEmail.Kind.TARGET_DELIVERY,
            [delivery.email],
            statement=statement,
            target_delivery=delivery,
        )
        deliveries.append(delivery)
    if not deliveries:
        raise ValidationError(
            gettext(
                "The statement was already delivered to each of these addresses, or they "
                "asked not to be emailed."
            ),
            code="already_delivered",
        )
    return deliveries


def _delivered_text(delivery: TargetDelivery, day) -> str:
    values = {"name": delivery.name, "date": date_format(day, "j F Y")}
    role = delivery.call_to_action.target_role if delivery.call_to_action else ""
    if role:
        return gettext("Delivered to %(name)s, %(role)s, on %(date)s.") % (values | {"role": role})
    return gettext("Delivered to %(name)s on %(date)s.") % values


def target_delivery_sent(email: OutgoingEmail) -> None:
    """The delivery's email has gone: record its time and say so on the statement's page,
    once per decision maker. Runs in the transaction that marks the email sent."""
    delivery = (
        TargetDelivery.objects.select_for_update(of=("self",))
        .select_related("statement", "call_to_action")
        .get(pk=email.target_delivery_id)
    )
    if delivery.delivered_at is not None:
        return
    now = timezone.now()
    statement = delivery.statement
    with translation.override(interface_language(statement.language)):
        text = _delivered_text(delivery, timezone.localdate(now))
    update = StatementUpdate.objects.create(
        statement=statement,
        kind=StatementUpdate.Kind.DELIVERED,
        posted_at=now,
        text=text,
        created_by=delivery.created_by,
    )
    update_publish(update)
    delivery.delivered_at = now
    delivery.update = update
    delivery.save(update_fields=["delivered_at", "update"])


@transaction.atomic
def target_reply_post(*, delivery: TargetDelivery, text: str, by, url: str = "", on=None):
    """A decision maker's reply, posted on the statement's page as a response received."""
    permission_require(
        by=by,
        perm="statements.add_statementupdate",
        message=gettext("You may not post updates on statements."),
    )
    if not text.strip():
        raise ValidationError(gettext("Write what they answered."), code="reply_missing")
    update = StatementUpdate.objects.create(
        statement=delivery.statement,
        kind=StatementUpdate.Kind.RESPONSE,
        text=text.strip(),
        responder=delivery.name,
        responded_on=on or timezone.localdate(),
        response_url=url,
        created_by=by,
    )
    update_publish(update, by=by)
    return update
