"""How django-allauth treats our staff: nobody signs up, and the password reset email is
one the site owes, sent through its queue."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language

from accounts.services.password_reset import password_reset_email_create
from core.http import visitor_address


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Superusers make staff accounts in the admin.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        # django-axes counts wrong passwords, per account and per address, with its
        # lockout page; allauth's own count of them would refuse at another limit with
        # another message. Its count of wrong second-factor codes (the same
        # "login_failed" limit, per account) is left on.
        pass

    def get_client_ip(self, request) -> str:
        # The address django-axes and the co-sign limits count by (RATELIMIT_IP_META_KEY),
        # for allauth's limits on reset emails. A request without one (a Unix socket, a
        # proxy whose header is not named) shares one count for those, where allauth would
        # refuse it outright; `check --deploy` warns of that setup (jointly.W001).
        return visitor_address(request) or "unknown"

    def send_password_reset_mail(self, user, email, context) -> None:
        # allauth's own email would be sent during the request, lost if the mail server
        # is down, and would carry the key it made; ours is owed in the database and
        # built with a fresh key when a worker sends it.
        password_reset_email_create(user=user, language=get_language())
