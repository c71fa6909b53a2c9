from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from core.admin import ActionPagesAdmin, LabelledWidgetsAdmin, ReadOnlyAdmin, RecordsAdmin
from press import services
from press.forms import DistributionForm
from press.models import Delivery, Distribution

# Sending, test copies and stopping: the press officer's.
SEND = "press.send_distribution"


@admin.register(Distribution)
class DistributionAdmin(RecordsAdmin, LabelledWidgetsAdmin, ActionPagesAdmin, admin.ModelAdmin):
    form = DistributionForm
    action_template = "admin/press/distribution/action.html"
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
        (gettext_lazy("Recipients"), {"fields": ["press_lists", "contacts"]}),
        (gettext_lazy("When"), {"fields": ["when", "send_at"]}),
        (gettext_lazy("Progress"), {"fields": [
            "status", "progress", "embargoed_until", "confirmed_at", "started_at", "finished_at",
        ]}),
    ]  # fmt: skip

    def deletion_refusals(self, distribution: Distribution) -> list[str]:
        return services.distribution_deletion_refusals(distribution)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Distribution.Status.DRAFT:
            return [f.name for f in Distribution._meta.fields] + [
                "press_lists", "contacts", "progress",
            ]  # fmt: skip
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.distribution_create(distribution=obj, by=request.user)

    @admin.display(description=gettext_lazy("Recipients"))
    def progress(self, distribution: Distribution) -> str:
        if distribution.pk is None:
            return "—"
        if distribution.status == Distribution.Status.DRAFT:
            receive, skipped = services.distribution_counts(distribution)
            return _("%(receive)s; %(skipped)s") % {
                "receive": ngettext("%(n)s will receive it", "%(n)s will receive it", receive)
                % {"n": receive},
                "skipped": ngettext(
                    "%(n)s suppressed will not.", "%(n)s suppressed will not.", skipped
                )
                % {"n": skipped},
            }
        counts = services.delivery_progress(distribution)
        listing = reverse("admin:press_delivery_changelist")
        return format_html(
            "{} — <a href='{}?distribution__id__exact={}'>{}</a>",
            pgettext("list separator", ", ").join(
                _("%(state)s: %(n)s") % {"state": Delivery.State(state).label, "n": n}
                for state, n in counts.items()
            ),
            listing,
            distribution.pk,
            _("every recipient"),
        )

    def get_urls(self):
        own = [
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view),
                 name="press_distribution_confirm"),
            path("<int:pk>/test/", self.admin_site.admin_view(self.test_view),
                 name="press_distribution_test"),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view),
                 name="press_distribution_cancel"),
        ]  # fmt: skip
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        distribution = self.get_object(request, object_id)
        sending = distribution is not None and distribution.status == Distribution.Status.SENDING
        # While it sends, the page refreshes itself: no script needed.
        extra_context = (extra_context or {}) | {"refresh": sending}
        return super().change_view(request, object_id, form_url, extra_context)

    def confirm_view(self, request, pk: int):
        distribution = self.object_or_403(request, pk, perm=SEND)
        error = None
        if request.method == "POST":
            try:
                services.distribution_confirm(distribution=distribution, by=request.user)
            except ValidationError as exc:
                error = exc
            else:
                return self.done(
                    request, distribution, _("“%(name)s” is confirmed.") % {"name": distribution}
                )
        receive, skipped = services.distribution_counts(distribution)
        return self.action_page(
            request,
            distribution,
            title=_("Send “%(name)s”") % {"name": distribution},
            receive=receive,
            skipped=skipped,
            error=error,
            button=_("Confirm and send"),
        )

    def cancel_view(self, request, pk: int):
        distribution = self.object_or_403(request, pk, perm=SEND)
        error = None
        if request.method == "POST":
            try:
                spared = services.distribution_cancel(distribution=distribution, by=request.user)
            except ValidationError as exc:
                error = exc
            else:
                return self.done(
                    request,
                    distribution,
                    ngettext(
                        "“%(name)s” is cancelled: %(n)s journalist will not receive it.",
                        "“%(name)s” is cancelled: %(n)s journalists will not receive it.",
                        spared,
                    )
                    % {"name": distribution, "n": spared},
                )
        return self.action_page(
            request,
            distribution,
            title=_("Stop sending “%(name)s”") % {"name": distribution},
            progress=services.delivery_progress(distribution),
            error=error,
            button=_("Stop sending"),
        )

    def test_view(self, request, pk: int):
        distribution = self.object_or_403(request, pk, change=False, perm=SEND)
        if request.method == "POST":
            if not request.user.email:
                self.message_user(request, _("Your account has no email address."), messages.ERROR)
            else:
                services.press_test_copy_send(
                    distribution=distribution, to=request.user.email, by=request.user
                )
                self.message_user(
                    request,
                    _("A test copy is on its way to %(email)s.") % {"email": request.user.email},
                )
            return self.change_page(distribution)
        return self.action_page(
            request,
            distribution,
            title=_("Send a test copy of “%(name)s” to yourself") % {"name": distribution},
            to=request.user.email,
            button=_("Send the test copy"),
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "email", "language", "distribution", "state", "attempts", "sent_at", "last_response",
    ]  # fmt: skip
    list_filter = ["state", ("contact__language", admin.ChoicesFieldListFilter), "distribution"]
    search_fields = ["email"]
    list_select_related = ["distribution", "contact"]
    fields = [
        "distribution", "contact", "email", "state", "attempts", "claimed_at", "next_attempt_at",
        "sent_at", "last_response", "provider_message_id",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=gettext_lazy("language"), ordering="contact__language")
    def language(self, delivery: Delivery) -> str:
        """The language the journalist was written to in, named in itself."""
        return delivery.contact.get_language_display() or "—"
