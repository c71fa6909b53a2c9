from django.contrib import admin

from outbox.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "created_at"]
    search_fields = ["subject", "to", "body"]
    date_hierarchy = "created_at"
    fields = ["created_at", "from_email", "to", "subject", "body", "html_body", "raw"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
