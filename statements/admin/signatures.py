from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from core.admin import ActionPagesAdmin, PublicPagesAdmin, RecordsAdmin
from statements.forms import IndividualSignatureForm, SignatureAdminForm
from statements.models import PendingSignature, Signature, SignatureEvent, Statement
from statements.resources import CONSENT, IndividualResource
from statements.services import cosigning, deletion, signatories

# A headline in a list is cut to this many characters; the whole of it is its tooltip.
STATEMENT_TITLE_SHOWN = 60


def individual_shown(signature: Signature) -> str:
    """An individual as moderators weigh them: "Name — Title, Affiliation (individual)"."""
    details = [part for part in (signature.signer_title, signature.affiliation) if part]
    if not details:
        return format_html(gettext("<bdi>{name}</bdi> (individual)"), name=signature.signer_name)
    return format_html(
        gettext("<bdi>{name}</bdi> — {details} (individual)"),
        name=signature.signer_name,
        details=format_html_join(", ", "<bdi>{}</bdi>", ((part,) for part in details)),
    )


class SignatureEventInline(admin.TabularInline):
    model = SignatureEvent
    extra = 0
    fields = ["at", "kind", "actor_name", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=SignatureEvent._meta.get_field("actor").verbose_name)
    def actor_name(self, event: SignatureEvent):
        # Named, not linked: a staff account's page is for superusers, not every role.
        return event.actor


def _statements():
    return Statement.objects.filter(translation_of__isnull=True).order_by("-created_at")


