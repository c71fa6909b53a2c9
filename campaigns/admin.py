from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import CallToAction, Campaign
from core.admin import LabelledWidgetsAdmin, PublicPagesAdmin

# The fields of each kind, folded away so staff open only what the kind uses;
# the admin opens a folded section by itself when a field in it has an error.
KIND_FIELDSETS = [
    (_("Link: donate, read more, attend"), {"fields": ["url"], "classes": ["collapse"]}),
    (
        _("Contact a decision maker"),
        {
            # One field a line: the admin opens a section only for errors on single fields.
            "fields": [
                "target_name",
                "target_role",
                "target_email",
                "target_phone",
                "target_form_url",
                "message_subject",
                "message_body",
            ],
            "classes": ["collapse"],
        },
    ),
    (
        _("Attend an event"),
        {"fields": ["event_starts_at", "event_place"], "classes": ["collapse"]},
    ),
]


def _when(moment) -> str:
    # In the site's time zone, written as every other time in the admin: "T" would
    # give an abbreviation such as "+03" that few recognize.
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@admin.display(description=_("shown"))
def shown(call: CallToAction) -> str:
    """Live, scheduled or expired, as the public pages decide it now."""
    if call.pk is None:
        return "-"
    state = call.schedule_state()
    if state == "scheduled":
        return gettext("Scheduled: from %(time)s") % {"time": _when(call.starts_at)}
    if state == "expired":
        return gettext("Expired: ended %(time)s") % {"time": _when(call.ends_at)}
    if not call.is_actionable():
        return gettext("Live, but hidden while its statement is not open for co-signing")
    if call.ends_at:
        return gettext("Live until %(time)s") % {"time": _when(call.ends_at)}
    return gettext("Live")


class ShownFilter(admin.SimpleListFilter):
    title = _("shown")
    parameter_name = "shown"

    def lookups(self, request, model_admin):
        return [("live", _("Live")), ("scheduled", _("Scheduled")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.current(now)
        if self.value() == "scheduled":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(ends_at__lte=now)
        return queryset


@admin.register(CallToAction)
class CallToActionAdmin(LabelledWidgetsAdmin, PublicPagesAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "campaign", "statement", "position", shown]
    list_filter = [ShownFilter, "kind", "campaign"]
    list_select_related = ["campaign", "statement"]
    ordering = ["campaign", "position", "id"]
    search_fields = ["title", "description", "target_name"]
    autocomplete_fields = ["campaign", "statement"]
    readonly_fields = [shown]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "campaign",
                    "statement",
                    "kind",
                    "title",
                    "description",
                    "button_label",
                    "position",
                    ("starts_at", "ends_at"),
                    shown,
                ]
            },
        ),
        *KIND_FIELDSETS,
    ]


def inline_fieldsets(*choice: str) -> list:
    """An inline's fields: the common ones, what it lets staff choose, then each kind's."""
    common = ["position", "kind", "title", "description", "button_label", *choice]
    return [(None, {"fields": [*common, ("starts_at", "ends_at"), shown]}), *KIND_FIELDSETS]


class CampaignCallToActionInline(LabelledWidgetsAdmin, admin.StackedInline):
    model = CallToAction
    extra = 0
    readonly_fields = [shown]
    fieldsets = inline_fieldsets("statement")
    verbose_name_plural = _("calls to action (shown in this order)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the campaign's own statements may be chosen.
        field = formset.form.base_fields["statement"]
        field.queryset = field.queryset.filter(campaign=obj) if obj else field.queryset.none()
        return formset


@admin.register(Campaign)
class CampaignAdmin(LabelledWidgetsAdmin, PublicPagesAdmin, admin.ModelAdmin):
    list_display = ["title", "is_active", "started_on"]
    list_filter = ["is_active"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CampaignCallToActionInline]


class StatementCallToActionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The inline's statement, as the statement form above it was just filled in.
        statement = cleaned.get("statement")
        if statement is not None:
            if statement.campaign_id is None:
                raise ValidationError(
                    _(
                        "Put the statement in a campaign first: "
                        "every call to action belongs to one."
                    ),
                    code="statement_without_campaign",
                )
            self.instance.campaign_id = statement.campaign_id
        return cleaned

    def validate_constraints(self):
        # A new statement has no id until it is saved, after this check, so the
        # database's "a co-sign call has a statement" would fail here; clean() checked it.
        exclude = self._get_validation_exclusions() | {"statement"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class StatementCallToActionInline(LabelledWidgetsAdmin, admin.StackedInline):
    """The statement's own calls to action, in its campaign."""

    model = CallToAction
    form = StatementCallToActionForm
    extra = 0
    readonly_fields = [shown]
    fieldsets = inline_fieldsets()
    verbose_name_plural = _("calls to action of this statement (its campaign's are shown too)")
