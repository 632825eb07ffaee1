"""Values for people: the one rendering of a value as text.

Every human format shows what :func:`shown` gives: the value rendered,
then made safe for a terminal (:mod:`watcherclient_ext.terminal_text`).
``-f json`` and ``-f yaml`` keep the real data; JSON and YAML escape
unsafe characters their own way (see
:mod:`watcherclient_ext.formatting.jsontext` for the stream's JSON).
"""

from watcherclient_ext.terminal_text import safe


def render(value):
    """A value as text: nested values as compact JSON, never a repr.

    The text is not yet safe for a terminal: see :func:`shown`.
    """
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, (dict, list, tuple)):
        # Imported here: command modules import this one at every start.
        from watcherclient_ext.formatting import jsontext

        return jsontext.dumps(value)
    return str(value)


def shown(value, lines=False):
    """:func:`render`, then :func:`safe`: what a human format prints."""
    return safe(render(value), lines)
