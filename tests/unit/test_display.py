"""Safe text for a terminal and its width in display cells."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from watcherclient_ext import terminal_text
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
    assert terminal_text.safe(text) == shown


def test_lines_and_tabs_kept_where_the_format_allows():
    assert terminal_text.safe("a\tb\nc\x1b", lines=True) == "a\tb\nc\\x1b"


@pytest.mark.parametrize("value, text", [
    (None, ""), ("text", "text"), (5, "5"), (2 ** 70, str(2 ** 70)),
    (True, "True"), ({"a": [1, "é"]}, '{"a":[1,"é"]}'), ([], "[]"),
    ((1, 2), "[1,2]"),
])
def test_render_nested_values_as_compact_json(value, text):
    assert display.render(value) == text


def test_cells_count_wide_and_combining_characters():
    assert terminal_text.cells("abc") == 3
    assert terminal_text.cells("日本") == 4
    assert terminal_text.cells("😀") == 2
    assert terminal_text.cells("e\u0301") == 1


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
    assert terminal_text.fit(text, width) == fitted
    assert terminal_text.cells(fitted) <= width


def units(text):
    return [terminal_text.escape(c) if terminal_text.safe(c) != c else c
            for c in text]


@hostile.BOUNDED
@given(hostile.text, st.integers(min_value=0, max_value=30))
def test_fit_is_safe_within_width_and_cut_between_units(text, width):
    fitted = terminal_text.fit(text, width)
    assert not hostile.RAW_CONTROL_OR_LINE.search(fitted)
    assert terminal_text.cells(fitted) <= width
    whole = terminal_text.safe(text)
    if terminal_text.cells(whole) <= width:
        assert fitted == whole
    elif width:
        kept = fitted[:-1]
        assert fitted.endswith(terminal_text.ELLIPSIS)
        assert any("".join(units(text)[:n]) == kept
                   for n in range(len(text) + 1))
