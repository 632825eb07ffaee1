"""Polling until a resource reaches an end state, shared by every --wait."""

import time

from watcherclient_ext import errors

#: Seconds between polls; small enough that a --wait returns well under a
#: second after the server is done, large enough not to load the API.
DEFAULT_POLL_INTERVAL = 1.0


class WaitTimedOut(errors.WatcherClientError):
    """The resource was still not done when the time-out ran out."""

    exit_code = errors.EXIT_TIMED_OUT

    def __init__(self, message, last_seen):
        super().__init__(message)
        self.last_seen = last_seen


#: Failures a wait rides out until its own time-out: the API restarting.
TRANSIENT = (errors.ConnectionFailed, errors.ServiceUnavailable)


def wait_for(fetch, is_done, *, timeout=None,
             poll_interval=DEFAULT_POLL_INTERVAL, on_poll=None,
             on_fault=None, describe="the resource", started=None,
             clock=time.monotonic, sleep=time.sleep):
    """Call ``fetch`` until ``is_done(result)``; return that result.

    ``timeout`` None waits for ever; the clock runs from ``started`` (a
    ``clock()`` value, default now), so a command can count its checks
    before the wait.  Polls start ``poll_interval`` apart.
    ``on_poll(result, elapsed)`` sees every poll (progress output).  A
    transient failure is passed to ``on_fault(error, elapsed)`` and the
    wait goes on.  Raises :class:`WaitTimedOut` carrying the last result
    when time runs out (the last failure itself if nothing was ever read).
    """
    if poll_interval <= 0:
        raise errors.InvalidInput("--poll-interval must be greater than 0")
    started = clock() if started is None else started
    result = fault = None
    seen = False
    while True:
        polled = clock()
        try:
            result, seen, fault = fetch(), True, None
        except TRANSIENT as exc:
            fault = exc
        elapsed = clock() - started
        if fault is not None:
            if on_fault is not None:
                on_fault(fault, elapsed)
        else:
            if on_poll is not None:
                on_poll(result, elapsed)
            if is_done(result):
                return result
        if timeout is not None and elapsed >= timeout:
            if not seen:
                raise fault
            message = f"Timed out after {timeout:g} s waiting for {describe}"
            if fault is not None:
                message += f" (last poll failed: {fault})"
            raise WaitTimedOut(message, result)
        delay = max(0.0, poll_interval - (clock() - polled))
        if timeout is not None:
            delay = min(delay, max(0.0, timeout - elapsed))
        sleep(delay)
