"""Notifications from a file, one per line, instead of the bus.

A line may be a wire body, a bare message or a record written by
``-f json`` (see :class:`watcherclient_ext.bus.notification.Reader`). The
handler skips, with its number, a line that is none of them. A UTF-8 byte
order mark at the start is ignored; a file that cannot be read to its end
ends the replay with an error once the lines read so far are shown.
"""

import codecs
import contextlib
import time

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext.formatting import display

STDIN = "-"


def source_name(path):
    """The file's name as the user sees it in messages."""
    return "stdin" if path == STDIN else display.safe(path)


@contextlib.contextmanager
def _lines(path, stdin):
    if path == STDIN:
        if stdin is None or getattr(stdin, "closed", False):
            raise errors.InvalidInput("Cannot read stdin: it is closed")
        yield getattr(stdin, "buffer", stdin)
        return
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise errors.UsageError(
            f"--file {source_name(path)}: cannot read it: "
            f"{exc.strerror}") from None
    with stream:
        yield stream


def _numbered(lines, name):
    """``(number, line)`` of each line, without a leading byte order mark;
    a failure to read is an error that says how far it got."""
    number = 0
    lines = iter(lines)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except OSError as exc:
            raise errors.WatcherClientError(
                f"Cannot read {name} after line {number}: "
                f"{exc.strerror or exc}") from None
        number += 1
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        yield number, line


def replay(path, handle, stdin=None, deadline=None):
    """Feed each line, and where it is, to ``handle(line, where)`` until
    it returns True (STOPPED), the file ends (EXHAUSTED) or ``deadline``
    passes (TIMED_OUT)."""
    name = source_name(path)
    with _lines(path, stdin) as lines:
        for number, line in _numbered(lines, name):
            if deadline is not None and time.monotonic() >= deadline:
                return bus.TIMED_OUT
            if line.strip() and handle(line, f"{name}, line {number}"):
                return bus.STOPPED
    return bus.EXHAUSTED
