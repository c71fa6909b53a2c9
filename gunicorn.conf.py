"""gunicorn's settings, read from the folder it starts in.

Its logs never print the secret of an emailed link (core/logs.py): not in the error
log, nor in the access log when it is turned on (--access-logfile -), whose request
line and Referer would. With LOG_FORMAT=json both print JSON lines, as Django does.
And it says at start-up when the co-sign rate limits cannot
see visitors' addresses.
"""

import os

from gunicorn.glogging import Logger as GunicornLogger

from core.logs import RedactSecrets, json_lines

_secrets = RedactSecrets()


class Logger(GunicornLogger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_secrets)  # once: a reload runs setup() again
            if os.environ.get("LOG_FORMAT") == "json":
                # One JSON object a line, as Django's own lines (config/settings.py).
                for handler in log.handlers:
                    handler.setFormatter(json_lines())


logger_class = Logger


def on_starting(server):
    # Over a Unix socket REMOTE_ADDR is empty (statements/ratelimits.py).
    unix = any(address.startswith("unix:") for address in server.cfg.bind)
    if unix and not os.environ.get("RATELIMIT_IP_META_KEY"):
        server.log.warning(
            "Listening on a Unix socket, where REMOTE_ADDR is empty: the co-sign forms "
            "are limited per email address only. Set RATELIMIT_IP_META_KEY to the header "
            "the reverse proxy puts the visitor's address in, e.g. HTTP_X_REAL_IP."
        )
