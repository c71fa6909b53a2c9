from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonalDataRequest
from accounts.services import personal_data as services
from core.admin import ActionPagesAdmin, ReadOnlyAdmin
from organizations.models import address_hash


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("Every record holding this address is found, whatever its case."),
    )


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(ActionPagesAdmin, ReadOnlyAdmin, admin.ModelAdmin):
    """The record of each export and erasure, and the page that makes them."""

    list_display = ["created_at", "kind", "requested_by", "email_hash"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "email_hash", "requested_by", "created_at", "counts"]
    search_fields = ["email_hash"]
    action_template = "admin/accounts/personaldatarequest/person.html"

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or services.personal_data_staff(
            by=request.user
        )

    def get_search_results(self, request, queryset, search_term):
        # Staff look a person up by their address; only its hash is kept.
        if "@" in search_term:
            return queryset.filter(email_hash=address_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        person = path(
            "person/",
            self.admin_site.admin_view(self.person_view),
            name="accounts_personaldatarequest_person",
        )
        return [person, *super().get_urls()]

    def person_view(self, request):
        """Type an address; download its records as JSON, or erase them after confirming."""
        if not services.personal_data_staff(by=request.user):
            raise PermissionDenied
        form = PersonForm(request.POST if request.method == "POST" else None)
        context = {"title": gettext("A person's data"), "form": form}
        if not form.is_valid():
            return self.action_page(request, None, **context)
        email = form.cleaned_data["email"]
        try:
            if "export" in request.POST:
                record, document = services.personal_data_export(email=email, by=request.user)
                response = HttpResponse(document, content_type="application/json; charset=utf-8")
                filename = f"personal-data-{record.email_hash[:12]}.json"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            if "confirm" in request.POST:
                record = services.personal_data_erase(email=email, by=request.user)
                self.message_user(
                    request,
                    gettext("Everything held about %(email)s was erased.") % {"email": email},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:accounts_personaldatarequest_change", args=[record.pk])
                )
            if not request.user.has_perm("accounts.erase_personal_data"):
                raise PermissionDenied(gettext("You may not erase a person's data."))
            counts = services.personal_data_counts(email=email)
        except ValidationError as error:
            form.add_error("email", error)
            return self.action_page(request, None, **context)
        return self.action_page(
            request,
            None,
            template="admin/accounts/personaldatarequest/erase.html",
            title=gettext("Erase a person's data"),
            email=email,
            counts=[(KIND_LABELS[kind], n) for kind, n in counts.items()],
        )


KIND_LABELS = {
    "signatures": _("Signatures"),
    "contacts": _("Contacts"),
    "organizations": _("Organizations (their general address)"),
    "signoff_requests": _("Sign-off requests"),
    "signoff_answers": _("Sign-off answers"),
    "signoff_events": _("Sign-off events"),
    "deliveries": _("Press deliveries"),
    "followers": _("Followers of statements"),
    "suppressions": _("Suppressions"),
    "outgoing_emails": _("Outgoing emails"),
    "development_mailbox": _("Development mailbox"),
}
