"""Safe text for a terminal, width in display cells, and cliff's formats
of ShowOne values: escapes in human formats, data in JSON and YAML."""

import argparse
import io
import json

import pytest
import yaml
from cliff.formatters import commaseparated
from cliff.formatters import json_format
from cliff.formatters import shell
from cliff.formatters import table
from cliff.formatters import value as value_format
from cliff.formatters import yaml_format
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import display


@pytest.mark.parametrize("text, shown", [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    ("\x1b[2J", "\\x1b[2J"),
    ("a\u009b31m", "a\\x9b31m"),
    ("del\x7f", "del\\x7f"),
    ("tab\tline\ncr\r", "tab\\tline\\ncr\\r"),
    ("\u202eevil", "\\u202eevil"),
    ("lone \ud800", "lone \\ud800"),
    ("日本 😀 é", "日本 😀 é"),
])
def test_unsafe_characters_are_shown_escaped(text, shown):
    assert display.safe(text) == shown


def test_lines_and_tabs_kept_where_the_format_allows():
    assert display.safe("a\tb\nc\x1b", lines=True) == "a\tb\nc\\x1b"


@pytest.mark.parametrize("value, text", [
    (None, ""), ("text", "text"), (5, "5"), (2 ** 70, str(2 ** 70)),
    (True, "True"), ({"a": [1, "é"]}, '{"a":[1,"é"]}'), ([], "[]"),
    ((1, 2), "[1,2]"),
])
def test_render_nested_values_as_compact_json(value, text):
    assert display.render(value) == text


def test_cells_count_wide_and_combining_characters():
    assert display.cells("abc") == 3
    assert display.cells("日本") == 4
    assert display.cells("😀") == 2
    assert display.cells("e\u0301") == 1


@pytest.mark.parametrize("text, width, fitted", [
    ("abcdef", 6, "abcdef"),
    ("abcdef", 4, "abc…"),
    ("ab\x1b[2J", 5, "ab…"),  # not "ab\x…": an escape is whole or gone
    ("ab\x1b[2J", 7, "ab\\x1b…"),
    ("日本語", 5, "日本…"),
    ("日本語", 4, "日…"),  # a wide character is never half shown
    ("x", 0, ""),
])
def test_fit_cuts_between_escapes_and_characters(text, width, fitted):
    assert display.fit(text, width) == fitted
    assert display.cells(fitted) <= width


def units(text):
    return [display.escape(c) if display.safe(c) != c else c for c in text]


@hostile.BOUNDED
@given(hostile.text, st.integers(min_value=0, max_value=30))
def test_fit_is_safe_within_width_and_cut_between_units(text, width):
    fitted = display.fit(text, width)
    assert not hostile.RAW_CONTROL_OR_LINE.search(fitted)
    assert display.cells(fitted) <= width
    whole = display.safe(text)
    if display.cells(whole) <= width:
        assert fitted == whole
    elif width:
        kept = fitted[:-1]
        assert fitted.endswith(display.ELLIPSIS)
        assert any("".join(units(text)[:n]) == kept
                   for n in range(len(text) + 1))


# --- cliff's formats of ShowOne values ---------------------------------------

FORMATTERS = {
    "table": table.TableFormatter, "value": value_format.ValueFormatter,
    "csv": commaseparated.CSVLister, "shell": shell.ShellFormatter,
    "json": json_format.JSONFormatter, "yaml": yaml_format.YAMLFormatter,
}


def emit(fmt, labels, values):
    formatter = FORMATTERS[fmt]()
    parser = argparse.ArgumentParser()
    formatter.add_argument_group(parser)
    out = io.StringIO()
    if fmt == "csv":
        formatter.emit_list(labels, [values], out, parser.parse_args([]))
    else:
        formatter.emit_one(labels, values, out, parser.parse_args([]))
    return out.getvalue()


PLAN = {"uuid": "0f3c2a9e", "name": "evil\x1b]0;pwned\x07\x1b[2J\u009b",
        "parameters": {"k": ["v", 1]}, "count": 3}
FIELDS = ("uuid", "name", "parameters", "count")
LABELS = ("UUID", "Name", "Parameters", "Count")


def test_value_and_csv_show_nested_values_as_json_not_repr():
    labels, values = columns.select(PLAN, FIELDS, LABELS)
    assert emit("value", labels, values).splitlines() == [
        "0f3c2a9e", "evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b", '{"k":["v",1]}',
        "3"]
    row = emit("csv", labels, values).splitlines()[1]
    assert '"{""k"":[""v"",1]}"' in row and "'k'" not in row
    assert "\\\\x1b]0;pwned" in row  # csv escapes the backslash


@pytest.mark.parametrize("fmt", ["table", "value", "csv", "shell"])
def test_human_formats_never_write_a_control_character(fmt):
    labels, values = columns.select(PLAN, FIELDS, LABELS)
    out = emit(fmt, labels, values)
    assert not hostile.RAW_CONTROL.search(out.replace("\r\n", "\n"))
    assert "pwned" in out


def test_json_and_yaml_keep_the_data():
    labels, values = columns.select(PLAN, FIELDS, LABELS)
    assert json.loads(emit("json", labels, values)) == dict(
        zip(LABELS, (PLAN[f] for f in FIELDS)))
    shown = yaml.safe_load(emit("yaml", labels, values))
    assert shown == dict(zip(LABELS, (PLAN[f] for f in FIELDS)))


@hostile.BOUNDED
@given(hostile.json_values)
def test_any_value_in_every_cliff_format(value):
    labels, values = columns.select({"v": value}, ("v",), ("V",))
    for fmt in ("table", "value", "csv", "shell"):
        out = emit(fmt, labels, values)
        assert not hostile.RAW_CONTROL.search(out.replace("\r\n", "\n"))
    assert json.loads(emit("json", labels, values)) == {"V": value}
    assert yaml.safe_load(emit("yaml", labels, values)) == {"V": value}
