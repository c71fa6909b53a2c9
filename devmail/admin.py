from email import message_from_string

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from core.admin import ReadOnlyAdmin
from devmail.models import Message

# The HTML of an email is whatever a template or a signer made of it: shown in a
# sandboxed frame (no script, no form, an origin of its own), and served under a policy
# that loads nothing from elsewhere. Its inline styles apply, as in a mail reader.
EMAIL_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
    "sandbox": True,
}


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["subject", "to", "created_at"]
    search_fields = ["subject", "to", "body"]
    date_hierarchy = "created_at"
    fields = ["created_at", "from_email", "to", "subject"]
    readonly_fields = fields
    change_form_template = "admin/devmail/message/change_form.html"

    def get_urls(self):
        own = [
            path(
                "<int:pk>/html/",
                self.admin_site.admin_view(self.html_view),
                name="devmail_message_html",
            )
        ]
        return own + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            headers = message_from_string(obj.raw).items()
            context |= {"message": obj, "headers": headers}
        return super().render_change_form(request, context, add, change, form_url, obj)

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_override(EMAIL_CSP))
    def html_view(self, request, pk: int):
        """The email's HTML alone, for the frame on its page."""
        message = get_object_or_404(Message, pk=pk)
        if not self.has_view_permission(request, message):
            raise PermissionDenied
        return HttpResponse(message.html_body, content_type="text/html; charset=utf-8")
