"""Writers that print each notification as it arrives, flushed at once.

cliff's formatters take a whole list before printing anything; a tail must
show every event when it comes, also into a pipe. Nested values in table
cells go through :func:`watcherclient_ext.formatting.columns.render`, as in
every other command's tables.
"""

import csv
import json

from watcherclient_ext.api import errors
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import jsontext

FORMATS = ("table", "json", "yaml", "value", "csv")
#: cliff's --quote choices for csv.
CSV_QUOTING = {"all": csv.QUOTE_ALL, "minimal": csv.QUOTE_MINIMAL,
               "none": csv.QUOTE_NONE, "nonnumeric": csv.QUOTE_NONNUMERIC}
ELLIPSIS = "…"


# --- what a notification shows -----------------------------------------------

def _data(notification):
    payload = notification.payload
    return payload if type(payload) is dict else {}


def object_of(notification):
    """``"<uuid> (<name>)"``; a service, which has no UUID: ``name on host``.
    """
    data = _data(notification)
    uuid = data.get("uuid")
    name = data.get("name") or data.get("display_name")
    if uuid:
        return f"{uuid} ({name})" if name else uuid
    # Watcher's service.update spells its host field "sevice_host".
    host = data.get("sevice_host") or data.get("service_host") \
        or data.get("host")
    if name and host:
        return f"{name} on {host}"
    return name


def state_of(notification):
    """The object's state.

    The object's own field comes first: Watcher's action.update sends a
    ``state_update`` of nulls while ``state`` is right.
    """
    data = _data(notification)
    for key in ("state", "provision_state"):
        if isinstance(data.get(key), str):
            return data[key]
    for key in ("state_update", "status_update"):
        update = data.get(key)
        if type(update) is dict and update.get("state"):
            return update["state"]
    return None


def fault_of(notification):
    """The fault's message; for errors without one, the status message."""
    data = _data(notification)
    fault = data.get("fault")
    if type(fault) is dict:
        return (fault.get("exception_message") or fault.get("message")
                or fault.get("exception") or columns.render(fault))
    if fault:
        return str(fault)
    if notification.priority in ("ERROR", "CRITICAL"):
        return data.get("status_message") or data.get("last_error")
    return None


#: key (JSON, -c) -> (label (table, -c), value of a notification)
FIELDS = {
    "timestamp": ("Time", lambda n: n.timestamp),
    "priority": ("Priority", lambda n: n.priority),
    "event_type": ("Event Type", lambda n: n.event_type),
    "publisher_id": ("Publisher", lambda n: n.publisher_id),
    "object": ("Object", object_of),
    "state": ("State", state_of),
    "fault": ("Fault", fault_of),
    "message_id": ("Message ID", lambda n: n.get("message_id")),
    "payload": ("Payload", lambda n: n.payload),
    "payload_object": ("Payload Object", lambda n: n.payload_object),
}
#: What the table, value and csv formats show without -c.
SUMMARY = ("timestamp", "priority", "event_type", "publisher_id", "object",
           "state", "fault")


def field_keys(requested):
    """Keys of the fields ``-c`` names, by key or label, in that order."""
    by_name = {}
    for key, (label, _) in FIELDS.items():
        by_name[key.lower()] = by_name[label.lower()] = key
    keys = []
    for name in requested:
        key = by_name.get(name.lower())
        if key is None:
            raise errors.InvalidInput(
                f"No field {name!r}; choose from: "
                + ", ".join(label for label, _ in FIELDS.values()))
        keys.append(key)
    return tuple(keys)


def _values(notification, keys):
    return [FIELDS[key][1](notification) for key in keys]


# --- writers -----------------------------------------------------------------

class _Writer:
    def __init__(self, stream):
        self._stream = stream

    def _line(self, text):
        self._stream.write(text + "\n")
        self._stream.flush()


class JsonWriter(_Writer):
    """One JSON object per line: the whole record, or the ``-c`` fields.

    Its lines can be read back with ``--file``.
    """

    def __init__(self, stream, keys=None):
        super().__init__(stream)
        self._keys = keys

    def write(self, notification):
        if self._keys:
            self._emit(dict(zip(self._keys,
                                _values(notification, self._keys))))
        else:
            self._emit(notification.record())

    def _emit(self, record):
        self._line(jsontext.dumps(record))


class RawWriter(_Writer):
    """The message as it came off the wire, less its ``_context_*`` keys."""

    def write(self, notification):
        self._line(jsontext.dumps(notification.wire_body()))


class YamlWriter(JsonWriter):
    """A YAML document per notification."""

    def __init__(self, stream, keys=None):
        super().__init__(stream, keys)
        import yaml  # only when asked for: it is slow to import

        self._yaml = yaml
        self._dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def _emit(self, record):
        self._stream.write(self._yaml.dump(
            record, Dumper=self._dumper, explicit_start=True,
            default_flow_style=False, sort_keys=False, allow_unicode=True))
        self._stream.flush()


