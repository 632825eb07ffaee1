"""The bus listener's own logic, on a scripted broker: exchange and queue
declarations, failover, reconnection and the gap it reports."""

import io
import pathlib
import socket

import amqp.exceptions
import pytest

from watcherclient_ext import bus
from watcherclient_ext.bus import filters
from watcherclient_ext.bus import listener
from watcherclient_ext.bus import notification
from watcherclient_ext.bus import transport
from watcherclient_ext.formatting import stream

SAMPLES = (pathlib.Path(__file__).resolve().parents[1] / "data" /
           "watcher-notifications.jsonl").read_text().splitlines()


class FakeMessage:
    def __init__(self, body):
        self.body = body


class FakeChannel:
    def __init__(self, connection):
        self.connection = connection

    def exchange_declare(self, exchange, kind, passive=False, durable=None,
                         auto_delete=None):
        broker = self.connection.broker
        broker.calls.append(("exchange_declare", exchange, kind, passive,
                             durable, auto_delete))
        if exchange not in broker.exchanges:
            if passive:
                raise amqp.exceptions.NotFound("NOT_FOUND - no exchange")
            broker.exchanges.add(exchange)

    def queue_declare(self, queue, durable, exclusive, auto_delete):
        broker = self.connection.broker
        broker.calls.append(("queue_declare", queue, durable, exclusive,
                             auto_delete))
        return f"amq.gen-{len(broker.calls)}", 0, 0

    def queue_bind(self, queue, exchange, routing_key):
        self.connection.broker.calls.append(("queue_bind", queue, exchange,
                                             routing_key))

    def basic_consume(self, queue, no_ack, callback):
        self.connection.broker.calls.append(("basic_consume", queue, no_ack))
        self.connection.callback = callback


class FakeConnection:
    """Plays the broker's part of one connection: ``script`` items are
    message bodies to deliver, exceptions to raise, or None for a quiet
    tick."""

    connection_errors = (OSError, amqp.exceptions.ConnectionError)
    channel_errors = (amqp.exceptions.ChannelError,)

    def __init__(self, broker, host, script):
        self.broker = broker
        self.host = host
        self.script = list(script)
        self.callback = None
        self.closed = None

    def channel(self):
        return FakeChannel(self)

    def drain_events(self, timeout=None):
        if not self.script:
            raise socket.timeout()
        item = self.script.pop(0)
        if item is None:
            raise socket.timeout()
        if isinstance(item, BaseException):
            raise item
        self.callback(FakeMessage(item))

    def heartbeat_check(self):
        pass

    def release(self):
        self.closed = "released"

    def collect(self):
        self.closed = "collected"


class FakeBroker:
    """Answers connection attempts host by host, from ``plan``: a list of
    (host, script-or-exception) consumed in order."""

    def __init__(self, plan, exchanges=("watcher",)):
        self.plan = list(plan)
        self.exchanges = set(exchanges)
        self.calls = []
        self.attempts = []
        self.connections = []

    def open(self, host):
        self.attempts.append(host.hostname)
        expected, outcome = self.plan.pop(0)
        assert expected == host.hostname
        if isinstance(outcome, BaseException):
            raise outcome
        connection = FakeConnection(self, host, outcome)
        self.connections.append(connection)
        return connection


def make_listener(monkeypatch, broker, url="rabbit://u:pw@h1,u:pw@h2/",
                  priorities=bus.PRIORITIES):
    monkeypatch.setattr(listener.Listener, "_open", broker.open)
    reports = []
    return listener.Listener(transport.parse_url(url), "watcher",
                             "notifications", priorities, reports.append,
                             "--transport-url"), reports


READ = notification.Reader()


def collect(count=None):
    """A handler keeping the event types it gets; True (stop) after
    ``count``."""
    seen = []

    def handle(body, where):
        seen.append(READ(body).event_type)
        return count is not None and len(seen) >= count
    return seen, handle


def test_binds_an_own_exclusive_queue_and_reads(monkeypatch):
    broker = FakeBroker([("h1", SAMPLES[:3])])
    tail, reports = make_listener(monkeypatch, broker)
    seen, handle = collect(count=3)
    assert tail.run(handle) == bus.STOPPED
    assert seen == ["audit.create", "audit.update", "audit.strategy.start"]
    assert broker.calls == [
        ("exchange_declare", "watcher", "topic", True, None, None),
        ("queue_declare", "", False, True, True),
        ("queue_bind", "amq.gen-2", "watcher", "notifications.*"),
        ("basic_consume", "amq.gen-2", True)]
    assert reports == [
        "Listening on exchange watcher, topic notifications, priorities all "
        "(queue amq.gen-2, broker h1:5672, from --transport-url); Ctrl-C "
        "to stop"]
    assert broker.connections[0].closed == "released"


