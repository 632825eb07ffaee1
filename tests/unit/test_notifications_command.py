"""``notifications tail`` through the watcher-ext app: options, filters,
stopping, exit codes; the bus replaced by a scripted source."""

import io
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time

import pytest
import yaml

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from watcherclient_ext import bus
from watcherclient_ext import shell
from watcherclient_ext import terminal_text
from watcherclient_ext.bus import listener
from watcherclient_ext.bus import replay

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
SAMPLES = DATA / "watcher-notifications.jsonl"
WATCHER = SAMPLES.read_text().splitlines()
PLAN = "c5d4fc6c-8f83-4067-bfd4-9e4cedb13f27"  # cancelled in the samples
TOKEN = "gAAAAABnotreallyatoken-but-secret-Zm9vYmFy"


class Result:
    def __init__(self, code, captured):
        self.code = code
        self.out = captured.out
        self.err = captured.err

    @property
    def events(self):
        return [json.loads(line) for line in self.out.splitlines()]


def run_app(argv):
    """watcher-ext in this process."""
    return shell.WatcherExtApp().run(argv)


@pytest.fixture
def tail(capsys, monkeypatch):
    """Run ``watcher-ext notifications tail ARGS``; ``stdin`` bytes."""
    def run(*args, stdin=b""):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = run_app(["notifications", "tail", *args])
        return Result(code, capsys.readouterr())
    return run


def event_type(line):
    return json.loads(json.loads(line)["oslo.message"])["event_type"]


def write_lines(tmp_path, lines, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


def one_line_error(result, text, code=1):
    assert result.code == code, result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], result.err
    assert "Traceback" not in result.err


# --- a file instead of the bus -----------------------------------------------

def test_replays_every_line_in_order(tail):
    result = tail("--file", str(SAMPLES), "-f", "value", "-c", "event_type")
    assert result.code == 0
    assert result.out.splitlines() == [event_type(line) for line in WATCHER]
    assert result.err == ""


def test_every_shape_of_line_in_one_file(tail, tmp_path):
    wire = WATCHER[0]
    inner = json.loads(wire)["oslo.message"]
    own = tail("--file", str(SAMPLES), "-f", "json", "--count", "1").out
    path = write_lines(tmp_path, [wire, inner, own.strip()])
    result = tail("--file", path, "-f", "json")
    assert result.code == 0
    assert len(result.events) == 3
    assert result.events[0] == result.events[1] == result.events[2]
    assert result.events[0]["payload"]["name"] == "oneshot-1"


def test_json_output_reads_back_through_file(tail, tmp_path):
    first = tail("--file", str(SAMPLES), "-f", "json").out
    again = tail("--file", write_lines(tmp_path, first.splitlines()),
                 "-f", "json").out
    assert again == first
    assert len(first.splitlines()) == len(WATCHER)


def test_stdin(tail):
    result = tail("--file", "-", "-f", "value", "-c", "event_type",
                  stdin="\n".join(WATCHER[:3]).encode())
    assert result.out.splitlines() == [
        event_type(line) for line in WATCHER[:3]]


def test_malformed_lines_are_reported_and_skipped(tail, tmp_path):
    path = write_lines(tmp_path, [WATCHER[0], "not json", "[1]",
                                  '{"no": "event_type"}', "", WATCHER[1]])
    result = tail("--file", path, "-f", "value", "-c", "event_type")
    assert result.code == 0
    assert result.out.splitlines() == ["audit.create", "audit.update"]
    *skipped, summary = result.err.splitlines()
    assert [line.split(":")[0] for line in skipped] == [
        f"{path}, line 2", f"{path}, line 3", f"{path}, line 4"]
    assert "not a notification" in skipped[2]
    assert summary == "Skipped 3 messages that could not be read or shown"


def test_missing_file_is_one_line(tail, tmp_path):
    path = str(tmp_path / "nope.jsonl")
    one_line_error(tail("--file", path),
                   f"--file {path}: cannot read it: No such file", code=2)


