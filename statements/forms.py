from django import forms
from django.conf import settings

from campaigns.models import Campaign
from organizations.models import Organization
from statements.models import Statement


class StatementAdminForm(forms.ModelForm):
    """The admin's statement form; the admin supplies the model and fields."""

    def clean_release_date(self):
        release_date = self.cleaned_data["release_date"]
        if release_date is None and self.instance.status not in (
            Statement.Status.DRAFT,
            Statement.Status.SIGNOFF,
        ):
            raise forms.ValidationError(
                "A %(status)s statement needs its release date.",
                code="release_date_required",
                params={"status": self.instance.get_status_display().lower()},
            )
        return release_date


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        choices=[("now", "Publish now"), ("later", "Publish at a set time")],
        widget=forms.RadioSelect,
        initial="now",
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=f"Time zone: {settings.TIME_ZONE}.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "later" and cleaned.get("publish_at") is None:
            self.add_error(
                "publish_at", forms.ValidationError("Choose when to publish.", code="required")
            )
        return cleaned


class RetractForm(forms.Form):
    note = forms.CharField(
        label="Retraction notice",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Shown at the top of the statement's page, e.g. why it was withdrawn.",
    )


class ArchiveFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.filter(
            statements__status__in=Statement.PUBLIC_STATUSES
        ).distinct(),
        to_field_name="slug",
        required=False,
        empty_label="All campaigns",
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(
            signatures__statement__status__in=Statement.PUBLIC_STATUSES
        ).distinct(),
        to_field_name="slug",
        required=False,
        empty_label="All organizations",
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Statement.objects.public().dates("release_date", "year", order="DESC")
        self.fields["year"].choices = [("", "All years")] + [(d.year, d.year) for d in years]

    def filter(self, statements):
        data = self.cleaned_data
        if data["campaign"]:
            statements = statements.filter(campaign=data["campaign"])
        if data["organization"]:
            statements = statements.filter(signatures__organization=data["organization"])
        if data["year"]:
            statements = statements.filter(release_date__year=data["year"])
        return statements