def test_some_priorities_bind_their_routing_keys(monkeypatch):
    broker = FakeBroker([("h1", [])])
    tail, reports = make_listener(monkeypatch, broker,
                                  priorities=["error", "warn"])
    assert tail.run(collect()[1], deadline=0) == bus.TIMED_OUT
    binds = [call[3] for call in broker.calls if call[0] == "queue_bind"]
    assert binds == ["notifications.error", "notifications.warn"]
    assert "priorities error, warn" in reports[0]


def test_a_missing_exchange_is_declared_as_its_service_would(monkeypatch):
    broker = FakeBroker([("h1", [])], exchanges=())
    tail, reports = make_listener(monkeypatch, broker)
    tail.run(collect()[1], deadline=0)
    assert broker.calls[:2] == [
        ("exchange_declare", "watcher", "topic", True, None, None),
        ("exchange_declare", "watcher", "topic", False, False, False)]
    assert reports[0].startswith("Exchange watcher did not exist: declared")


def test_first_connection_fails_over_then_gives_up_in_one_line(monkeypatch):
    refused = ConnectionRefusedError(111, "Connection refused")
    broker = FakeBroker([("h1", refused), ("h2", refused)])
    tail, reports = make_listener(monkeypatch, broker)
    with pytest.raises(listener.BrokerError) as caught:
        tail.run(collect()[1])
    assert str(caught.value) == (
        "Cannot connect to rabbit://***@h1:5672,***@h2:5672/ (from "
        "--transport-url): h1:5672: [Errno 111] Connection refused; "
        "h2:5672: [Errno 111] Connection refused")
    assert broker.attempts == ["h1", "h2"]


def test_second_host_when_the_first_is_down(monkeypatch):
    broker = FakeBroker([("h1", OSError("down")), ("h2", SAMPLES[:1])])
    tail, reports = make_listener(monkeypatch, broker)
    seen, handle = collect(count=1)
    assert tail.run(handle) == bus.STOPPED
    assert "broker h2:5672" in reports[0]


def test_login_refused_is_fatal_with_no_password(monkeypatch):
    made = []

    class RefusingConnection:
        def __init__(self, **options):
            made.append(options)

        def ensure_connection(self, **options):
            raise amqp.exceptions.AccessRefused(
                "(0, 0): (403) ACCESS_REFUSED - Login was refused")

        def collect(self):
            made.append("collected")

    monkeypatch.setattr(listener.kombu, "Connection", RefusingConnection)
    tail = listener.Listener(
        transport.parse_url("rabbit://u:Pa55word@h1,u:Pa55word@h2/vh"),
        "watcher", "notifications", bus.PRIORITIES, print)
    with pytest.raises(listener.BrokerError) as caught:
        tail.run(collect()[1])
    assert str(caught.value) == ("h1:5672 refused user u: (0, 0): (403) "
                                 "ACCESS_REFUSED - Login was refused")
    assert made[0]["hostname"] == "h1" and made[0]["virtual_host"] == "vh"
    assert made[1:] == ["collected"]  # and h2 was not tried with it


def test_loss_reconnects_to_the_next_host_and_reports_the_gap(monkeypatch):
    reset = ConnectionResetError(104, "Connection reset by peer")
    broker = FakeBroker([
        ("h1", [SAMPLES[0], reset]),
        ("h2", OSError("still starting")),   # first round: both down
        ("h1", OSError("still down")),
        ("h2", [None, SAMPLES[1]]),          # second round
    ])
    tail, reports = make_listener(monkeypatch, broker)
    seen, handle = collect(count=2)
    assert tail.run(handle) == bus.STOPPED
    assert seen == ["audit.create", "audit.update"]
    assert broker.attempts == ["h1", "h2", "h1", "h2"]
    assert reports[0].startswith("Listening on exchange watcher")
    assert reports[1].startswith("Lost the connection to h1:5672 at ")
    assert reports[1].endswith(" UTC: [Errno 104] Connection reset by peer; "
                               "reconnecting")
    assert reports[2] == ("No broker answers (h2:5672: still starting; "
                          "h1:5672: still down); next try in 1 s")
    assert reports[3] == "Reconnected to h2:5672"
    assert reports[4].startswith("Listening on exchange watcher")
    assert reports[5].startswith("Missed: notifications published from ")
    assert reports[5].endswith(" UTC were not received")
    assert len(reports) == 6
    assert broker.connections[0].closed == "collected"
    assert broker.connections[1].closed == "released"