def _plain(value):
    """A value on one line for value and csv: nested ones as JSON."""
    if value is None:
        return ""
    if type(value) in (dict, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ValueWriter(_Writer):
    """The fields' values separated by spaces, a line per notification."""

    def __init__(self, stream, keys=SUMMARY):
        super().__init__(stream)
        self._keys = keys

    def write(self, notification):
        self._line(" ".join(_plain(value) for value in
                            _values(notification, self._keys)))


class CsvWriter(_Writer):
    """A header, then a CSV row per notification."""

    def __init__(self, stream, keys=SUMMARY, quoting="nonnumeric"):
        super().__init__(stream)
        self._keys = keys
        self._csv = csv.writer(stream, quoting=CSV_QUOTING[quoting],
                               lineterminator="\n", escapechar="\\")
        self._csv.writerow([FIELDS[key][0] for key in keys])
        stream.flush()

    def write(self, notification):
        self._csv.writerow([_plain(value) for value in
                            _values(notification, self._keys)])
        self._stream.flush()


# --- the table ---------------------------------------------------------------

#: key -> (natural width, narrowest width); 0 hides the column.
_WIDTHS = {
    "timestamp": (8, 8), "priority": (8, 5), "event_type": (27, 20),
    "publisher_id": (24, 0), "object": (48, 9), "state": (11, 9),
    "message_id": (36, 9), "payload": (40, 10),
    "payload_object": (40, 10), "fault": (40, 10),
}
#: The order in which columns give up space on a narrow terminal.
_SHRINK_ORDER = ("publisher_id", "payload", "payload_object",
                 "message_id", "object", "priority", "state", "fault",
                 "event_type")
#: What the last column (usually the fault) keeps when the terminal is
#: narrow, before others shrink further.
_LAST_COLUMN_SHARE = 16
_GAP = 1


def fit_widths(keys, width=None):
    """Widths of the columns; None for the last one, which is not padded.

    Without ``width`` every column has its natural width and long values
    push the line. With it, columns shrink in ``_SHRINK_ORDER`` (to 0: the
    column is hidden) until a line fits.
    """
    widths = {key: max(_WIDTHS[key][0], len(FIELDS[key][0]))
              for key in keys[:-1]}
    if width is not None:
        budget = width - _LAST_COLUMN_SHARE
        for key in _SHRINK_ORDER:
            if key not in widths:
                continue
            used = sum(w + _GAP for w in widths.values() if w)
            if used <= budget:
                break
            widths[key] = max(_WIDTHS[key][1], widths[key] - (used - budget))
    return [widths.get(key) for key in keys[:-1]] + [None]


def _clip(text, width):
    return text if len(text) <= width else text[:width - 1] + ELLIPSIS


class TableWriter(_Writer):
    """A table without borders, a row per notification; fits ``width``
    columns when given (a terminal), else never cuts a value.

    The header comes with the first row: an error before any
    notification leaves stdout empty.
    """

    def __init__(self, stream, keys=SUMMARY, width=None):
        super().__init__(stream)
        widths = fit_widths(keys, width)
        self._columns = [(key, w) for key, w in zip(keys, widths) if w != 0]
        self._width = width
        self._header = [FIELDS[key][0].upper() for key, _ in self._columns]

    def write(self, notification):
        if self._header:
            self._row(self._header, is_header=True)
            self._header = None
        self._row([self._cell(key, FIELDS[key][1](notification))
                   for key, _ in self._columns])

    @staticmethod
    def _cell(key, value):
        text = " ".join(columns.render(value).split())
        if key == "timestamp":  # the time of day: -f json has the rest
            return text[11:19] if len(text) >= 19 else text
        return text

    def _row(self, cells, is_header=False):
        parts = []
        for (_, width), cell in zip(self._columns, cells):
            if width is None:
                parts.append(cell)
            elif self._width is None:
                parts.append(cell.ljust(width))
            elif is_header and len(cell) > width:  # "PRIO", not "PRIO…"
                parts.append(cell[:width - 1].ljust(width))
            else:
                parts.append(_clip(cell, width).ljust(width))
        line = (" " * _GAP).join(parts).rstrip()
        if self._width is not None:
            line = _clip(line, self._width)
        self._line(line)


def writer_for(stream, fmt="table", keys=None, width=None, raw=False,
               csv_quoting="nonnumeric"):
    """The writer for ``-f fmt``, ``-c`` keys (None: the default fields)."""
    if raw:
        return RawWriter(stream)
    if fmt == "json":
        return JsonWriter(stream, keys)
    if fmt == "yaml":
        return YamlWriter(stream, keys)
    keys = keys or SUMMARY
    if fmt == "value":
        return ValueWriter(stream, keys)
    if fmt == "csv":
        return CsvWriter(stream, keys, csv_quoting)
    if fmt == "table":
        return TableWriter(stream, keys, width)
    raise errors.InvalidInput(
        f"-f {fmt} cannot show notifications as they come; use one of: "
        + ", ".join(FORMATS))
