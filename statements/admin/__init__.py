"""The staff's statements admin, one module per concern; importing them registers them."""

from statements.admin import emails, privacy, signatures, statements, updates

__all__ = ["emails", "privacy", "signatures", "statements", "updates"]
