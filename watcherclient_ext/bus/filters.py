"""Which notifications to show, and when to stop."""

import fnmatch
import re

from watcherclient_ext import identifiers
from watcherclient_ext import terminal_text


def glob_matcher(globs):
    """One compiled test for "matches any of these shell globs"."""
    pattern = "|".join(f"(?:{fnmatch.translate(glob)})" for glob in globs)
    return re.compile(pattern).match


def uuids_in(value):
    """Every value of a ``uuid`` or ``*_uuid`` field, at any depth."""
    found = set()
    _collect_uuids(value, found)
    return found


def _collect_uuids(value, found):
    if type(value) is dict:
        for key, item in value.items():
            if type(item) is str:
                if key == "uuid" or key.endswith("_uuid"):
                    found.add(item.lower())
            elif type(item) in (dict, list):
                _collect_uuids(item, found)
    elif type(value) is list:
        for item in value:
            _collect_uuids(item, found)


class Selection:
    """The filters a notification must all pass; each takes any of its
    values (``--priority info --priority error``: either)."""

    def __init__(self, event_types=(), priorities=(), publishers=(),
                 resources=()):
        self._tests = []
        if event_types:
            matches = glob_matcher(event_types)
            self._tests.append(lambda n: matches(n.event_type))
        if priorities:
            wanted = frozenset(p.upper() for p in priorities)
            self._tests.append(lambda n: n.priority in wanted)
        if publishers:
            matches_publisher = glob_matcher(publishers)
            self._tests.append(lambda n: matches_publisher(n.publisher_id))
        if resources:
            uuids = frozenset(identifiers.require_uuid(r, "--resource")
                              for r in resources)
            self._tests.append(lambda n: not uuids.isdisjoint(
                uuids_in(n.payload)))

    def __call__(self, notification):
        for test in self._tests:
            if not test(notification):
                return False
        return True


class TailHandler:
    """Reads each message, shows the selected ones and says when to stop:
    after ``count`` shown, or at the first whose type matches ``until``.

    Payloads are untrusted: a message that cannot be read, selected or
    shown, whatever the reason, is skipped with a line to ``report`` and
    counted, and the stream goes on. Only the output itself failing (a
    closed pipe) ends it.
    """

    def __init__(self, read, selection, writer, report, count=None,
                 until=None):
        self._read = read
        self._selection = selection
        self._writer = writer
        self._report = report
        self._count = count
        self._until = glob_matcher([until]) if until else None
        #: What the user asked to see, which may never come; or None.
        self.goal = (f"an event matching {until}" if until else
                     f"{count} notifications" if count else None)
        self.written = 0
        self.skipped = 0
        self.done = False

    def __call__(self, body, where):
        """Take one message (``where``: its place in the stream, for
        the user); True once the tail should stop."""
        try:
            notification = self._read(body)
            if not self._selection(notification):
                return False
            text = self._writer.render(notification)
        except Exception as exc:  # any reason: see the class docstring
            return self._skip(where, exc)
        try:
            self._writer.emit(text)
        except UnicodeEncodeError as exc:  # nothing of it was written
            return self._skip(where, exc)
        self.written += 1
        if (self._until and self._until(notification.event_type)) or (
                self._count and self.written >= self._count):
            self.done = True
        return self.done

    def _skip(self, where, exc):
        self.skipped += 1
        self._report(f"{where}: skipped: {skip_reason(exc)}")
        return False


#: Longest reason shown for a skipped message.
REASON_CELLS = 200


def skip_reason(exc):
    """Why a message was skipped, on one safe line."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return terminal_text.fit(text, REASON_CELLS)
