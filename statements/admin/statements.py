from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.admin import StatementCallToActionInline
from core.admin import ActionPagesAdmin, LabelledWidgetsAdmin, PublicPagesAdmin, RecordsAdmin
from core.languages import interface_language
from core.links import absolute_reverse
from statements.admin.delivery import deliver_view
from statements.admin.importing import import_view
from statements.diff import version_sections, versions_compared
from statements.embeds import embed_code
from statements.forms import (
    NEW_PRESS_CONTACT_FIELDS,
    CorrectionForm,
    PendingCorrectionForm,
    PressContactRowForm,
    PublishForm,
    RetractForm,
    SignatoryGroupRowForm,
    SignatureRowForm,
    SignatureRowFormSet,
    SignoffRequestForm,
    StatementAdminForm,
    TranslationCreateForm,
)
from statements.models import (
    Demand,
    PressContact,
    Quote,
    RelatedLink,
    SignatoryGroup,
    Signature,
    Statement,
    listed_signatures,
)
from statements.selectors import (
    organization_names,
    publication_hold,
    statement_page_context,
    translation_status,
)
from statements.services import (
    corrections,
    cosigning,
    deletion,
    editing,
    exports,
    lifecycle,
    signoff,
    translations,
)

# Publishing, scheduling, archiving and retracting: the publisher's.
PUBLISH = "statements.publish_statement"


class PublishedTextInline:
    """Parts of the text readers see: read-only once the statement is public, when only a
    correction (with its note, through sign-off) changes them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return not (obj and obj.is_public()) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not (obj and obj.is_public()) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not (obj and obj.is_public()) and super().has_delete_permission(request, obj)


class DemandInline(PublishedTextInline, admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "heading", "text"]
    verbose_name_plural = _("demands (numbered in this order)")


class QuoteInline(PublishedTextInline, admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["position", "text", ("person_name", "person_title"), "organization"]
    autocomplete_fields = ["organization"]


class SortableRows:
    """A tabular inline whose rows staff put in order by dragging them (or with their
    Move buttons): static/js/admin-sortable.js numbers the hidden position boxes in the
    order the rows stand when the form is sent."""

    classes = ["sortable"]

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-sortable.js"])


class SignatureSectionFormSet(SignatureRowFormSet):
    prefix_name = ""

    @classmethod
    def get_default_prefix(cls):
        return cls.prefix_name


class SignatureSectionInline(SortableRows, admin.TabularInline):
    """The organizations staff list on the statement in one role, typed by name: one
    not known yet is made on save. Signatures from the co-sign form are not rows here:
    a few hundred of them would make the form too large; they are listed below it."""

    model = Signature
    form = SignatureRowForm
    fields = ["name", "position"]
    extra = 0
    role = ""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Individuals are not rows: they are listed and added in the signatures admin.
            .filter(role=self.role, source=Signature.Source.STAFF, kind=Signature.Kind.ORGANIZATION)
            # The row names itself "organization on statement".
            .select_related("organization", "statement")
            .order_by("position", "pk")
        )

    def get_formset(self, request, obj=None, **kwargs):
        prefix = "issuers" if self.role == Signature.Role.ISSUER else "signatories"
        kwargs["formset"] = type(
            "SignatureSectionFormSet", (SignatureSectionFormSet,), {"prefix_name": prefix}
        )
        return super().get_formset(request, obj, **kwargs)


class IssuerInline(SignatureSectionInline):
    role = Signature.Role.ISSUER
    verbose_name = _("issuing organization")
    verbose_name_plural = _("Issued by")


class SignatoryInline(SignatureSectionInline):
    role = Signature.Role.SIGNATORY
    # Issuers come first in the order given; a signatory has its place in the list too.
    fields = ["name", "pinned", "group", "sort_as", "show_logo", "position"]
    verbose_name = _("signatory organization")
    verbose_name_plural = _("Signed by")


class SignatoryGroupInline(SortableRows, admin.TabularInline):
    """The headings staff name for the list ("Lead organizations"), used when the
    statement's headings are "By the groups named below"."""

    model = SignatoryGroup
    form = SignatoryGroupRowForm
    fields = ["name", "position"]
    extra = 0