def test_dev_zero_ends_with_one_line_naming_it(tail):
    result = tail("--file", "/dev/zero")
    one_line_error(result, "/dev/zero, line 1: longer than 16 MiB, which no "
                           "notification is; stopped reading")


def test_a_line_over_the_cap_ends_the_replay_after_the_lines_before(
        tail, tmp_path, monkeypatch):
    monkeypatch.setattr(replay, "MAX_LINE", 2 ** 20)
    monkeypatch.setattr(replay, "CHUNK", 2 ** 16)
    path = write_lines(tmp_path, [*WATCHER[:2], "x" * (2 ** 20 + 1),
                                  WATCHER[2]])
    result = tail("--file", path, "-f", "value", "-c", "event_type")
    assert result.code == 1
    assert result.out.splitlines() == ["audit.create", "audit.update"]
    assert result.err.splitlines() == [
        f"{path}, line 3: longer than 1 MiB, which no notification is; "
        "stopped reading"]


def test_lines_across_chunks_and_a_last_line_without_newline(
        tail, tmp_path, monkeypatch):
    monkeypatch.setattr(replay, "CHUNK", 7)
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(WATCHER))
    result = tail("--file", str(path), "-f", "value", "-c", "event_type")
    assert result.out.splitlines() == [event_type(line) for line in WATCHER]


@pytest.fixture
def stalled_fifo(tmp_path):
    """A FIFO whose writer sends one notification, then nothing, holding
    it open until the test ends."""
    path = tmp_path / "stalled.fifo"
    os.mkfifo(path)
    release = threading.Event()

    def writer():
        with open(path, "w") as fifo:
            fifo.write(WATCHER[0] + "\n")
            fifo.flush()
            release.wait(30)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    yield str(path)
    release.set()
    thread.join(5)


def test_timeout_ends_a_stalled_fifo(tail, stalled_fifo):
    started = time.monotonic()
    result = tail("--file", stalled_fifo, "--timeout", "1", "--count", "2",
                  "-f", "value", "-c", "event_type")
    assert time.monotonic() - started < 10
    assert result.code == 4
    assert result.out.splitlines() == ["audit.create"]
    assert result.err.splitlines() == [
        "Timed out before 2 notifications (1 shown)"]


def test_timeout_ends_a_fifo_nobody_writes_to(tail, tmp_path):
    path = tmp_path / "silent.fifo"
    os.mkfifo(path)
    started = time.monotonic()
    result = tail("--file", str(path), "--timeout", "0.5", "--until", "x")
    assert time.monotonic() - started < 10
    assert result.code == 4
    assert result.err == "Timed out before an event matching x (0 shown)\n"


def test_timeout_ends_a_stalled_stdin_pipe(capsys, monkeypatch):
    read_end, write_end = os.pipe()
    os.write(write_end, (WATCHER[0] + "\n").encode())
    try:
        with os.fdopen(read_end, "r") as stdin:
            monkeypatch.setattr(sys, "stdin", stdin)
            code = run_app(["notifications", "tail", "--file", "-",
                            "--timeout", "0.5", "--count", "2", "-f",
                            "value", "-c", "event_type"])
    finally:
        os.close(write_end)
    captured = capsys.readouterr()
    assert code == 4
    assert captured.out == "audit.create\n"


def test_a_fifo_that_ends_before_the_goal_is_exit_3(tail, tmp_path):
    path = tmp_path / "short.fifo"
    os.mkfifo(path)

    def writer():
        with open(path, "w") as fifo:
            for line in WATCHER[:2]:
                fifo.write(line + "\n")
                fifo.flush()
                time.sleep(0.05)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = tail("--file", str(path), "--count", "5", "-f", "value",
                  "-c", "event_type")
    thread.join(5)
    assert result.code == 3
    assert result.out.splitlines() == ["audit.create", "audit.update"]


