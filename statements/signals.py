from django.dispatch import Signal

# Sent by the publishing service inside its transaction, with statement=: an app that
# acts on a publication (press starts the distributions waiting for it) connects to it,
# so statements needs not know it, and what it writes commits with the publication.
statement_published = Signal()

# Sent by the correction service inside its transaction once a correction is public,
# with statement= and update= (the "correction" StatementUpdate) and notify_press= (False
# when staff chose not to tell the journalists, for a typo): press sends the correction
# notice to the journalists who received the release.
statement_corrected = Signal()

# Sent by the retraction service inside its transaction, with statement= (the original
# retracted) and notify_press=: press tells the journalists who received the release.
statement_retracted = Signal()
