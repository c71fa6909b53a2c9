from django.contrib import admin

from core.admin import ReadOnlyAdmin
from statements.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["kind", "to", "created_at", "sent_at", "failed_at", "attempts"]
    list_filter = [
        "kind",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind", "to", "statement", "signature", "created_at", "claimed_at", "sent_at",
        "failed_at", "attempts", "last_error",
    ]  # fmt: skip
    fields = readonly_fields