def test_a_directory_is_a_usage_error(tail, tmp_path):
    one_line_error(tail("--file", str(tmp_path)),
                   f"--file {tmp_path}: cannot read it: Is a directory",
                   code=2)


# --- filters -----------------------------------------------------------------

def types_of(result):
    return result.out.splitlines()


def test_event_type_globs_any_of(tail):
    result = tail("--file", str(SAMPLES), "-f", "value", "-c", "event_type",
                  "--event-type", "action_plan.cancel.*",
                  "--event-type", "service.*")
    assert types_of(result) == [
        t for t in map(event_type, WATCHER)
        if t.startswith("action_plan.cancel.") or t == "service.update"]
    assert len(types_of(result)) == 7


def test_priorities_repeated_or_comma_separated(tail):
    result = tail("--file", str(SAMPLES), "-f", "value", "-c", "priority",
                  "--priority", "warn,ERROR", "--priority", "warning")
    assert sorted(result.out.split()) == ["ERROR"] * 5 + ["WARN"]


def test_unknown_priority_is_one_line(tail):
    one_line_error(tail("--file", str(SAMPLES), "--priority", "loud"),
                   "--priority 'loud' is not a priority; choose from: audit",
                   code=2)


def test_publisher_glob(tail, tmp_path):
    nova = (DATA / "nova-notifications.jsonl").read_text().splitlines()
    path = write_lines(tmp_path, WATCHER[:2] + nova)
    result = tail("--file", path, "-f", "value", "-c", "publisher_id",
                  "--publisher", "nova-*")
    assert types_of(result) == ["nova-compute:compute"] * 2


def test_resource_matches_any_uuid_field(tail):
    result = tail("--file", str(SAMPLES), "-f", "value", "-c", "event_type",
                  "--resource", PLAN.upper())
    expected = [event_type(line) for line in WATCHER if PLAN in line]
    assert types_of(result) == expected
    # the plan's own events and its actions' (they name it)
    assert {"action_plan.cancel.end", "action.cancel.end"} <= set(expected)


def test_resource_that_is_no_uuid_is_an_audits_name(capsys, requests_mock):
    def tail_noauth(*args):
        code = run_app(["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
                        "notifications", "tail", "--file", str(SAMPLES),
                        *args])
        return Result(code, capsys.readouterr())

    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.get(f"{ENDPOINT}/v1/audits/c5d4fc6c", status_code=404,
                      json={"error_message": '{"faultstring": "nope"}'})
    one_line_error(tail_noauth("--resource", "c5d4fc6c"),
                   "Audit c5d4fc6c not found", code=1)
    audit = "0a2097fd-7060-419b-a406-6e4cda25b061"  # in the samples
    requests_mock.get(f"{ENDPOINT}/v1/audits/nightly", json={
        "uuid": audit, "name": "nightly", "state": "SUCCEEDED",
        "audit_type": "ONESHOT"})
    by_name = tail_noauth("-f", "value", "-c", "event_type", "--resource",
                          "nightly")
    assert types_of(by_name) == [event_type(line) for line in WATCHER
                                 if audit in line]
    assert types_of(by_name)


# --- stopping and exit codes -------------------------------------------------

def test_count(tail):
    result = tail("--file", str(SAMPLES), "-f", "json", "--count", "3",
                  "--priority", "info")
    assert result.code == 0
    assert [e["event_type"] for e in result.events] == [
        "audit.create", "audit.update", "audit.strategy.start"]


def test_until_stops_at_the_first_match_and_shows_it(tail):
    result = tail("--file", str(SAMPLES), "-f", "value", "-c", "event_type",
                  "--resource", PLAN, "--until", "action_plan.cancel.*")
    assert result.code == 0
    assert types_of(result)[-1] == "action_plan.cancel.start"
    assert types_of(result).count("action_plan.cancel.start") == 1


