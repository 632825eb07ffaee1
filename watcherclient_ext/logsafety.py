"""Log lines as safe as every other line: masked and terminal-safe.

``--debug`` and ``--log-file`` write what keystoneauth and we log about
each request: URLs, headers, bodies, server text. A filter on the
handlers (a logger's own filters miss records its children propagate)
masks secrets and escapes control characters in each line, tracebacks
included, before any handler formats it.
"""

import logging

from watcherclient_ext import secrets
from watcherclient_ext import terminal_text


def clean(text):
    """What a log line may show of ``text``."""
    return terminal_text.safe(secrets.mask(text), lines=True)


class SafeRecords(logging.Filter):
    """Rewrites each record's message, traceback and stack as clean text."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = clean(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(
                record.exc_info)
        if record.exc_text:
            record.exc_text = clean(record.exc_text)
        if record.stack_info:
            record.stack_info = clean(record.stack_info)
        return True


def install(handlers=None):
    """Clean every record these handlers (default: the root logger's)
    write; a handler that already cleans is left as it is."""
    for handler in logging.getLogger().handlers if handlers is None \
            else handlers:
        if not any(isinstance(f, SafeRecords) for f in handler.filters):
            handler.addFilter(SafeRecords())
