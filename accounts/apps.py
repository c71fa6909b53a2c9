from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        # statements sends the owed emails of every kind without knowing this app.
        from accounts import emails
        from statements.emails import outgoing_builder_register
        from statements.models import OutgoingEmail

        outgoing_builder_register(OutgoingEmail.Kind.PASSWORD_RESET, emails.password_reset_email)