class PressContactInline(SortableRows, admin.TabularInline):
    model = PressContact
    form = PressContactRowForm
    extra = 0
    fields = ["contact", *NEW_PRESS_CONTACT_FIELDS, "position"]
    autocomplete_fields = ["contact"]
    verbose_name_plural = _("press contacts (for press inquiries)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact__organization")


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
        "original_text", "translations_read", "translation_read", "cosign_link_read",
    ]  # fmt: skip
    READ_ONLY_PANELS = {
        "translations_panel": "translations_read",
        "translation_panel": "translation_read",
        "cosign_link": "cosign_link_read",
    }
    fieldsets = [
        (None, {"fields": ["status_summary", "kind", "title", "slug", "standfirst"]}),
        (_("Release"), {"fields": [("dateline", "release_date"), "language", "campaign"]}),
        (
            _("Text"),
            {
                "fields": ["body", "demands_heading", "closing", "press_contacts_heading"],
                "description": _(
                    "In the order of the page: the body, then the demands (listed below) "
                    "under their heading, then the text after them; the press contacts, "
                    "under theirs, come last."
                ),
            },
        ),
        (_("Image"), {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
        (
            _("Co-signing"),
            {
                "fields": [
                    "cosign_open",
                    "cosign_closes_at",
                    "cosign_auto_approve",
                    "cosign_link",
                ]
            },
        ),
        (
            _("Signatories"),
            {
                "fields": [
                    "signers", "individuals_auto_approve", "affiliation_note", "signatory_order",
                    ("signatory_numbering", "signatory_details"), "signatory_grouping",
                    "logo_wall",
                ],
                "description": _(
                    "How the statement's page, its PDF and its files list those who signed. "
                    "Pin, group and sort organizations in “Signed by” below; individuals "
                    "in their own list."
                ),
            },
        ),
        (_("Sharing"), {"fields": ["embed"]}),
    ]  # fmt: skip
    # What a translation shares with its original, edited on the original only.
    SHARED_FIELDS = {
        "campaign", "cosign_open", "cosign_closes_at", "cosign_auto_approve", "cosign_link",
        "signers", "individuals_auto_approve", "affiliation_note", "signatory_order",
        "signatory_numbering", "signatory_details", "signatory_grouping", "logo_wall",
    }  # fmt: skip
    inlines = [
        IssuerInline,
        SignatoryInline,
        SignatoryGroupInline,
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

    def get_readonly_fields(self, request, obj=None):
        # Once public, the text changes only through a correction ("Correct the text…").
        if obj is not None and obj.is_public():
            return [*self.readonly_fields, *corrections.TEXT_PARTS]
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        # A public statement's headline is read-only, and its address stays.
        if obj is not None and obj.is_public():
            return {}
        return self.prepopulated_fields

    def get_fieldsets(self, request, obj=None):
        """A translation's form leaves out what the release shares (its original's); an
        original's lists its translations. Who may only read the statement sees its
        panels without the buttons that change it."""
        fieldsets = self._fieldsets(obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [self.READ_ONLY_PANELS.get(f, f) for f in options["fields"]]},
            )
            for name, options in fieldsets
        ]

    def _fieldsets(self, obj):
        if obj is None:
            return self.fieldsets
        if not obj.is_translation():
            return [
                *self.fieldsets,
                (_("Translations"), {"fields": ["translations_panel"]}),
            ]
        fieldsets = [(None, {"fields": ["translation_panel"]})]
        for name, options in self.fieldsets:
            fields = [
                tuple(f for f in field if f not in self.SHARED_FIELDS)
                if isinstance(field, tuple)
                else field
                for field in options["fields"]
                if field not in self.SHARED_FIELDS
            ]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        fieldsets.append((_("The original, for reference"), {"fields": ["original_text"]}))
        return fieldsets

    # Organizations, their groups and press contacts are the release's: a translation
    # lists its original's.
    RELEASE_INLINES = (IssuerInline, SignatoryInline, SignatoryGroupInline, PressContactInline)

    def get_inlines(self, request, obj):
        if obj is not None and obj.is_translation():
            return [inline for inline in self.inlines if inline not in self.RELEASE_INLINES]
        if obj is not None and _signatories_too_many_for_rows(obj):
            return [inline for inline in self.inlines if inline is not SignatoryInline]
        return self.inlines

    def save_formset(self, request, form, formset, change):
        """Rows typed by name find or make their organization (and contact) through the
        service; the section a row is in gives its role."""
        if formset.model not in (Signature, PressContact):
            return super().save_formset(request, form, formset, change)
        # What the admin's history says was added, changed and deleted.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                if formset.model is Signature:
                    deletion.signature_delete(signature=row.instance, by=request.user)
                else:
                    row.instance.delete()
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            new = row.instance.pk is None
            obj = row.save(commit=False)
            obj.statement = form.instance
            if formset.model is Signature:
                obj.role = (
                    Signature.Role.ISSUER
                    if formset.prefix == "issuers"
                    else Signature.Role.SIGNATORY
                )
                editing.signature_by_name_save(
                    signature=obj, organization_name=row.cleaned_data["name"], by=request.user
                )
            else:
                editing.press_contact_by_name_save(
                    press_contact=obj, by=request.user, **row.new_contact()
                )
            if new:
                formset.new_objects.append(obj)
            else:
                formset.changed_objects.append((obj, row.changed_data))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.is_translation():
            translations.release_shared_sync(original=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The organizations are listed, not edited, here: one form row each would let
        # a few hundred co-sign submissions make the form too large to save. Each is
        # added and changed in the signatures admin. A translation lists its original's.
        if obj is not None:
            every = _signatories_too_many_for_rows(obj.original)
            context |= statement_signatures(
                obj.original, request.GET.get("signatures"), cosigned_only=not every
            )
            context["release_original"] = obj.original
            context["individuals"] = obj.original.signatures.individuals().aggregate(
                every=Count("pk"), listed=Count("pk", filter=listed_signatures())
            )
        context["organization_names"] = organization_names()
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("Translations"))
    def translations_panel(self, statement: Statement, *, may_change: bool = True) -> str:
        if statement.pk is None:
            return _("Save the statement first.")
        return render_to_string(
            "admin/statements/statement/_translations.html",
            {
                "original": statement,
                "statuses": translation_status(statement),
                "may_change": may_change,
            },
        )

    @admin.display(description=_("Translations"))
    def translations_read(self, statement: Statement) -> str:
        return self.translations_panel(statement, may_change=False)

    @admin.display(description=_("Translation of"))
    def translation_panel(self, statement: Statement, *, may_change: bool = True) -> str:
        original = statement.translation_of
        if original is None:
            return ""
        return render_to_string(
            "admin/statements/statement/_translation_of.html",
            {"statement": statement, "original": original, "may_change": may_change},
        )

    @admin.display(description=_("Translation of"))
    def translation_read(self, statement: Statement) -> str:
        return self.translation_panel(statement, may_change=False)

    @admin.display(description=_("The original's text"))
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

    def delete_service(self, statement: Statement, *, by) -> None:
        deletion.statement_delete(statement=statement, by=by)

    def view_on_site(self, statement: Statement) -> str:
        # A statement not yet public has no public page; staff see its preview.
        if statement.is_public():
            return statement.get_absolute_url()
        return reverse("admin:statements_statement_preview", args=[statement.pk])

    @admin.display(description=_("Status"))
    def status_summary(self, statement: Statement) -> str:
        if statement.pk is None:
            return gettext("New draft")
        if held := publication_hold(statement):
            return format_html(
                gettext(
                    "{status} — <strong>its scheduled publication was held back</strong> on "
                    '{date}. {note} <a href="{url}">See sign-off</a>.'
                ),
                status=statement.get_status_display(),
                date=date_format(timezone.localtime(held.at), "j M Y H:i"),
                note=held.note,
                url=reverse("admin:statements_statement_signoff", args=[statement.pk]),
            )
        if statement.status == Statement.Status.SCHEDULED:
            return format_html(
                gettext("Scheduled for {moment}"),
                moment=date_format(timezone.localtime(statement.publish_at), "DATETIME_FORMAT"),
            )
        if statement.is_public():
            return format_html(
                gettext('{status} — <a href="{url}">view the public page</a>'),
                status=statement.get_status_display(),
                url=statement.get_absolute_url(),
            )
        return statement.get_status_display()

    @admin.display(description=_("Embed code"))
    def embed(self, statement: Statement) -> str:
        if not statement.is_public():
            return gettext(
                "Shown once the statement is published: only a public statement can be embedded."
            )
        return format_html(
            # A read-only field's label in the admin is for no control: name the box itself.
            '<textarea id="embed-code" dir="ltr" class="vLargeTextField" rows="3" readonly '
            'aria-label="{label}">{code}</textarea>'
            '<p><button type="button" class="button" data-copy="embed-code">{copy}</button> '
            '<span data-copy-status role="status"></span></p>'
            '<div class="help">{help}</div>',
            label=gettext("Embed code"),
            # Escaped once more: the textarea shows the code itself, entities included.
            code=escape(embed_code(statement)),
            copy=gettext("Copy the code"),
            help=format_html(
                gettext(
                    "Partner websites paste it into a page to show the statement as a card: "
                    'headline, date, number of signatories and a link. <a href="{url}">See the '
                    "card</a>. Editors that discover oEmbed only need the statement's address."
                ),
                url=reverse("statement_embed", args=[statement.slug]),
            ),
        )

    @admin.display(description=_("Private co-sign link"))
    def cosign_link(self, statement: Statement) -> str:
        if statement.pk is None:
            return gettext("Save the statement first.")
        # The link opens the form in the statement's language, as partners will see it.
        with translation.override(interface_language(statement.language)):
            url = absolute_reverse("cosign_private", statement.cosign_key)
        return format_html(
            '<a href="{url}" dir="ltr">{url}</a><div class="help">{help}</div>',
            url=url,
            help=format_html(
                gettext(
                    "Share it with partners before publication: it shows the draft and the "
                    "form while co-signing is open. Anyone with it can sign; "
                    '<a href="{url}">make a new link</a> to stop the old one working.'
                ),
                url=reverse("admin:statements_statement_new_cosign_link", args=[statement.pk]),
            ),
        )

    @admin.display(description=_("Private co-sign link"))
    def cosign_link_read(self, statement: Statement) -> str:
        with translation.override(interface_language(statement.language)):
            url = absolute_reverse("cosign_private", statement.cosign_key)
        return format_html(
            '<a href="{url}" dir="ltr">{url}</a><div class="help">{help}</div>',
            url=url,
            help=gettext(
                "Share it with partners before publication: it shows the draft and the "
                "form while co-signing is open. Anyone with it can sign."
            ),
        )

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(partial(import_view, self)),
                 name="statements_statement_import"),
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
            path("<int:pk>/deliver/", self.admin_site.admin_view(partial(deliver_view, self)),
                 name="statements_statement_deliver"),
            path("<int:pk>/correct/", self.admin_site.admin_view(self.correct_view),
                 name="statements_statement_correct"),
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
        """The statement's page as the public will see it, before it is public: in the
        statement's language, as its readers will read it, whatever the admin's language."""
        statement = self.object_or_403(request, pk, change=False)
        with translation.override(interface_language(statement.language)):
            context, _parts = statement_page_context(statement, preview=True)
            # Rendered now, inside the override: a TemplateResponse would render later.
            return TemplateResponse(request, "front/statement_detail.html", context).render()

    def publish_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, perm=PUBLISH)
        waiting = statement.translations.filter(status__in=Statement.UNPUBLISHED_STATUSES)
        can_override = request.user.has_perm("statements.override_signoff")
        form = PublishForm(
            request.POST or None,
            translations=waiting.order_by("language") if waiting.exists() else None,
            can_override=can_override,
        )
        if request.method == "POST" and form.is_valid():
            override = form.cleaned_data.get("override_reason", "")
            chosen = form.chosen_translations()
            try:
                if form.cleaned_data["when"] == "now":
                    lifecycle.statement_publish(
                        statement=statement,
                        translations=chosen,
                        by=request.user,
                        override_reason=override,
                    )
                    return self.done(
                        request,
                        statement,
                        gettext("“%(statement)s” is now public.") % {"statement": statement},
                    )
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
                    gettext("“%(statement)s” will be published at %(moment)s.")
                    % {
                        "statement": statement,
                        "moment": date_format(
                            timezone.localtime(statement.publish_at), "DATETIME_FORMAT"
                        ),
                    },
                )
            except ValidationError as error:
                form.add_error(None, error)
        return self.action_page(
            request,
            statement,
            title=gettext("Publish “%(statement)s”") % {"statement": statement},
            intro=gettext(
                "Publishing makes the statement readable by anyone at its public address. "
                "Every signatory organization must have approved the text as it is now; "
                "otherwise give a reason to publish anyway, which is recorded."
            ),
            form=form,
            button=pgettext("button", "Publish"),
            missing=signoff.signoff_missing(statement),
            standing_override=lifecycle.scheduling_override(statement) if can_override else "",
            cannot_override=not can_override,
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
            service=lambda statement, by: translations.translation_mark_up_to_date(
                translation=statement, by=by
            ),
            title=_("Mark “%(statement)s” as up to date"),
            intro=_(
                "Only once you have checked the translation against the original's text as "
                "it is now: the list of changes to the original starts again from here."
            ),
            button=_("Mark as up to date"),
            done=_("“%(statement)s” is marked as up to date with its original."),
        )

    def _confirm_view(
        self, request, pk, *, service, title, intro, button, done, carried=(), perm=""
    ):
        statement = self.object_or_403(request, pk, perm=perm)
        error = None
        if request.method == "POST":
            try:
                service(statement=statement, by=request.user)
                return self.done(request, statement, done % {"statement": statement})
            except ValidationError as exc:
                error = exc
        return self.action_page(
            request,
            statement,
            title=title % {"statement": statement},
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
            perm=PUBLISH,
            title=_("Cancel the scheduled publication of “%(statement)s”"),
            intro=_("The statement goes back to draft and stays invisible to the public."),
            button=_("Return to draft"),
            done=_("“%(statement)s” is a draft again."),
        )

    def archive_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=lifecycle.statement_archive,
            perm=PUBLISH,
            title=_("Archive “%(statement)s”"),
            intro=_(
                "An archived statement stays readable at its address and in the archive, "
                "with a note that it is archived, and leaves the home page."
            ),
            button=pgettext_lazy("button", "Archive"),
            done=_("“%(statement)s” is archived."),
            carried=[Statement.Status.PUBLISHED],
        )

    def retract_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, perm=PUBLISH)
        form = RetractForm(request.POST or None, statement=statement)
        if request.method == "POST" and form.is_valid():
            try:
                lifecycle.statement_retract(
                    statement=statement,
                    note=form.cleaned_data["note"],
                    by=request.user,
                    corrected_by=form.cleaned_data["corrected_by"],
                    notify_press=form.cleaned_data["notify_press"],
                )
                return self.done(
                    request,
                    statement,
                    gettext("“%(statement)s” is retracted.") % {"statement": statement},
                )
            except ValidationError as error:
                form.add_error(None, error)
        return self.action_page(
            request,
            statement,
            title=gettext("Retract “%(statement)s”") % {"statement": statement},
            intro=gettext(
                "The page stays online with your notice at the top, and without its share "
                "buttons; the statement leaves the home page."
            ),
            form=form,
            button=pgettext("button", "Retract"),
            carried=_carried(statement, [Statement.Status.PUBLISHED, Statement.Status.ARCHIVED]),
        )

    def correct_view(self, request, pk: int):
        """Correct the text of a public statement; while a correction awaits sign-off, the
        page shows where it stands and publishes or withdraws it."""
        statement = self.object_or_403(
            request, pk, change=False, perm="statements.correct_statement"
        )
        can_override = request.user.has_perm("statements.override_signoff")
        if pending := corrections.correction_pending(statement):
            return self._pending_correction(request, statement, pending, can_override)
        form = CorrectionForm(request.POST or None, statement=statement, can_override=can_override)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                update = corrections.statement_correct(
                    statement=statement,
                    by=request.user,
                    changes=form.changes(),
                    note=data["note"],
                    notify_press=data["notify_press"],
                    override_reason=data.get("override_reason", "")
                    if data["gate"] == "override"
                    else "",
                    request_signoff=data["gate"] == "signoff",
                    deadline=data["deadline"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if update.published_at is None:
                    message = gettext(
                        "The correction of “%(statement)s” awaits the signatories' approval: "
                        "it is published once every one of them approved it."
                    )
                else:
                    message = gettext("“%(statement)s” is corrected: the note is on its page.")
                return self.done(request, statement, message % {"statement": statement})
        return self.action_page(
            request,
            statement,
            title=gettext("Correct the text of “%(statement)s”") % {"statement": statement},
            intro=gettext(
                "The corrected text becomes a new version, published with your note at the top "
                "of the page and a public comparison of the two texts; the earlier text stays "
                "readable at its own address."
            ),
            form=form,
            button=gettext("Correct the text"),
            cannot_override=not can_override,
        )

    def _pending_correction(self, request, statement, pending, can_override):
        form = PendingCorrectionForm(request.POST or None, can_override=can_override)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["action"] == "withdraw":
                    corrections.correction_withdraw(update=pending, by=request.user)
                    message = gettext("The correction of “%(statement)s” is withdrawn.")
                else:
                    corrections.correction_publish(
                        update=pending,
                        by=request.user,
                        override_reason=form.cleaned_data.get("override_reason", ""),
                    )
                    message = gettext("“%(statement)s” is corrected: the note is on its page.")
                return self.done(request, statement, message % {"statement": statement})
            except ValidationError as error:
                form.add_error(None, error)
        return self.action_page(
            request,
            statement,
            template="admin/statements/statement/correction_pending.html",
            title=gettext("Correction of “%(statement)s” awaiting sign-off")
            % {"statement": statement},
            pending=pending,
            progress=signoff.signoff_progress(statement, version=pending.version),
            form=form,
            button=gettext("Go ahead"),
            cannot_override=not can_override,
        )

    def new_cosign_link_view(self, request, pk: int):
        return self._confirm_view(
            request,
            pk,
            service=cosigning.statement_cosign_link_renew,
            title=_("Make a new private co-sign link for “%(statement)s”"),
            intro=_("The link you shared so far stops working; share the new one instead."),
            button=_("Make a new link"),
            done=_("“%(statement)s” has a new private co-sign link."),
        )

    def signatories_csv_view(self, request, pk: int):
        # Signers' names and addresses: for those who may export them, not every viewer.
        statement = self.object_or_403(
            request, pk, change=False, perm="statements.export_signature"
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{statement.slug[:60]}-signatories-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.signatories_export(statement=statement, out=response, by=request.user)
        return response

    def signoff_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, change=False)
        return self.action_page(
            request,
            statement,
            template="admin/statements/statement/signoff.html",
            title=gettext("Sign-off of “%(statement)s”") % {"statement": statement},
            progress=signoff.signoff_progress(statement),
            missing=signoff.signoff_missing(statement),
            versions=list(statement.versions.select_related("created_by")),
            events=statement.signoff_events.select_related(
                "actor", "organization", "contact", "version"
            ),
        )

    def request_signoff_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, perm="statements.request_signoff")
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
                    ngettext(
                        "Asked %(count)s contact to approve version %(number)s.",
                        "Asked %(count)s contacts to approve version %(number)s.",
                        len(requests),
                    )
                    % {"count": len(requests), "number": requests[0].version.number},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:statements_statement_signoff", args=[pk]))
        return self.action_page(
            request,
            statement,
            title=gettext("Request sign-off of “%(statement)s”") % {"statement": statement},
            intro=gettext(
                "The text as it is now is frozen as a numbered version, and each contact "
                "gets an email with a link to read it and approve, request a change or decline. "
                "A new request to a contact replaces the link they had."
            ),
            form=form,
            button=gettext("Send the requests"),
            no_signatories=not organizations,
        )

    def compare_view(self, request, pk: int):
        statement = self.object_or_403(request, pk, change=False)
        versions = {v.number: v for v in statement.versions.all()}
        try:
            old = versions[int(request.GET.get("old", ""))]
            new = versions[int(request.GET.get("new", ""))]
        except (KeyError, ValueError):
            return HttpResponseBadRequest(
                gettext("Choose two versions of this statement to compare.")
            )
        return self.action_page(
            request,
            statement,
            template="admin/statements/statement/compare.html",
            title=gettext("Version %(old)s and version %(new)s of “%(statement)s”")
            % {"old": old.number, "new": new.number, "statement": statement},
            old=old,
            new=new,
            rows=versions_compared(old.content, new.content),
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH)

    @admin.action(description=_("Publish the selected statements now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.bulk(
            request,
            queryset,
            lambda statement: lifecycle.statement_publish(statement=statement, by=request.user),
            done=ngettext_lazy(
                "%(count)s statement published.", "%(count)s statements published.", "count"
            ),
        )

    @admin.action(description=_("Archive the selected statements"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        self.bulk(
            request,
            queryset,
            lambda statement: lifecycle.statement_archive(statement=statement, by=request.user),
            done=ngettext_lazy(
                "%(count)s statement archived.", "%(count)s statements archived.", "count"
            ),
        )


def _carried(statement: Statement, statuses) -> list[Statement]:
    """The translations an archive or retraction of an original takes along."""
    if not statuses or statement.is_translation():
        return []
    return list(statement.translations.filter(status__in=statuses).order_by("language"))


SIGNATURES_PER_PAGE = 50


# More signatories added by staff than this are not rows of the statement form: with
# five boxes a row they would take it past DATA_UPLOAD_MAX_NUMBER_FIELDS (1000), and it
# could not be saved. They are then listed under the form, fifty at a time, like the
# co-sign form's.
SIGNATORY_ROWS_MAX = 150


def _signatories_too_many_for_rows(statement: Statement) -> bool:
    staff_added = statement.signatures.organizations().filter(
        role=Signature.Role.SIGNATORY, source=Signature.Source.STAFF
    )
    return staff_added[SIGNATORY_ROWS_MAX : SIGNATORY_ROWS_MAX + 1].exists()


def statement_signatures(statement: Statement, page_number, *, cosigned_only=True) -> dict:
    """A page of the organizations listed on the statement through the co-sign form (or,
    when not cosigned_only, of every one listed), in the order of its page, and how many
    other signatures it has in each state. Staff's own are otherwise rows of the form's
    "Issued by" and "Signed by"."""
    # Individuals have their own list (the signatures admin, by statement and kind).
    listed = statement.signatures.listed().organizations()
    if cosigned_only:
        listed = listed.filter(source=Signature.Source.FORM)
    listed = listed.in_order(statement.signatory_order).select_related("organization")
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
        "every_listed": not cosigned_only,
    }
