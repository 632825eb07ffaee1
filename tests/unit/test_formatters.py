"""Every command's formats against hostile values: nothing a terminal acts
on in human formats, the data in JSON and YAML, and ``-f shell`` that
``eval`` reads back exactly and that runs nothing."""

import gc
import io
import json
import os
import re
import subprocess
import tempfile
import types

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from watcherclient_ext import shell
from watcherclient_ext.commands import base
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import display
from watcherclient_ext.formatting import formatters
from watcherclient_ext.formatting import records

#: What no output may hold raw: the C0 controls but newline (which ends a
#: line of every format) and tab, DEL, C1, bidi, line and paragraph
#: separators, lone surrogates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028"
                 "\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The same with tab: a format of one line per value escapes it too.
RAW_OR_TAB = re.compile(f"\t|{RAW.pattern}")
SHELL_NASTY = ("x$(touch p)", "`touch p`", '\\";touch p;"', "'; touch p; '",
               "$'\\x27'; touch p", "${IFS}", "a\\", "'", "''\\''",
               "\ntouch p\n", "!! *", "~", "-n", "a=b c", "\x1b]0;t\x07")
shell_text = hostile.text | st.sampled_from(SHELL_NASTY)


class OneThing(base.ShowOne):
    """A ShowOne that shows the labels and values it was made with."""

    def __init__(self, labels, values):
        super().__init__(types.SimpleNamespace(stdout=io.StringIO()), None)
        self.labels, self.values = tuple(labels), tuple(values)

    def take_action(self, parsed_args):
        return self.labels, self.values


class Things(base.Lister):
    """A Lister that shows the labels and rows it was made with."""

    def __init__(self, labels, rows):
        super().__init__(types.SimpleNamespace(stdout=io.StringIO()), None)
        self.labels, self.rows = tuple(labels), [tuple(r) for r in rows]

    def take_action(self, parsed_args):
        return self.labels, iter(self.rows)


def show(command, *args):
    command.run(command.get_parser("test").parse_args(list(args)))
    return command.app.stdout.getvalue()


def one(fmt, labels, values, *args):
    return show(OneThing(labels, values), "-f", fmt, *args)


def listed(fmt, labels, rows, *args):
    return show(Things(labels, rows), "-f", fmt, *args)


def unheld(text):
    """``text`` as a shell variable holds it: NUL and lone surrogates as
    their visible escapes."""
    return re.sub("[\x00\ud800-\udfff]",
                  lambda m: ascii(m.group())[1:-1], text)


def run_bash(script, cwd):
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, capture_output=True, check=True,
        env={"PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8"}).stdout


def evaluated(output, names):
    """The values of ``names`` after ``eval`` of ``output`` in bash, and
    the files that made in its directory (there should be none)."""
    with tempfile.TemporaryDirectory() as where:
        with open(os.path.join(where, "out"), "w", encoding="utf-8") as out:
            out.write(output)
        printed = run_bash(
            'eval "$(cat out)"; rm out; printf "%s\\0" '
            + " ".join(f'"${name}"' for name in names), where)
        made = os.listdir(where)
    return printed.decode("utf-8").split("\0")[:-1], made


# --- -f shell ----------------------------------------------------------------

@pytest.mark.parametrize("text, word", [
    ("plain", "'plain'"),
    ("it's", "'it'\\''s'"),
    ("x$(touch p)", "'x$(touch p)'"),
    ("a\x1bb", "'a'$'\\x1b''b'"),
    ("\u202e日本\n", "$'\\xe2\\x80\\xae''日本'$'\\x0a'"),
    ("", "''"),
    ("\x00\ud800", "'\\x00\\ud800'"),
])
def test_shell_quote(text, word):
    assert formatters.shell_quote(text) == word


@hostile.BOUNDED
@given(st.lists(shell_text, min_size=1, max_size=8))
def test_eval_sets_exactly_each_value_and_runs_nothing(texts):
    labels = [f"Field {i}" for i in range(len(texts))]
    output = one("shell", labels, texts)
    assert not RAW_OR_TAB.search(output.replace("\n", ""))
    assert output.count("\n") == len(texts)
    values, made = evaluated(output, [f"field_{i}" for i in range(len(texts))])
    assert values == [unheld(text) for text in texts]
    assert made == []


@hostile.BOUNDED
@given(hostile.json_values)
def test_eval_of_any_value_sets_what_value_shows_unescaped(value):
    output = one("shell", ["V"], columns.select({"v": value}, ["v"], ["V"])[1])
    assert not RAW_OR_TAB.search(output.replace("\n", ""))
    values, made = evaluated(output, ["v"])
    assert made == []
    assert values == [unheld(
        "None" if value is None else display.render(value))]


