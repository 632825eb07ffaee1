"""A pause that ends early when Watcher says something about a resource.

A ``--wait`` that can reach the message bus binds a queue of its own to
Watcher's notifications BEFORE it sends its request, so that nothing it
causes is missed; between two reads of the API it then waits for a
notification naming the resource instead of sleeping.  Notifications are
at-most-once: one lost costs only the pause's length (the caller's safety
net), never a wrong answer, since the answer is always read from the API.
"""

import logging
import socket
import time

from watcherclient_ext import bus
from watcherclient_ext import identifiers
from watcherclient_ext import secrets
from watcherclient_ext import terminal_text
from watcherclient_ext.bus import filters
from watcherclient_ext.bus import listener as bus_listener
from watcherclient_ext.bus import notification

LOG = logging.getLogger(__name__)


class Gate:
    """Open it before the request; ``pause`` between polls; close it."""

    def __init__(self, url, report, where=None, wakes=lambda n: True):
        """``wakes(notification)`` tells a notification worth a poll, when
        it names a watched resource: the end of something, not its steps.
        """
        exchange, topic = bus.SERVICES[bus.DEFAULT_SERVICE]
        self._wakes = wakes
        # The listener's own lines (listening on, queue) are for --debug.
        self._listener = bus_listener.Listener(
            url, exchange, topic, bus.PRIORITIES, LOG.debug, where)
        self._report = report
        self._connection = None
        self._watched = set()
        self._heard = False
        self._read = notification.Reader()

    def open(self):
        """Bind our queue; BrokerError if no broker can be used."""
        self._connection = self._listener.bind(self._on_message)
        return self

    def watch(self, *uuids):
        """Resources whose notifications end a pause."""
        self._watched.update(identifiers.canonical_uuid(u) for u in uuids)

    def _on_message(self, body, where):
        """A message from the bus. Payloads are untrusted: one that cannot
        be read or matched wakes nothing, and the answer comes from the
        API anyway."""
        try:
            self._on_notification(self._read(body))
        except Exception:  # any reason: see the docstring
            pass
        return False

    def _on_notification(self, received):
        if (self._watched & filters.uuids_in(received.payload)
                and self._wakes(received)):
            self._heard = True

    def pause(self, seconds):
        """Sleep up to ``seconds``, less if a watched resource was named;
        whether one was.

        A broker lost on the way is said once; the wait goes on by polling.
        """
        deadline = time.monotonic() + seconds
        while not self._heard and self._connection is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                self._connection.drain_events(timeout=left)
            except socket.timeout:
                pass
            except self._connection.connection_errors as exc:
                reason = secrets.mask(str(exc)) or type(exc).__name__
                self._report(terminal_text.safe(
                    f"Lost the message bus ({reason}); waiting by polling"))
                self._connection.collect()
                self._connection = None
        heard, self._heard = self._heard, False
        if self._connection is None and not heard:
            time.sleep(max(0.0, deadline - time.monotonic()))
        return heard

    @property
    def listening(self):
        return self._connection is not None

    def close(self):
        """Close the connection; the broker deletes our queue with it."""
        if self._connection is not None:
            self._listener.release(self._connection)
            self._connection = None

    def abandon(self):
        """Drop the connection without a goodbye, after an interruption:
        a frame may be half read, and a goodbye could wait for ever. The
        broker deletes our queue when the connection drops all the same."""
        if self._connection is not None:
            self._connection.collect()
            self._connection = None
