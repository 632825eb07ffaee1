"""Notifications in every shape a user has, and every output format."""

import csv
import io
import json
import pathlib
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from watcherclient_ext import errors
from watcherclient_ext.bus import notification
from watcherclient_ext.formatting import stream

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def lines_of(sample):
    return (DATA / f"{sample}-notifications.jsonl").read_text().splitlines()


WATCHER = lines_of("watcher")


def first(event_type, sample=WATCHER):
    return next(line for line in sample
                if f'\\"event_type\\": \\"{event_type}\\"' in line)


def read(line, unwrap=True):
    return notification.Reader(unwrap=unwrap)(line)


class Recorder(io.StringIO):
    """A stream that counts flushes."""

    flushes = 0

    def flush(self):
        self.flushes += 1
        super().flush()


# --- shapes ------------------------------------------------------------------

def test_wire_body_inner_message_and_own_json_read_alike():
    wire = first("action_plan.cancel.end")
    inner = json.loads(wire)["oslo.message"]
    from_wire, from_inner = read(wire), read(inner)
    out = io.StringIO()
    stream.JsonWriter(out).write(from_wire)
    from_record = read(out.getvalue())
    for n in (from_wire, from_inner, from_record):
        assert n.event_type == "action_plan.cancel.end"
        assert n.payload["state"] == "CANCELLED"
        assert n.payload_object == {"name": "ActionPlanCancelPayload",
                                    "namespace": "watcher", "version": "1.2"}
    assert from_record.record() == from_wire.record()


def test_raw_output_reads_back_with_the_payload_as_it_came():
    wire = first("audit.create")
    out = io.StringIO()
    stream.RawWriter(out).write(read(wire, unwrap=False))
    body = json.loads(out.getvalue())
    assert set(body) == {"oslo.version", "oslo.message"}
    inner = json.loads(body["oslo.message"])
    original = json.loads(json.loads(wire)["oslo.message"])
    assert inner == {k: v for k, v in original.items()
                     if not k.startswith("_context_")}
    assert read(out.getvalue()).payload["name"] == "oneshot-1"


@pytest.mark.parametrize("line, reason", [
    (b"not json", "Expecting value"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"foo": 1}', "no event_type"),
    (b'{"oslo.version": "2.0", "oslo.message": 5}', "not a JSON string"),
    (b'{"oslo.version": "2.0", "oslo.message": "[]"}', "not a JSON object"),
    (b'{"event_type": "\xff"}', "can't decode"),
])
def test_what_is_not_a_notification(line, reason):
    with pytest.raises(ValueError, match=reason):
        read(line)


def test_context_is_never_given_out():
    n = read(first("audit.create"))
    assert n.get("_context_request_id") is None
    assert n.get("_unique_id") is None
    assert n.get("message_id") == "5aa769a2-3b8f-49fe-bcec-5bca39823b89"
    assert not [k for k in n.record() if k.startswith("_")]
    inner = json.loads(n.wire_body()["oslo.message"])
    assert not [k for k in inner if k.startswith("_context_")]


# --- what a line shows -------------------------------------------------------

@pytest.mark.parametrize("line, obj, state, fault", [
    (first("audit.create"), "603af540-9d41-4947-aab6-2f74b8db20a3 "
     "(oneshot-1)", "PENDING", None),
    # action.update: state_update is all nulls; the action's state is right
    (first("action.update"), "4927b5d3-9b10-4904-834a-e5043ddbc633",
     "ONGOING", None),
    # service.update: no UUID, the host is spelled "sevice_host"
    (first("service.update"), "watcher-decision-engine on wstack-b",
     "FAILED", None),
    (first("action.execution.error"), "7ddd0d69-fc3d-4b23-99da-d046d90dfee0",
     "FAILED", "An auth plugin is required to determine endpoint URL"),
    (lines_of("nova")[0], "178b0921-8f85-4257-88b6-2e743b5a975c "
     "(some-server)", "active", None),
    (lines_of("nova")[1], "178b0921-8f85-4257-88b6-2e743b5a975c "
     "(some-server)", "error", "Compute host compute could not be found."),
    (lines_of("ironic")[0], "1be26c0b-03f2-4d2e-ae87-c02d7f33c123 (node-1)",
     "available", None),
    # Ironic has no fault object: an error shows the node's last_error
    (lines_of("ironic")[1], "1be26c0b-03f2-4d2e-ae87-c02d7f33c123 (node-1)",
     "active", "IPMI call failed: power off."),
])
def test_object_state_and_fault(line, obj, state, fault):
    n = read(line)
    assert stream.object_of(n) == obj
    assert stream.state_of(n) == state
    assert stream.fault_of(n) == fault


def test_field_keys_by_key_or_label():
    assert stream.field_keys(["event_type", "Event Type", "OBJECT"]) == (
        "event_type", "event_type", "object")
    with pytest.raises(errors.UsageError,
                       match="No field 'nope'; choose from: Time, Priority"):
        stream.field_keys(["nope"])


# --- writers -----------------------------------------------------------------

SOME = [read(line) for line in WATCHER[:40]]