def test_file_ending_before_the_goal_is_exit_3(tail):
    result = tail("--file", str(SAMPLES), "--until", "nothing.like.this")
    assert result.code == 3
    assert "ended before an event matching nothing.like.this (272 shown)" \
        in result.err
    result = tail("--file", str(SAMPLES), "--count", "1000",
                  "--event-type", "audit.*")
    assert result.code == 3 and "before 1000 notifications" in result.err


def test_count_must_be_positive(tail):
    with pytest.raises(SystemExit) as caught:  # argparse's usage error
        tail("--file", str(SAMPLES), "--count", "0")
    assert caught.value.code == 2


class ScriptedListener:
    """Stands in for the bus: hands some lines over, then ends as told."""

    lines = WATCHER
    ending = bus.TIMED_OUT
    seen = {}

    def __init__(self, url, exchange, topic, priorities, report, where):
        ScriptedListener.seen = dict(url=url, exchange=exchange, topic=topic,
                                     priorities=priorities, where=where)
        self._report = report

    def run(self, handle, deadline=None):
        ScriptedListener.seen["deadline"] = deadline
        self._report("Listening on exchange (scripted)")
        for number, line in enumerate(self.lines, 1):
            if handle(line, f"exchange (scripted), message {number}"):
                return bus.STOPPED
        if isinstance(self.ending, BaseException):
            raise self.ending
        return self.ending


@pytest.fixture
def scripted(monkeypatch):
    monkeypatch.setattr(listener, "Listener", ScriptedListener)
    monkeypatch.setattr(ScriptedListener, "ending", bus.TIMED_OUT)
    monkeypatch.delenv("WATCHER_TRANSPORT_URL", raising=False)
    return ScriptedListener


def test_timeout_with_an_unmet_goal_is_exit_4(tail, scripted):
    result = tail("--until", "action_plan.delete", "--event-type", "audit.*",
                  "--timeout", "120")
    audits = sum(event_type(line).startswith("audit.") for line in WATCHER)
    assert result.code == 4
    assert result.err.splitlines()[-1] == (
        f"Timed out before an event matching action_plan.delete ({audits} "
        "shown)")
    assert scripted.seen["deadline"] is not None


def test_timeout_without_a_goal_is_a_normal_end(tail, scripted):
    result = tail("--timeout", "5", "-f", "value", "-c", "event_type")
    assert result.code == 0
    assert len(result.out.splitlines()) == len(WATCHER)


def test_until_met_on_the_bus_is_exit_0(tail, scripted):
    result = tail("--until", "action_plan.cancel.end", "--resource", PLAN,
                  "--timeout", "120", "-f", "value", "-c", "event_type",
                  "-c", "state")
    assert result.code == 0
    shown = result.out.splitlines()
    assert shown[-1] == "action_plan.cancel.end CANCELLED"
    assert "action_plan.cancel.start CANCELLING" in shown[:-1]


def test_ctrl_c_is_exit_130_without_traceback(tail, scripted, monkeypatch):
    monkeypatch.setattr(scripted, "ending", KeyboardInterrupt())
    result = tail()
    assert result.code == 130
    assert "Traceback" not in result.err


def test_service_presets_and_overrides(tail, scripted):
    tail("--service", "nova")
    assert (scripted.seen["exchange"], scripted.seen["topic"]) == (
        "nova", "versioned_notifications")
    tail("--service", "ironic", "--topic", "mine")
    assert (scripted.seen["exchange"], scripted.seen["topic"]) == (
        "ironic", "mine")
    tail("--exchange", "other", "--priority", "error")
    assert (scripted.seen["exchange"], scripted.seen["topic"],
            scripted.seen["priorities"]) == ("other", "notifications",
                                             ["error"])
    assert scripted.seen["priorities"] == ["error"]
    tail()
    assert scripted.seen["priorities"] == bus.PRIORITIES
    assert scripted.seen["where"] == "the default"


