from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import ActionPagesAdmin, PublicPagesAdmin, RecordsAdmin
from statements.models import PendingSignature, Signature, SignatureEvent
from statements.services import cosigning, deletion

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


@admin.register(Signature)
class SignatureAdmin(PublicPagesAdmin, RecordsAdmin, ActionPagesAdmin, admin.ModelAdmin):
    # Fits a 1280 px screen: headlines shortened, no column for what a filter tells.
    list_display = [
        "organization_shown", "statement_shown", "role", "state", "signer", "email",
        "domain_match", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "source", "role", "organization_created", "statement"]
    search_fields = [
        "organization__name",
        "organization__short_name",
        "organization_name",
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
        "withdrawn_at", "domain_match", "organization_name", "organization_website",
        "organization_country", "organization_kind", "consent_text", "consented_at", "erased_at",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["statement", "organization", "role", "position", "state", "source"]}),
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
