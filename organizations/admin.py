from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm
from import_export.results import RowResult

from core.admin import ActionPagesAdmin, LabelledWidgetsAdmin, PublicPagesAdmin
from core.audit import Event, audit_event
from organizations import services
from organizations.models import (
    Contact,
    Organization,
    PressList,
    Suppression,
    address_hash,
    normalized_email,
)
from organizations.resources import ContactResource


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone"]


@admin.register(Organization)
class OrganizationAdmin(LabelledWidgetsAdmin, PublicPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "website", "verified"]
    list_filter = ["kind", "verified", "country"]
    search_fields = ["name", "short_name", "website", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactInline]
    fields = [
        "name", "short_name", "slug", "kind", "country", "website", "email", "logo",
        "description", "verified",
    ]  # fmt: skip


@admin.register(Contact)
class ContactAdmin(PublicPagesAdmin, ImportExportModelAdmin):
    list_display = ["name", "title", "organization", "email", "beat", "language"]
    list_filter = ["press_lists", "organization__kind", "language"]
    search_fields = [
        "name", "title", "email", "beat", "organization__name", "organization__short_name",
    ]  # fmt: skip
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]

    resource_classes = [ContactResource]
    import_formats = [CSV]
    export_formats = [CSV]
    # Always the columns an import reads, so that an export can be imported again.
    export_form_class = ExportForm
    # With a byte order mark, spreadsheets read the file as UTF-8, whatever the script.
    to_encoding = "utf-8-sig"
    import_template_name = "admin/organizations/contact/import.html"

    def get_queryset(self, request):
        # Autocomplete on press lists shows each contact with its organization.
        return super().get_queryset(request).select_related("organization")

    # Each its own permission: a list of contacts is what the press officer guards.
    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("organizations.import_contact")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("organizations.export_contact")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # The library offers to confirm only when every row is valid; here the
        # valid rows may be imported and the invalid ones are left out, in view.
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if (
            result is not None
            and "confirm_form" not in context
            and not result.has_errors()
            and result.valid_rows()
        ):
            context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])
        if result is not None:
            context["row_groups"] = [
                (label, kind, [row for row in result.valid_rows() if row.import_type == kind])
                for label, kind in [
                    (pgettext_lazy("imported contacts", "New"), RowResult.IMPORT_TYPE_NEW),
                    (pgettext_lazy("imported contacts", "Updated"), RowResult.IMPORT_TYPE_UPDATE),
                    (pgettext_lazy("imported contacts", "Unchanged"), RowResult.IMPORT_TYPE_SKIP),
                ]
            ]
        return response

    def add_success_message(self, result, request):
        totals = result.totals
        message = gettext(
            "Import finished: %(new)s new, %(updated)s updated, %(unchanged)s unchanged."
        ) % {"new": totals["new"], "updated": totals["update"], "unchanged": totals["skip"]}
        if invalid := totals["invalid"]:
            left_out = ngettext(
                "%(count)s invalid row was left out.",
                "%(count)s invalid rows were left out.",
                invalid,
            )
            message += " " + left_out % {"count": invalid}
        self.message_user(request, message, messages.SUCCESS)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("press_lists")

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        # One entry for the whole export, on contacts as a whole: who took how many.
        audit_event(
            obj=Contact, event=Event.CONTACTS_EXPORTED, by=request.user, count=queryset.count()
        )
        return data


@admin.register(PressList)
class PressListAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_count", "created_at"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "contacts"]
    autocomplete_fields = ["contacts"]
    # The model's ordering does not apply to a grouped query (the contact count below),
    # and this queryset is paged: by the changelist and by the distribution form's
    # autocomplete of press lists.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contact_count=Count("contacts"))

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contact_count(self, press_list: PressList) -> int:
        return press_list.contact_count


class LiftedFilter(admin.SimpleListFilter):
    title = _("lifted")
    parameter_name = "lifted"

    def lookups(self, request, model_admin):
        return [("no", _("No, in force")), ("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(lifted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


class SuppressionForm(forms.ModelForm):
    class Meta:
        model = Suppression
        fields = ["email", "detail"]

    def clean_email(self) -> str:
        email = normalized_email(self.cleaned_data["email"])
        active = Suppression.objects.active().filter(email_hash=address_hash(email)).first()
        if active is not None:
            raise ValidationError(
                _("This address is already suppressed (%(reason)s)."),
                code="already_suppressed",
                params={"reason": active.get_reason_display().lower()},
            )
        return email


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why may these addresses be emailed again?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with each suppression, with your name and the time."),
    )


@admin.register(Suppression)
class SuppressionAdmin(ActionPagesAdmin, admin.ModelAdmin):
    """Suppressions are added and lifted, never edited or deleted: the record stays."""

    form = SuppressionForm
    list_display = ["email", "reason", "created_at", "lifted_at"]
    list_filter = ["reason", LiftedFilter]
    search_fields = ["email"]
    readonly_fields = ["created_at", "lifted_at", "lifted_by_name", "lift_reason"]
    actions = ["lift_selected"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": ["email", "detail"],
                        "description": gettext(
                            "No press send reaches a suppressed address. "
                            "The reason is recorded as “added by staff”."
                        ),
                    },
                )
            ]
        fieldsets = [(None, {"fields": ["email", "reason", "detail", "created_at"]})]
        if obj.lifted_at is not None:
            fieldsets.append(
                (gettext("Lifted"), {"fields": ["lifted_at", "lifted_by_name", "lift_reason"]})
            )
        return fieldsets

    def get_search_results(self, request, queryset, search_term):
        # An erased person's suppression keeps only the hash of the address: found by it too.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            found |= queryset.filter(email_hash=address_hash(search_term))
        return found, duplicates

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=Suppression._meta.get_field("lifted_by").verbose_name)
    def lifted_by_name(self, suppression: Suppression):
        # Named, not linked: a staff account's page is for superusers, not every role.
        return suppression.lifted_by

    def has_lift_permission(self, request) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def save_model(self, request, obj, form, change):
        suppression = services.suppression_staff_add(
            email=obj.email, detail=obj.detail, by=request.user
        )
        obj.pk = suppression.pk
        obj.refresh_from_db()

    @admin.action(description=_("Lift the selected suppressions"), permissions=["lift"])
    def lift_selected(self, request, queryset):
        form = LiftForm(request.POST if "post" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self.bulk(
                request,
                queryset,
                lambda suppression: services.suppression_lift(
                    suppression=suppression, by=request.user, reason=reason
                ),
                done=ngettext_lazy(
                    "%(count)s suppression lifted.", "%(count)s suppressions lifted.", "count"
                ),
                label=lambda suppression: suppression.email,
            )
            return None
        return self.action_page(
            request,
            None,
            template="admin/organizations/suppression/lift.html",
            title=gettext("Lift the selected suppressions"),
            suppressions=queryset,
            form=form,
            action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
        )