class IndividualImportForm(ImportForm):
    """The file, the statement the people signed, and the staff member's word that
    they agreed to be listed."""

    statement = forms.ModelChoiceField(label=_("Statement"), queryset=Statement.objects.none())
    consent = forms.BooleanField(
        label=CONSENT,
        error_messages={
            "required": _("Import only people who agreed to have their names published.")
        },
    )
    field_order = ["statement", "import_file", "consent", "resource", "format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].queryset = _statements()


class IndividualConfirmImportForm(ConfirmImportForm):
    statement = forms.ModelChoiceField(
        queryset=Statement.objects.filter(translation_of__isnull=True), widget=forms.HiddenInput
    )
    consent = forms.BooleanField(widget=forms.HiddenInput)


# The columns of the changelist when it lists individuals (the "signs as" filter).
INDIVIDUAL_COLUMNS = [
    "individual_name", "title", "affiliation", "signer_country", "statement_shown", "state",
    "pinned", "group", "sort_as", "sort_key",
]  # fmt: skip


@admin.register(Signature)
class SignatureAdmin(
    PublicPagesAdmin, RecordsAdmin, ActionPagesAdmin, ImportMixin, admin.ModelAdmin
):
    form = SignatureAdminForm
    # Fits a 1280 px screen: headlines shortened, no column for what a filter tells.
    list_display = [
        "organization_shown", "statement_shown", "role", "state", "signer", "email",
        "domain_match", "created_at",
    ]  # fmt: skip
    list_filter = ["kind", "state", "source", "role", "organization_created", "statement"]
    search_fields = [
        "organization__name",
        "organization__short_name",
        "organization_name",
        "signer_name",
        "signer_email",
        "affiliation",
    ]
    list_select_related = ["organization", "statement"]
    autocomplete_fields = ["statement", "organization"]
    date_hierarchy = "created_at"
    inlines = [SignatureEventInline]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [
        "state", "source", "organization_created", "created_at", "confirmed_at", "decided_at",
        "withdrawn_at", "domain_match", "organization_name", "organization_website",
        "organization_country", "organization_kind", "consent_text", "consented_at", "erased_at",
        "sort_key",
    ]  # fmt: skip
    # Where the statement's list puts it; the computed sort key beside the one staff give.
    PLACE = (
        _("Place in the list"),
        {"fields": ["pinned", "group", ("sort_as", "sort_key")]},
    )
    fieldsets = [
        (None, {"fields": ["statement", "organization", "role", "position", "state", "source"]}),
        (PLACE[0], {"fields": [*PLACE[1]["fields"], "show_logo"]}),
        (
            _("Organization as the signer typed it"),
            {
                "fields": [
                    "organization_name", "organization_website", "organization_country",
                    "organization_kind",
                ]
            },
        ),
        (
            _("Signer"),
            {
                "fields": [
                    "signer_name", "signer_title", "signer_email", "signer_phone", "domain_match",
                    "authorized", "consent_contact", "consent_text", "consented_at", "message",
                    "logo",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "created_at", "confirmed_at", "decided_at", "withdrawn_at", "erased_at",
                    "organization_created",
                ]
            },
        ),
    ]  # fmt: skip

    individual_fieldsets = [
        (
            None,
            {
                "fields": [
                    "statement", "signer_name", "signer_title", "affiliation", "signer_country",
                    "signer_email", "consent_publish", "state", "source",
                ]
            },
        ),
        PLACE,
        (_("Dates"), {"fields": ["created_at", "confirmed_at", "decided_at", "withdrawn_at"]}),
    ]  # fmt: skip

    # Individuals are imported from CSV with a preview, as press contacts are.
    resource_classes = [IndividualResource]
    import_formats = [CSV]
    from_encoding = "utf-8-sig"
    import_form_class = IndividualImportForm
    confirm_form_class = IndividualConfirmImportForm
    import_template_name = "admin/statements/signature/import.html"

    @staticmethod
    def _individual(request, obj=None) -> bool:
        """Whether the form is an individual's: one saved as such, or one added from the
        statement's "Add an individual"."""
        if obj is not None:
            return obj.is_individual()
        return request.GET.get("kind") == Signature.Kind.INDIVIDUAL

    def get_fieldsets(self, request, obj=None):
        if self._individual(request, obj):
            return self.individual_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._individual(request, obj):
            kwargs["form"] = IndividualSignatureForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # An individual stays on the statement they signed.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_individual():
            return [*fields, "statement"]
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("kind", None)
        return initial

    def get_list_display(self, request):
        if request.GET.get("kind__exact") == Signature.Kind.INDIVIDUAL:
            return INDIVIDUAL_COLUMNS
        return super().get_list_display(request)

    def get_list_select_related(self, request):
        return [*super().get_list_select_related(request), "group"]

    def deletion_refusals(self, signature: Signature) -> list[str]:
        return deletion.signature_deletion_refusals(signature)

    def delete_service(self, signature: Signature, *, by) -> None:
        deletion.signature_delete(signature=signature, by=by)

    # Names and addresses in <bdi>: one written right to left, or holding a direction
    # override, cannot reorder the text around it.
    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_shown(self, signature: Signature) -> str:
        if signature.is_individual():
            return individual_shown(signature)
        if signature.organization is None:
            return format_html(
                gettext("<bdi>{name}</bdi> <em>(new: made when the signer confirms)</em>"),
                name=signature.organization_name,
            )
        if signature.name_only_looks_like():
            return format_html(
                gettext(
                    '<bdi>{name}</bdi> <strong class="lookalike">Typed as “<bdi>{typed}</bdi>”, '
                    "which only looks like this name: check who signed.</strong>"
                ),
                name=signature.organization,
                typed=signature.organization_name,
            )
        return format_html("<bdi>{}</bdi>", signature.organization)

    @admin.display(description=_("name"), ordering="sort_key")
    def individual_name(self, signature: Signature) -> str:
        return format_html("<bdi>{}</bdi>", signature.signer_name)

    @admin.display(description=_("signer"), ordering="signer_name")
    def signer(self, signature: Signature) -> str:
        return format_html("<bdi>{}</bdi>", signature.signer_name)

    @admin.display(description=_("signer"), ordering="signer_name")
    def signer_and_title(self, signature: Signature) -> str:
        if not signature.signer_title:
            return self.signer(signature)
        return format_html(
            '<bdi>{}</bdi><div class="help"><bdi>{}</bdi></div>',
            signature.signer_name,
            signature.signer_title,
        )

    @admin.display(description=_("statement"), ordering="statement__title")
    def statement_shown(self, signature: Signature) -> str:
        title = signature.statement.title
        return format_html(
            '<bdi title="{}">{}</bdi>', title, Truncator(title).chars(STATEMENT_TITLE_SHOWN)
        )

    @admin.display(description=_("signer's title"), ordering="signer_title")
    def title(self, signature: Signature) -> str:
        return format_html("<bdi>{}</bdi>", signature.signer_title)

    @admin.display(description=_("signer's email"), ordering="signer_email")
    def email(self, signature: Signature) -> str:
        return format_html("<bdi>{}</bdi>", signature.signer_email)

    @admin.display(description=_("email at website domain"), boolean=True)
    def domain_match(self, signature: Signature) -> bool | None:
        if not signature.signer_email or signature.is_individual():
            return None
        return signature.email_matches_domain()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        elif self._individual(request):
            signatories.individual_add(signature=obj, by=request.user)
        else:
            # Added by hand: received by phone or email, so approved at once.
            cosigning.signature_add(signature=obj, by=request.user)

    # Importing needs its own permission: a list of people's names goes on a public page.
    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("statements.import_signature") and request.user.has_perm(
            "statements.add_signature"
        )

    def get_import_form_initial(self, request):
        return {"statement": request.GET.get("statement")}

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        statement = form.cleaned_data.get("statement") if form and form.is_bound else None
        return {"statement": statement, "by": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial |= {
                "statement": import_form.cleaned_data["statement"].pk,
                "consent": import_form.cleaned_data["consent"],
            }
        return initial

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # As for press contacts: the valid rows may be imported while the invalid ones
        # are left out, in view; those already on the statement are shown apart.
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is None:
            return response
        new = [r for r in result.valid_rows() if r.import_type == RowResult.IMPORT_TYPE_NEW]
        if not new:
            # Nothing to add: everyone in the file is listed already, or invalid.
            context.pop("confirm_form", None)
        elif "confirm_form" not in context and not result.has_errors():
            context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])
        context["row_groups"] = [
            (label, kind, [row for row in result.valid_rows() if row.import_type == kind])
            for label, kind in [
                (gettext("To be listed"), RowResult.IMPORT_TYPE_NEW),
                (gettext("Already on the statement, not added again"), RowResult.IMPORT_TYPE_SKIP),
            ]
        ]
        context["statement"] = context["form"].cleaned_data.get("statement")
        return response

    def process_result(self, result, request):
        super().process_result(result, request)
        # To the statement's individuals, the new ones among them.
        changelist = reverse("admin:statements_signature_changelist")
        return redirect(
            f"{changelist}?statement__id__exact={result.statement.pk}&kind__exact=individual"
        )

    def add_success_message(self, result, request):
        totals = result.totals
        message = ngettext(
            "%(count)s individual listed.", "%(count)s individuals listed.", totals["new"]
        ) % {"count": totals["new"]}
        if skipped := totals["skip"]:
            message += " " + ngettext(
                "%(count)s was already on the statement.",
                "%(count)s were already on the statement.",
                skipped,
            ) % {"count": skipped}
        if invalid := totals["invalid"]:
            message += " " + ngettext(
                "%(count)s invalid row was left out.",
                "%(count)s invalid rows were left out.",
                invalid,
            ) % {"count": invalid}
        self.message_user(request, message, messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # Added with "Add an organization" on a statement's page: back to that page,
        # or to a new form for the same statement.
        stays = "_continue" in request.POST or "_popup" in request.POST
        if "statement" in request.GET and not stays:
            if "_addanother" in request.POST:
                return redirect(f"{request.path}?{request.GET.urlencode()}")
            change = reverse("admin:statements_statement_change", args=[obj.statement_id])
            return redirect(f"{change}#{'individuals' if obj.is_individual() else 'signatures'}")
        return response

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("statements.moderate_signature")

    @admin.action(description=_("Approve the selected signatures"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done = ngettext_lazy(
            "%(count)s signature approved.", "%(count)s signatures approved.", "count"
        )
        self._decide(request, queryset, cosigning.signature_approve, done)

    @admin.action(description=_("Reject the selected signatures"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        done = ngettext_lazy(
            "%(count)s signature rejected.", "%(count)s signatures rejected.", "count"
        )
        self._decide(request, queryset, cosigning.signature_reject, done)

    def _decide(self, request, queryset, service, done) -> None:
        self.bulk(
            request,
            queryset.select_related("organization"),
            lambda signature: service(signature=signature, by=request.user),
            done=done,
            label=lambda signature: signature.organization_label(),
        )


@admin.register(PendingSignature)
class PendingSignatureAdmin(SignatureAdmin):
    """Confirmed co-signatures awaiting a decision, oldest first."""

    list_display = [
        "organization_queued", "statement_shown", "signer_and_title", "email", "domain_match",
        "state", "confirmed_at",
    ]  # fmt: skip
    list_filter = ["organization_created", "statement"]
    ordering = ["confirmed_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=Signature.State.CONFIRMED)

    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_queued(self, signature: Signature) -> str:
        """The organization, and whether this signature made it: a new one deserves a look."""
        if not signature.organization_created:
            return self.organization_shown(signature)
        return format_html(
            '{}<div class="help">{}</div>',
            self.organization_shown(signature),
            gettext("New organization, made from this signature."),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_import_permission(self, request) -> bool:
        return False
