"""Cliff columns for nested values: readable in tables, real data in JSON."""

import json

from cliff import columns


def render(value):
    """A compact, human-readable rendering of any JSON-shaped value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{key}={_scalar(item)}"
                         for key, item in value.items())
    if isinstance(value, (list, tuple)):
        if any(isinstance(item, dict) for item in value):
            return "\n".join(render(item) for item in value)
        return ", ".join(_scalar(item) for item in value)
    return _scalar(value)


def _scalar(value):
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, sort_keys=True, default=str)
    if value is None:
        return "None"
    return str(value)


class StructuredColumn(columns.FormattableColumn):
    """Dicts and lists: ``k=v`` lines in tables, the value itself in JSON."""

    def human_readable(self):
        return render(self._value)

    def machine_readable(self):
        return self._value


def structured(value):
    """Wrap nested values so cliff formats them per output format."""
    if isinstance(value, (dict, list, tuple)):
        return StructuredColumn(value)
    return value


def select(record, fields, labels):
    """(labels, values) of ``record`` for a ShowOne, nested values wrapped."""
    return tuple(labels), tuple(structured(record.get(f)) for f in fields)
