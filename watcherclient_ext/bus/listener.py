"""Listening on RabbitMQ through kombu, with a queue of our own.

The queue is server-named, exclusive and auto-delete: the broker gives a
copy of every matching message to it, takes nothing from the services'
own queues (oslo.messaging's ``notifications.info`` and the like), and
deletes it as soon as our connection ends, however it ends.

When the connection is lost, hosts are tried in turn, with a growing pause
after each full round; what was published meanwhile is lost, and a line on
stderr says from when to when.
"""

import datetime
import socket
import ssl
import time

import amqp.exceptions
import kombu

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext import secrets
from watcherclient_ext import terminal_text

#: Seconds between heartbeats: a silent network cut is noticed after two
#: to three of them (oslo.messaging's services use 60).
HEARTBEAT = 30
CONNECT_TIMEOUT = 5
#: Longest wait for a message before looking at the clock again.
TICK = 1.0
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


class BrokerError(errors.WatcherClientError):
    """The broker cannot be used: unreachable at start, or refuses us."""


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def _clock(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


class Listener:
    """Feeds every notification on ``exchange``/``topic`` to a handler.

    ``report`` takes one line for the user (stderr): readiness, losses,
    gaps, skipped messages.
    """

    def __init__(self, url, exchange, topic, priorities, report,
                 where=None):
        self.url = url
        self.exchange = exchange
        self.topic = topic
        if set(priorities) >= set(bus.PRIORITIES):
            self.routing_keys = [f"{topic}.*"]
            self._priorities = "all"
        else:
            self.routing_keys = [f"{topic}.{p}" for p in priorities]
            self._priorities = ", ".join(priorities)
        self._say = report
        self._where = where
        self._host_index = 0
        self._lost_at = None
        self._handle = None
        self._stopped = False
        #: Messages received so far: their numbers say where one was.
        self.received = 0

    def _report(self, line):
        """Say ``line``: it holds what the broker and config files sent
        (queue names, hosts, reasons), made safe for a terminal."""
        self._say(terminal_text.safe(secrets.mask(line)))

    # --- the loop

    def run(self, handle, deadline=None):
        """Feed each message's body, and where it is, to ``handle(body,
        where)`` until it returns True (STOPPED) or ``deadline`` (a
        ``time.monotonic()`` value) passes (TIMED_OUT)."""
        self._handle = handle
        connection = self._connect_first()
        try:
            while True:
                try:
                    self._subscribe(connection)
                    ending = self._consume(connection, deadline)
                except connection.connection_errors as exc:
                    self._on_lost(exc)
                    lost, connection = connection, None
                    lost.collect()
                    connection = self._reconnect(deadline)
                    if connection is None:
                        return bus.TIMED_OUT
                    continue
                self.release(connection)
                connection = None
                return ending
        finally:
            if connection is not None:
                # Interrupted, maybe in the middle of a frame: no goodbye.
                connection.collect()

    def _consume(self, connection, deadline):
        drain = connection.drain_events
        now = time.monotonic()
        next_heartbeat = now + HEARTBEAT / 2
        while not self._stopped:
            try:
                if deadline is None or deadline - now >= TICK:
                    drain()  # the socket's own timeout is TICK
                else:
                    drain(timeout=max(deadline - now, 0.01))
            except socket.timeout:
                pass
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return bus.TIMED_OUT
            if now >= next_heartbeat:
                connection.heartbeat_check()
                next_heartbeat = now + HEARTBEAT / 2
        return bus.STOPPED

    def _on_message(self, message):
        if self._stopped:  # deliveries read while closing
            return
        self.received += 1
        where = f"exchange {self.exchange}, message {self.received}"
        if self._handle(message.body, where):
            self._stopped = True

    # --- exchange and queue

    def _subscribe(self, connection):
        try:
            channel = self._exchange_channel(connection)
            queue, _, _ = channel.queue_declare(
                queue="", durable=False, exclusive=True, auto_delete=True)
            for key in self.routing_keys:
                channel.queue_bind(queue=queue, exchange=self.exchange,
                                   routing_key=key)
            channel.basic_consume(queue=queue, no_ack=True,
                                  callback=self._on_message)
        except amqp.exceptions.ChannelError as exc:
            raise BrokerError(
                f"{self._host().address} refused to let us listen on "
                f"exchange {self.exchange}: {exc}") from None
        source = f", from {self._where}" if self._where else ""
        self._report(
            f"Listening on exchange {self.exchange}, topic {self.topic}, "
            f"priorities {self._priorities} (queue {queue}, broker "
            f"{self._host().address}{source}); Ctrl-C to stop")
        if self._lost_at is not None:
            self._report(
                f"Missed: notifications published from "
                f"{_clock(self._lost_at)} to {_clock(_utc_now())} were not "
                "received")
            self._lost_at = None

    def _exchange_channel(self, connection):
        """A channel on which the exchange exists, declared by us only if
        it did not, and then exactly as oslo.messaging declares it."""
        for _ in range(2):
            channel = connection.channel()
            try:
                channel.exchange_declare(self.exchange, "topic",
                                         passive=True)
                return channel
            except amqp.exceptions.NotFound:
                pass  # the broker closed that channel
            channel = connection.channel()
            try:
                channel.exchange_declare(self.exchange, "topic",
                                         durable=False, auto_delete=False)
                self._report(f"Exchange {self.exchange} did not exist: "
                             "declared it as its service would (topic, not "
                             "durable)")
                return channel
            except amqp.exceptions.PreconditionFailed:
                pass  # created meanwhile, durable: look again
        raise BrokerError(f"Cannot use exchange {self.exchange} on "
                          f"{self._host().address}")

    # --- connections

    def _host(self):
        return self.url.hosts[self._host_index]

    def _open(self, host):
        connection = kombu.Connection(
            hostname=host.hostname, port=host.port,
            userid=host.username or "guest",
            password=host.password or "guest",
            virtual_host=self.url.virtual_host or "/",
            ssl=_ssl_option(self.url.ssl), heartbeat=HEARTBEAT,
            connect_timeout=CONNECT_TIMEOUT, transport="pyamqp",
            # Set once on the socket: a timeout per read costs system calls.
            transport_options={"read_timeout": TICK})
        try:
            connection.ensure_connection(max_retries=0,
                                         reraise_as_library_errors=False)
        except amqp.exceptions.AccessRefused as exc:
            connection.collect()
            raise BrokerError(
                f"{host.address} refused user {host.username or 'guest'}: "
                f"{secrets.mask(str(exc))}") from None
        except BaseException:
            connection.collect()
            raise
        return connection

    def _try_round(self, first_index):
        """A connection to the first host that answers, from
        ``first_index`` on in turn, or None and why each failed."""
        failures = []
        count = len(self.url.hosts)
        for step in range(count):
            index = (first_index + step) % count
            host = self.url.hosts[index]
            try:
                connection = self._open(host)
            except (OSError, amqp.exceptions.AMQPError) as exc:
                reason = secrets.mask(str(exc)) or type(exc).__name__
                failures.append(f"{host.address}: {reason}")
                continue
            self._host_index = index
            return connection, failures
        return None, failures

    def _connect_first(self):
        connection, failures = self._try_round(0)
        if connection is None:
            where = f" (from {self._where})" if self._where else ""
            raise BrokerError(f"Cannot connect to {self.url.masked()}"
                              f"{where}: {'; '.join(failures)}")
        return connection

    def _on_lost(self, exc):
        self._lost_at = _utc_now()
        reason = secrets.mask(str(exc)) or type(exc).__name__
        self._report(f"Lost the connection to {self._host().address} at "
                     f"{_clock(self._lost_at)}: {reason}; reconnecting")

    def _reconnect(self, deadline):
        pause = FIRST_PAUSE
        first = (self._host_index + 1) % len(self.url.hosts)
        while True:
            connection, failures = self._try_round(first)
            if connection is not None:
                self._report(f"Reconnected to {self._host().address}")
                return connection
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                pause = min(pause, left)
            self._report(f"No broker answers ({'; '.join(failures)}); "
                         f"next try in {pause:.0f} s")
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    def bind(self, handle):
        """A connection whose queue is bound and consuming, for a caller
        that drains it itself, feeding each message to ``handle`` as
        :meth:`run` does; BrokerError if no broker can be used."""
        self._handle = handle
        connection = self._connect_first()
        try:
            self._subscribe(connection)
        except BaseException:
            connection.collect()
            raise
        return connection

    def release(self, connection):
        """Close ``connection``; its exclusive queue goes with it."""
        try:
            connection.release()
        except (*connection.connection_errors, *connection.channel_errors):
            connection.collect()


def _ssl_option(value):
    """kombu's ``ssl`` for oslo.messaging's ``ssl``/``ssl_*_file``."""
    if isinstance(value, dict) and "ca_certs" in value:
        return dict(value, cert_reqs=ssl.CERT_REQUIRED)
    return value
