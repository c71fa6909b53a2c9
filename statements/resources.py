"""Individual signatories as CSV: the columns staff import into a statement in the admin.

A row is a person who signed in their own name. Each import first runs as a preview
that is rolled back: a row without a name, with a bad address or an unknown country is
reported with its reasons and never written; a person already on the statement (by
address) is shown apart and not added again. The valid rows are written, listed at
once, when staff confirm, through statements.services.signatories.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export import fields, resources, widgets

from core.languages import LANGUAGES
from core.names import has_hidden_characters, name_clean
from organizations.models import normalized_email
from statements.models import Signature, Statement
from statements.services import signatories

COLUMNS = ["name", "title", "affiliation", "country", "email", "sort_as"]
# The consent the import form asks of staff, kept with each row it adds.
CONSENT = _("These people agreed to have their names published on the statement.")


class CountryWidget(widgets.CharWidget):
    """A country by its ISO code (SY, SYR) or its name in any language the site
    speaks ("Syria", "سوريا"), kept as its code."""

    def clean(self, value, row=None, **kwargs):
        raw = (value or "").strip()
        if not raw:
            return ""
        code = countries.alpha2(raw) if raw.isascii() and len(raw) <= 3 else ""
        for language, _name in LANGUAGES:
            code = code or countries.by_name(raw, language=language)
        if not code:
            raise ValueError(gettext("“%(country)s” is not a country we know.") % {"country": raw})
        return code

    def render(self, value, obj=None, **kwargs):
        return str(value or "")


class IndividualResource(resources.ModelResource):
    name = fields.Field(attribute="signer_name", column_name="name")
    title = fields.Field(attribute="signer_title", column_name="title")
    affiliation = fields.Field(attribute="affiliation", column_name="affiliation")
    country = fields.Field(
        attribute="signer_country", column_name="country", widget=CountryWidget()
    )
    email = fields.Field(attribute="signer_email", column_name="email")
    sort_as = fields.Field(attribute="sort_as", column_name="sort_as")

    class Meta:
        model = Signature
        fields = COLUMNS
        import_order = COLUMNS
        # Every row is a new signature: an import never changes one already there.
        force_init_instance = True
        # The preview names each row's person from its instance.
        store_instance = True
        clean_model_instances = True
        # The preview's rows are written in savepoints and rolled back; so is a failed row.
        use_transactions = True

    def __init__(self, *, statement: Statement | None = None, by=None):
        super().__init__()
        self.statement = statement.original if statement else None
        self.by = by

    @classmethod
    def get_display_name(cls) -> str:
        return gettext("Individual signatories")

    def before_import(self, dataset, **kwargs):
        # The header may be typed in any case; the spreadsheet's byte order mark is
        # removed when the file is read (the admin reads it as utf-8-sig).
        if dataset.headers:
            dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
        self.emails_seen: dict[str, int] = {}
        self.emails_signed = set(
            self.statement.signatures.individuals()
            .exclude(person_key="")
            .values_list("person_key", flat=True)
        )

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = "" if value is None else str(value).strip()
        if "email" in row:
            row["email"] = normalized_email(row["email"])

    def init_instance(self, row=None):
        return Signature(
            statement=self.statement,
            kind=Signature.Kind.INDIVIDUAL,
            role=Signature.Role.SIGNATORY,
            consent_publish=True,
            consent_text=str(CONSENT),
            consented_at=timezone.now(),
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.signer_name = name_clean(instance.signer_name or "")
        if not instance.signer_name:
            errors["signer_name"] = [
                ValidationError(gettext("Give the person's name."), code="required")
            ]
        if email_error := self.email_error(row.get("email", ""), kwargs["row_number"]):
            errors["signer_email"] = [email_error]
        if errors:
            raise ValidationError(errors)

    def email_error(self, email: str, row_number: int) -> ValidationError | None:
        """Optional; when given, a valid address not met before in the file."""
        if not email:
            return None
        try:
            validate_email(email)
            # An invisible character pasted in would make a look-alike of someone's address.
            valid = not has_hidden_characters(email)
        except ValidationError:
            valid = False
        if not valid:
            return ValidationError(
                gettext("“%(email)s” is not a valid email address.") % {"email": email},
                code="invalid",
            )
        first = self.emails_seen.setdefault(email, row_number)
        if first != row_number:
            return ValidationError(
                gettext("This address is already on row %(row)s of the file.") % {"row": first},
                code="duplicate",
            )
        return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # An individual has no organization, which the model's field asks of others.
            instance.full_clean(exclude=[*errors, "organization"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            # Named by the file's columns, not the model's fields.
            columns = {f.attribute: f.column_name for f in self.fields.values()}
            raise ValidationError({columns.get(f, f): e for f, e in errors.items()})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Someone already on the statement (by address) is not added again."""
        return not import_validation_errors and row.get("email") in self.emails_signed

    def do_instance_save(self, instance, is_create):
        signatories.individual_import(signature=instance, by=self.by)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.statement = self.statement
