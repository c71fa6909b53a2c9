"""The staff accounts' pages in the admin, one module per concern."""

from accounts.admin import audit_log, personal_data, signing_in

__all__ = ["audit_log", "personal_data", "signing_in"]