def test_transport_url_from_a_config_file(tail, scripted, tmp_path):
    conf = tmp_path / "watcher.conf"
    conf.write_text("[oslo_messaging_notifications]\ntransport_url = "
                    "rabbit://w:pw@mq1:5672,w:pw@mq2/watcher\n")
    tail("--config-file", str(conf))
    url = scripted.seen["url"]
    assert [h.address for h in url.hosts] == ["mq1:5672", "mq2:5672"]
    assert url.virtual_host == "watcher"


def test_invalid_transport_url_is_one_line_without_password(tail, scripted):
    result = tail("--transport-url", "rabbit://u:Sup3rSecret@h:port/")
    one_line_error(result, "Invalid transport URL rabbit://***@h:port/",
                   code=2)
    assert "Sup3rSecret" not in result.err


def test_unknown_column_and_raw_with_columns(tail):
    one_line_error(tail("--file", str(SAMPLES), "-c", "nope"),
                   "No field 'nope'", code=2)
    one_line_error(tail("--file", str(SAMPLES), "--raw", "-c", "event_type"),
                   "--raw shows whole messages: no -c", code=2)


@pytest.mark.parametrize("option", ["--sort-column", "--sort-ascending",
                                    "--noindent", "--print-empty"])
def test_options_a_stream_cannot_honour_are_not_offered(tail, capsys,
                                                        option):
    with pytest.raises(SystemExit) as exited:
        tail("--file", str(SAMPLES), option)
    assert exited.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


# --- secrets -----------------------------------------------------------------

def with_token(line):
    body = json.loads(line)
    message = json.loads(body["oslo.message"])
    message["_context_auth_token"] = TOKEN
    message["_context_auth_token_info"] = {"token": {"id": TOKEN}}
    body["oslo.message"] = json.dumps(message)
    return json.dumps(body)


@pytest.mark.parametrize("options", [
    [], ["--max-width", "80"], ["-f", "json"], ["-f", "yaml"],
    ["-f", "value"], ["-f", "csv"], ["--raw"],
    ["-f", "json", "-c", "payload", "-c", "payload_object"],
    ["-f", "value", "-c", "Message ID", "-c", "payload"],
])
def test_auth_token_is_never_printed(tail, tmp_path, options):
    wire = with_token(WATCHER[0])
    bare_message = json.loads(wire)["oslo.message"]
    path = write_lines(tmp_path, [wire, bare_message])
    result = tail("--file", path, *options)
    assert result.code == 0
    assert any(text in result.out for text in (
        "audit.create", "5aa769a2-3b8f", "AuditCreatePayload"))
    assert TOKEN not in result.out + result.err
    assert "_context_" not in result.out


def test_yaml_documents(tail):
    result = tail("--file", str(SAMPLES), "-f", "yaml", "--count", "2")
    documents = list(yaml.safe_load_all(result.out))
    assert [d["event_type"] for d in documents] == ["audit.create",
                                                    "audit.update"]


# --- start-up cost -----------------------------------------------------------

