from allauth.account.models import EmailAddress
from django.contrib import admin

# A staff member's address is their user's email. allauth's own list of addresses, kept
# for verifying them at sign-up (closed here), would be a second place to edit it.
admin.site.unregister(EmailAddress)
