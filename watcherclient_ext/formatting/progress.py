"""Progress of a --wait on stderr, never stdout, so -f json stays parseable."""

import sys

from watcherclient_ext import terminal_text


class Progress:
    """One updating line on a terminal; a plain line per change otherwise."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stderr
        self._tty = getattr(self._stream, "isatty", lambda: False)()
        self._last = None
        self._width = 0

    def update(self, text, elapsed):
        """Show ``text`` (states from the server: made safe here)."""
        text = terminal_text.safe(text)
        if self._tty:
            line = f"{text} ({elapsed:.0f} s)"
            self._stream.write("\r" + terminal_text.pad(line, self._width))
            self._width = terminal_text.cells(line)
        elif text != self._last:
            self._stream.write(f"[{elapsed:6.1f} s] {text}\n")
        self._last = text
        self._stream.flush()

    def close(self):
        if self._tty and self._width:
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0