#: Every label a command shows, and the variable cliff names it.
LABELS = (records.PLAN_SHOW_LABELS + records.CANCEL_LABELS
          + records.AUDIT_CREATE_LABELS + records.TRIGGER_LABELS)


@pytest.mark.parametrize("label", sorted(set(LABELS)))
def test_variables_keep_the_names_cliff_gives_them(label):
    cliff_name = label.lower().replace(" ", "_").replace(
        ":", "_").replace("-", "_")
    assert formatters.variable_name(label) == cliff_name


@hostile.BOUNDED
@given(hostile.text)
def test_every_label_makes_a_variable_name(label):
    assert re.fullmatch("[A-Za-z_][A-Za-z0-9_]*",
                        formatters.variable_name(label))


def test_prefix_and_chosen_variables():
    output = one("shell", ["Name", "State: Now", "Hidden"],
                 ["n", "s", "h"], "--prefix", "plan_", "--variable",
                 "name", "--variable", "state:-now")
    assert output == "plan_name='n'\nplan_state__now='s'\n"


@pytest.mark.parametrize("prefix", ["1x", "a-b", "$(touch p)", "a b", "é"])
def test_a_prefix_that_cannot_begin_a_name_is_a_usage_error(prefix, capsys):
    with pytest.raises(SystemExit) as caught:
        one("shell", ["Name"], ["n"], "--prefix", prefix)
    assert caught.value.code == 2
    assert "cannot begin a shell variable name" in capsys.readouterr().err


# --- the other formats -------------------------------------------------------

HOSTILE = "ok\x1b]0;pwned\x07\x1b[2J\u009b\u202eevil\u2066\u200f\u2028" \
          "\u2029\x85\x7f\ud800\nnext\tcol\r"
RECORD = {"uuid": "0f3c2a9e", "name": HOSTILE, "count": 3, "none": None,
          "parameters": {"k\u202e": ["v\x1b", 1, HOSTILE]}}
FIELDS = ("uuid", "name", "count", "none", "parameters")
LABELS_OF_RECORD = ("UUID", "Name", "Count", "None", "Parameters")


def hostile_values():
    """As a command gives them: plain strings and wrapped nested values."""
    return columns.select(RECORD, FIELDS, LABELS_OF_RECORD)[1]


@pytest.mark.parametrize("fmt", ["table", "value", "shell"])
def test_one_object_shows_no_raw_control(fmt):
    out = one(fmt, LABELS_OF_RECORD, hostile_values())
    assert not RAW.search(out)
    assert "pwned" in out and "evil" in out


@pytest.mark.parametrize("fmt", ["table", "value", "csv"])
def test_a_list_shows_no_raw_control(fmt):
    out = listed(fmt, LABELS_OF_RECORD, [hostile_values()] * 2)
    assert not RAW.search(out.replace("\r\n", "\n"))
    assert out.count("pwned") == 4  # in the name and in the parameters


def test_tables_keep_lines_and_tabs_of_a_cell():
    """(Tabs as prettytable shows them: expanded.)"""
    out = one("table", ["Name"], ["a\nb\tc\x1bd"])
    assert "| Name  | a              |\n|       | b       c\\x1bd |" in out
    out = listed("table", ["Name"], [["a\nb\tc\x1bd"]])
    assert "| a              |\n| b       c\\x1bd |" in out


def test_value_and_csv_give_each_item_one_line():
    assert one("value", LABELS_OF_RECORD, hostile_values()).splitlines()[
        1:4] == [
        "ok\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202eevil\\u2066\\u200f\\u2028"
        "\\u2029\\x85\\x7f\\ud800\\nnext\\tcol\\r", "3", "None"]
    out = listed("value", LABELS_OF_RECORD, [hostile_values()] * 2)
    assert len(out.split("\n")) == 3
    out = listed("csv", LABELS_OF_RECORD, [hostile_values()] * 2)
    assert len(out.splitlines()) == 3
    assert ',3,"",' in out  # numbers unquoted, no value empty


def test_nested_values_read_as_json_escaped_once():
    values = columns.select({"p": {"k": ["v", 1]}, "s": "lit\\x1b",
                             "e": "\x1b"}, "pse", "PSE")[1]
    assert one("value", "PSE", values).splitlines() == [
        '{"k":["v",1]}', "lit\\x1b", "\\x1b"]
    assert '{"k":["v",1]}' in one("table", "PSE", values)
    assert listed("csv", "PSE", [values]).splitlines()[1] == (
        '"{""k"":[""v"",1]}","lit\\\\x1b","\\\\x1b"')


def data_of(record):
    return {label: record[field]
            for field, label in zip(FIELDS, LABELS_OF_RECORD)}


