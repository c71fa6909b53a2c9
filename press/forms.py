from django import forms
from django.utils.translation import gettext as _

from press.models import Distribution


class DistributionForm(forms.ModelForm):
    """The admin's distribution form; the admin supplies the model and fields."""

    def clean(self):
        cleaned = super().clean()
        statement, reply_to = cleaned.get("statement"), cleaned.get("reply_to")
        if statement is None:
            return cleaned
        if (
            statement
            and reply_to
            and not statement.press_contacts.filter(contact=reply_to).exists()
        ):
            self.add_error("reply_to", _("Choose one of the statement's press contacts."))
        if cleaned.get("when") == Distribution.When.AT_TIME and not cleaned.get("send_at"):
            self.add_error("send_at", _("Choose when to send."))
        return cleaned
