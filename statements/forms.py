import io

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from PIL import Image, ImageOps, UnidentifiedImageError

from core.admin import SplitDateTimeInput
from core.languages import LANGUAGES
from core.names import has_hidden_characters, name_clean, name_key
from organizations.models import Contact, Organization
from organizations.services import organization_match
from organizations.validators import validate_image_pixels
from statements.models import (
    PressContact,
    SignatoryGroup,
    Signature,
    SignoffAnswer,
    Statement,
)
from statements.services.corrections import QUOTE_PARTS, TEXT_PARTS, statement_text
from statements.services.cosigning import Cosign
from statements.services.deletion import signature_deletion_refusals
from statements.services.signoff import NewContact


def _time_zone_help() -> str:
    return gettext("Time zone: %(zone)s.") % {"zone": settings.TIME_ZONE}


time_zone_help = lazy(_time_zone_help, str)


class StatementAdminForm(forms.ModelForm):
    """The admin's statement form; the admin supplies the model and fields."""

    def clean_release_date(self):
        release_date = self.cleaned_data["release_date"]
        if release_date is None and self.instance.status not in (
            Statement.Status.DRAFT,
            Statement.Status.SIGNOFF,
        ):
            raise forms.ValidationError(
                gettext("A %(status)s statement needs its release date."),
                code="release_date_required",
                params={"status": self.instance.get_status_display().lower()},
            )
        return release_date


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Publish now")), ("later", _("Publish at a set time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    # The admin's own date and time boxes, with its calendar and clock (the page loads
    # the form's media).
    publish_at = forms.SplitDateTimeField(
        label=_("Publish at"),
        required=False,
        widget=SplitDateTimeInput,
        help_text=time_zone_help(),
    )
    override_reason = forms.CharField(
        label=_("Reason to publish without every approval"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if some signatories have not approved the current text. Recorded."),
    )

    def __init__(self, *args, translations=None, can_override=True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only those who may override the sign-off gate are asked for a reason to.
        if not can_override:
            del self.fields["override_reason"]
        # An original's translations still to be published go out with it unless unticked.
        if translations:
            self.fields["translations"] = forms.ModelMultipleChoiceField(
                label=_("Translations published with it"),
                queryset=translations,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(translations),
                help_text=_(
                    "Untick a translation to keep it back: it can be published on its own "
                    "once the original is public."
                ),
            )

    def chosen_translations(self):
        """The translations ticked, or None when the statement has none to choose from."""
        if "translations" not in self.fields:
            return None
        return list(self.cleaned_data["translations"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "later" and cleaned.get("publish_at") is None:
            self.add_error(
                "publish_at",
                forms.ValidationError(gettext("Choose when to publish."), code="required"),
            )
        return cleaned


class CorrectionForm(forms.Form):
    """A published statement's text to correct, with the public note, whether the
    journalists are told, and how the correction passes sign-off.

    Each demand is a heading and a text (one empty row to add one; a demand whose text is
    emptied is removed); each quote, its words and who said them.
    """

    note = forms.CharField(
        label=_("Public note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown at the top of the page after “Corrected on” and the date, e.g. “The death "
            "toll was 46, not 64.”"
        ),
    )
    notify_press = forms.BooleanField(
        label=_("Tell the journalists who received the release"),
        required=False,
        initial=True,
        help_text=_(
            "They get a correction notice with the note and the changes. Untick for a typo."
        ),
    )
    gate = forms.ChoiceField(
        label=_("Sign-off"),
        choices=[
            ("signoff", _("Ask the signatories to approve the corrected text first")),
            ("override", _("Publish it now without every approval, for the reason below")),
        ],
        widget=forms.RadioSelect,
        initial="signoff",
        help_text=_(
            "The signatories approved the text they are listed under. A correction goes "
            "out at once only when each of them approved the corrected text, or with a "
            "recorded reason."
        ),
    )
    deadline = forms.SplitDateTimeField(
        label=_("Deadline for their answers (empty: in three days)"),
        required=False,
        widget=SplitDateTimeInput,
        help_text=time_zone_help(),
    )
    override_reason = forms.CharField(
        label=_("Reason to publish without every approval"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the sign-off timeline and the history."),
    )

    def __init__(self, *args, statement: Statement, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        text = statement_text(statement)
        fields = forms.fields_for_model(Statement, fields=TEXT_PARTS)
        for name in TEXT_PARTS:
            fields[name].initial = text[name]
        self.demand_count = len(text["demands"]) + 1
        for n, demand in enumerate([*text["demands"], {"heading": "", "text": ""}], start=1):
            fields[f"demand_{n}_heading"] = forms.CharField(
                label=_("Demand %(number)s: heading") % {"number": n},
                required=False,
                max_length=200,
                initial=demand["heading"],
            )
            fields[f"demand_{n}_text"] = forms.CharField(
                label=_("Demand %(number)s: text") % {"number": n},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=demand["text"],
            )
        self.quote_count = len(text["quotes"])
        labels = {
            "text": _("Quote %(number)s"),
            "person_name": _("Quote %(number)s: person"),
            "person_title": _("Quote %(number)s: person's title"),
        }
        for n, quote in enumerate(text["quotes"], start=1):
            for part in QUOTE_PARTS:
                fields[f"quote_{n}_{part}"] = forms.CharField(
                    label=labels[part] % {"number": n},
                    required=part != "person_title",
                    max_length=3000 if part == "text" else 200,
                    widget=forms.Textarea(attrs={"rows": 2}) if part == "text" else None,
                    initial=quote[part],
                )
        # The text first, then the note and how it goes out.
        self.fields = fields | self.fields
        if not can_override:
            self.fields["gate"].choices = self.fields["gate"].choices[:1]
            del self.fields["override_reason"]

    def changes(self) -> dict:
        """The text as corrected, for corrections.statement_correct."""
        data = self.cleaned_data
        demands = [
            {"heading": data[f"demand_{n}_heading"], "text": data[f"demand_{n}_text"]}
            for n in range(1, self.demand_count + 1)
            if data[f"demand_{n}_text"]
        ]
        quotes = [
            {part: data[f"quote_{n}_{part}"] for part in QUOTE_PARTS}
            for n in range(1, self.quote_count + 1)
        ]
        return {part: data[part] for part in TEXT_PARTS} | {"demands": demands, "quotes": quotes}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("gate") == "override" and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                forms.ValidationError(
                    gettext("Give the reason to publish without every approval."),
                    code="required",
                ),
            )
        return cleaned


class PendingCorrectionForm(forms.Form):
    """Publish a correction awaiting sign-off (with a reason if some did not approve) or
    withdraw it."""

    action = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            ("publish", _("Publish the correction")),
            ("withdraw", _("Withdraw it: the page keeps its text")),
        ],
        widget=forms.RadioSelect,
        initial="publish",
    )
    override_reason = forms.CharField(
        label=_("Reason to publish without every approval"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if some signatories have not approved the corrected text. Recorded."),
    )

    def __init__(self, *args, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]


class TranslationCreateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the translation"),
        help_text=_(
            "The headline, text, demands and quotes are copied from the original for you "
            "to translate."
        ),
    )

    def __init__(self, *args, original: Statement, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        self.fields["language"].choices = [(c, n) for c, n in LANGUAGES if c not in taken]


class RetractForm(forms.Form):
    note = forms.CharField(
        label=_("Retraction notice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown at the top of the statement's page, e.g. why it was withdrawn."),
    )
    corrected_by = forms.ModelChoiceField(
        label=_("Corrected by"),
        queryset=Statement.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_(
            "Optional: the published statement that corrects this one. The notice links to it."
        ),
        error_messages={
            "invalid_choice": _("Choose a published or archived statement from the list.")
        },
    )
    notify_press = forms.BooleanField(
        label=_("Tell the journalists who received the release"),
        required=False,
        initial=True,
        help_text=_("They are sent the notice, and the link to the correcting statement if any."),
    )

    def __init__(self, *args, statement: Statement, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["corrected_by"]
        field.queryset = (
            Statement.objects.filter(status__in=Statement.CORRECTING_STATUSES)
            .exclude(pk__in=[member.pk for member in statement.release()])
            .order_by("-published_at", "-id")
        )
        field.label_from_instance = lambda s: f"{s.title} ({date_format(s.release_date, 'j M Y')})"


LOGO_MAX_MB = 2
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
LOGO_MAX_SIDE = 512


def logo_normalized(upload) -> ContentFile:
    """The uploaded logo re-encoded as a PNG of at most 512 pixels a side.

    Re-encoding keeps nothing of the original file but its pixels, so metadata
    and anything hidden after the image data are dropped. Its size in pixels is
    checked first: decoding is what a decompression bomb attacks.
    """
    if upload.size > LOGO_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(
            gettext("The logo is %(size).1f MB; the limit is %(limit)d MB."),
            code="logo_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": LOGO_MAX_MB},
        )
    validate_image_pixels(upload)
    refused = forms.ValidationError(
        gettext(
            "Upload the logo as a PNG, JPEG or WebP image. SVG and other formats are not accepted."
        ),
        code="logo_format",
    )
    try:
        with Image.open(upload) as image:
            if image.format not in LOGO_FORMATS:
                raise refused
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            converted = image.convert(
                "RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB"
            )
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise refused from None
    buffer = io.BytesIO()
    converted.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="logo.png")


def _logo_help() -> str:
    return gettext("Optional. PNG, JPEG or WebP, at most %(limit)d MB.") % {"limit": LOGO_MAX_MB}


class CosignForm(forms.Form):
    """The co-sign form. Where the statement takes individuals too (`individuals`), the
    signer first says how they sign; the page shows both sets of fields (a script hides
    the one not chosen) and only the chosen set is validated and used."""

    signs_as = forms.ChoiceField(
        label=_("How do you sign?"),
        choices=[
            (Signature.Kind.ORGANIZATION, _("Sign as an organization")),
            (Signature.Kind.INDIVIDUAL, _("Sign as yourself")),
        ],
        widget=forms.RadioSelect,
    )
    # The autocomplete tokens let browsers fill in the signer's details, and say what each
    # box is for to assistive technology (WCAG 1.3.5).
    organization_name = forms.CharField(
        label=_("Organization name"),
        max_length=200,
        help_text=_("If your organization already signed a statement here, pick it from the list."),
        widget=forms.TextInput(
            attrs={"list": "organization-suggestions", "autocomplete": "organization"}
        ),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("e.g. https://example.org"),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—")], required=False)
    kind = forms.ChoiceField(
        label=_("Kind of organization"), choices=Organization.Kind.choices, initial="ngo"
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=lazy(_logo_help, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    signer_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signer_title = forms.CharField(
        label=_("Your title or role"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    affiliation = forms.CharField(
        label=_("Your affiliation"),
        max_length=200,
        required=False,
        help_text=_("Optional: where you work or study. It is printed to identify you."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    signer_country = forms.ChoiceField(label=_("Your country"), choices=[("", "—")], required=False)
    signer_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send a link to confirm your signature to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    signer_phone = forms.CharField(
        label=_("Your phone"),
        max_length=40,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    authorized = forms.BooleanField(
        label=_("I am authorized to sign on behalf of this organization."),
        error_messages={
            "required": _("Only someone authorized by the organization can sign for it.")
        },
    )
    show_logo = forms.BooleanField(
        label=_("You may show our logo on this statement."), required=False
    )
    consent_publish = forms.BooleanField(
        label=_("You may publish my name on this statement."),
        error_messages={
            "required": _("We can list you only if you agree to have your name published.")
        },
    )
    consent_contact = forms.BooleanField(
        label=_("The coalition may contact me about this statement."), required=False
    )
    message = forms.CharField(
        label=_("Message to the coalition"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Hidden from people by CSS; a bot that fills every field fills this one.
    fax_number = forms.CharField(label=_("Leave this field empty"), required=False, max_length=100)

    # The fields of one way of signing only; the others are everyone's.
    ORGANIZATION_FIELDS = (
        "organization_name", "website", "country", "kind", "logo", "authorized", "show_logo",
    )  # fmt: skip
    INDIVIDUAL_FIELDS = ("affiliation", "signer_country", "consent_publish")

    def __init__(self, *args, individuals: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.individuals = individuals
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["fax_number"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if individuals:
            self.fields["signer_country"].choices = [("", "—"), *countries]
        else:
            for name in ("signs_as", *self.INDIVIDUAL_FIELDS):
                del self.fields[name]

    def signs_as_individual(self) -> bool:
        return self.cleaned_data.get("signs_as") == Signature.Kind.INDIVIDUAL

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or "signs_as" not in self.fields:
            return
        # What was typed in the set of fields not chosen is not part of this signature:
        # neither validated nor kept. Before a choice, only the choice is asked for.
        chosen = self.data.get("signs_as")
        ignored = {
            Signature.Kind.ORGANIZATION: self.INDIVIDUAL_FIELDS,
            Signature.Kind.INDIVIDUAL: self.ORGANIZATION_FIELDS,
        }.get(chosen, self.ORGANIZATION_FIELDS + self.INDIVIDUAL_FIELDS)
        for name in ignored:
            self._errors.pop(name, None)
            self.cleaned_data.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        if not self.individuals and self.data.get("signs_as") == Signature.Kind.INDIVIDUAL:
            raise forms.ValidationError(
                gettext("Only organizations may sign this statement."),
                code="individuals_not_allowed",
            )
        return cleaned

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return logo_normalized(upload) if upload else None

    def _name(self, field: str) -> str:
        # Invisible characters and direction overrides go: what is left is what people see.
        name = name_clean(self.cleaned_data[field])
        if not name:
            raise forms.ValidationError(self.fields[field].error_messages["required"], "required")
        return name

    def clean_organization_name(self) -> str:
        return self._name("organization_name")

    def clean_signer_name(self) -> str:
        return self._name("signer_name")

    def clean_signer_title(self) -> str:
        return self._name("signer_title")

    def clean_affiliation(self) -> str:
        return name_clean(self.cleaned_data["affiliation"])

    def clean_signer_email(self) -> str:
        email = self.cleaned_data["signer_email"]
        if has_hidden_characters(email):
            raise forms.ValidationError(
                gettext(
                    "This address holds hidden characters (an invisible space or a direction "
                    "mark). Type it in rather than pasting it."
                ),
                code="hidden_characters",
            )
        return email

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("fax_number"))

    # The boxes whose words are what a signer agrees to.
    CONSENT_FIELDS = ("authorized", "show_logo", "consent_publish", "consent_contact")

    @classmethod
    def consent_words(
        cls, *, consent_contact: bool, individual: bool = False, show_logo: bool = False
    ) -> str:
        """The labels of the boxes ticked, one a line, in the active language: the words
        the signer agreed to as the form showed them."""
        ticked = {
            "authorized": not individual,
            "show_logo": show_logo and not individual,
            "consent_publish": individual,
            "consent_contact": consent_contact,
        }
        return "\n".join(
            str(cls.base_fields[name].label) for name in cls.CONSENT_FIELDS if ticked[name]
        )

    def consent_text(self) -> str:
        data = self.cleaned_data
        return self.consent_words(
            consent_contact=data["consent_contact"],
            individual=self.signs_as_individual(),
            show_logo=data.get("show_logo", False),
        )

    def cosign(self) -> Cosign:
        data = self.cleaned_data
        if self.signs_as_individual():
            return Cosign(
                signs_as=Signature.Kind.INDIVIDUAL,
                country=data["signer_country"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                affiliation=data["affiliation"],
                signer_email=data["signer_email"],
                signer_phone=data["signer_phone"],
                consent_publish=data["consent_publish"],
                consent_contact=data["consent_contact"],
                message=data["message"],
            )
        return Cosign(
            organization_name=data["organization_name"],
            website=data["website"],
            country=data["country"],
            kind=data["kind"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            signer_email=data["signer_email"],
            signer_phone=data["signer_phone"],
            show_logo=data["show_logo"],
            consent_contact=data["consent_contact"],
            message=data["message"],
            logo=data["logo"],
        )


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("The email address you signed with"), max_length=254)


class SignoffAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=SignoffAnswer.Decision.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request a change or to decline: say what and why."),
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision and decision != SignoffAnswer.Decision.APPROVED and not cleaned.get("comment"):
            self.add_error(
                "comment",
                forms.ValidationError(
                    gettext("Tell the coalition what to change, or why you decline."),
                    code="required",
                ),
            )
        return cleaned


def contact_label(contact: Contact) -> str:
    title = f", {contact.title}" if contact.title else ""
    return f"{contact.organization.name}: {contact.name}{title} <{contact.email}>"


class SignoffRequestForm(forms.Form):
    """Staff choose whom to ask, by when, with what note; a missing contact can be added here."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Contacts of the statement's signatory organizations."),
    )
    deadline = forms.SplitDateTimeField(
        label=_("Deadline"),
        widget=SplitDateTimeInput,
        help_text=time_zone_help(),
    )
    note = forms.CharField(
        label=_("Personal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_contact_organization = forms.ModelChoiceField(
        label=_("Also ask a new contact at"),
        queryset=Organization.objects.none(),
        required=False,
    )
    new_contact_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_contact_title = forms.CharField(
        label=pgettext_lazy("a person's title", "Title"), max_length=200, required=False
    )
    new_contact_email = forms.EmailField(label=_("Email"), max_length=254, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organizations]
        self.fields["contacts"].queryset = (
            Contact.objects.filter(organization__in=ids)
            .exclude(email="")
            .select_related("organization")
            .order_by("organization__name", "name")
        )
        self.fields["contacts"].label_from_instance = contact_label
        self.fields["new_contact_organization"].queryset = Organization.objects.filter(pk__in=ids)

    def clean(self):
        cleaned = super().clean()
        new = [cleaned.get(f"new_contact_{f}") for f in ("organization", "name", "email")]
        if any(new) and not all(new):
            raise forms.ValidationError(
                gettext("To add a contact, give the organization, a name and an email address."),
                code="new_contact_incomplete",
            )
        if not cleaned.get("contacts") and not all(new):
            raise forms.ValidationError(gettext("Choose at least one contact."), code="no_contacts")
        return cleaned

    def new_contact(self) -> NewContact | None:
        data = self.cleaned_data
        if not data.get("new_contact_email"):
            return None
        return NewContact(
            organization=data["new_contact_organization"],
            email=data["new_contact_email"],
            name=data["new_contact_name"],
            title=data["new_contact_title"],
        )


class OrganizationNameInput(forms.TextInput):
    """A name typed freely, offered the names of known organizations as it is typed
    (the statement form's datalist)."""

    def __init__(self, attrs=None):
        super().__init__({"list": "organization-names", "autocomplete": "off"} | (attrs or {}))


class SignatureRowForm(forms.ModelForm):
    """A row of the statement's "Issued by" or "Signed by": the organization by name, and
    for a signatory where the list puts it (pinned, group, sort key) and whether its logo
    may be shown; the admin's inline chooses which of these a section has.

    The admin saves it through statements.services.editing, which finds the organization
    or makes it; the section gives the role."""

    name = forms.CharField(label=_("Organization"), max_length=300, widget=OrganizationNameInput)

    class Meta:
        model = Signature
        fields = ["position", "pinned", "group", "sort_as", "show_logo"]
        widgets = {"position": forms.HiddenInput}

    def __init__(self, *args, groups: list[SignatoryGroup] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organization_id:
            self.fields["name"].initial = self.instance.organization.name
        if "group" in self.fields:
            group_choices(self.fields["group"], groups or [])

    def clean_name(self):
        name = name_clean(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(gettext("Type the organization's name."), code="required")
        return name


def group_choices(field: forms.ModelChoiceField, groups: list[SignatoryGroup]) -> None:
    """Offer a statement's groups only, read once for every row of a form: a query per
    row's menu would make a long list cost a query per signatory."""
    field.queryset = SignatoryGroup.objects.filter(pk__in=[g.pk for g in groups])
    field.choices = [("", "—"), *((g.pk, g.name) for g in groups)]


class SignatureRowFormSet(forms.BaseInlineFormSet):
    """The rows of one section; an organization is listed once on a statement."""

    def get_form_kwargs(self, index):
        if not hasattr(self, "_groups"):
            statement = self.instance
            self._groups = list(statement.signatory_groups.all()) if statement.pk else []
        return super().get_form_kwargs(index) | {"groups": self._groups}

    def clean(self):
        super().clean()
        statement = self.instance
        seen: set[str] = set()
        other_section = self._names_in_issuers() if self.prefix == "signatories" else set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk and (refusals := signature_deletion_refusals(form.instance)):
                    form.add_error(None, refusals[0])
                continue
            name = form.cleaned_data.get("name")
            if not name or "name" not in form.changed_data:
                continue
            if name_key(name) in seen:
                form.add_error("name", gettext("This organization is listed twice."))
                continue
            if name_key(name) in other_section:
                form.add_error(
                    "name", gettext("This organization is already listed under “Issued by”.")
                )
                continue
            seen.add(name_key(name))
            known = organization_match(name=name)
            if (
                known is not None
                and statement.pk
                and statement.signatures.filter(organization=known)
                .exclude(pk=form.instance.pk)
                .exists()
            ):
                form.add_error(
                    "name",
                    gettext("%(organization)s is already on this statement.")
                    % {"organization": known.name},
                )

    def _names_in_issuers(self) -> set[str]:
        """The names typed in the statement form's other section, posted with this one:
        two new rows naming one new organization would otherwise meet only in the
        database's one-signature-per-organization constraint."""
        rows = range(int(self.data.get("issuers-TOTAL_FORMS") or 0))
        return {
            name_key(name_clean(self.data.get(f"issuers-{row}-name", "")))
            for row in rows
            if self.data.get(f"issuers-{row}-name") and not self.data.get(f"issuers-{row}-DELETE")
        }


class PressContactRowForm(forms.ModelForm):
    """A press contact: one chosen from those known, or one typed here (name or title,
    and its organization), made on save by statements.services.editing."""

    organization_name = forms.CharField(
        label=_("Organization"), max_length=300, required=False, widget=OrganizationNameInput
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(
        label=pgettext_lazy("a person's title", "Title"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    class Meta:
        model = PressContact
        fields = ["position", "contact"]
        widgets = {"position": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].required = False

    def new_contact(self) -> dict:
        return {f: self.cleaned_data.get(f, "") for f in NEW_PRESS_CONTACT_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact") is not None or cleaned.get("DELETE"):
            return cleaned
        typed = self.new_contact()
        if not any(typed.values()):
            raise forms.ValidationError(
                gettext("Choose a contact, or type a new one's name or title and organization."),
                code="required",
            )
        if not (typed["name"] or typed["title"]):
            self.add_error("name", gettext("Give a name or a title (e.g. “Operations Manager”)."))
        if not name_clean(typed["organization_name"]):
            self.add_error("organization_name", gettext("Type the contact's organization."))
        return cleaned


NEW_PRESS_CONTACT_FIELDS = ["organization_name", "name", "title", "email", "phone"]


class SignatoryGroupRowForm(forms.ModelForm):
    """A heading of the statement's list, put in order by dragging its row."""

    class Meta:
        model = SignatoryGroup
        fields = ["name", "position"]
        widgets = {"position": forms.HiddenInput}


class SignatureAdminForm(forms.ModelForm):
    """The signatures admin's form: a signature's group is one of its statement's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "group" not in self.fields:
            return
        statement = self._statement()
        groups = list(statement.original.signatory_groups.all()) if statement else []
        group_choices(self.fields["group"], groups)
        if not groups:
            self.fields["group"].help_text = gettext(
                "Name the statement's groups on its page first, under “Groups of signatories”."
            )

    def _statement(self) -> Statement | None:
        if self.instance.statement_id:
            return self.instance.statement
        chosen = self.data.get("statement") or self.initial.get("statement")
        try:
            return Statement.objects.filter(pk=int(chosen)).first() if chosen else None
        except (TypeError, ValueError):
            return None


class IndividualSignatureForm(SignatureAdminForm):
    """A person who signed in their own name, typed by staff; listed at once, and only
    with their consent to have the name published."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_name"].required = True
        self.fields["signer_name"].label = _("Name")
        if "consent_publish" in self.fields and self.instance.pk is None:
            field = self.fields["consent_publish"]
            field.required = True
            field.label = _("This person agreed to have their name published")
            field.error_messages["required"] = gettext(
                "An individual is listed only once they agreed to have their name published."
            )

    def clean_signer_name(self) -> str:
        name = name_clean(self.cleaned_data["signer_name"])
        if not name:
            raise forms.ValidationError(gettext("Give the person's name."), code="required")
        return name

    def clean(self):
        cleaned = super().clean()
        statement = cleaned.get("statement") or self._statement()
        email = cleaned.get("signer_email", "")
        if statement is not None and email:
            others = statement.original.signatures.individuals().exclude(pk=self.instance.pk)
            if others.filter(person_key=email.strip().lower()).exists():
                self.add_error(
                    "signer_email",
                    forms.ValidationError(
                        gettext("Someone with this address has already signed this statement."),
                        code="already_signed",
                    ),
                )
        return cleaned