def test_importing_the_command_imports_no_kombu():
    code = ("import sys, watcherclient_ext.commands.notifications; "
            "heavy = [m for m in ('kombu', 'amqp', 'yaml', 'ssl') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"


# --- hostile input: one message never ends the stream ------------------------

def message(**fields):
    """A Nova-like bare message, its instance named as given."""
    name = fields.pop("name", "vm-1")
    body = {"event_type": "instance.update", "priority": "INFO",
            "publisher_id": "nova-compute:c1",
            "timestamp": "2026-01-01 10:00:00.000000",
            "payload": {"uuid": PLAN, "display_name": name}}
    body.update(fields)
    return json.dumps(body)


HOSTILE = [
    message(name="\x1b]0;pwned\x07\x1b[2J evil \u009b31m"),
    "[" * 100000 + "]" * 100000,                      # nested too deeply
    message(name="lone \ud800"),
    '{"event_type": "x.y", "payload": {"v": NaN, "n": -Infinity}}',
    message(event_type=5),                            # not a string
    message(event_type={"a": 1}, priority=["INFO"]),
    message(name={"nested": [1, {"x": None}]}),
    message(name="日本語の名前😀" * 8),
]


#: How each format shows the first HOSTILE name (None: it need not).
ESCAPED = {"table": "\\x1b]0;pwned\\x07\\x1b[2J evil \\x9b31m",
           "yaml": "\\e]0;pwned\\a\\e[2J evil \\x9B31m",
           "json": "\\u001b]0;pwned\\u0007\\u001b[2J evil \\u009b31m"}


@pytest.mark.parametrize("options, shown", [
    ([], "table"), (["--max-width", "60"], None), (["-f", "value"], "table"),
    (["-f", "csv"], "table"), (["-f", "json"], "json"),
    (["-f", "yaml"], "yaml"), (["--raw"], None),
    (["-f", "value", "--event-type", "*", "--publisher", "*",
      "--priority", "info", "--resource", PLAN], "table"),
])
def test_a_hostile_file_never_ends_the_replay(tail, tmp_path, options,
                                              shown):
    path = write_lines(tmp_path, HOSTILE + [WATCHER[0]])
    result = tail("--file", path, *options)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    *skipped, summary = result.err.splitlines()
    assert skipped == [f"{path}, line 2: skipped: nested too deeply"]
    assert summary == "Skipped 1 message that could not be read or shown"
    if "--resource" not in options:  # the last line is about an audit
        assert "oneshot-1" in result.out or "audit.create" in result.out
    if shown:
        assert ESCAPED[shown] in result.out.replace("\\\\", "\\")
    # JSON, --raw's included, escapes them too
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]",
                         result.out)


@pytest.mark.parametrize("width", range(60, 80))
def test_a_narrow_table_never_cuts_an_escape(tail, tmp_path, width):
    path = write_lines(tmp_path, [message(name="ab\x1b[2J\x1b[2J"),
                                  message(name="日本語")])
    result = tail("--file", path, "-c", "event_type", "-c", "object",
                  "--max-width", str(width))
    for row in result.out.splitlines():
        assert terminal_text.cells(row) <= width
        assert not re.search(r"\\(?!x1b)", row), row


def test_integers_beyond_64_bits_are_exact(tail, tmp_path):
    big = 2 ** 64 * 3 + 1
    line = f'{{"event_type": "x", "payload": {{"n": {big}, "m": -{big}}}}}'
    path = write_lines(tmp_path, [line])
    shown = tail("--file", path, "-f", "json").events[0]
    assert shown["payload"] == {"n": big, "m": -big}
    raw = tail("--file", path, "--raw").events[0]
    assert json.loads(raw["oslo.message"])["payload"] == {"n": big,
                                                          "m": -big}


def test_a_byte_order_mark_at_the_start_is_ignored(tail, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(WATCHER[:2]).encode())
    result = tail("--file", str(path), "-f", "value", "-c", "event_type")
    assert result.out.splitlines() == ["audit.create", "audit.update"]
    assert result.err == ""


class FailingStdin:
    """stdin whose device fails after some lines."""

    def __init__(self, lines):
        self.buffer = self
        self.closed = False
        self._chunks = [line.encode() + b"\n" for line in lines]

    def read1(self, size):
        if not self._chunks:
            raise OSError(5, "Input/output error")
        return self._chunks.pop(0)


