from django.db import models
from django.urls import reverse


class CampaignQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Campaign(models.Model):
    """A cause that groups statements over months or years."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown in lists and on the home page."
    )
    description = models.TextField(blank=True, help_text="What the campaign is about and asks for.")
    is_active = models.BooleanField(
        "active", default=True, help_text="Active campaigns are listed on the home page."
    )
    started_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign_detail", args=[self.slug])
