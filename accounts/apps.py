from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        # Models can be imported only once the apps are ready.
        from accounts import emails
        from accounts.audit import audited_models_register
        from statements.emails import outgoing_builder_register
        from statements.models import OutgoingEmail

        audited_models_register()
        # statements sends the owed emails of every kind without knowing this app.
        outgoing_builder_register(OutgoingEmail.Kind.PASSWORD_RESET, emails.password_reset_email)
