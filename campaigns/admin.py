from django.contrib import admin

from campaigns.models import Campaign
from config.pagecache import PublicPagesAdmin


@admin.register(Campaign)
class CampaignAdmin(PublicPagesAdmin, admin.ModelAdmin):
    list_display = ["title", "is_active", "started_on"]
    list_filter = ["is_active"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
