"""What the sandbox tells its user: progress, and errors they can act on."""

import sys
import time
from pathlib import Path

_T0 = time.monotonic()


class SandboxError(Exception):
    """A failure the user can act on; `log` is shown when given."""

    def __init__(self, message, log=None):
        super().__init__(message)
        self.log = log


def say(message):
    """Progress, on stderr so that stdout stays for `env` and `status`."""
    print(f"[{time.monotonic() - _T0:5.1f}s] {message}", file=sys.stderr,
          flush=True)


def tail(path, lines=25):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
