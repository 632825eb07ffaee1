"""How option and environment values are read: one converter per kind of
value, shared by both entry points and every command.

A converter given bad text raises ``argparse.ArgumentTypeError``, so
argparse makes it a usage error (exit 2) before any request.
"""

import argparse
import math
import re

#: The largest count an option takes: what the API's integers hold.
MAX_COUNT = 2**31 - 1
#: What an environment variable or a URL query option says for "yes".
TRUE_WORDS = ("1", "true", "yes", "on")
#: A microversion as python-watcherclient takes it: 1.4, 1, latest.
_API_VERSION = re.compile(r"\s*(\d+\.\d+|1|1\.latest|latest|)\s*", re.I)


def truthy(text):
    """Whether ``text`` (None for unset) says yes."""
    return text is not None and text.strip().lower() in TRUE_WORDS


def seconds(text):
    """A finite, non-negative number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, 0 or more, got {text!r}")
    return value


def positive_seconds(text):
    """A finite number of seconds greater than 0."""
    return _not_zero(seconds(text), text, "a number of seconds greater than 0")


def wait_seconds(text):
    """``--wait``'s optional TIMEOUT.

    ``--wait`` takes the word after it unless that word is an option, so
    ``cancel --wait PLAN`` gives it the plan: the error says what to write.
    """
    try:
        float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, got {text!r}; --wait takes the "
            "word after it, so put --wait after the other arguments, or "
            "write --wait 0 (no time-out)") from None
    return seconds(text)


def api_version(text):
    """MAJOR.MINOR or "latest"; the server's range is checked later."""
    if not _API_VERSION.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"invalid API version {text!r}: use MAJOR.MINOR such as 1.4, "
            "or 'latest'")
    return text


def non_empty(text):
    """A URL, a path or a name: empty would silently mean the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a value, got an empty one")
    return text


def positive_int(text):
    """A whole number from 1 to :data:`MAX_COUNT`."""
    return _not_zero(non_negative_int(text), text,
                     f"a whole number from 1 to {MAX_COUNT}")


def non_negative_int(text):
    """A whole number from 0 to :data:`MAX_COUNT`."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to {MAX_COUNT}, got {text!r}")
    return value


def _not_zero(value, text, expected):
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value
