"""JSON text for the notification stream: orjson, and the standard library
for what orjson refuses.

A tail decodes every message and, with ``-f json``, encodes it again; with
orjson that takes about a third of the time the standard library needs
(``benchmarks/notifications.py``). orjson is stricter: it refuses NaN and
Infinity, numbers beyond a double's range and, on output, integers beyond
64 bits. Such text goes through the standard library instead, so that
nothing a service sends is refused. Integers beyond 64 bits in the input
come out of orjson as floats.
"""

import json

import orjson


def loads(text):
    """The value of a JSON text (str or UTF-8 bytes); ValueError if none."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # Also for text that is not JSON: the standard library's message
        # says what is wrong in words users know.
        if type(text) is not str:
            text = text.decode("utf-8")
        return json.loads(text)


def dumps(value):
    """``value`` as JSON text on one line."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(value, ensure_ascii=False)
