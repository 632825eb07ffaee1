"""Progress of a --wait on stderr, never stdout, so -f json stays parseable."""

import sys

from watcherclient_ext import terminal_text

#: Off a terminal, an unchanged line is written again after this many
#: seconds, so a log shows that a long wait is alive.
HEARTBEAT_SECONDS = 30.0


class Progress:
    """One updating line on a terminal; a plain line per change otherwise."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stderr
        self._tty = getattr(self._stream, "isatty", lambda: False)()
        self._last = None
        self._written = None  # elapsed at the last line off a terminal
        self._width = 0

    def update(self, text, elapsed):
        """Show ``text`` (states from the server: made safe here)."""
        self._show(terminal_text.safe(text), elapsed)

    def tick(self, elapsed):
        """Between polls: the last line again with the time now, so that
        a wait on a long action shows it is alive."""
        if self._last is not None:
            self._show(self._last, elapsed)

    def _show(self, text, elapsed):
        if self._tty:
            line = f"{text} ({elapsed:.0f} s)"
            self._stream.write("\r" + terminal_text.pad(line, self._width))
            self._width = terminal_text.cells(line)
        elif text != self._last or (
                elapsed - self._written >= HEARTBEAT_SECONDS):
            self._stream.write(f"[{elapsed:6.1f} s] {text}\n")
            self._written = elapsed
        self._last = text
        self._stream.flush()

    def close(self):
        if self._tty and self._width:
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0


class Feedback:
    """What a command says on stderr while it works: lines, and the
    progress of its waits."""

    def __init__(self, stream):
        self._stream = stream

    def say(self, text):
        """One line, safe for a terminal: it may hold what the server sent
        (names, reasons)."""
        self._stream.write(terminal_text.safe(text) + "\n")
        self._stream.flush()

    def progress(self):
        return Progress(self._stream)
