import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html

from campaigns.admin import StatementCallToActionInline
from config.pagecache import PublicPagesAdmin
from statements import press, services
from statements.diff import versions_compared
from statements.emails import absolute
from statements.embeds import embed_code
from statements.forms import (
    DistributionForm,
    PublishForm,
    RetractForm,
    SignoffRequestForm,
    StatementAdminForm,
)
from statements.models import (
    Delivery,
    Demand,
    Distribution,
    OutgoingEmail,
    PendingSignature,
    PressContact,
    Quote,
    RelatedLink,
    Signature,
    SignatureEvent,
    Statement,
    new_cosign_key,
)
from statements.views import render_statement


class DemandInline(admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "heading", "text"]
    verbose_name_plural = "demands (numbered in this order)"


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["position", "text", ("person_name", "person_title"), "organization"]
    autocomplete_fields = ["organization"]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ["position", "organization", "role", "state", "source"]
    readonly_fields = ["state", "source"]
    autocomplete_fields = ["organization"]
    verbose_name = "organization"
    verbose_name_plural = "issuing and signatory organizations (issuers are listed first)"


class PressContactInline(admin.TabularInline):
    model = PressContact
    extra = 0
    fields = ["position", "contact"]
    autocomplete_fields = ["contact"]
    verbose_name_plural = "press contacts (for press inquiries)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    extra = 0
    fields = ["position", "title", "url"]