def test_a_file_failing_mid_read_shows_what_it_read(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FailingStdin(WATCHER[:2]))
    code = run_app(["notifications", "tail", "--file", "-", "-f", "value",
                    "-c", "event_type"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.splitlines() == ["audit.create", "audit.update"]
    assert captured.err.splitlines() == [
        "Cannot read stdin after line 2: Input/output error"]


def test_closed_stdin_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    code = run_app(["notifications", "tail", "--file", "-"])
    assert code == 1
    assert capsys.readouterr().err == "Cannot read stdin: it is closed\n"


def test_empty_file_name_is_a_usage_error(tail):
    with pytest.raises(SystemExit) as caught:
        tail("--file", "")
    assert caught.value.code == 2


@pytest.mark.parametrize("options", [
    ["--file", ""], ["--transport-url", ""], ["--config-file", ""],
    ["--exchange", ""], ["--topic", " "], ["--count", "²"],
    ["--count", "-1"], ["--event-type", ""], ["--publisher", " "],
    ["--until", ""], ["--timeout", "x"], ["--timeout", "-1"],
    ["--timeout", "nan"], ["--timeout", "1e400"], ["--exchange", "x" * 256],
    ["--topic", "t" * 247], ["--exchange", "\udcff"], ["--service", "x"],
    ["--resource", " "],
])
def test_bad_option_values_are_argparse_usage_errors(tail, options, capsys):
    with pytest.raises(SystemExit) as caught:
        tail(*options)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {options[0]}: " in err
    assert "_count" not in err and "_path" not in err


@pytest.mark.parametrize("options, message", [
    (["--priority", ""], "--priority needs a priority"),
    (["--priority", ","], "--priority needs a priority"),
    (["--max-width", "-5"], "--max-width -5: expected 0"),
])
def test_bad_option_values_checked_before_reading_are_exit_2(
        tail, options, message):
    one_line_error(tail("--file", str(SAMPLES), *options), message, code=2)


def test_longest_names_amqp_carries_are_accepted(tail, scripted):
    assert tail("--exchange", "é" * 127, "--topic", "t" * 246).code == 0
    assert scripted.seen["topic"] == "t" * 246


class NeverConnects:
    def __init__(self, *args):
        raise AssertionError("a bad option must be caught before this")


@pytest.mark.parametrize("options, message", [
    (["--transport-url", "rabbit://u:Sup3rSecret,x@h/"],
     "Invalid transport URL rabbit://***,***@h/: host 1 has no credentials"),
    (["--transport-url", "rabbit://guest:Sup3rSecret"],
     "Invalid transport URL rabbit://***: host 1: what follows its ':'"),
    (["--config-file", "/dev/zero"],
     "Cannot read config file /dev/zero: line 1 is longer than 1 MiB"),
    (["--config-file", "/nonexistent/w.conf"],
     "Cannot read config file /nonexistent/w.conf: No such file"),
])
def test_bad_transport_options_before_any_connection_or_read(
        tail, monkeypatch, options, message):
    monkeypatch.setattr(listener, "Listener", NeverConnects)
    monkeypatch.setattr(replay, "replay", NeverConnects)
    one_line_error(tail(*options), message, code=2)
    one_line_error(tail("--file", str(SAMPLES), *options), message, code=2)
    assert "Sup3rSecret" not in message


def test_lines_from_the_wire_on_stderr_are_safe(tail, scripted, monkeypatch):
    def run(self, handle, deadline=None):
        self._report("Listening on exchange \x1b]0;owned\x07 (queue "
                     "amq.\u202egen)")
        return bus.TIMED_OUT

    monkeypatch.setattr(scripted, "run", run)
    result = tail("--until", "\x1b[2J", "--timeout", "1")
    assert result.code == 4
    assert result.err.splitlines() == [
        "Listening on exchange \\x1b]0;owned\\x07 (queue amq.\\u202egen)",
        "Timed out before an event matching \\x1b[2J (0 shown)"]


def test_closed_stdout_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    code = run_app(["notifications", "tail", "--file", str(SAMPLES)])
    assert code == 1
    assert capsys.readouterr().err == (
        "Cannot show notifications: stdout is closed\n")
