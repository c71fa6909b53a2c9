import csv

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.admin import StatementCallToActionInline
from core.admin import ActionPagesAdmin, LabelledWidgetsAdmin, PublicPagesAdmin, RecordsAdmin
from core.links import absolute_reverse
from core.spreadsheets import csv_safe
from statements.diff import version_sections, versions_compared
from statements.embeds import embed_code
from statements.forms import (
    PublishForm,
    RetractForm,
    SignoffRequestForm,
    StatementAdminForm,
    TranslationCreateForm,
)
from statements.models import (
    Demand,
    PressContact,
    Quote,
    RelatedLink,
    Signature,
    Statement,
    listed_signatures,
)
from statements.selectors import publication_hold, statement_page_context, translation_status
from statements.services import cosigning, deletion, lifecycle, signoff, translations


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
class StatementAdmin(
    LabelledWidgetsAdmin, PublicPagesAdmin, RecordsAdmin, ActionPagesAdmin, admin.ModelAdmin
):
    form = StatementAdminForm
    list_display = ["title", "kind", "status", "release_date", "publish_at", "campaign"]
    list_filter = ["status", "kind", "campaign", "language"]
    search_fields = ["title", "slug", "standfirst"]
    date_hierarchy = "release_date"
    list_select_related = ["campaign"]
    autocomplete_fields = ["campaign"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status_summary", "cosign_link", "embed", "translations_panel", "translation_panel",
        "original_text",
    ]  # fmt: skip
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
    # What a translation shares with its original, edited on the original only.
    SHARED_FIELDSETS = {"Co-signing"}
    SHARED_FIELDS = {"campaign"}
    inlines = [
        DemandInline,
        QuoteInline,
        PressContactInline,
        RelatedLinkInline,
        StatementCallToActionInline,
    ]
    actions = ["publish_selected", "archive_selected"]
    action_template = "admin/statements/statement/action.html"

    class Media:
        js = ["js/admin-copy.js"]

    def get_fieldsets(self, request, obj=None):
        """A translation's form leaves out what the release shares (its original's); an
        original's lists its translations."""
        if obj is None:
            return self.fieldsets
        if not obj.is_translation():
            return [
                *self.fieldsets,
                (gettext_lazy("Translations"), {"fields": ["translations_panel"]}),
            ]
        fieldsets = [(None, {"fields": ["translation_panel"]})]
        for name, options in self.fieldsets:
            if name in self.SHARED_FIELDSETS:
                continue
            fields = [
                tuple(f for f in field if f not in self.SHARED_FIELDS)
                if isinstance(field, tuple)
                else field
                for field in options["fields"]
                if field not in self.SHARED_FIELDS
            ]
            fieldsets.append((name, {**options, "fields": fields}))
        fieldsets.append(
            (gettext_lazy("The original, for reference"), {"fields": ["original_text"]})
        )
        return fieldsets

    def get_inlines(self, request, obj):
        # Press contacts are the release's: a translation lists its original's.
        if obj is not None and obj.is_translation():
            return [inline for inline in self.inlines if inline is not PressContactInline]
        return self.inlines

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_translation():
            translations.release_shared_sync(original=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The organizations are listed, not edited, here: one form row each would let
        # a few hundred co-sign submissions make the form too large to save. Each is
        # added and changed in the signatures admin. A translation lists its original's.
        if obj is not None:
            context |= statement_signatures(obj.original, request.GET.get("signatures"))
            context["release_original"] = obj.original
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=gettext_lazy("Translations"))
    def translations_panel(self, statement: Statement) -> str:
        if statement.pk is None:
            return _("Save the statement first.")
        return render_to_string(
            "admin/statements/statement/_translations.html",
            {"original": statement, "statuses": translation_status(statement)},
        )

    @admin.display(description=gettext_lazy("Translation of"))
    def translation_panel(self, statement: Statement) -> str:
        original = statement.translation_of
        if original is None:
            return ""
        return render_to_string(
            "admin/statements/statement/_translation_of.html",
            {"statement": statement, "original": original},
        )

    @admin.display(description=gettext_lazy("The original's text"))
    def original_text(self, statement: Statement) -> str:
        original = statement.translation_of
        if original is None:
            return ""
        return render_to_string(
            "admin/statements/statement/_original_text.html",
            {
                "original": original,
                "sections": [s for s in version_sections(original.translated_text()) if s[1]],
            },
        )

    def deletion_refusals(self, statement: Statement) -> list[str]:
        return deletion.statement_deletion_refusals(statement)

    def delete_service(self, statement: Statement) -> None:
        deletion.statement_delete(statement=statement)

    def view_on_site(self, statement: Statement) -> str:
        # A statement not yet public has no public page; staff see its preview.
        if statement.is_public():
            return statement.get_absolute_url()
        return reverse("admin:statements_statement_preview", args=[statement.pk])

    @admin.display(description="Status")
    def status_summary(self, statement: Statement) -> str:
        if statement.pk is None:
            return "New draft"
        if held := publication_hold(statement):
            return format_html(
                "{} — <strong>its scheduled publication was held back</strong> on {}. {} "
                '<a href="{}">See sign-off</a>.',
                statement.get_status_display(),
                date_format(timezone.localtime(held.at), "j M Y H:i"),
                held.note,
                reverse("admin:statements_statement_signoff", args=[statement.pk]),
            )
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
            # A read-only field's label in the admin is for no control: name the box itself.
            '<textarea id="embed-code" class="vLargeTextField" rows="3" readonly '
            'aria-label="Embed code">{}</textarea>'
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
        url = absolute_reverse("cosign_private", statement.cosign_key)
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
            path("<int:pk>/signoff/request/", self.admin_site.admin_view(self.request_signoff_view),
                 name="statements_statement_signoff_request"),
            path("<int:pk>/versions/compare/", self.admin_site.admin_view(self.compare_view),
                 name="statements_statement_compare"),
            path("<int:pk>/translations/new/", self.admin_site.admin_view(self.translate_view),
                 name="statements_statement_translate"),
            path("<int:pk>/up-to-date/", self.admin_site.admin_view(self.up_to_date_view),
                 name="statements_statement_up_to_date"),
        ]  # fmt: skip
        return own + super().get_urls()

    def preview_view(self, request, pk: int):
        """The statement's page as the public will see it, before it is public."""
        statement = self.object_or_403(request, pk, change=False)
        context, _ = statement_page_context(statement, preview=True)
        return TemplateResponse(request, "front/statement_detail.html", context)

    def publish_view(self, request, pk: int):
        statement = self.object_or_403(request, pk)
        waiting = statement.translations.filter(status__in=Statement.UNPUBLISHED_STATUSES)
        form = PublishForm(
            request.POST or None,
            translations=waiting.order_by("language") if waiting.exists() else None,
        )
        if request.method == "POST" and form.is_valid():
            override = form.cleaned_data["override_reason"]
            chosen = form.chosen_translations()
            try:
                if form.cleaned_data["when"] == "now":
                    lifecycle.statement_publish(
                        statement=statement,
                        translations=chosen,
                        by=request.user,
                        override_reason=override,
                    )
                    return self.done(request, statement, f"“{statement}” is now public.")
                lifecycle.statement_schedule(
                    statement=statement,
                    publish_at=form.cleaned_data["publish_at"],
                    translations=chosen,
                    by=request.user,
                    override_reason=override,
                )
                return self.done(
                    request,
                    statement,
                    f"“{statement}” will be published at {statement.publish_at}.",
                )
            except ValidationError as error:
                form.add_error(None, error)
        return self.action_page(
            request,
            statement,
            title=f"Publish “{statement}”",
            intro="Publishing makes the statement readable by anyone at its public address. "
            "Every signatory organization must have approved the text as it is now; "
            "otherwise give a reason to publish anyway, which is recorded.",
            form=form,
            button="Publish",
            missing=signoff.signoff_missing(statement),
            standing_override=lifecycle.scheduling_override(statement),
        )

    def translate_view(self, request, pk: int):
        """Create a translation: a GET shows the languages, a POST makes the copy."""
        statement = self.object_or_403(request, pk)
        original = statement.original
        form = TranslationCreateForm(request.POST or None, original=original)
        if request.method == "POST" and form.is_valid():
            try:
                translation = translations.translation_create(
                    statement=statement, language=form.cleaned_data["language"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self.done(
                    request,
                    translation,
                    _(
                        "“%(title)s” is a draft translation into %(language)s: translate its "
                        "headline, text, demands and quotes, then save."
                    )
                    % {"title": original, "language": translation.get_language_display()},
                )
        return self.action_page(
            request,
            statement,
            title=_("Translate “%(title)s”") % {"title": original},
            intro=_(
                "The translation is a statement of its own, in its language, with its own "
                "address, linked to the original as one release: it shares the original's "
                "signatories, campaign, co-signing, press contacts and sign-off, and is "
                "published with it."
            ),
            form=form,
            button=_("Create the translation"),
        )

    def up_to_date_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=lambda statement: translations.translation_mark_up_to_date(
                translation=statement, by=request.user
            ),
            title=_("Mark “{statement}” as up to date"),
            intro=_(
                "Only once you have checked the translation against the original's text as "
                "it is now: the list of changes to the original starts again from here."
            ),
            button=_("Mark as up to date"),
            done=_("“{statement}” is marked as up to date with its original."),
        )

    def _confirm_view(self, request, pk, *, service, title, intro, button, done, carried=()):
        statement = self.object_or_403(request, pk)
        error = None
        if request.method == "POST":
            try:
                service(statement=statement)
                return self.done(request, statement, done.format(statement=statement))
            except ValidationError as exc:
                error = exc
        return self.action_page(
            request,
            statement,
            title=title.format(statement=statement),
            intro=intro,
            button=button,
            error=error,
            carried=_carried(statement, carried),
        )

    def unschedule_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=lifecycle.statement_unschedule,
            title="Cancel the scheduled publication of “{statement}”",
            intro="The statement goes back to draft and stays invisible to the public.",
            button="Return to draft",
            done="“{statement}” is a draft again.",
        )

    def archive_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=lifecycle.statement_archive,
            title="Archive “{statement}”",
            intro="An archived statement stays readable at its address and in the archive, "
            "with a note that it is archived, and leaves the home page.",
            button="Archive",
            done="“{statement}” is archived.",
            carried=[Statement.Status.PUBLISHED],
        )

    def retract_view(self, request, pk: int):
        statement = self.object_or_403(request, pk)
        form = RetractForm(request.POST or None, statement=statement)
        if request.method == "POST" and form.is_valid():
            try:
                lifecycle.statement_retract(
                    statement=statement,
                    note=form.cleaned_data["note"],
                    corrected_by=form.cleaned_data["corrected_by"],
                )
                return self.done(request, statement, f"“{statement}” is retracted.")
            except ValidationError as error:
                form.add_error(None, error)
        return self.action_page(
            request,
            statement,
            title=f"Retract “{statement}”",
            intro="The page stays online with your notice at the top, and without its share "
            "buttons; the statement leaves the home page.",
            form=form,
            button="Retract",
            carried=_carried(statement, [Statement.Status.PUBLISHED, Statement.Status.ARCHIVED]),
        )

    def new_cosign_link_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=cosigning.statement_cosign_link_renew,
            title="Make a new private co-sign link for “{statement}”",
            intro="The link you shared so far stops working; share the new one instead.",
            button="Make a new link",
            done="“{statement}” has a new private co-sign link.",
        )

    def signatories_csv_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, change=False)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{statement.slug[:60]}-signatories-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        signatories_csv(statement, response)
        return response

    def signoff_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, change=False)
        return self.action_page(
            request,
            statement,
            template="admin/statements/statement/signoff.html",
            title=f"Sign-off of “{statement}”",
            progress=signoff.signoff_progress(statement),
            missing=signoff.signoff_missing(statement),
            versions=list(statement.versions.select_related("created_by")),
            events=statement.signoff_events.select_related(
                "actor", "organization", "contact", "version"
            ),
        )

    def request_signoff_view(self, request, pk: int):
        statement = self.object_or_403(request, pk)
        organizations = signoff.signatory_organizations(statement)
        form = SignoffRequestForm(request.POST or None, organizations=organizations)
        if request.method == "POST" and form.is_valid():
            try:
                requests = signoff.signoff_requests_send(
                    statement=statement,
                    contacts=list(form.cleaned_data["contacts"]),
                    deadline=form.cleaned_data["deadline"],
                    note=form.cleaned_data["note"],
                    new_contact=form.new_contact(),
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
        return self.action_page(
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
        statement = self.object_or_403(request, pk, change=False)
        versions = {v.number: v for v in statement.versions.all()}
        try:
            old = versions[int(request.GET.get("old", ""))]
            new = versions[int(request.GET.get("new", ""))]
        except (KeyError, ValueError):
            return HttpResponseBadRequest("Choose two versions of this statement to compare.")
        return self.action_page(
            request,
            statement,
            template="admin/statements/statement/compare.html",
            title=f"Version {old.number} and version {new.number} of “{statement}”",
            old=old,
            new=new,
            rows=versions_compared(old.content, new.content),
        )

    @admin.action(description="Publish the selected statements now")
    def publish_selected(self, request, queryset):
        self.bulk(
            request,
            queryset,
            lambda statement: lifecycle.statement_publish(statement=statement, by=request.user),
            done="{count} statement(s) published.",
        )

    @admin.action(description="Archive the selected statements")
    def archive_selected(self, request, queryset):
        self.bulk(
            request,
            queryset,
            lambda statement: lifecycle.statement_archive(statement=statement),
            done="{count} statement(s) archived.",
        )


def _carried(statement: Statement, statuses) -> list[Statement]:
    """The translations an archive or retraction of an original takes along."""
    if not statuses or statement.is_translation():
        return []
    return list(statement.translations.filter(status__in=statuses).order_by("language"))


CSV_COLUMNS = [
    "organization", "short name", "country", "role", "signer", "title", "email", "phone",
    "state", "source", "signed at", "confirmed at", "decided at", "withdrawn at",
]  # fmt: skip


def signatories_csv(statement: Statement, out) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    signatures = statement.signatures.in_order(
        Statement.SignatoryOrder.ALPHABETICAL
    ).select_related("organization")
    for s in signatures:
        dates = [s.created_at, s.confirmed_at, s.decided_at, s.withdrawn_at]
        # An organization still to be made (the signer has not confirmed) as it was typed.
        organization = s.organization
        writer.writerow(
            csv_safe(value)
            for value in [
                s.organization_label(),
                organization.short_name if organization else "",
                (organization.country if organization else s.organization_country).name,
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


SIGNATURES_PER_PAGE = 50


def statement_signatures(statement: Statement, page_number) -> dict:
    """A page of the organizations listed on the statement, in the order of its page,
    and how many other signatures it has in each state."""
    listed = (
        statement.signatures.listed()
        .in_order(statement.signatory_order)
        .select_related("organization")
    )
    states = dict(Signature.State.choices)
    others = (
        statement.signatures.exclude(listed_signatures())
        .values_list("state")
        .annotate(count=Count("pk"))
        .order_by("state")
    )
    return {
        "signatures": Paginator(listed, SIGNATURES_PER_PAGE).get_page(page_number),
        "unlisted": [(state, states[state].lower(), count) for state, count in others],
    }
