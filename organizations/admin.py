from django.contrib import admin

from organizations.models import Contact, Organization


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "website", "verified"]
    list_filter = ["kind", "verified", "country"]
    search_fields = ["name", "short_name", "website"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactInline]
    fields = [
        "name", "short_name", "slug", "kind", "country", "website", "logo", "description",
        "verified",
    ]  # fmt: skip


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization", "email", "phone"]
    list_filter = ["organization__kind"]
    search_fields = ["name", "email", "organization__name", "organization__short_name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
