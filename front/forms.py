"""The public site's forms: the archive's filters and the search box."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign
from statements.models import Statement, listed_signatures
from statements.selectors import public_organizations


class ArchiveFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.filter(
            statements__status__in=Statement.PUBLIC_STATUSES
        ).distinct(),
        to_field_name="slug",
        required=False,
        label=_("Campaign"),
        empty_label=_("All campaigns"),
    )
    organization = forms.ModelChoiceField(
        queryset=public_organizations().distinct(),
        to_field_name="slug",
        required=False,
        label=_("Organization"),
        empty_label=_("All organizations"),
    )
    year = forms.TypedChoiceField(
        label=pgettext_lazy("calendar", "Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Statement.objects.public().dates("release_date", "year", order="DESC")
        self.fields["year"].choices = [("", _("All years"))] + [(d.year, d.year) for d in years]

    def filter(self, statements):
        data = self.cleaned_data
        if data["campaign"]:
            statements = statements.filter(campaign=data["campaign"])
        if data["organization"]:
            statements = statements.filter(
                listed_signatures("signatures__"), signatures__organization=data["organization"]
            )
        if data["year"]:
            statements = statements.filter(release_date__year=data["year"])
        return statements


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search statements"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (this is %(show_value)d)."
            )
        },
    )
