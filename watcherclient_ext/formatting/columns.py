"""Cliff columns: safe text in human formats, real data in JSON and YAML.

cliff's value, csv and shell formatters print ``str()`` of what
:meth:`machine_readable` gives, and its JSON and YAML formatters dump the
same object. So that value and csv show nested values as JSON (never a
Python repr) and strings with their control characters escaped, while
JSON and YAML get the data, it gives a str, dict or list subclass whose
``str()`` is :func:`watcherclient_ext.formatting.display.shown`.
"""

import sys

from cliff import columns

from watcherclient_ext.formatting import display


class _ShownStr(str):
    def __str__(self):
        return display.shown(str.__str__(self))


class _ShownDict(dict):
    def __str__(self):
        return display.shown(dict(self))


class _ShownList(list):
    def __str__(self):
        return display.shown(list(self))


_SHOWN_TYPES = ((_ShownStr, str), (_ShownDict, dict), (_ShownList, list))


def _teach_yaml():
    """Let YAML's safe dumper write our subclasses as the plain types.

    cliff imports yaml just before it asks for the data it dumps, so yaml
    is in ``sys.modules`` exactly when this is needed.
    """
    yaml = sys.modules.get("yaml")
    if yaml is None or _ShownStr in yaml.SafeDumper.yaml_representers:
        return
    for shown_type, plain_type in _SHOWN_TYPES:
        yaml.SafeDumper.add_representer(
            shown_type, yaml.SafeDumper.yaml_representers[plain_type])


class TextColumn(columns.FormattableColumn):
    """A string from the server: escaped in human formats."""

    def human_readable(self):
        return display.shown(self._value, lines=True)

    def machine_readable(self):
        _teach_yaml()
        return _ShownStr(self._value)


class StructuredColumn(columns.FormattableColumn):
    """Dicts and lists: compact JSON in human formats, data in JSON/YAML."""

    def human_readable(self):
        return display.shown(self._value)

    def machine_readable(self):
        _teach_yaml()
        if isinstance(self._value, dict):
            return _ShownDict(self._value)
        return _ShownList(self._value)


def displayable(value):
    """Wrap strings and nested values so cliff shows them per format."""
    if isinstance(value, str):
        return TextColumn(value)
    if isinstance(value, (dict, list, tuple)):
        return StructuredColumn(value)
    return value


def select(record, fields, labels):
    """(labels, values) of ``record`` for a ShowOne, values wrapped."""
    return tuple(labels), tuple(displayable(record.get(f)) for f in fields)