@admin.register(Statement)
class StatementAdmin(PublicPagesAdmin, admin.ModelAdmin):
    form = StatementAdminForm
    list_display = ["title", "kind", "status", "release_date", "publish_at", "campaign"]
    list_filter = ["status", "kind", "campaign", "language"]
    search_fields = ["title", "slug", "standfirst"]
    date_hierarchy = "release_date"
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status_summary", "cosign_link", "embed"]
    fieldsets = [
        (None, {"fields": ["status_summary", "kind", "title", "slug", "standfirst"]}),
        ("Release", {"fields": [("dateline", "release_date"), "language", "campaign"]}),
        ("Text", {"fields": ["body"]}),
        ("Image", {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
        (
            "Co-signing",
            {
                "fields": [
                    "cosign_open",
                    "cosign_closes_at",
                    "cosign_auto_approve",
                    "cosign_link",
                    "signatory_order",
                ]
            },
        ),
        ("Sharing", {"fields": ["embed"]}),
    ]
    inlines = [
        DemandInline,
        QuoteInline,
        SignatureInline,
        PressContactInline,
        RelatedLinkInline,
        StatementCallToActionInline,
    ]
    actions = ["publish_selected", "archive_selected"]

    class Media:
        js = ["js/admin-copy.js"]

    def view_on_site(self, statement: Statement) -> str:
        # A statement not yet public has no public page; staff see its preview.
        if statement.is_public():
            return statement.get_absolute_url()
        return reverse("admin:statements_statement_preview", args=[statement.pk])

    @admin.display(description="Status")
    def status_summary(self, statement: Statement) -> str:
        if statement.pk is None:
            return "New draft"
        if statement.status == Statement.Status.SCHEDULED:
            return format_html("Scheduled for {}", statement.publish_at)
        if statement.is_public():
            return format_html(
                '{} — <a href="{}">view the public page</a>',
                statement.get_status_display(),
                statement.get_absolute_url(),
            )
        return statement.get_status_display()

    @admin.display(description="Embed code")
    def embed(self, statement: Statement) -> str:
        if not statement.is_public():
            return "Shown once the statement is published: only a public statement can be embedded."
        return format_html(
            '<textarea id="embed-code" class="vLargeTextField" rows="3" readonly>{}</textarea>'
            '<p><button type="button" class="button" data-copy="embed-code">Copy the code</button> '
            '<span data-copy-status role="status"></span></p>'
            '<div class="help">Partner websites paste it into a page to show the statement as '
            "a card: headline, date, number of signatories and a link. "
            '<a href="{}">See the card</a>. '
            "Editors that discover oEmbed only need the statement's address."
            "</div>",
            # Escaped once more: the textarea shows the code itself, entities included.
            escape(embed_code(statement)),
            reverse("statement_embed", args=[statement.slug]),
        )

    @admin.display(description="Private co-sign link")
    def cosign_link(self, statement: Statement) -> str:
        if statement.pk is None:
            return "Save the statement first."
        url = absolute(reverse("cosign_private", args=[statement.cosign_key]))
        return format_html(
            '<a href="{}">{}</a><div class="help">Share it with partners before publication: '
            "it shows the draft and the form while co-signing is open. Anyone with it can "
            'sign; <a href="{}">make a new link</a> to stop the old one working.</div>',
            url,
            url,
            reverse("admin:statements_statement_new_cosign_link", args=[statement.pk]),
        )

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view),
                 name="statements_statement_preview"),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view),
                 name="statements_statement_publish"),
            path("<int:pk>/unschedule/", self.admin_site.admin_view(self.unschedule_view),
                 name="statements_statement_unschedule"),
            path("<int:pk>/archive/", self.admin_site.admin_view(self.archive_view),
                 name="statements_statement_archive"),
            path("<int:pk>/retract/", self.admin_site.admin_view(self.retract_view),
                 name="statements_statement_retract"),
            path("<int:pk>/new-cosign-link/", self.admin_site.admin_view(self.new_cosign_link_view),
                 name="statements_statement_new_cosign_link"),
            path("<int:pk>/signatories.csv", self.admin_site.admin_view(self.signatories_csv_view),
                 name="statements_statement_signatories_csv"),
            path("<int:pk>/signoff/", self.admin_site.admin_view(self.signoff_view),
                 name="statements_statement_signoff"),
            path("<int:pk>/signoff/request/", self.admin_site.admin_view(self.signoff_request_view),
                 name="statements_statement_signoff_request"),
            path("<int:pk>/versions/compare/", self.admin_site.admin_view(self.compare_view),
                 name="statements_statement_compare"),
        ]  # fmt: skip
        return own + super().get_urls()

    def _get_statement(self, request, pk: int) -> Statement:
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_change_permission(request, statement):
            raise PermissionDenied
        return statement

    def _action_page(
        self, request, statement, *, title, intro, button, form=None, error=None, **extra
    ):
        context = extra | {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": statement,
            "title": title,
            "intro": intro,
            "form": form,
            "button": button,
            "error": error,
        }
        return TemplateResponse(request, "admin/statements/statement/action.html", context)

    def _done(self, request, statement, message):
        self.message_user(request, message, messages.SUCCESS)
        return redirect(reverse("admin:statements_statement_change", args=[statement.pk]))

    def preview_view(self, request, pk: int):
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        return render_statement(request, statement, preview=True)

    def publish_view(self, request, pk: int):
        statement = self._get_statement(request, pk)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            override = form.cleaned_data["override_reason"]
            try:
                if form.cleaned_data["when"] == "now":
                    services.statement_publish(
                        statement=statement, by=request.user, override_reason=override
                    )
                    return self._done(request, statement, f"“{statement}” is now public.")
                services.statement_schedule(
                    statement=statement,
                    publish_at=form.cleaned_data["publish_at"],
                    by=request.user,
                    override_reason=override,
                )
                return self._done(
                    request,
                    statement,
                    f"“{statement}” will be published at {statement.publish_at}.",
                )
            except ValidationError as error:
                form.add_error(None, error)
        return self._action_page(
            request,
            statement,
            title=f"Publish “{statement}”",
            intro="Publishing makes the statement readable by anyone at its public address. "
            "Every signatory organization must have approved the text as it is now; "
            "otherwise give a reason to publish anyway, which is recorded.",
            form=form,
            button="Publish",
            missing=services.signoff_missing(statement),
        )

    def _confirm_view(self, request, pk, *, service, title, intro, button, done):
        statement = self._get_statement(request, pk)
        error = None
        if request.method == "POST":
            try:
                service(statement=statement)
                return self._done(request, statement, done.format(statement=statement))
            except ValidationError as exc:
                error = exc
        return self._action_page(
            request,
            statement,
            title=title.format(statement=statement),
            intro=intro,
            button=button,
            error=error,
        )

    def unschedule_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=services.statement_unschedule,
            title="Cancel the scheduled publication of “{statement}”",
            intro="The statement goes back to draft and stays invisible to the public.",
            button="Return to draft",
            done="“{statement}” is a draft again.",
        )

    def archive_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=services.statement_archive,
            title="Archive “{statement}”",
            intro="An archived statement stays readable at its address and in the archive, "
            "with a note that it is archived, and leaves the home page.",
            button="Archive",
            done="“{statement}” is archived.",
        )

    def retract_view(self, request, pk: int):
        statement = self._get_statement(request, pk)
        form = RetractForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.statement_retract(statement=statement, note=form.cleaned_data["note"])
                return self._done(request, statement, f"“{statement}” is retracted.")
            except ValidationError as error:
                form.add_error(None, error)
        return self._action_page(
            request,
            statement,
            title=f"Retract “{statement}”",
            intro="The page stays online with your notice at the top; the statement "
            "leaves the home page.",
            form=form,
            button="Retract",
        )

    def new_cosign_link_view(self, request, pk: int):
        def renew(*, statement: Statement) -> None:
            statement.cosign_key = new_cosign_key()
            statement.save(update_fields=["cosign_key", "updated_at"])

        return self._confirm_view(
            request,
            pk,
            service=renew,
            title="Make a new private co-sign link for “{statement}”",
            intro="The link you shared so far stops working; share the new one instead.",
            button="Make a new link",
            done="“{statement}” has a new private co-sign link.",
        )

    def signatories_csv_view(self, request, pk: int):
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{statement.slug[:60]}-signatories-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        signatories_csv(statement, response)
        return response

    def signoff_view(self, request, pk: int):
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        versions = list(statement.versions.all())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": statement,
            "title": f"Sign-off of “{statement}”",
            "progress": services.signoff_progress(statement),
            "missing": services.signoff_missing(statement),
            "versions": versions,
            "events": statement.signoff_events.select_related(
                "actor", "organization", "contact", "version"
            ),
        }
        return TemplateResponse(request, "admin/statements/statement/signoff.html", context)

    def signoff_request_view(self, request, pk: int):
        statement = self._get_statement(request, pk)
        organizations = services.signatory_organizations(statement)
        form = SignoffRequestForm(request.POST or None, organizations=organizations)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    contacts = list(form.cleaned_data["contacts"])
                    if new := form.new_contact():
                        contacts.append(new)
                    requests = services.signoff_request(
                        statement=statement,
                        contacts=contacts,
                        deadline=form.cleaned_data["deadline"],
                        note=form.cleaned_data["note"],
                        by=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    f"Asked {len(requests)} contact(s) to approve version "
                    f"{requests[0].version.number}.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:statements_statement_signoff", args=[pk]))
        return self._action_page(
            request,
            statement,
            title=f"Request sign-off of “{statement}”",
            intro="The text as it is now is frozen as a numbered version, and each contact "
            "gets an email with a link to read it and approve, request a change or decline. "
            "A new request to a contact replaces the link they had.",
            form=form,
            button="Send the requests",
            no_signatories=not organizations,
        )

    def compare_view(self, request, pk: int):
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        versions = {v.number: v for v in statement.versions.all()}
        try:
            old = versions[int(request.GET.get("old", ""))]
            new = versions[int(request.GET.get("new", ""))]
        except (KeyError, ValueError):
            return HttpResponseBadRequest("Choose two versions of this statement to compare.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": statement,
            "title": f"Version {old.number} and version {new.number} of “{statement}”",
            "old": old,
            "new": new,
            "rows": versions_compared(old.content, new.content),
        }
        return TemplateResponse(request, "admin/statements/statement/compare.html", context)

    @admin.action(description="Publish the selected statements now")
    def publish_selected(self, request, queryset):
        def publish(statement):
            services.statement_publish(statement=statement, by=request.user)

        self._bulk(request, queryset, publish, "published")

    @admin.action(description="Archive the selected statements")
    def archive_selected(self, request, queryset):
        def archive(statement):
            services.statement_archive(statement=statement)

        self._bulk(request, queryset, archive, "archived")

    def _bulk(self, request, queryset, act, verb: str) -> None:
        done = 0
        for statement in queryset:
            try:
                act(statement)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"“{statement}”: {error.messages[0]}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} statement(s) {verb}.", messages.SUCCESS)


