"""Notifications from a file, one per line, instead of the bus.

A line may be a wire body, a bare message or a record written by
``-f json`` (see :class:`watcherclient_ext.bus.notification.Reader`). The
handler skips, with its number, a line that is none of them. A UTF-8 byte
order mark at the start is ignored; a file that cannot be read to its end
ends the replay with an error once the lines read so far are shown.

Files are read in bounded chunks, never a line at a time: a line longer
than any notification (``/dev/zero``) ends the replay with an error naming
it, and a pipe or FIFO that stalls is waited on only until the deadline.
"""

import codecs
import contextlib
import os
import select
import stat
import time

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext import terminal_text

STDIN = "-"
#: A line longer than this is no notification (Watcher's largest are a
#: few KiB; a Nova instance's with all its devices, some hundred).
MAX_LINE = 16 * 2 ** 20
CHUNK = 2 ** 20
#: Longest single wait for a pipe: a deadline far off is waited in slices.
_LONGEST_WAIT = 60.0


def source_name(path):
    """The file's name as the user sees it in messages."""
    return "stdin" if path == STDIN else terminal_text.safe(path)


@contextlib.contextmanager
def _opened(path, stdin):
    if path == STDIN:
        if stdin is None or getattr(stdin, "closed", False):
            raise errors.InvalidInput("Cannot read stdin: it is closed")
        yield getattr(stdin, "buffer", stdin)
        return
    try:
        # Not blocked until a FIFO has a writer: the deadline waits for it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            stream = open(descriptor, "rb", buffering=0)
        except BaseException:
            os.close(descriptor)
            raise
    except OSError as exc:
        raise errors.UsageError(
            f"--file {source_name(path)}: cannot read it: "
            f"{exc.strerror}") from None
    with stream:
        yield stream


def _descriptor_to_wait_on(stream):
    """The file descriptor of a pipe, FIFO, socket or terminal, which may
    stall; None for a regular file (always readable) or no descriptor."""
    try:
        descriptor = stream.fileno()
        mode = os.fstat(descriptor).st_mode
    except (AttributeError, OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else descriptor


def _readable(descriptor, deadline):
    """False if ``deadline`` passes before ``descriptor`` has data."""
    while True:
        if deadline is None:
            wait = None
        else:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            wait = min(left, _LONGEST_WAIT)
        if select.select([descriptor], [], [], wait)[0]:
            return True


def _chunks(stream, deadline):
    """Chunks of at most CHUNK bytes; None when ``deadline`` passed while
    a pipe had nothing to give."""
    descriptor = _descriptor_to_wait_on(stream)
    read = getattr(stream, "read1", None) or stream.read
    while True:
        if descriptor is not None:
            if not _readable(descriptor, deadline):
                yield None
                return
            try:
                chunk = os.read(descriptor, CHUNK)
            except BlockingIOError:  # readable, yet taken meanwhile
                continue
        else:
            chunk = read(CHUNK)
        if not chunk:
            return
        yield chunk


def _lines(chunks, name):
    """Each line of ``chunks`` (None passed on), over MAX_LINE an error."""
    pending = bytearray()
    number = 0
    for chunk in chunks:
        if chunk is None:
            yield None
            return
        searched = len(pending)
        pending += chunk
        start = 0
        while (end := pending.find(b"\n", max(start, searched))) >= 0:
            if end - start > MAX_LINE:
                break
            number += 1
            yield bytes(pending[start:end + 1])
            start = end + 1
        del pending[:start]
        current_line_ends = pending.find(b"\n", 0, MAX_LINE + 1) >= 0
        if len(pending) > MAX_LINE and not current_line_ends:
            raise errors.WatcherClientError(
                f"{name}, line {number + 1}: longer than "
                f"{MAX_LINE // 2 ** 20} MiB, which no notification is; "
                "stopped reading")
    if pending:
        yield bytes(pending)


def _numbered(lines, name):
    """``(number, line)`` of each line, without a leading byte order mark,
    ``(number, None)`` at the deadline; a failure to read is an error that
    says how far it got."""
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
        if number == 1 and line and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        yield number, line


def replay(path, handle, stdin=None, deadline=None):
    """Feed each line, and where it is, to ``handle(line, where)`` until
    it returns True (STOPPED), the file ends (EXHAUSTED) or ``deadline``
    passes (TIMED_OUT), be it while the file has nothing to give."""
    name = source_name(path)
    with _opened(path, stdin) as stream:
        lines = _lines(_chunks(stream, deadline), name)
        for number, line in _numbered(lines, name):
            if line is None or (deadline is not None
                                and time.monotonic() >= deadline):
                return bus.TIMED_OUT
            if line.strip() and handle(line, f"{name}, line {number}"):
                return bus.STOPPED
    return bus.EXHAUSTED
