"""The admin's forms for delivering a statement to decision makers and posting their reply."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import CallToAction

# Rows for decision makers staff name themselves, beyond the calls to action's.
OTHER_TARGET_ROWS = 3


class DeliverForm(forms.Form):
    calls = forms.ModelMultipleChoiceField(
        label=_("Decision makers of its contact calls to action"),
        queryset=CallToAction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Covering note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: a few words above the statement in each email."),
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["calls"]
        field.queryset = calls
        field.initial = [call.pk for call in calls]
        field.label_from_instance = lambda call: ", ".join(
            part for part in (call.target_name, call.target_role, call.target_email) if part
        )


class TargetRowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("email") and "email" not in self.errors:
            raise ValidationError(_("Give their email address."), code="email_missing")
        return cleaned


TargetRowFormSet = forms.formset_factory(
    TargetRowForm, extra=OTHER_TARGET_ROWS, max_num=20, validate_max=True
)


def targets_chosen(form: DeliverForm, rows) -> list[tuple[str, str, CallToAction | None]]:
    """(name, email, call) for each decision maker ticked or named, from valid forms."""
    chosen = [(call.target_name, call.target_email, call) for call in form.cleaned_data["calls"]]
    return chosen + [
        (row.cleaned_data["name"], row.cleaned_data["email"], None)
        for row in rows
        if row.cleaned_data.get("email")
    ]


class TargetReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Their answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Posted on the statement's page as a response received."),
    )
    url = forms.URLField(
        label=_("Link to the answer"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    on = forms.DateField(label=_("Answered on"), required=False)