CSV_COLUMNS = [
    "organization", "short name", "country", "role", "signer", "title", "email", "phone",
    "state", "source", "signed at", "confirmed at", "decided at", "withdrawn at",
]  # fmt: skip


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def signatories_csv(statement: Statement, out) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    signatures = statement.signatures.select_related("organization").order_by(
        "role", "organization__name"
    )
    for s in signatures:
        dates = [s.created_at, s.confirmed_at, s.decided_at, s.withdrawn_at]
        writer.writerow(
            csv_safe(value)
            for value in [
                s.organization.name,
                s.organization.short_name,
                s.organization.country.name,
                s.get_role_display(),
                s.signer_name,
                s.signer_title,
                s.signer_email,
                s.signer_phone,
                s.get_state_display(),
                s.get_source_display(),
                *(timezone.localtime(d).isoformat(timespec="minutes") if d else "" for d in dates),
            ]
        )


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
class SignatureAdmin(PublicPagesAdmin, admin.ModelAdmin):
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
            services.signature_add(signature=obj, by=request.user)

    @admin.action(description="Approve the selected signatures")
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, services.signature_approve, "approved")

    @admin.action(description="Reject the selected signatures")
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, services.signature_reject, "rejected")

    def _decide(self, request, queryset, service, verb: str) -> None:
        done = 0
        for signature in queryset.select_related("organization"):
            try:
                service(signature=signature, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{signature.organization}: {error.messages[0]}", messages.ERROR
                )
        if done:
            self.message_user(request, f"{done} signature(s) {verb}.", messages.SUCCESS)


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


