"""Property tests: untrusted messages through the replay parser, the
payload unwrapper and every writer never end the stream, never put a raw
control character on a terminal, and ``-f json`` gives the data back."""

import copy
import io
import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from watcherclient_ext import bus
from watcherclient_ext import terminal_text
from watcherclient_ext.bus import filters
from watcherclient_ext.bus import notification
from watcherclient_ext.bus import replay
from watcherclient_ext.bus import versioned
from watcherclient_ext.formatting import stream

HUMAN = ("table", "value", "csv")
WIDTH = 60


def encoded(message):
    return json.dumps(message).encode()


def on_the_wire(message):
    return encoded({"oslo.version": "2.0",
                    "oslo.message": json.dumps(message)})


notifications = hostile.messages.map(encoded) | hostile.messages.map(
    on_the_wire)
garbage = (st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" "))
           | hostile.json_values.map(encoded))


def tail_of(lines, fmt, raw=False):
    """Replay ``lines`` as ``-f fmt``: (output, skip lines, Tail)."""
    out, reports = io.StringIO(), []
    writer = stream.writer_for(out, fmt, width=WIDTH, raw=raw)
    tail = filters.TailHandler(notification.Reader(unwrap=not raw),
                        filters.Selection(), writer, reports.append)
    ending = replay.replay("-", tail, io.BytesIO(b"\n".join(lines)))
    assert ending == bus.EXHAUSTED
    return out.getvalue(), reports, tail


@hostile.BOUNDED
@given(st.lists(notifications | garbage, max_size=6),
       st.sampled_from(stream.FORMATS + ("raw",)))
def test_no_line_ends_a_replay(lines, fmt):
    out, reports, tail = tail_of(lines, fmt, raw=fmt == "raw")
    assert tail.written + tail.skipped == sum(
        1 for line in lines if line.strip())
    assert len(reports) == tail.skipped
    for report in reports:
        assert report.startswith("stdin, line ")
        assert not hostile.RAW_CONTROL_OR_LINE.search(report)


@hostile.BOUNDED
@given(st.lists(notifications, min_size=1, max_size=4),
       st.sampled_from(HUMAN))
def test_human_formats_show_every_notification_safely(lines, fmt):
    out, reports, tail = tail_of(lines, fmt)
    assert reports == [] and tail.written == len(lines)
    assert out.endswith("\n")
    for line in out[:-1].split("\n"):
        assert not hostile.RAW_CONTROL_OR_LINE.search(line), line
        if fmt == "table":
            assert terminal_text.cells(line) <= WIDTH


#: How each machine format is read back.
PARSERS = {"json": json.loads,
           "yaml": lambda text: yaml.load(text, Loader=yaml.SafeLoader)}


@hostile.BOUNDED
@given(hostile.messages, st.sampled_from(sorted(PARSERS)))
def test_json_and_yaml_give_the_data_back(message, fmt):
    read = notification.Reader()(encoded(message))
    text = stream.writer_for(io.StringIO(), fmt).render(read)
    assert PARSERS[fmt](text) == read.record()
    if fmt == "json":  # one line, which --file reads back
        line, end = text.split("\n")
        assert end == ""
        assert notification.Reader()(line).record() == read.record()


@hostile.BOUNDED
@given(hostile.messages)
def test_raw_gives_the_message_back(message):
    out = io.StringIO()
    stream.RawWriter(out).write(
        notification.Reader(unwrap=False)(on_the_wire(message)))
    assert json.loads(json.loads(out.getvalue())["oslo.message"]) == message


@hostile.BOUNDED
@given(hostile.plain_data)
def test_unwrap_gives_the_plain_data_back(plain):
    value, metadata = versioned.unwrap(hostile.wrap(copy.deepcopy(plain)))
    assert value == plain
    expected = {"name": "Some", "namespace": "nova", "version": "1.0"}
    assert metadata == (expected if isinstance(plain, dict) else None)


@hostile.BOUNDED
@given(hostile.json_values)
def test_unwrap_takes_any_json(value):
    versioned.unwrap(value)
