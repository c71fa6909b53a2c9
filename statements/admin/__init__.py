"""The staff's statements admin, one module per concern; importing them registers them."""

from statements.admin import delivery, emails, privacy, signatures, statements, updates

__all__ = ["delivery", "emails", "privacy", "signatures", "statements", "updates"]
