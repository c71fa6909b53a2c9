from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from statements import services
from statements.forms import PublishForm, RetractForm, StatementAdminForm
from statements.models import Demand, PressContact, Quote, RelatedLink, Signature, Statement
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
    fields = ["position", "organization", "role"]
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
class StatementAdmin(admin.ModelAdmin):
    form = StatementAdminForm
    list_display = ["title", "kind", "status", "release_date", "publish_at", "campaign"]
    list_filter = ["status", "kind", "campaign", "language"]
    search_fields = ["title", "slug", "standfirst"]
    date_hierarchy = "release_date"
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status_summary"]
    fieldsets = [
        (None, {"fields": ["status_summary", "kind", "title", "slug", "standfirst"]}),
        ("Release", {"fields": [("dateline", "release_date"), "language", "campaign"]}),
        ("Text", {"fields": ["body"]}),
        ("Image", {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
    ]
    inlines = [DemandInline, QuoteInline, SignatureInline, PressContactInline, RelatedLinkInline]
    actions = ["publish_selected", "archive_selected"]

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
        ]  # fmt: skip
        return own + super().get_urls()

    def _get_statement(self, request, pk: int) -> Statement:
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_change_permission(request, statement):
            raise PermissionDenied
        return statement

    def _action_page(self, request, statement, *, title, intro, button, form=None, error=None):
        context = {
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
            try:
                if form.cleaned_data["when"] == "now":
                    services.statement_publish(statement=statement)
                    return self._done(request, statement, f"“{statement}” is now public.")
                services.statement_schedule(
                    statement=statement, publish_at=form.cleaned_data["publish_at"]
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
            intro="Publishing makes the statement readable by anyone at its public address.",
            form=form,
            button="Publish",
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

    @admin.action(description="Publish the selected statements now")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, services.statement_publish, "published")

    @admin.action(description="Archive the selected statements")
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, services.statement_archive, "archived")

    def _bulk(self, request, queryset, service, verb: str) -> None:
        done = 0
        for statement in queryset:
            try:
                service(statement=statement)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"“{statement}”: {error.messages[0]}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} statement(s) {verb}.", messages.SUCCESS)
