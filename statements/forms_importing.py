"""The forms of "Import a release": the release as pasted or uploaded, then each part
the parser recognised, for staff to check and correct before anything is written."""

import datetime
from pathlib import Path

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import DateInput
from organizations.models import Contact, Organization
from statements.importing import release_parse
from statements.importing.reading import upload_read
from statements.models import Demand, Quote, Signature, Statement
from statements.services.importing import email_or_nothing, kind_of

# The parser refuses larger releases too; a real one is a few dozen kilobytes.
MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".docx", ".odt", ".txt", ".md", ".html", ".htm")
# How long a check page may stay open before its confirmation is refused.
CHECK_MAX_AGE = 24 * 60 * 60
SALT = "statements.import"


class ReleaseSourceForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the release"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField"}),
        help_text=_("Plain text, Markdown, or text copied from a word processor or a web page."),
    )
    upload = forms.FileField(
        label=_("Or upload it"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        help_text=_("A .docx, .odt, .txt, .md or .html file of at most 5 MB."),
    )

    def clean(self):
        text = self.cleaned_data.get("text") or ""
        upload = self.cleaned_data.get("upload")
        if self.errors:
            return self.cleaned_data
        if upload is None and not text.strip():
            raise ValidationError(_("Paste the release or choose a file."), code="empty")
        if upload is not None and text.strip():
            raise ValidationError(_("Paste the release or choose a file, not both."), code="both")
        if len(text.encode()) >= MAX_BYTES or (upload is not None and upload.size >= MAX_BYTES):
            raise ValidationError(
                _("The release is 5 MB or more: a release is a few pages; import its text alone."),
                code="too_large",
            )
        if upload is not None and Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise ValidationError(
                _("Jointly reads .docx, .odt, .txt, .md and .html files, not “%(name)s”."),
                code="file_type",
                params={"name": upload.name},
            )
        self.parsed = release_parse(text=text if upload is None else None, upload=upload)
        if not " ".join((self.parsed.get("headline") or "").split()):
            raise ValidationError(
                _("No headline was recognised: the release should start with its headline."),
                code="no_headline",
            )
        if upload is not None:
            # What each part was made from is shown from the file as it was read.
            upload.seek(0)
            text = upload_read(upload)
        self.text = text
        return self.cleaned_data


def check_payload_dumps(payload: dict) -> str:
    """The parser's result and its sources, signed: the check page carries them to the
    confirmation, which must not take a changed copy for what was recognised."""
    return signing.dumps(payload, salt=SALT, compress=True)


def _field(model, name: str, **options):
    """A form field with the model field's label, length and help."""
    field = model._meta.get_field(name).formfield(**options)
    field.required = options.get("required", False)
    return field


class ReleaseCheckForm(forms.Form):
    """The statement's own parts, as recognised, for staff to correct."""

    payload = forms.CharField(widget=forms.HiddenInput)
    kind = _field(Statement, "kind", required=True)
    headline = _field(Statement, "title", required=True)
    standfirst = _field(Statement, "standfirst", widget=forms.Textarea(attrs={"rows": 3}))
    dateline = _field(Statement, "dateline")
    release_date = _field(Statement, "release_date", widget=DateInput)
    body = _field(Statement, "body", widget=forms.Textarea(attrs={"rows": 14}))
    demands_heading = _field(Statement, "demands_heading")
    closing = _field(Statement, "closing", widget=forms.Textarea(attrs={"rows": 5}))
    image_credit = _field(Statement, "hero_credit")
    press_contacts_heading = _field(Statement, "press_contacts_heading")

    @classmethod
    def initial_from(cls, parsed: dict) -> dict:
        initial = {name: parsed.get(name) or "" for name in cls.base_fields}
        initial["kind"] = kind_of(parsed.get("kind", ""))
        try:
            # A date, not its ISO string: the admin's widget shows it in the site's format.
            initial["release_date"] = datetime.date.fromisoformat(parsed.get("release_date") or "")
        except ValueError:
            initial["release_date"] = None
        return initial

    def clean_payload(self) -> dict:
        try:
            return signing.loads(self.cleaned_data["payload"], salt=SALT, max_age=CHECK_MAX_AGE)
        except signing.BadSignature:
            raise ValidationError(
                _("This check page was changed or is too old: import the release again."),
                code="bad_payload",
            ) from None


class DemandForm(forms.Form):
    heading = _field(Demand, "heading")
    text = _field(Demand, "text", required=True, widget=forms.Textarea(attrs={"rows": 2}))


class QuoteForm(forms.Form):
    text = _field(Quote, "text", required=True, widget=forms.Textarea(attrs={"rows": 3}))
    person_name = _field(Quote, "person_name", required=True)
    person_title = _field(Quote, "person_title")
    organization = forms.CharField(label=_("organization"), required=False, max_length=200)


class OrganizationForm(forms.Form):
    """An issuer or signatory: a known organization, or a new one by the name given."""

    name = _field(Organization, "name", required=True)
    short_name = _field(Organization, "short_name")
    organization = forms.ModelChoiceField(
        label=_("known organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=AutocompleteSelect(Signature._meta.get_field("organization"), admin.site),
        help_text=_("Empty: a new organization is made with the name above."),
    )


class PressContactForm(forms.Form):
    name = _field(Contact, "name")
    title = _field(Contact, "title")
    organization = forms.CharField(
        label=_("organization"),
        required=False,
        max_length=200,
        help_text=_("Empty: the first issuer."),
    )
    email = _field(Contact, "email")
    phone = _field(Contact, "phone")

    @staticmethod
    def initial_from(entry: dict) -> dict:
        return {**entry, "email": email_or_nothing(entry.get("email", ""))}

    def clean(self):
        if not (self.cleaned_data.get("name") or self.cleaned_data.get("title")):
            raise ValidationError(
                gettext("Give the contact's name, or their title if the name is not known."),
                code="name_or_title",
            )
        return self.cleaned_data


DemandFormSet = forms.formset_factory(DemandForm, extra=0, can_delete=True)
QuoteFormSet = forms.formset_factory(QuoteForm, extra=0, can_delete=True)
OrganizationFormSet = forms.formset_factory(OrganizationForm, extra=0, can_delete=True)
PressContactFormSet = forms.formset_factory(PressContactForm, extra=0, can_delete=True)