def test_backoff_doubles_up_to_a_limit(monkeypatch):
    pauses = []
    monkeypatch.setattr(listener.time, "sleep", pauses.append)
    down = OSError("down")
    broker = FakeBroker([("h1", [amqp.exceptions.ConnectionForced("bye")])]
                        + [("h1", down)] * 7 + [("h1", SAMPLES[:1])])
    tail, _ = make_listener(monkeypatch, broker, url="rabbit://h1/")
    tail.run(collect(count=1)[1])
    assert pauses == [1, 2, 4, 8, 16, 30, 30]


def test_deadline_during_reconnection_ends_the_wait(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(listener.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(listener.time, "sleep",
                        lambda seconds: clock.__setitem__(0, clock[0] +
                                                          seconds))
    broker = FakeBroker([("h1", [OSError("gone")])] + [("h1", OSError("no"))]
                        * 4)
    tail, reports = make_listener(monkeypatch, broker, url="rabbit://h1/")
    assert tail.run(collect()[1], deadline=103.5) == bus.TIMED_OUT
    assert clock[0] == 103.5  # 1 + 2 s of pauses, then the last half second
    assert len(broker.attempts) == 5


def test_a_message_that_is_not_a_notification_is_skipped(monkeypatch):
    broker = FakeBroker([("h1", [b"garbage", SAMPLES[0]])])
    listening, reports = make_listener(monkeypatch, broker)
    out = io.StringIO()
    tail = filters.TailHandler(READ, filters.Selection(),
                        stream.writer_for(out, "value", ("event_type",)),
                        reports.append, count=1)
    assert listening.run(tail) == bus.STOPPED
    assert out.getvalue() == "audit.create\n"
    assert reports[1].startswith("exchange watcher, message 1: skipped: "
                                 "Expecting value")
    assert tail.skipped == 1


def test_interrupted_connections_are_dropped_without_goodbye(monkeypatch):
    broker = FakeBroker([("h1", [KeyboardInterrupt()])])
    tail, _ = make_listener(monkeypatch, broker)
    with pytest.raises(KeyboardInterrupt):
        tail.run(collect()[1])
    assert broker.connections[0].closed == "collected"


def test_refused_channel_operations_are_one_line(monkeypatch):
    broker = FakeBroker([("h1", [])])
    tail, _ = make_listener(monkeypatch, broker)

    def refuse(*args, **kwargs):
        raise amqp.exceptions.AccessRefused("ACCESS_REFUSED - no access")
    monkeypatch.setattr(FakeChannel, "queue_declare", refuse)
    with pytest.raises(listener.BrokerError,
                       match="h1:5672 refused to let us listen on exchange "
                             "watcher: .*ACCESS_REFUSED"):
        tail.run(collect()[1])
    assert broker.connections[0].closed == "collected"


def test_what_the_broker_sends_reaches_stderr_safe_and_masked(monkeypatch):
    def queue_declare(self, queue, durable, exclusive, auto_delete):
        return "amq.\x1b]0;owned\x07\u202egen", 0, 0

    monkeypatch.setattr(FakeChannel, "queue_declare", queue_declare)
    monkeypatch.setattr(FakeChannel, "queue_bind", lambda self, **kw: None)
    monkeypatch.setattr(FakeChannel, "basic_consume",
                        lambda self, **kw: None)
    reset = ConnectionResetError(
        104, "reset \x9b2J by rabbit://u:pw@h1/ \x1b[31m")
    broker = FakeBroker([("h1", [reset]), ("h2", [])])
    tail, reports = make_listener(monkeypatch, broker)
    assert tail.run(collect()[1], deadline=0) == bus.TIMED_OUT
    assert "(queue amq.\\x1b]0;owned\\x07\\u202egen, broker h1:5672" in (
        reports[0])
    assert reports[1].endswith(
        "[Errno 104] reset \\x9b2J by rabbit://u:***@h1/ \\x1b[31m; "
        "reconnecting")
    for report in reports:
        assert report.isprintable(), report