class ReadOnlyAdmin:
    """Records the site keeps for itself: staff read them, never write them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["kind", "to", "created_at", "sent_at", "failed_at", "attempts"]
    list_filter = [
        "kind",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind", "to", "statement", "signature", "created_at", "claimed_at", "sent_at",
        "failed_at", "attempts", "last_error",
    ]  # fmt: skip
    fields = readonly_fields


@admin.register(Distribution)
class DistributionAdmin(admin.ModelAdmin):
    form = DistributionForm
    list_display = ["subject", "statement", "when", "status", "started_at", "finished_at"]
    list_filter = ["status", "when"]
    search_fields = ["subject", "statement__title"]
    list_select_related = ["statement"]
    autocomplete_fields = ["statement", "reply_to", "press_lists", "contacts"]
    readonly_fields = [
        "status",
        "embargoed_until",
        "confirmed_at",
        "started_at",
        "finished_at",
        "progress",
    ]
    fieldsets = [
        (None, {"fields": ["statement", "subject", "note", "reply_to"]}),
        ("Recipients", {"fields": ["press_lists", "contacts"]}),
        ("When", {"fields": ["when", "send_at"]}),
        ("Progress", {"fields": [
            "status", "progress", "embargoed_until", "confirmed_at", "started_at", "finished_at",
        ]}),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Distribution.Status.DRAFT:
            return [f.name for f in Distribution._meta.fields] + [
                "press_lists", "contacts", "progress",
            ]  # fmt: skip
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Recipients")
    def progress(self, distribution: Distribution) -> str:
        if distribution.pk is None:
            return "—"
        if distribution.status == Distribution.Status.DRAFT:
            receive, skipped = press.distribution_counts(distribution)
            return f"{receive} will receive it; {skipped} suppressed will not."
        counts = press.delivery_progress(distribution)
        listing = reverse("admin:statements_delivery_changelist")
        return format_html(
            "{} — <a href='{}?distribution__id__exact={}'>every recipient</a>",
            ", ".join(f"{state}: {n}" for state, n in counts.items()),
            listing,
            distribution.pk,
        )

    def get_urls(self):
        own = [
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view),
                 name="statements_distribution_confirm"),
            path("<int:pk>/test/", self.admin_site.admin_view(self.test_view),
                 name="statements_distribution_test"),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view),
                 name="statements_distribution_cancel"),
        ]  # fmt: skip
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        distribution = get_object_or_404(Distribution, pk=object_id)
        extra_context = (extra_context or {}) | {
            # While it sends, the page refreshes itself: no script needed.
            "refresh": distribution.status == Distribution.Status.SENDING,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, distribution, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": distribution,
        } | context
        return TemplateResponse(request, "admin/statements/distribution/action.html", context)

    def confirm_view(self, request, pk: int):
        distribution = get_object_or_404(Distribution, pk=pk)
        if not self.has_change_permission(request, distribution):
            raise PermissionDenied
        error = None
        if request.method == "POST":
            try:
                press.distribution_confirm(distribution=distribution, by=request.user)
            except ValidationError as exc:
                error = exc
            else:
                self.message_user(request, f"“{distribution}” is confirmed.", messages.SUCCESS)
                return redirect(reverse("admin:statements_distribution_change", args=[pk]))
        receive, skipped = press.distribution_counts(distribution)
        return self._page(
            request,
            distribution,
            title=f"Send “{distribution}”",
            receive=receive,
            skipped=skipped,
            error=error,
            button="Confirm and send",
        )

    def cancel_view(self, request, pk: int):
        distribution = get_object_or_404(Distribution, pk=pk)
        if not self.has_change_permission(request, distribution):
            raise PermissionDenied
        error = None
        if request.method == "POST":
            try:
                spared = press.distribution_cancel(distribution=distribution)
            except ValidationError as exc:
                error = exc
            else:
                self.message_user(
                    request,
                    f"“{distribution}” is cancelled: {spared} journalist(s) will not receive it.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:statements_distribution_change", args=[pk]))
        return self._page(
            request,
            distribution,
            title=f"Stop sending “{distribution}”",
            progress=press.delivery_progress(distribution),
            error=error,
            button="Stop sending",
        )

    def test_view(self, request, pk: int):
        distribution = get_object_or_404(Distribution, pk=pk)
        if not self.has_view_permission(request, distribution):
            raise PermissionDenied
        if request.method == "POST":
            if not request.user.email:
                self.message_user(request, "Your account has no email address.", messages.ERROR)
            else:
                services.press_test_copy(distribution=distribution, to=request.user.email)
                self.message_user(request, f"A test copy is on its way to {request.user.email}.")
            return redirect(reverse("admin:statements_distribution_change", args=[pk]))
        return self._page(
            request,
            distribution,
            title=f"Send a test copy of “{distribution}” to yourself",
            to=request.user.email,
            button="Send the test copy",
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["email", "distribution", "state", "attempts", "sent_at", "last_response"]
    list_filter = ["state", "distribution"]
    search_fields = ["email"]
    list_select_related = ["distribution"]
    fields = [
        "distribution", "contact", "email", "state", "attempts", "claimed_at", "next_attempt_at",
        "sent_at", "last_response", "provider_message_id",
    ]  # fmt: skip
    readonly_fields = fields
