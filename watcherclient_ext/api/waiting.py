"""Polling until a resource reaches an end state, shared by every --wait."""

import time

from watcherclient_ext.api import errors

#: Seconds between polls; small enough that a --wait returns well under a
#: second after the server is done, large enough not to load the API.
DEFAULT_POLL_INTERVAL = 0.5


class WaitTimedOut(errors.WatcherClientError):
    """The resource was still not done when the time-out ran out."""

    exit_code = errors.EXIT_TIMED_OUT

    def __init__(self, message, last_seen):
        super().__init__(message)
        self.last_seen = last_seen


def wait_for(fetch, is_done, *, timeout=None,
             poll_interval=DEFAULT_POLL_INTERVAL, on_poll=None,
             describe="the resource", clock=time.monotonic, sleep=time.sleep):
    """Call ``fetch`` until ``is_done(result)``; return that result.

    ``timeout`` None waits for ever. ``on_poll(result, elapsed)`` sees every
    poll (progress output). Raises :class:`WaitTimedOut` carrying the last
    result when time runs out.
    """
    if poll_interval <= 0:
        raise errors.InvalidInput("--poll-interval must be greater than 0")
    started = clock()
    while True:
        result = fetch()
        elapsed = clock() - started
        if on_poll is not None:
            on_poll(result, elapsed)
        if is_done(result):
            return result
        if timeout is not None and elapsed >= timeout:
            raise WaitTimedOut(
                f"Timed out after {timeout:g} s waiting for {describe}",
                result)
        delay = poll_interval
        if timeout is not None:
            delay = max(0.0, min(delay, timeout - elapsed))
        sleep(delay)
