"""Hypothesis strategies for untrusted input, and the bounded settings
every property test here uses: derandomized (the same examples on every
run, so CI never flakes) and without a deadline (a shared CI machine is
slow at times); a few seconds in all. ``FUZZ_EXAMPLES=2000`` searches
longer."""

import os
import re

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

BOUNDED = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: What a terminal must never be given raw: C0 but tab and newline, DEL,
#: C1; and lone surrogates, which no output can encode.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: The same, with tab and newline, for formats of one line per item.
RAW_CONTROL_OR_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
NASTY = ("\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\x7f", "\n", "\t", "\r",
         "\u202e", "\ud800", "\x00", "日本", "😀", "e\u0301", "\\x1b")

characters = st.characters(exclude_categories=())  # surrogates too
text = st.text(characters, max_size=12) | st.sampled_from(NASTY) | st.lists(
    st.sampled_from(NASTY) | st.text(max_size=3), max_size=5).map("".join)
scalars = (st.none() | st.booleans() | st.integers()
           | st.integers(min_value=2 ** 63 - 2, max_value=2 ** 70)
           | st.floats(allow_nan=False, allow_infinity=False) | text)
json_values = st.recursive(
    scalars,
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(text, children, max_size=4)),
    max_leaves=16)


#: JSON values whose dict keys never look like a versioned object's.
plain_data = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(text.filter(lambda key: "_object." not in key),
                          children, max_size=3)),
    max_leaves=12)


def wrap(value, namespace="nova"):
    """``value`` with every dict in it made a versioned object."""
    if isinstance(value, list):
        return [wrap(item, namespace) for item in value]
    if isinstance(value, dict):
        prefix = f"{namespace}_object."
        return {prefix + "name": "Some", prefix + "namespace": namespace,
                prefix + "version": "1.0",
                prefix + "data": {key: wrap(item, namespace)
                                  for key, item in value.items()}}
    return value


#: Fields of a message, with values of any JSON type.
messages = st.fixed_dictionaries(
    {"event_type": st.sampled_from(["instance.update", "audit.create"])
     | json_values},
    optional={"priority": st.sampled_from(["INFO", "ERROR"]) | json_values,
              "publisher_id": json_values, "timestamp": json_values,
              "message_id": json_values,
              "payload": json_values | plain_data.map(wrap)})
