"""Text made safe for a terminal, and its width in terminal cells.

Payloads carry names that tenants and operators choose (instances, nodes,
fault messages): untrusted text. A terminal obeys the control characters
in what it is given (``ESC ]0;...BEL`` retitles the window, ``ESC [2J``
clears the screen, U+009B is a one-byte ``ESC [``), so every human format
shows them as visible escapes instead: C0 controls, DEL, C1 controls, the
bidirectional overrides that reorder what is shown, and lone surrogates,
which no output stream can encode.

A leaf: it imports nothing of this package, so that errors, the bus and
the formatters can all use it.
"""

import re

ELLIPSIS = "…"

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
#: The bidirectional and line-separator controls, as a character class
#: body: they reorder or split what a terminal shows.
BIDI_CONTROLS = (
    "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069")
#: Every character :func:`safe` escapes, as a character class body.
UNSAFE_CHARACTERS = f"\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff"
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
#: Where the format keeps lines and tabs (a table cell of a ShowOne).
_UNSAFE_BUT_LINES = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def escape(char):
    """The visible form of one unsafe character, e.g. ``\\x1b``."""
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_match(match):
    return escape(match.group())


def safe(text, lines=False):
    """``text`` with every unsafe character shown as an escape; newlines
    and tabs kept if ``lines``."""
    if text.isprintable():  # the usual case, checked fastest
        return text
    unsafe = _UNSAFE_BUT_LINES if lines else _UNSAFE
    if unsafe.search(text) is None:
        return text
    return unsafe.sub(_escape_match, text)


def _char_cells(char):
    # Imported here: only tables that fit a width need it.
    from wcwidth import wcwidth

    return max(wcwidth(char), 0)


def cells(text):
    """Terminal cells that safe ``text`` takes: wide CJK and emoji count
    two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(char) for char in text)


def fit(text, width):
    """Safe ``text`` (one line: newlines and tabs escaped too) in at most
    ``width`` cells, cut with an ellipsis, never inside an escape or a
    wide character."""
    if text.isascii() and text.isprintable():
        if len(text) <= width:
            return text
        return text[:max(width - 1, 0)] + ELLIPSIS if width else ""
    parts = []
    used = 0
    for char in text:
        if _UNSAFE.match(char):
            part = escape(char)
            size = len(part)
        else:
            part = char
            size = _char_cells(char)
        parts.append((part, size))
        used += size
    if used <= width:
        return "".join(part for part, _ in parts)
    if width < 1:
        return ""
    kept = []
    room = width - 1  # the ellipsis takes one cell
    for part, size in parts:
        if size > room:
            break
        kept.append(part)
        room -= size
    return "".join(kept) + ELLIPSIS


def pad(text, width):
    """Safe ``text`` followed by spaces up to ``width`` cells."""
    return text + " " * (width - cells(text))
