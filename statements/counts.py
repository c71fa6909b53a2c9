"""How many signed a statement, in words: "Signed by 47 organizations and 312 individuals".

Each count is its own plural, so every language gets its forms right for both numbers.
"""

from django.utils.translation import gettext, ngettext


def _organizations(n: int) -> str:
    return ngettext("%(count)s organization", "%(count)s organizations", n) % {"count": n}


def _individuals(n: int) -> str:
    return ngettext("%(count)s individual", "%(count)s individuals", n) % {"count": n}


def signatory_count_text(counts: dict) -> str:
    """ "47 organizations and 312 individuals", "47 organizations" or "312 individuals"."""
    organizations, individuals = counts.get("organizations", 0), counts.get("individuals", 0)
    if organizations and individuals:
        return gettext("%(organizations)s and %(individuals)s") % {
            "organizations": _organizations(organizations),
            "individuals": _individuals(individuals),
        }
    if individuals:
        return _individuals(individuals)
    return _organizations(organizations)


def signed_by_text(counts: dict) -> str:
    """ "Signed by 47 organizations and 312 individuals"; empty when nobody signed."""
    if not counts.get("organizations") and not counts.get("individuals"):
        return ""
    return gettext("Signed by %(signatories)s") % {"signatories": signatory_count_text(counts)}
