"""The admin's "Deliver to decision makers" page of a statement, and the record of each
delivery, from which staff post the decision maker's reply as an update."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower, Trim
from django.urls import path
from django.utils.translation import gettext

from campaigns.models import CallToAction
from core.admin import ActionPagesAdmin, ReadOnlyAdmin
from statements.forms_delivery import (
    DeliverForm,
    TargetReplyForm,
    TargetRowFormSet,
    targets_chosen,
)
from statements.models import TargetDelivery
from statements.services import delivery as delivering

DELIVER = "statements.deliver_statement"


def contact_calls(statement):
    """The statement's contact calls to action whose decision maker has an email address
    the statement was not delivered to yet."""
    return (
        CallToAction.objects.for_statement(statement)
        .filter(kind=CallToAction.Kind.CONTACT)
        .exclude(target_email="")
        # Compared as TargetDelivery.email_key keeps it.
        .annotate(key=Lower(Trim("target_email")))
        .exclude(key__in=statement.target_deliveries.values("email_key"))
        .order_by("position", "pk")
    )


def deliver_view(model_admin, request, pk: int):
    """A GET lists the decision makers and rows for others; a POST delivers."""
    statement = model_admin.object_or_403(request, pk, change=False, perm=DELIVER)
    calls = contact_calls(statement)
    form = DeliverForm(request.POST or None, calls=calls)
    rows = TargetRowFormSet(request.POST or None, prefix="others")
    error = None
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        targets = targets_chosen(form, rows)
        try:
            made = delivering.statement_deliver(
                statement=statement,
                by=request.user,
                targets=targets,
                note=form.cleaned_data["note"],
            )
        except ValidationError as refused:
            error = refused
        else:
            _say_left_out(model_admin, request, targets, made)
            return model_admin.done(
                request,
                statement,
                gettext("“%(statement)s” is on its way to: %(names)s")
                % {"statement": statement, "names": ", ".join(d.name for d in made)},
            )
    response = model_admin.action_page(
        request,
        statement,
        template="admin/statements/statement/deliver.html",
        title=gettext("Deliver “%(statement)s” to decision makers") % {"statement": statement},
        intro=gettext(
            "Each decision maker is sent the statement, how many signed it and its PDF, "
            "once; the statement's page then says it was delivered to them."
        ),
        form=form,
        rows=rows,
        error=error,
        delivered=statement.target_deliveries.order_by("created_at", "pk"),
        button=gettext("Deliver"),
    )
    if request.method == "POST":
        response.status_code = 400
    return response


def _say_left_out(model_admin, request, targets, made) -> None:
    sent = {delivery.email_key for delivery in made}
    left_out = sorted({email for _, email, _ in targets if delivering.email_key(email) not in sent})
    if left_out:
        model_admin.message_user(
            request,
            gettext(
                "Not sent to these addresses, already delivered to or asked not to be "
                "emailed: %(emails)s"
            )
            % {"emails": ", ".join(left_out)},
            messages.WARNING,
        )


@admin.register(TargetDelivery)
class TargetDeliveryAdmin(ReadOnlyAdmin, ActionPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "email", "statement", "created_at", "delivered_at"]
    list_filter = [("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "statement__title"]
    list_select_related = ["statement"]
    readonly_fields = [
        "statement", "call_to_action", "name", "email", "language", "note", "created_by",
        "created_at", "delivered_at", "update",
    ]  # fmt: skip
    fields = readonly_fields
    change_form_template = "admin/statements/targetdelivery/change_form.html"
    action_template = "admin/statements/statement/action.html"

    def get_urls(self):
        own = [
            path("<int:pk>/reply/", self.admin_site.admin_view(self.reply_view),
                 name="statements_targetdelivery_reply"),
        ]  # fmt: skip
        return own + super().get_urls()

    def reply_view(self, request, pk: int):
        delivery = self.object_or_403(
            request, pk, change=False, perm="statements.add_statementupdate"
        )
        form = TargetReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                update = delivering.target_reply_post(
                    delivery=delivery,
                    text=form.cleaned_data["text"],
                    url=form.cleaned_data["url"],
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self.done(
                    request,
                    delivery,
                    gettext("Their reply is on the statement's page: %(url)s")
                    % {"url": update.get_absolute_url()},
                )
        response = self.action_page(
            request,
            delivery,
            title=gettext("Post the reply of %(name)s as an update") % {"name": delivery.name},
            intro=gettext(
                "It shows on the statement's page as a response received from them, dated "
                "the day they answered."
            ),
            form=form,
            button=gettext("Post the reply"),
        )
        if request.method == "POST":
            response.status_code = 400
        return response
