"""Polling until a resource reaches an end state, shared by every --wait."""

import dataclasses
import time

from watcherclient_ext import errors
from watcherclient_ext.api import deadlines

#: Seconds between polls; small enough that a --wait returns well under a
#: second after the server is done, large enough not to load the API.
DEFAULT_POLL_INTERVAL = 1.0
#: With the message bus at hand, the API is read this often at most, as a
#: safety net for a notification lost on the way.
SAFETY_NET_INTERVAL = 5.0
#: Seconds between two refreshes of the elapsed time while a wait sleeps.
TICK_SECONDS = 1.0


def timed_out(timeout, describe):
    """What every wait says when its time-out passes."""
    return f"Timed out after {timeout:g} s waiting for {describe}"


class WaitTimedOut(errors.WatcherClientError):
    """The resource was still not done when the time-out ran out."""

    exit_code = errors.EXIT_TIMED_OUT

    def __init__(self, message, last_seen, fault=None):
        super().__init__(message)
        self.last_seen = last_seen
        #: The failure of the last poll, if it failed.
        self.fault = fault


#: Failures a wait rides out until its own time-out: the API restarting.
TRANSIENT = (errors.ConnectionFailed, errors.ServiceUnavailable)
#: Seconds the final read may take once the time-out has passed, to report
#: the state the wait ends in (a poll that was cut at the time-out).
FINAL_READ_SECONDS = 5.0


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
    when time runs out (None if nothing was ever read, the message saying
    the last failure).

    The wait ends at ``timeout`` whatever the server does: every poll runs
    within :func:`deadlines.until` the time-out, so a request that never
    answers, or a ``Retry-After`` past it, is cut there.  A poll cut so,
    and only such a poll, is followed by one final read bounded by
    FINAL_READ_SECONDS, so that the wait reports the state it ended in:
    the wait ends by ``timeout`` plus that bound at most.
    """
    if poll_interval <= 0:
        raise errors.InvalidInput("The poll interval must be greater than 0")
    started = clock() if started is None else started
    result = fault = None
    seen = False
    final_read = None  # the bound of the final read, once it is made
    while True:
        polled = clock()
        try:
            with deadlines.until(_poll_deadline(timeout, started, clock,
                                                final_read)):
                result, seen, fault = fetch(), True, None
        except TRANSIENT as exc:
            fault = exc
        elapsed = clock() - started
        if fault is not None and timeout is not None and (
                final_read is None and elapsed >= timeout):
            # Cut at the time-out: one bounded read of the state it ends in.
            final_read = time.monotonic() + FINAL_READ_SECONDS
            continue
        if fault is not None:
            # A failed final read is told by the time-out, not "still
            # waiting".
            if on_fault is not None and final_read is None:
                on_fault(fault, elapsed)
        else:
            if on_poll is not None:
                on_poll(result, elapsed)
            if is_done(result):
                return result
        if timeout is not None and elapsed >= timeout:
            message = timed_out(timeout, describe)
            if fault is not None:
                message += f" (last poll failed: {fault})"
            raise WaitTimedOut(message, result if seen else None, fault)
        delay = max(0.0, poll_interval - (clock() - polled))
        if timeout is not None:
            delay = min(delay, max(0.0, timeout - elapsed))
        sleep(delay)


def _poll_deadline(timeout, started, clock, final_read):
    """The ``time.monotonic()`` instant a poll must end by: the time-out
    (counted on ``clock`` from ``started``), or the final read's bound."""
    if final_read is not None:
        return final_read
    if timeout is None:
        return None
    return time.monotonic() + timeout - (clock() - started)


@dataclasses.dataclass
class WaitSpec:
    """How a command waits: its time-out (None: for ever), poll interval,
    clock start (``time.monotonic()`` when the command began, so its checks
    count), and the notification gate that wakes its polls, if any."""

    timeout: float = None
    poll_interval: float = DEFAULT_POLL_INTERVAL
    started: float = None
    gate: object = None

    def options(self, reporter, on_poll):
        """:func:`wait_for`'s keyword arguments: progress through
        ``reporter`` (:class:`~watcherclient_ext.formatting.progress.
        Progress`), the elapsed time kept fresh between polls, transient
        faults said, not fatal.  With a gate, polls are woken by
        notifications and otherwise come every SAFETY_NET_INTERVAL s."""
        started = time.monotonic() if self.started is None else self.started

        def on_fault(error, elapsed):
            reporter.update(f"{error}; still waiting", elapsed)

        pause = time.sleep if self.gate is None else self.gate.pause
        interval = (self.poll_interval if self.gate is None
                    else SAFETY_NET_INTERVAL)

        def sleep(seconds):
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                if pause(min(left, TICK_SECONDS)):
                    return
                reporter.tick(time.monotonic() - started)

        return {"timeout": self.timeout, "poll_interval": interval,
                "on_poll": on_poll, "on_fault": on_fault, "started": started,
                "sleep": sleep}
