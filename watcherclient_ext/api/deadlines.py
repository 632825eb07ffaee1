"""A bound on time for every request made within it.

A wait promises to end at its time-out whatever the server does: the
requests it makes inside ``until(instant)`` end by that instant, and the
session reads ``remaining()`` to cap each request, retries and back-off
included.
"""

import contextlib
import contextvars
import time

_DEADLINE = contextvars.ContextVar("watcherclient_ext_deadline", default=None)


@contextlib.contextmanager
def until(instant):
    """Requests made inside end by ``instant`` (a ``time.monotonic()``
    value; None adds no bound); an enclosing earlier bound still holds."""
    current = _DEADLINE.get()
    if instant is None or (current is not None and current < instant):
        instant = current
    token = _DEADLINE.set(instant)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def remaining():
    """Seconds left before the bound (0 or less once passed), None for
    no bound."""
    instant = _DEADLINE.get()
    return None if instant is None else instant - time.monotonic()
