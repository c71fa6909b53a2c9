"""What django-axes counts failed sign-ins by (AXES_LOCKOUT_PARAMETERS)."""


def lockout_parameters(request_or_attempt, credentials=None) -> list[str]:
    """Per account always, and per address when there is one.

    Without an address (behind a proxy with RATELIMIT_IP_META_KEY unset, over a Unix
    socket) every visitor would share one count, and a few wrong guesses by anyone
    would lock every account out.
    """
    # Axes asks with the request (its address already worked out) or with a stored attempt.
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(
        request_or_attempt, "ip_address", None
    )
    return ["username", "ip_address"] if address else ["username"]
