"""JSON text for the notification stream: orjson, and the standard library
for what orjson refuses.

A tail decodes every message and, with ``-f json``, encodes it again;
orjson does both several times faster than the standard library. Its
output is compact UTF-8, one line per value.

orjson is stricter than the standard library, which oslo.messaging uses to
write messages: it refuses NaN, Infinity and numbers beyond a double's
range, and it cannot write integers beyond 64 bits. Text with such values
goes through the standard library instead, so nothing a service sends is
refused, and NaN and Infinity come out as they came in. orjson reads
integers beyond 64 bits as floats: text with a run of 19 digits or more
(which every such integer has) is read by the standard library, exactly.
"""

import json
import math
import re

import orjson

from watcherclient_ext import terminal_text

#: Every ASCII digit made "0", anything else "x": then a run of 19
#: digits, which an integer beyond 64 bits has, is found as fast as a
#: substring (a regular expression takes ten times as long).
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x78
                         for byte in range(256))
_LONG_RUN = b"0" * 19


#: What JSON may hold raw and a terminal acts on: DEL, the C1 controls
#: (U+009B is a one-byte ``ESC [``) and the bidirectional controls. Written
#: as ``\uXXXX`` escapes they are the same JSON value.
_TERMINAL_CONTROLS = re.compile(f"[\x7f-\x9f{terminal_text.BIDI_CONTROLS}]")


def _may_hold_terminal_controls(text):
    """Whether UTF-8 ``text`` holds DEL or a first byte of the others'
    (C2, D8 or E2): nearly never, and found at C speed."""
    return b"\x7f" in text or not text.isascii() and (
        b"\xc2" in text or b"\xd8" in text or b"\xe2" in text)


def _escaped(match):
    return "\\u%04x" % ord(match.group())


class NonFinite(float):
    """NaN or an infinity: orjson refuses to write this type (it would
    write null), so :func:`dumps` hands such values to the standard
    library."""


def _float(text):
    value = float(text)
    return value if math.isfinite(value) else NonFinite(value)


_decode = json.JSONDecoder(parse_float=_float, parse_constant=_float).decode
_encode = json.JSONEncoder(separators=(",", ":")).encode


def may_hold_a_long_integer(text):
    """True if JSON text (str or bytes) may hold an integer beyond 64
    bits."""
    if type(text) is str:
        text = text.encode("utf-8", "surrogatepass")
    return _LONG_RUN in bytes(text).translate(_DIGITS_AS_ZEROS)


def loads(text, exact=True):
    """The value of a JSON text (str or UTF-8 bytes); ValueError if none.

    With ``exact`` false, integers beyond 64 bits may come out as floats;
    for text known to hold none (see :func:`may_hold_a_long_integer`).
    """
    if not (exact and may_hold_a_long_integer(text)):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            # Also for text that is not JSON: the standard library's
            # message says what is wrong in words users know.
            pass
    if type(text) is not str:
        text = bytes(text).decode("utf-8")
    return _decode(text)


def dumps(value):
    """``value`` as JSON text on one line, with no character a terminal
    acts on."""
    try:
        text = orjson.dumps(value)
    except TypeError:
        # NaN, infinities, integers beyond 64 bits, lone surrogates: ASCII
        # with escapes, which every output stream can take.
        text = _encode(value).encode("ascii")
    if not _may_hold_terminal_controls(text):
        return text.decode("utf-8")
    return _TERMINAL_CONTROLS.sub(_escaped, text.decode("utf-8"))
