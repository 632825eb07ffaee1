"""Cliff columns: nested values read as JSON in human formats, stay data
in JSON and YAML.

Columns only say how a value reads; making text safe for a terminal is
the formatters' (:mod:`watcherclient_ext.formatting.formatters`), which
every command prints through, for columns and plain values alike.
"""

from cliff import columns

from watcherclient_ext.formatting import display


class StructuredColumn(columns.FormattableColumn):
    """Dicts and lists: compact JSON in human formats, data in JSON/YAML."""

    def human_readable(self):
        return display.render(self._value)


def displayable(value):
    """Nested values wrapped so that cliff shows them per format."""
    if isinstance(value, (dict, list, tuple)):
        return StructuredColumn(value)
    return value


def select(record, fields, labels):
    """(labels, values) of ``record`` for a ShowOne, values wrapped."""
    return tuple(labels), tuple(displayable(record.get(f)) for f in fields)