def test_json_one_flushed_object_per_line_that_reads_back():
    out = Recorder()
    writer = stream.writer_for(out, "json")
    for n in SOME:
        writer.write(n)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(SOME) == out.flushes
    for line, n in zip(lines, SOME):
        record = json.loads(line)
        assert record == n.record()
        assert read(line).record() == record


def test_json_with_chosen_fields():
    out = io.StringIO()
    stream.writer_for(out, "json", ("event_type", "state", "payload_object")
                      ).write(read(first("action.update")))
    assert json.loads(out.getvalue()) == {
        "event_type": "action.update", "state": "ONGOING",
        "payload_object": {"name": "ActionUpdatePayload",
                           "namespace": "watcher", "version": "1.1"}}


def test_yaml_a_document_per_notification():
    out = Recorder()
    writer = stream.writer_for(out, "yaml")
    for n in SOME[:3]:
        writer.write(n)
    assert out.flushes == 3
    assert list(yaml.safe_load_all(out.getvalue())) == [
        n.record() for n in SOME[:3]]


#: What YAML counts as printable and a terminal acts on.
YAML_RAW = "\x85\u061c\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069"
RAW = re.compile(f"[{YAML_RAW}]|{hostile.RAW_CONTROL.pattern}")
yaml_text = hostile.text | st.text(
    st.sampled_from(YAML_RAW + " a:日\n\t\x1b'\"\\-#"), max_size=90)


def yaml_of(payload):
    n = read(json.dumps({"event_type": "audit.update", "priority": "INFO",
                         "payload": payload}))
    return stream.writer_for(io.StringIO(), "yaml").render(n), n


def test_yaml_escapes_bidi_and_line_separators():
    text, n = yaml_of({"name\u202e": "a\u202eb\u2066c\u200fd\u2028e\u2029f"
                       "\x85g\u061ch", "long": "x\u2067 " * 30})
    assert not RAW.search(text)
    assert "a\\u202eb\\u2066c\\u200fd" in text
    assert yaml.safe_load(text) == n.record()


@hostile.BOUNDED
@given(st.dictionaries(yaml_text, yaml_text | st.lists(yaml_text, max_size=3),
                       max_size=4))
def test_yaml_gives_the_data_back_with_no_raw_control(payload):
    text, n = yaml_of(payload)
    assert not RAW.search(text)
    assert yaml.safe_load(text) == n.record()


def test_value_and_csv():
    n = read(first("action.execution.error"))
    out = io.StringIO()
    stream.writer_for(out, "value", ("event_type", "object", "fault",
                                     "payload_object")).write(n)
    assert out.getvalue() == (
        "action.execution.error 7ddd0d69-fc3d-4b23-99da-d046d90dfee0 "
        "An auth plugin is required to determine endpoint URL "
        '{"name":"ActionExecutionPayload","namespace":"watcher",'
        '"version":"1.1"}\n')
    out = io.StringIO()
    writer = stream.writer_for(out, "csv")
    writer.write(n)
    writer.write(read(first("audit.create")))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["Time", "Priority", "Event Type", "Publisher",
                       "Object", "State", "Fault"]
    assert rows[1][2] == "action.execution.error" and rows[1][6]
    assert rows[2][4:] == ["603af540-9d41-4947-aab6-2f74b8db20a3 "
                           "(oneshot-1)", "PENDING", ""]


def test_table_at_80_columns():
    out = Recorder()
    writer = stream.writer_for(out, "table", width=80)
    every = [read(line) for line in WATCHER]
    for n in every:
        writer.write(n)
    lines = out.getvalue().splitlines()
    assert out.flushes == len(lines) - 1 == len(every)
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["TIME", "PRIO", "EVENT", "TYPE", "OBJECT",
                                "STATE", "FAULT"]
    for line, n in zip(lines[1:], every):
        assert f" {n.event_type} " in line  # event types are never cut
        if n.payload.get("uuid"):
            assert n.payload["uuid"][:8] in line
    error = lines[1 + WATCHER.index(first("action.execution.error"))]
    assert error.startswith("22:19:28 ERROR action.execution.error ")
    assert "FAILED" in error and "An auth plugin" in error


def test_table_without_a_width_cuts_nothing():
    out = io.StringIO()
    writer = stream.writer_for(out, "table")
    n = read(first("action.execution.error"))
    writer.write(n)
    header, row = out.getvalue().splitlines()
    for column in ("TIME", "PRIORITY", "PUBLISHER", "OBJECT", "FAULT"):
        assert column in header
    for text in ("infra-optim:wstack", "7ddd0d69-fc3d-4b23-99da-d046d90dfee0",
                 "An auth plugin is required to determine endpoint URL"):
        assert text in row
    assert header.index("STATE") == row.index("FAILED")


def test_table_with_chosen_columns_and_nested_values():
    out = io.StringIO()
    stream.writer_for(out, "table", ("event_type", "payload_object")).write(
        read(first("audit.create")))
    assert out.getvalue().splitlines()[1] == (
        'audit.create                {"name":"AuditCreatePayload",'
        '"namespace":"watcher","version":"1.2"}')


def test_table_header_waits_for_the_first_row():
    out = io.StringIO()
    stream.writer_for(out, "table")
    assert out.getvalue() == ""


def test_unknown_format():
    with pytest.raises(errors.UsageError, match="-f shell cannot"):
        stream.writer_for(io.StringIO(), "shell")
