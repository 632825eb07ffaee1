"""JSON text of the notification stream: fast, and refusing nothing the
standard library takes."""

import json
import math
import re

import pytest
from hypothesis import given

from tests.unit import hostile
from watcherclient_ext.formatting import jsontext

#: Raw in JSON text, a terminal would act on it: C0, DEL, C1, bidi.
TERMINAL_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("text", [
    '{"a": [1, 2.5, "é", null, true]}', b'{"a": [1, 2.5, "\xc3\xa9"]}'])
def test_loads_str_and_utf8_bytes(text):
    expected = json.loads(text)
    assert jsontext.loads(text) == expected


def test_loads_what_only_the_standard_library_takes():
    value = jsontext.loads('{"nan": NaN, "inf": Infinity, "big": 1e400, '
                           '"x": 1.5}')
    assert math.isnan(value["nan"])
    assert value["inf"] == value["big"] == math.inf
    assert value["x"] == 1.5


@pytest.mark.parametrize("text", ["{", "", "nope", b"\xff"])
def test_loads_refuses_what_is_not_json_with_a_value_error(text):
    with pytest.raises(ValueError):
        jsontext.loads(text)


def test_loads_explains_in_the_standard_library_words():
    with pytest.raises(json.JSONDecodeError, match="line 1 column 7"):
        jsontext.loads('{"a": }')


def test_dumps_one_compact_line_that_reads_back():
    value = {"a": [1, 2.5, "é\nx"], "b": {"c": None, "d": False}}
    text = jsontext.dumps(value)
    assert "\n" not in text and ": " not in text
    assert json.loads(text) == value


@pytest.mark.parametrize("text, kept", [
    ('{"v": NaN}', "NaN"),
    ('{"v": -Infinity}', "-Infinity"),
    ('{"v": 1e400}', "Infinity"),
    ('{"v": "\\ud800"}', '"\\ud800"'),
    ('{"v": [1, NaN]}', "[1,NaN]"),
])
def test_values_orjson_refuses_come_out_as_they_came_in(text, kept):
    line = jsontext.dumps(jsontext.loads(text))
    assert line == '{"v":%s}' % kept
    line.encode("ascii")  # any output stream takes it


def test_dumps_integers_beyond_64_bits():
    assert jsontext.dumps({"big": 2 ** 70}) == '{"big":%d}' % 2 ** 70


@pytest.mark.parametrize("number", [
    2 ** 64, 2 ** 64 * 7 + 3, -(2 ** 63) - 1, 10 ** 40, -(10 ** 40)])
def test_loads_integers_beyond_64_bits_exactly(number):
    for text in (f'{{"n": {number}}}', f'{{"n": {number}}}'.encode()):
        assert jsontext.may_hold_a_long_integer(text)
        value = jsontext.loads(text)["n"]
        assert type(value) is int and value == number
        assert jsontext.dumps({"n": value}) == f'{{"n":{number}}}'


def test_only_long_runs_of_digits_take_the_slower_path():
    ordinary = '{"t": "2026-11-21 22:17:10.071431", "n": 18446744073709551}'
    assert not jsontext.may_hold_a_long_integer(ordinary)
    assert not jsontext.may_hold_a_long_integer(ordinary.encode())
    assert jsontext.may_hold_a_long_integer('"1234567890123456789"')


@hostile.BOUNDED
@given(hostile.json_values)
def test_dumps_gives_a_terminal_no_control_and_the_same_value(value):
    text = jsontext.dumps(value)
    assert not TERMINAL_CONTROL.search(text)
    assert "\n" not in text
    assert json.loads(text) == json.loads(json.dumps(value))


def test_c1_and_bidi_controls_are_escaped_as_json():
    assert jsontext.dumps(["\x9b2J", "a\u202eb", "\x7f", "é"]) == (
        '["\\u009b2J","a\\u202eb","\\u007f","é"]')


@pytest.mark.parametrize("char", [
    "\x7f", "\x80", "\x9b", "\x9f", "\u061c", "\u200e", "\u200f", "\u2028",
    "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"])
def test_every_terminal_control_is_escaped(char):
    assert jsontext.dumps("é" + char) == '"é\\u%04x"' % ord(char)
    assert jsontext.dumps(char) == '"\\u%04x"' % ord(char)


@pytest.mark.parametrize("char", ["\xa0", "é", "\u200d", "\u2030", "—",
                                  "日", "😀"])
def test_other_characters_stay_as_they_are(char):
    assert jsontext.dumps(char) == f'"{char}"'
