from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevMailConfig(AppConfig):
    """The development mailbox: with no SMTP server or email service configured, emails
    are kept here instead of sent. Not the queue of emails owed (statements'
    "Outgoing emails"), which every configuration has."""

    name = "devmail"
    verbose_name = _("Development mailbox (kept here, not sent)")
