from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from core.admin import ActionPagesAdmin, PublicPagesAdmin
from statements.models import PendingSignature, Signature, SignatureEvent
from statements.services import cosigning


class SignatureEventInline(admin.TabularInline):
    model = SignatureEvent
    extra = 0
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Signature)
class SignatureAdmin(PublicPagesAdmin, ActionPagesAdmin, admin.ModelAdmin):
    list_display = [
        "organization", "statement", "role", "state", "signer_name", "signer_email",
        "domain_match", "organization_created", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "source", "role", "statement"]
    search_fields = [
        "organization__name",
        "organization__short_name",
        "signer_name",
        "signer_email",
    ]
    list_select_related = ["organization", "statement"]
    autocomplete_fields = ["statement", "organization"]
    date_hierarchy = "created_at"
    inlines = [SignatureEventInline]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [
        "state", "source", "organization_created", "created_at", "confirmed_at", "decided_at",
        "withdrawn_at", "domain_match",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["statement", "organization", "role", "position", "state", "source"]}),
        (
            "Signer",
            {
                "fields": [
                    "signer_name", "signer_title", "signer_email", "signer_phone", "domain_match",
                    "authorized", "consent_contact", "message", "logo",
                ]
            },
        ),
        (
            "Dates",
            {
                "fields": [
                    "created_at", "confirmed_at", "decided_at", "withdrawn_at",
                    "organization_created",
                ]
            },
        ),
    ]  # fmt: skip

    @admin.display(description="email at website domain", boolean=True)
    def domain_match(self, signature: Signature) -> bool | None:
        if not signature.signer_email:
            return None
        return signature.email_matches_domain()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # Added by hand: received by phone or email, so approved at once.
            cosigning.signature_add(signature=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # Added with "Add an organization" on a statement's page: back to that page,
        # or to a new form for the same statement.
        stays = "_continue" in request.POST or "_popup" in request.POST
        if "statement" in request.GET and not stays:
            if "_addanother" in request.POST:
                return redirect(f"{request.path}?statement={obj.statement_id}")
            change = reverse("admin:statements_statement_change", args=[obj.statement_id])
            return redirect(f"{change}#signatures")
        return response

    @admin.action(description="Approve the selected signatures")
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, cosigning.signature_approve, "approved")

    @admin.action(description="Reject the selected signatures")
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, cosigning.signature_reject, "rejected")

    def _decide(self, request, queryset, service, verb: str) -> None:
        self.bulk(
            request,
            queryset.select_related("organization"),
            lambda signature: service(signature=signature, by=request.user),
            done=f"{{count}} signature(s) {verb}.",
            label=lambda signature: str(signature.organization),
        )


@admin.register(PendingSignature)
class PendingSignatureAdmin(SignatureAdmin):
    """Confirmed co-signatures awaiting a decision, oldest first."""

    list_display = [
        "organization", "organization_created", "statement", "signer_name", "signer_title",
        "signer_email", "domain_match", "confirmed_at",
    ]  # fmt: skip
    list_filter = ["statement"]
    ordering = ["confirmed_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=Signature.State.CONFIRMED)

    def has_add_permission(self, request) -> bool:
        return False
