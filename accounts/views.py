from django.http import Http404
from django.utils.translation import gettext


def email_addresses(request):
    """allauth's page for adding and choosing one's email addresses, closed.

    A staff member's address is their user's email, which superusers set in the admin:
    where password reset emails go must not be changed by whoever holds the session.
    """
    raise Http404(gettext("Email addresses are set by a superuser in the admin."))
