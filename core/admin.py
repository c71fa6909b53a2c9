"""What every app's admin shares: read-only records, pages that change what the public
sees, and one way to build custom pages and bulk actions that call services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from core.pagecache import public_pages_changed


class DateInput(widgets.AdminDateWidget):
    """Django's date widget, described by the field's help text and errors.

    Django's points aria-describedby at a time-zone warning instead, which its script adds
    only when the browser is in another time zone than the site: for everyone else the
    reference leads nowhere, and the help text is never read out.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-describedby", None)
        if described := (attrs or {}).get("aria-describedby"):
            context["widget"]["attrs"]["aria-describedby"] = described
        return context


class SplitDateTimeInput(widgets.AdminSplitDateTime):
    """Django's date and time boxes without the reference to the missing time-zone warning
    (see DateInput): the admin describes their fieldset by its help text."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            subwidget["attrs"].pop("aria-describedby", None)
        return context


class FileInput(widgets.AdminFileWidget):
    """Django's file widget with the field's label on the file box itself.

    Django puts the widget in a fieldset whose legend names the group, but leaves the
    box without a label of its own, so assistive technology announces an unnamed control.
    """

    use_fieldset = False


class LabelledWidgetsAdmin:
    """Admin (or inline) whose date, date-time and file fields are labelled and described
    as assistive technology expects: see the widgets above."""

    formfield_overrides = {
        models.DateField: {"widget": DateInput},
        models.DateTimeField: {"widget": SplitDateTimeInput},
        models.FileField: {"widget": FileInput},
        models.ImageField: {"widget": FileInput},
    }


class AuditHistoryAdmin:
    """The History button of an object's page leads to its entries in the audit log
    (django-auditlog's, which records every change and workflow event), instead of Django's
    own list of the changes made through the admin alone.

    The admin site (config.admin) gives every ModelAdmin this, Django's and libraries'
    included. Only staff who may read the audit log see its history.
    """

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm("auditlog.view_logentry"):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        # The entries of a proxy's object (the moderation queue's) are its model's.
        content_type = ContentType.objects.get_for_model(obj)
        query = urlencode({"content_type": content_type.pk, "object_id": obj.pk})
        return redirect(f"{reverse('admin:auditlog_logentry_changelist')}?{query}")


class ReadOnlyAdmin:
    """Records the site keeps for itself: staff read them, never write or delete them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RecordsAdmin:
    """Objects that may come to hold records someone relies on (a signature's history,
    who received a release): once they do, staff are not offered Delete, alone or in
    bulk, and read why on the object's page. The models PROTECT the records as well.

    Each admin names its service: deletion_refusals(obj) gives the reasons, one
    sentence each, and delete_service(obj, by=user) deletes what may go.
    """

    def deletion_refusals(self, obj) -> list[str]:
        return []

    def delete_service(self, obj, *, by) -> None:
        obj.delete()

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not self.deletion_refusals(obj))

    def get_deleted_objects(self, objs, request):
        refusals = [
            gettext("“%(object)s”: %(reason)s") % {"object": obj, "reason": reason}
            for obj in objs
            for reason in self.deletion_refusals(obj)
        ]
        if refusals:
            return [], {}, set(), refusals
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # With no reason to refuse, what the models still protect is what the service
        # deletes on purpose first (a draft's own history): it goes too.
        return deleted + protected, counts, perms_needed, []

    def delete_model(self, request, obj):
        self.delete_service(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(obj, by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["deletion_refusals"] = self.deletion_refusals(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class PublicPagesAdmin:
    """Admin for what public pages show: a change made there renders every page again.

    Staff edits are rare next to visits, and one can touch many pages at once (an
    organization's name is on each statement it signed), so all pages go.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_pages_changed()


class ActionPagesAdmin:
    """Custom admin pages (a GET shows what will happen, a POST calls a service) and bulk
    actions, written the same way in every app. The service does the work and says
    no with a ValidationError, which the page shows, or with PermissionDenied when the
    staff member's role may not do it: a 403 for a page, a message for a bulk action."""

    # The template of the pages made by action_page(); each admin names its own.
    action_template = ""

    def object_or_403(self, request, pk, *, change: bool = True, perm: str = ""):
        """The object, 404 if there is none, 403 if the staff member may not change
        it (or, with change=False, see it), nor, with perm, do what the page does.

        The page's service refuses as well: this only spares a form that cannot be sent."""
        obj = get_object_or_404(self.model, pk=pk)
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, obj) or (perm and not request.user.has_perm(perm)):
            raise PermissionDenied
        return obj

    def action_page(self, request, obj, *, template: str = "", **context) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
        } | context
        return TemplateResponse(request, template or self.action_template, context)

    def change_page(self, obj):
        """A redirect to the object's change form."""
        info = self.opts.app_label, self.opts.model_name
        return redirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))

    def done(self, request, obj, message: str):
        self.message_user(request, message, messages.SUCCESS)
        return self.change_page(obj)

    def bulk(self, request, queryset, act, *, done, label=None) -> None:
        """Run act on each selected object, saying which ones it refused and why.

        done counts the objects it acted on, in the staff member's language: a plural
        that picks its form from "count", e.g. ngettext_lazy("%(count)s statement
        archived.", "%(count)s statements archived.", "count"). label(obj) names an
        object in a refusal; by default its name in quotation marks.
        """
        count = 0
        for obj in queryset:
            try:
                act(obj)
                count += 1
            except PermissionDenied as refused:
                # The role may do it to none of them: said once.
                self.message_user(request, str(refused), messages.ERROR)
                break
            except ValidationError as error:
                name = label(obj) if label else gettext("“%(object)s”") % {"object": obj}
                refusal = gettext("%(object)s: %(reason)s") % {
                    "object": name,
                    "reason": error.messages[0],
                }
                self.message_user(request, refusal, messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
