"""Notifications from a file, one per line, instead of the bus.

A line may be a wire body, a bare message or a record written by
``-f json`` (see :class:`watcherclient_ext.bus.notification.Reader`). A
line that is none of them is reported with its number and skipped.
"""

import contextlib
import time

from watcherclient_ext import bus
from watcherclient_ext.api import errors

STDIN = "-"


@contextlib.contextmanager
def _lines(path, stdin):
    if path == STDIN:
        yield getattr(stdin, "buffer", stdin)
        return
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise errors.InvalidInput(
            f"Cannot read {path}: {exc.strerror}") from None
    with stream:
        yield stream


def replay(path, handle, read, report, stdin=None, deadline=None):
    """Feed ``read(line)`` of each line (a Notification) to ``handle``
    until it returns True (STOPPED), the file ends (EXHAUSTED) or
    ``deadline`` passes (TIMED_OUT); ``report`` takes a line about each
    line skipped."""
    name = "stdin" if path == STDIN else path
    with _lines(path, stdin) as lines:
        for number, line in enumerate(lines, 1):
            if deadline is not None and time.monotonic() >= deadline:
                return bus.TIMED_OUT
            if not line.strip():
                continue
            try:
                received = read(line)
            except ValueError as exc:
                report(f"{name}, line {number}: skipped: {exc}")
                continue
            if handle(received):
                return bus.STOPPED
    return bus.EXHAUSTED
