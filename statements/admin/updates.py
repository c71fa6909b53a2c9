from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import LabelledWidgetsAdmin
from statements.models import Statement, StatementUpdate
from statements.services import updates


class StatementUpdateForm(forms.ModelForm):
    """Posting: the statements that can be updated, the kinds staff post by hand. The
    service's own check says what is refused, in its words."""

    class Meta:
        model = StatementUpdate
        fields = [
            "statement", "kind", "posted_at", "text", "responder", "responded_on",
            "response_url", "email_signatories", "email_followers",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "statement" in self.fields:
            self.fields["statement"].queryset = Statement.objects.filter(
                status__in=updates.UPDATABLE_STATUSES
            )
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                (kind.value, kind.label) for kind in updates.POSTED_KINDS
            ]

    def clean(self):
        data = super().clean()
        try:
            if self.instance.pk is not None:
                updates.update_fields_check(
                    kind=self.instance.kind,
                    text=data.get("text", self.instance.text),
                    responder=data.get("responder", self.instance.responder),
                )
            elif data.get("statement") and data.get("kind"):
                updates.update_check(
                    statement=data["statement"],
                    kind=data["kind"],
                    text=data.get("text", ""),
                    responder=data.get("responder", ""),
                )
        except ValidationError as error:
            self.add_error(None, error)
        return data


@admin.register(StatementUpdate)
class StatementUpdateAdmin(LabelledWidgetsAdmin, admin.ModelAdmin):
    """Posting an update and correcting its words later. Whom it was emailed to is fixed
    once it is posted: a correction of a typo is never sent again. Updates stay on
    record: none is deleted."""

    form = StatementUpdateForm
    list_display = ["statement", "kind", "posted_at", "published_at", "emails_owed_at"]
    list_filter = ["kind", "statement"]
    list_select_related = ["statement"]
    search_fields = ["text", "responder", "statement__title"]
    date_hierarchy = "posted_at"
    fieldsets = [
        (None, {"fields": ["statement", "kind", "posted_at", "text"]}),
        (
            _("Response received"),
            {
                "fields": ["responder", "responded_on", "response_url"],
                "description": _("For a response: who answered, when, and where to read it."),
            },
        ),
        (_("Emails"), {"fields": ["email_signatories", "email_followers"]}),
    ]
    # Fixed once posted: what it is, where, and whom it went to.
    POSTED_FIELDS = ["statement", "kind", "email_signatories", "email_followers"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = [*self.POSTED_FIELDS, "published_at", "emails_owed_at"]
        if obj.kind != StatementUpdate.Kind.RESPONSE:
            fixed += ["responder", "responded_on", "response_url"]
        return fixed

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [
            *self.fieldsets,
            (_("Record"), {"fields": ["published_at", "emails_owed_at"]}),
        ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            fields = [f for f in form.changed_data if f in updates.EDITABLE_FIELDS]
            updates.update_change(
                update=obj, by=request.user, **{f: form.cleaned_data[f] for f in fields}
            )
            return
        posted = updates.update_post(
            statement=obj.statement,
            by=request.user,
            kind=obj.kind,
            text=obj.text,
            posted_at=obj.posted_at,
            responder=obj.responder,
            responded_on=obj.responded_on,
            response_url=obj.response_url,
            email_signatories=obj.email_signatories,
            email_followers=obj.email_followers,
        )
        # The admin's history and redirect name the row the service wrote.
        obj.pk = posted.pk
