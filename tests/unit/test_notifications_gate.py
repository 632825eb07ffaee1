"""The --wait gate on a scripted broker: hostile messages wake nothing and
never end the wait; a notification naming the resource ends a pause."""

import json
import time

from tests.unit.test_notifications_listener import SAMPLES
from tests.unit.test_notifications_listener import FakeBroker
from watcherclient_ext.bus import gate
from watcherclient_ext.bus import listener
from watcherclient_ext.bus import transport

PLAN = "c5d4fc6c-8f83-4067-bfd4-9e4cedb13f27"  # cancelled in the samples
CANCEL_END = next(line for line in SAMPLES
                  if '\\"action_plan.cancel.end\\"' in line)


def open_gate(monkeypatch, script):
    broker = FakeBroker([("h1", script)])
    monkeypatch.setattr(listener.Listener, "_open", broker.open)
    reports = []
    opened = gate.Gate(transport.parse_url("rabbit://u:pw@h1/"),
                       reports.append,
                       wakes=lambda n: n.event_type.startswith("action_plan."))
    opened.open()
    opened.watch(PLAN)
    return opened, reports


def test_hostile_messages_wake_nothing_and_the_gate_goes_on(monkeypatch):
    deep = "[" * 100000 + "]" * 100000
    script = [b"not json", deep.encode(), b"\xff\xfe",
              json.dumps({"event_type": 5, "payload": {"uuid": PLAN}}),
              json.dumps({"event_type": "action_plan.update",
                          "payload": {"uuid": [PLAN]}}),
              CANCEL_END]
    opened, reports = open_gate(monkeypatch, script)
    started = time.monotonic()
    opened.pause(30)
    assert time.monotonic() - started < 10  # woken by the cancel's end
    assert opened.listening
    assert reports == []
    opened.close()


def test_a_notification_naming_another_resource_wakes_nothing(monkeypatch):
    other = json.loads(json.loads(CANCEL_END)["oslo.message"])
    other["payload"] = {"uuid": "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"}
    opened, _ = open_gate(monkeypatch, [json.dumps(other)])
    opened.pause(0.05)
    assert not opened._heard
    opened.close()
