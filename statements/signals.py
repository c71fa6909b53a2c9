from django.dispatch import Signal

# Sent by the publishing service inside its transaction, with statement=: an app that
# acts on a publication (press starts the distributions waiting for it) connects to it,
# so statements needs not know it, and what it writes commits with the publication.
statement_published = Signal()
