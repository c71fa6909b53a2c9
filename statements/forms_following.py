"""The form a reader follows a statement with."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.names import has_hidden_characters


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send a link to confirm it to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people by CSS; a bot that fills every field fills this one.
    fax_number = forms.CharField(label=_("Leave this field empty"), required=False, max_length=100)

    # What a reader agrees to by pressing the button, kept with them as worded.
    CONSENT = _(
        "By following, you agree to receive this statement's updates by email, until you "
        "stop them with the link in any of them."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fax_number"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if has_hidden_characters(email):
            raise forms.ValidationError(
                gettext(
                    "This address holds hidden characters (an invisible space or a direction "
                    "mark). Type it in rather than pasting it."
                ),
                code="hidden_characters",
            )
        return email

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("fax_number"))

    def consent_text(self) -> str:
        return str(self.CONSENT)
