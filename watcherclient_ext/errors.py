"""One exception family whose messages a user can act on.

Every message is a single line: cliff prints ``str(error)`` and exits 1, and
shows the traceback only with ``--debug``. No message shows the password of
a URL (``http://user:password@host``), nor a raw control character: every
error masks the one and escapes the other, whatever text it was made of.
"""

from watcherclient_ext import secrets
from watcherclient_ext import terminal_text

#: Exit codes scripts can rely on, the same for every command.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_OTHER_END = 3
EXIT_TIMED_OUT = 4


#: How the front end changes each setting an error names as its remedy
#: (``"api_timeout"`` -> "--os-api-timeout sets the limit"). The layers
#: below the commands name settings, never options: the command layer
#: fills this in (commands/base.py), and every message ends with its hint.
REMEDIES = {}


class WatcherClientError(Exception):
    """Base of every error this client reports to a user."""

    exit_code = EXIT_ERROR
    #: The setting (a key of :data:`REMEDIES`) that gets past the error.
    remedy = None

    def __init__(self, *args, remedy=None):
        # Messages carry what servers sent (reasons, names): made safe for
        # a terminal here, wherever they are printed.
        super().__init__(*(terminal_text.safe(secrets.mask(arg))
                           if isinstance(arg, str) else arg for arg in args))
        if remedy is not None:
            self.remedy = remedy

    def __str__(self):
        hint = REMEDIES.get(self.remedy)
        text = super().__str__()
        return f"{text}; {hint}" if hint else text


class InvalidInput(WatcherClientError):
    """The command line asks for something impossible; nothing was sent."""


class UsageError(InvalidInput):
    """Options that cannot go together; argparse's exit code for usage."""

    exit_code = EXIT_USAGE


class VersionNotSupported(WatcherClientError):
    """The pinned or required microversion is outside the server's range."""


class ConnectionFailed(WatcherClientError):
    """The request never got an HTTP answer (refused, DNS, TLS, timeout)."""


class AuthenticationFailed(WatcherClientError):
    """Keystone refused the credentials or the catalog has no Watcher."""


class HTTPError(WatcherClientError):
    """Watcher answered with an error status."""

    def __init__(self, status, reason, request_id=None):
        self.status = status
        self.reason = reason
        self.request_id = request_id
        detail = f"HTTP {status}"
        if request_id:
            detail += f", request {request_id}"
        super().__init__(f"{reason} ({detail})")


class NotFound(HTTPError):
    def saying(self, reason):
        """The same answer told in the client's words: ``reason`` names
        what was looked for, as the user wrote it."""
        return NotFound(self.status, reason, request_id=self.request_id)


class Forbidden(HTTPError):
    pass


class BadRequest(HTTPError):
    pass


class Conflict(HTTPError):
    pass


class ServiceUnavailable(HTTPError):
    pass


_BY_STATUS = {400: BadRequest, 403: Forbidden, 404: NotFound, 409: Conflict,
              503: ServiceUnavailable}


def http_error(status, reason, **details):
    """Build the most specific HTTPError subclass for ``status``."""
    return _BY_STATUS.get(status, HTTPError)(status, reason, **details)
