"""JSON text of the notification stream: fast, and refusing nothing the
standard library takes."""

import json
import math

import pytest

from watcherclient_ext.formatting import jsontext


@pytest.mark.parametrize("text", [
    '{"a": [1, 2.5, "é", null, true]}', b'{"a": [1, 2.5, "\xc3\xa9"]}'])
def test_loads_str_and_utf8_bytes(text):
    expected = json.loads(text)
    assert jsontext.loads(text) == expected


def test_loads_what_only_the_standard_library_takes():
    value = jsontext.loads('{"nan": NaN, "inf": Infinity, "big": 1e400}')
    assert math.isnan(value["nan"])
    assert value["inf"] == value["big"] == math.inf


@pytest.mark.parametrize("text", ["{", "", "nope", b"\xff"])
def test_loads_refuses_what_is_not_json_with_a_value_error(text):
    with pytest.raises(ValueError):
        jsontext.loads(text)


def test_loads_explains_in_the_standard_library_words():
    with pytest.raises(json.JSONDecodeError, match="line 1 column 7"):
        jsontext.loads('{"a": }')


def test_dumps_one_line_that_reads_back():
    value = {"a": [1, 2.5, "é\nx"], "b": {"c": None, "d": False}}
    text = jsontext.dumps(value)
    assert "\n" not in text
    assert json.loads(text) == value


def test_dumps_integers_beyond_64_bits():
    assert json.loads(jsontext.dumps({"big": 2 ** 70})) == {"big": 2 ** 70}