@pytest.mark.parametrize("fmt, load", [("json", json.loads),
                                       ("yaml", yaml.safe_load)])
def test_json_and_yaml_keep_the_data_with_every_control_escaped(fmt, load):
    out = one(fmt, LABELS_OF_RECORD, hostile_values())
    assert not RAW_OR_TAB.search(out)
    assert load(out) == data_of(RECORD)
    out = listed(fmt, LABELS_OF_RECORD, [hostile_values()])
    assert not RAW_OR_TAB.search(out)
    assert load(out) == [data_of(RECORD)]


@hostile.BOUNDED
@given(hostile.json_values)
def test_any_value_in_every_format(value):
    values = columns.select({"v": value}, ["v"], ["V"])[1]
    for fmt in ("table", "value", "shell"):
        assert not RAW.search(one(fmt, ["V"], values))
    for fmt in ("table", "value", "csv"):
        assert not RAW.search(listed(fmt, ["V"], [values]).replace(
            "\r\n", "\n"))
    for fmt, load in (("json", json.loads), ("yaml", yaml.safe_load)):
        out = one(fmt, ["V"], values)
        assert not RAW_OR_TAB.search(out)
        assert load(out) == {"V": value}
        out = listed(fmt, ["V"], [values])
        assert not RAW_OR_TAB.search(out)
        assert load(out) == [{"V": value}]


def test_commands_offer_only_these_formatters():
    assert sorted(OneThing([], [])._formatter_plugins.names()) == [
        "json", "shell", "table", "value", "yaml"]
    assert sorted(Things([], [])._formatter_plugins.names()) == [
        "csv", "json", "table", "value", "yaml"]


# --- real commands -----------------------------------------------------------

PLAN = "17287473-44cd-497d-9235-063cf6e885a4"
OTHER = "6e1f3ac9-4a4b-4a57-9a4b-8d1c1b0e9d11"
EVIL_MESSAGE = "x$(touch p)`touch q`\\\";touch r;\"'\x1b]0;t\x07\u202e"
EVIL_HOST = "node`touch s`\\\";\n"


def watcher_ext(*args):
    """``watcher-ext`` as its console script runs it, the test process
    left as found: main() freezes the collector for the exit."""
    try:
        return shell.main(["--os-auth-type", "none", "--os-endpoint",
                           ENDPOINT, *args])
    finally:
        gc.unfreeze()


@pytest.fixture
def server(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    return requests_mock


def test_actionplan_show_for_eval_runs_nothing(server, capsys):
    server.get(f"{ENDPOINT}/v1/action_plans/{PLAN}", json={
        "uuid": PLAN, "state": "FAILED", "status_message": EVIL_MESSAGE,
        "hostname": EVIL_HOST, "efficacy_indicators": [{"name": "x\x1b"}]})
    server.get(f"{ENDPOINT}/v1/actions", json={"actions": []})
    assert watcher_ext("actionplan", "show", PLAN, "-f", "shell") == 0
    out = capsys.readouterr().out
    assert not RAW_OR_TAB.search(out.replace("\n", ""))
    values, made = evaluated(out, ["uuid", "status_message", "hostname",
                                   "efficacy_indicators", "deleted_at"])
    assert values == [PLAN, EVIL_MESSAGE, EVIL_HOST,
                      '[{"name":"x\\u001b"}]', "None"]
    assert made == []


def test_cancel_of_several_plans_shows_their_states_safe(server, capsys):
    for uuid in (PLAN, OTHER):
        url = f"{ENDPOINT}/v1/action_plans/{uuid}"
        server.get(url, json={"uuid": uuid, "state": "PENDING"})
        server.patch(url, json={"uuid": uuid,
                                "state": "CANCELLED\x1b]0;t\x07\u202e"})
    watcher_ext("actionplan", "cancel", PLAN, OTHER, "-f", "value")
    out = capsys.readouterr().out
    assert not RAW.search(out)
    assert f"{PLAN} PENDING CANCELLED\\x1b]0;t\\x07\\u202e" in out


AUDIT = "6a0c1f7e-7f43-4b4e-9d43-5d1b0d6b8a11"


@pytest.mark.parametrize("fmt", ["table", "value", "shell"])
def test_webhook_url_shows_a_hostile_audit_name_safe(server, capsys, fmt):
    server.get(f"{ENDPOINT}/v1/audits/{AUDIT}", json={
        "uuid": AUDIT, "name": "n\x1b]0;t\x07\u202e\x9b",
        "audit_type": "EVENT", "state": "PENDING"})
    assert watcher_ext("webhook", "url", AUDIT, "-f", fmt) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out)
    assert "0;t" in out and f"/v1/webhooks/{AUDIT}" in out
