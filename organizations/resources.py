"""Press contacts as CSV: the columns staff import and export in the admin.

A row is a contact, identified by its email address in any case. Each import
first runs as a preview that is rolled back; a row that fails validation is
reported with its reasons and never written, while the valid rows are written
once staff confirm.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from core.languages import ENGLISH_NAMES, LANGUAGES, language_code
from core.names import name_clean
from organizations.models import Contact, Organization, PressList, normalized_email
from organizations.services import organization_match, organization_slug

COLUMNS = ["name", "title", "email", "phone", "organization", "beat", "region", "language", "lists"]


class OutletWidget(widgets.ForeignKeyWidget):
    """The organization a name means; an unknown name becomes a new media outlet."""

    def __init__(self):
        super().__init__(Organization, field="name")
        self.created: list[int] = []

    def clean(self, value, row=None, **kwargs):
        name = name_clean(value or "")
        if not name:
            raise ValueError(gettext("Give the organization's name."))
        organization = organization_match(name=name)
        if organization is None:
            organization = Organization(
                name=name, slug=organization_slug(name), kind=Organization.Kind.MEDIA
            )
            try:
                organization.full_clean()
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
            organization.save()
            self.created.append(organization.pk)
        return organization


class PressListsWidget(widgets.ManyToManyWidget):
    """Press lists by exact name, separated by ";". Import never creates a list."""

    def __init__(self):
        super().__init__(PressList, separator=";", field="name")

    def clean(self, value, row=None, **kwargs):
        names = list(dict.fromkeys(n.strip() for n in (value or "").split(self.separator)))
        names = [n for n in names if n]
        press_lists = PressList.objects.filter(name__in=names)
        unknown = set(names) - {press_list.name for press_list in press_lists}
        if unknown:
            quoted = pgettext("list separator", ", ").join(
                gettext("“%(name)s”") % {"name": name} for name in names if name in unknown
            )
            raise ValueError(
                ngettext(
                    "There is no press list called %(names)s.",
                    "There are no press lists called %(names)s.",
                    len(unknown),
                )
                % {"names": quoted}
            )
        return press_lists


class LanguageWidget(widgets.CharWidget):
    """A language as people write it ("Arabic", "العربية", "ar"), kept as its code and
    exported by its English name."""

    def render(self, value, obj=None, **kwargs):
        return ENGLISH_NAMES.get(value, value or "")

    def clean(self, value, row=None, **kwargs):
        raw = (value or "").strip()
        if not raw:
            return ""
        code = language_code(raw)
        if not code:
            known = pgettext("list separator", ", ").join(name for _code, name in LANGUAGES)
            raise ValueError(
                gettext("“%(language)s” is not a language emails can be written in: %(known)s.")
                % {"language": raw, "known": known}
            )
        return code


class ContactResource(resources.ModelResource):
    language = fields.Field(attribute="language", column_name="language", widget=LanguageWidget())
    organization = fields.Field(
        attribute="organization", column_name="organization", widget=OutletWidget()
    )
    lists = fields.Field(attribute="press_lists", column_name="lists", widget=PressListsWidget())

    class Meta:
        model = Contact
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["email"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        # Each row runs in a savepoint, which import_row() rolls back for a failed row.
        use_transactions = True

    @classmethod
    def get_display_name(cls) -> str:
        return gettext("Press contacts")

    @classmethod
    def get_queryset(cls):
        return Contact.objects.select_related("organization").prefetch_related("press_lists")

    def before_import(self, dataset, **kwargs):
        self.emails_seen: dict[str, int] = {}
        self.fields["organization"].widget.created.clear()

    def before_import_row(self, row, **kwargs):
        # Surrounding spaces go, as in the admin's forms; names keep their script and case.
        for column, value in row.items():
            row[column] = "" if value is None else str(value).strip()
        if "email" in row:
            row["email"] = normalized_email(row["email"])

    def get_instance(self, instance_loader, row):
        email = row.get("email")
        if not email:
            return None
        # Addresses are unique per organization only, so one may belong to several contacts.
        matches = list(self.get_queryset().filter(email__iexact=email)[:2])
        if len(matches) > 1:
            raise ValidationError(
                {"email": _("Several contacts have this address: edit them in the admin instead.")},
                code="ambiguous_email",
            )
        return matches[0] if matches else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if email_error := self.email_error(row.get("email", ""), kwargs["row_number"]):
            errors["email"] = [email_error]
        if "lists" in row:
            try:
                self.fields["lists"].clean(row)
            except ValueError as error:
                errors["lists"] = [ValidationError(str(error), code="unknown_list")]
        if errors:
            raise ValidationError(errors)

    def email_error(self, email: str, row_number: int) -> ValidationError | None:
        if not email:
            return ValidationError(_("Give the contact's email address."), code="required")
        try:
            validate_email(email)
        except ValidationError:
            return ValidationError(
                _("“%(email)s” is not a valid email address."),
                code="invalid",
                params={"email": email},
            )
        first = self.emails_seen.setdefault(email, row_number)
        if first != row_number:
            return ValidationError(
                _("This address is already on row %(row)s of the file."),
                code="duplicate",
                params={"row": first},
            )
        return None

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            # The library keeps what an invalid row wrote before failing, such as
            # a new outlet: roll its savepoint back so that it leaves nothing.
            transaction.set_rollback(True, using=self.get_db_connection_name())
        return row_result

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        created = self.fields["organization"].widget.created
        # Outlets made for rows that failed were rolled back with them.
        result.new_outlets = list(
            Organization.objects.filter(pk__in=created).values_list("name", flat=True)
        )
