"""The public site's forms: the archive's filters and the search box."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign
from front.releases import public_years
from statements.models import Signature, Statement
from statements.selectors import public_organizations


class ArchiveFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        # Each campaign looked up in the statements' campaign index, rather than every
        # public statement joined to its campaign.
        queryset=Campaign.objects.filter(
            Exists(Statement.objects.public().filter(campaign=OuterRef("pk")))
        ),
        to_field_name="slug",
        required=False,
        label=_("Campaign"),
        empty_label=_("All campaigns"),
    )
    # A text box, not a list: a list of every organization with a public statement grows
    # with the site (thousands of options on every page of the archive). The page's script
    # suggests names as the reader types (the co-sign form's suggestions) and sends the
    # chosen one's slug; without it, a name or a slug typed in is looked up here.
    organization = forms.CharField(
        label=_("Organization"),
        max_length=200,
        required=False,
        help_text=_("Type its name and pick it from the suggestions."),
        widget=forms.TextInput(
            attrs={"type": "search", "list": "archive-organizations", "autocomplete": "off"}
        ),
    )
    year = forms.TypedChoiceField(
        label=pgettext_lazy("calendar", "Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = public_years()
        self.fields["year"].choices = [("", _("All years"))] + [(year, year) for year in years]

    def clean_organization(self):
        text = " ".join(self.cleaned_data["organization"].split())
        if not text:
            return None
        # Only organizations with a public statement, as the list of choices had: the
        # filter tells nothing of organizations known only from drafts.
        found = list(public_organizations().filter(Q(slug=text) | Q(name__iexact=text)).distinct())
        if not found:
            raise ValidationError(
                _("No organization with a public statement is called “%(name)s”."),
                code="unknown_organization",
                params={"name": text},
            )
        # A slug names one organization; a name another's slug could equal comes second.
        organization = next((o for o in found if o.slug == text), found[0])
        # The box shows the chosen organization by name, however it was given.
        self.data = self.data.copy()
        self.data[self.add_prefix("organization")] = organization.name
        return organization

    def lookups(self) -> dict:
        """The filters chosen, as lookups on the originals (front.releases.archive_entries)."""
        data, lookups = self.cleaned_data, {}
        if data["campaign"]:
            lookups["campaign"] = data["campaign"]
        if data["organization"]:
            signed = Signature.objects.listed().filter(organization=data["organization"])
            lookups["pk__in"] = signed.values("statement")
        if data["year"]:
            lookups["release_date__year"] = data["year"]
        return lookups


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
