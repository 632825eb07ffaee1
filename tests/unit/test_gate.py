"""The notification gate of event-driven waits, on a scripted connection."""

import json
import socket

import pytest

from watcherclient_ext.bus import gate as bus_gate
from watcherclient_ext.bus import notification
from watcherclient_ext.bus import transport
from watcherclient_ext.commands import base

PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
OTHER = "17287473-44cd-497d-9235-063cf6e885a4"


class ConnectionLost(Exception):
    pass


class ScriptedConnection:
    """drain_events delivers the next scripted body, times out, or fails,
    as kombu's connection would."""

    connection_errors = (ConnectionLost,)

    def __init__(self, handle, script):
        self._handle = handle
        self._script = list(script)
        self.drains = []
        self.collected = False

    def drain_events(self, timeout=None):
        self.drains.append(timeout)
        step = self._script.pop(0) if self._script else "timeout"
        if step == "timeout":
            raise socket.timeout
        if step == "lost":
            raise ConnectionLost("connection reset")
        if isinstance(step, BaseException):
            raise step
        self._handle(step, "127.0.0.1:5672")

    def collect(self):
        self.collected = True


class ScriptedListener:
    """Stands in for the bus listener: its bound connection plays the
    script; ``goodbyes`` holds the connections released."""

    def __init__(self, script):
        self._script = script
        self.connection = None
        self.goodbyes = []

    def bind(self, handle):
        self.connection = ScriptedConnection(handle, self._script)
        return self.connection

    def release(self, connection):
        self.goodbyes.append(connection)


def message(event_type, **payload):
    return notification.Notification(
        {"event_type": event_type, "payload": payload})


def wire(event_type, **payload):
    """The body of a message as oslo.messaging sends it."""
    return json.dumps(message(event_type, **payload).wire_body())


@pytest.fixture
def make_gate(monkeypatch):
    slept = []
    monkeypatch.setattr(bus_gate.time, "sleep", slept.append)
    reports = []

    def make(*script):
        listener = ScriptedListener(script)
        monkeypatch.setattr(bus_gate.bus_listener, "Listener",
                            lambda *args, **kwargs: listener)
        url = transport.parse_url("rabbit://u:secret@127.0.0.1:5672/")
        gate = bus_gate.Gate(url, reports.append, wakes=base.ends_something)
        gate.open().watch(PLAN)
        make.listener = listener
        return gate

    make.reports, make.slept = reports, slept
    return make


def test_a_notification_of_the_plans_end_ends_the_pause(make_gate):
    gate = make_gate(wire("action_plan.update", uuid=PLAN,
                          state="CANCELLED"))
    gate.pause(5)
    assert len(make_gate.listener.connection.drains) == 1


@pytest.mark.parametrize("heard", [
    wire("action_plan.update", uuid=OTHER, state="CANCELLED"),
    wire("action_plan.update", uuid=PLAN, state="CANCELLING"),
    wire("action.execution.end", uuid=OTHER, action_plan_uuid=PLAN),
    wire(["not", "a", "string"], uuid=PLAN),
    "not JSON",
])
def test_other_news_does_not_wake_the_poll(make_gate, heard):
    gate = make_gate(heard, "timeout")
    gate.pause(0.05)
    assert len(make_gate.listener.connection.drains) >= 2


def test_a_lost_broker_is_said_once_and_the_wait_polls(make_gate):
    gate = make_gate("lost")
    connection = make_gate.listener.connection
    gate.pause(0.05)
    assert connection.collected and not gate.listening
    assert make_gate.reports == [
        "Lost the message bus (connection reset); waiting by polling"]
    gate.pause(2)
    assert make_gate.slept[-1] == pytest.approx(2, abs=0.1)
    assert len(make_gate.reports) == 1


def test_end_of_a_step_or_a_new_plan_wakes_a_plans_wait():
    assert base.ends_something(message("action_plan.execution.end"))
    assert base.ends_something(message("action_plan.create"))
    assert base.ends_something(message("audit.update", state="SUCCEEDED"))
    assert not base.ends_something(message("audit.update", state="ONGOING"))
    assert not base.ends_something(message("action.execution.end"))


@pytest.fixture
def opened(make_gate, monkeypatch):
    """A gate as --wait opens it, whose listener records its goodbyes."""
    gate = make_gate()
    monkeypatch.setattr(base, "_open_gate", lambda command, args: gate)
    listener = make_gate.listener
    return gate, listener.connection, listener.goodbyes


def test_a_finished_wait_closes_its_connection(opened):
    gate, connection, goodbyes = opened
    with base.notification_gate(None, None):
        pass
    assert goodbyes == [connection] and not connection.collected
    assert not gate.listening


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, ValueError])
def test_an_interrupted_wait_drops_its_connection_without_a_goodbye(
        opened, interruption):
    gate, connection, goodbyes = opened
    with pytest.raises(interruption):
        with base.notification_gate(None, None):
            raise interruption
    assert connection.collected and goodbyes == []
    assert not gate.listening


def test_a_lost_broker_is_said_safe_for_a_terminal(make_gate):
    gate = make_gate(ConnectionLost("reset by \x1b]0;owned\x07 peer"))
    gate.pause(5)
    assert make_gate.reports == [
        "Lost the message bus (reset by \\x1b]0;owned\\x07 peer); waiting "
        "by polling"]
