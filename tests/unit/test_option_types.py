"""The one converter of each kind of option value."""

import argparse

import pytest

from watcherclient_ext import option_types


@pytest.mark.parametrize("text, said_yes", [
    (None, False), ("", False), ("0", False), ("false", False),
    ("no", False), ("1", True), ("TRUE", True), (" yes ", True),
    ("On", True)])
def test_truthy(text, said_yes):
    assert option_types.truthy(text) is said_yes


@pytest.mark.parametrize("convert, text", [
    (option_types.seconds, "-1"), (option_types.seconds, "nan"),
    (option_types.seconds, "inf"), (option_types.positive_seconds, "0"),
    (option_types.wait_seconds, "PLAN"),
    (option_types.non_negative_int, "1.5"),
    (option_types.positive_int, "0"),
    (option_types.api_version, "x"), (option_types.api_version, "1.4.2"),
    (option_types.api_version, "2.latest"),
    (option_types.non_negative_int, str(option_types.MAX_COUNT + 1))])
def test_bad_text_is_a_usage_error(convert, text):
    with pytest.raises(argparse.ArgumentTypeError, match=repr(text)):
        convert(text)


def test_good_text_converts():
    assert option_types.seconds("0") == 0.0
    assert option_types.positive_seconds("2.5") == 2.5
    assert option_types.wait_seconds("10") == 10.0
    assert option_types.non_negative_int(str(option_types.MAX_COUNT)) == (
        option_types.MAX_COUNT)
    for version in ("1.4", "1", "latest", "1.LATEST", " 1.7 ", ""):
        assert option_types.api_version(version) == version


@pytest.mark.parametrize("text", ["", " ", "\t"])
def test_an_empty_value_is_a_usage_error(text):
    with pytest.raises(argparse.ArgumentTypeError, match="empty"):
        option_types.non_empty(text)
