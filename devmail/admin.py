from django.contrib import admin

from core.admin import ReadOnlyAdmin
from devmail.models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["subject", "to", "created_at"]
    search_fields = ["subject", "to", "body"]
    date_hierarchy = "created_at"
    fields = ["created_at", "from_email", "to", "subject", "body", "html_body", "raw"]
    readonly_fields = fields
