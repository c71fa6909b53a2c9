"""The audit log in the admin: read it whole or per object, filter it, export it as CSV.

Only staff with auditlog.view_logentry (the Publisher role, superusers) see any of it,
and nobody may change or delete an entry.
"""

import contextlib
import csv
import datetime

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.audit import DETAIL_LABELS, event_label
from core.spreadsheets import csv_safe

# django-auditlog's own names, which the admin shows and it does not translate into
# Arabic: listed here so that our catalogue does.
gettext_noop("Audit log")
gettext_noop("log entry")
gettext_noop("log entries")
gettext_noop("timestamp")

# Ours replaces django-auditlog's, registered before it ("auditlog" comes first in
# INSTALLED_APPS).
admin.site.unregister(LogEntry)

ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit log action", "Created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit log action", "Changed"),
    LogEntry.Action.DELETE: pgettext_lazy("audit log action", "Deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit log action", "Viewed"),
}
# A long text (a statement's body) is shown by its start.
SHOWN_CHARACTERS = 140


class ActorFilter(admin.SimpleListFilter):
    """By staff member, or what the site did on its own (scheduled publishing, a signer)."""

    title = _("person")
    parameter_name = "actor"
    NOBODY = "none"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(self.NOBODY, _("Nobody signed in")), *((user.pk, str(user)) for user in staff)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NOBODY:
            return queryset.filter(actor__isnull=True)
        if value and value.isdigit():
            return queryset.filter(actor_id=value)
        return queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    """By the kinds of object the log records (accounts.audit.MODELS)."""

    title = _("object type")
    parameter_name = "content_type"

    def lookups(self, request, model_admin):
        models = {model._meta.concrete_model for model in auditlog.get_models()}
        types = ContentType.objects.get_for_models(*models)
        return sorted(
            ((types[model].pk, capfirst(model._meta.verbose_name)) for model in models),
            key=lambda choice: str(choice[1]),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(content_type_id=value)
        return queryset


def _field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except (FieldDoesNotExist, AttributeError):
        return name


def _value(model, name: str, value) -> str:
    # django-auditlog writes a missing value (before a creation, a null) as "None".
    if value in (None, "None"):
        return "—"
    try:
        field = model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        field = None
    if isinstance(field, models.DateTimeField):
        # Kept in UTC without its zone; shown in the site's, as every time in the admin.
        with contextlib.suppress(ValueError):
            moment = datetime.datetime.fromisoformat(str(value)).replace(tzinfo=datetime.UTC)
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    choices = dict(getattr(field, "flatchoices", []))
    text = str(choices.get(value, value))
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def readable_changes(entry: LogEntry) -> list[str]:
    """Each change as one line, "Field: old → new", with the labels and choices staff see
    in the admin; an event's details as "reason: …"."""
    model = entry.content_type.model_class()
    lines = []
    for name, change in (entry.changes or {}).items():
        label = _field_label(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            objects = ", ".join(change.get("objects", []))
            verb = gettext("added") if change.get("operation") == "add" else gettext("removed")
            lines.append(f"{label}: {verb} {objects}")
        else:
            old, new = (_value(model, name, value) for value in change)
            # A creation lists every field: those left empty say nothing.
            if {old, new} <= {"—", ""}:
                continue
            lines.append(f"{label}: {old} → {new}")
    for key, value in (entry.additional_data or {}).items():
        if key != "event":
            lines.append(f"{capfirst(DETAIL_LABELS.get(key, key))}: {value}")
    return lines


def person(entry: LogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    return entry.actor_email or gettext("nobody signed in")


def what(entry: LogEntry) -> str:
    return event_label(entry) or str(ACTIONS.get(entry.action, entry.action))


def object_type(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(capfirst(model._meta.verbose_name)) if model else entry.content_type.model


class _Echo:
    """A file whose write() hands the line back, for the streamed CSV."""

    def write(self, value):
        return value


@admin.register(LogEntry)
class AuditLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["when", "who", "address", "what_happened", "on_object", "changes_made"]
    list_display_links = ["when"]
    # The entry's page shows it as the list does, not its raw JSON.
    fields = readonly_fields = list_display
    list_filter = [ActorFilter, ObjectTypeFilter, "timestamp"]
    date_hierarchy = "timestamp"
    search_fields = ["object_repr", "actor__username", "actor__email", "actor_email"]
    list_select_related = ["actor", "content_type"]
    list_per_page = 50
    # A filtered list does not count the whole log a second time.
    show_full_result_count = False
    change_list_template = "admin/auditlog/logentry/change_list.html"

    @admin.display(description=_("time"), ordering="timestamp")
    def when(self, entry):
        return timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("person"))
    def who(self, entry):
        return person(entry)

    @admin.display(description=_("address"))
    def address(self, entry):
        return entry.remote_addr or ""

    @admin.display(description=_("action or event"))
    def what_happened(self, entry):
        return what(entry)

    @admin.display(description=_("object"))
    def on_object(self, entry):
        # Unlinked; each request's list and page show _on_object's, linked where it may.
        return f"{object_type(entry)}: {entry.object_repr}"

    def get_list_display(self, request):
        return [self._on_object(request) if n == "on_object" else n for n in self.list_display]

    def get_fields(self, request, obj=None):
        return self.get_list_display(request)

    def get_readonly_fields(self, request, obj=None):
        return self.get_list_display(request)

    def _on_object(self, request):
        """The object, linked to its page for who may open it: a publisher reads the
        history of a user or a press list without being let into their pages."""

        @admin.display(description=_("object"))
        def on_object(entry):
            label = self.on_object(entry)
            app_label, model = entry.content_type.app_label, entry.content_type.model
            if not request.user.has_perm(f"{app_label}.view_{model}") and not (
                request.user.has_perm(f"{app_label}.change_{model}")
            ):
                return label
            try:
                url = reverse(f"admin:{app_label}_{model}_change", args=[entry.object_pk])
            except NoReverseMatch:
                return label
            return format_html('<a href="{}">{}</a>', url, label)

        return on_object

    @admin.display(description=_("changes"))
    def changes_made(self, entry):
        lines = readable_changes(entry)
        if not lines:
            return ""
        return format_html(
            '<ul class="audit-changes">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_view),
            name="{}_{}_export".format(*info),
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {"title": gettext("Audit log")} | (extra_context or {})
        # Reached from an object's History button: say whose history this is.
        object_id, content_type = request.GET.get("object_id"), request.GET.get("content_type")
        if object_id and content_type and object_id.isdigit() and content_type.isdigit():
            entry = (
                LogEntry.objects.filter(content_type_id=content_type, object_id=object_id)
                .only("object_repr")
                .first()
            )
            if entry is not None:
                context["title"] = gettext("History of “%(object)s”") % {
                    "object": entry.object_repr
                }
        return super().changelist_view(request, context)

    def export_view(self, request):
        """The entries the list shows with the same filters and search, as CSV, streamed
        however many there are."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            raise BadRequest(gettext("These filters cannot be applied.")) from None
        writer = csv.writer(_Echo())
        header = [
            gettext("time"), gettext("person"), gettext("address"), gettext("action or event"),
            gettext("object type"), gettext("object ID"), gettext("object"), gettext("changes"),
        ]  # fmt: skip

        def rows():
            # With a byte order mark, spreadsheets read the file as UTF-8.
            yield "\ufeff" + writer.writerow(header)
            for entry in queryset.iterator(chunk_size=500):
                yield writer.writerow(
                    csv_safe(value)
                    for value in [
                        timezone.localtime(entry.timestamp).isoformat(),
                        person(entry),
                        entry.remote_addr,
                        what(entry),
                        object_type(entry),
                        entry.object_pk,
                        entry.object_repr,
                        "\n".join(readable_changes(entry)),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
