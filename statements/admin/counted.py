"""Bulk action messages in the plural form their count needs (Arabic has six)."""


class Counted:
    """What core.admin's bulk says once done: it formats `done` with the count, and this
    picks the plural form of an ngettext_lazy message whose number is named "count"."""

    def __init__(self, message):
        self.message = message

    def format(self, *, count: int) -> str:
        return self.message % {"count": count}
