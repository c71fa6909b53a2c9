"""The two-phase SMTP send of press deliveries: each message is recorded as sent the
moment before the server can accept it.

Marking a row sent only after the server's 250 leaves a window in which a worker
killed at the wrong time would send the message again on restart. Here the row is
committed as sent after the message body is written and before the final "." that
asks the server to accept it; if the worker dies in between, the server discards
the unfinished message, and a refusal after the "." puts the row back. The commit's
answer is read after the "." (press.services._commit_sent), so that a worker killed
between the two is almost never one that has committed.
"""

import smtplib
from collections.abc import Callable


class Unfinished(smtplib.SMTPServerDisconnected):
    """The connection dropped before the final ".": the server did not accept the message."""


def smtp_send(
    connection: smtplib.SMTP,
    raw: bytes,
    *,
    sender: str,
    recipients: list[str],
    before_accept: Callable[[], Callable[[], None]],
) -> str:
    """Send one message (its bytes, with CRLF line ends) over an open SMTP connection;
    returns the server's answer.

    before_accept runs between the body and the final "." and commits; what it returns
    runs right after the "." is written (or fails to be), to read the commit's answer.
    """
    connection.ehlo_or_helo_if_needed()
    code, answer = connection.mail(sender)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    for recipient in recipients:
        code, answer = connection.rcpt(recipient)
        if code not in (250, 251):
            connection.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    code, answer = connection.docmd("data")
    if code != 354:
        connection.rset()
        raise smtplib.SMTPDataError(code, answer)
    # As smtplib's own data(): CRLF line ends, and a leading "." doubled.
    body = smtplib._quote_periods(raw)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    connection.send(body)
    committed = before_accept()
    try:
        connection.send(b".\r\n")
    except smtplib.SMTPServerDisconnected as error:
        raise Unfinished(str(error)) from error
    finally:
        committed()
    # Lost from here on, the answer leaves the message sent as far as we know.
    code, answer = connection.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    return f"{code} {answer.decode(errors='replace')}"
