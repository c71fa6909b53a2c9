from django.contrib import admin

from statements.models import PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """One notice per interface language; the public page /privacy/ shows the one in
    the page's language."""

    list_display = ["__str__", "updated_at"]
    fields = ["language", "text", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A notice stays in its language: another language is another notice.
        if obj is not None:
            return ["language", *self.readonly_fields]
        return self.readonly_fields
