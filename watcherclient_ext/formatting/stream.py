"""Writers that print each notification as it arrives, flushed at once.

cliff's formatters take a whole list before printing anything; a tail must
show every event when it comes, also into a pipe. Table, value and csv
show values through :mod:`watcherclient_ext.formatting.display`, as every
other command does: nested values as JSON, control characters escaped.
"""

import csv
import io
import re

from cliff.formatters import commaseparated

from watcherclient_ext import errors
from watcherclient_ext import terminal_text
from watcherclient_ext.formatting import display
from watcherclient_ext.formatting import jsontext

FORMATS = ("table", "json", "yaml", "value", "csv")
#: cliff's --quote choices for csv.
#: cliff's --quote modes, as its own csv formatter maps them.
CSV_QUOTING = commaseparated.CSVLister.QUOTE_MODES


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
        uuid = display.render(uuid)
        return f"{uuid} ({display.render(name)})" if name else uuid
    # Watcher's service.update spells its host field "sevice_host".
    host = data.get("sevice_host") or data.get("service_host") \
        or data.get("host")
    if name and host:
        return f"{display.render(name)} on {display.render(host)}"
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
                or fault.get("exception") or fault)
    if fault:
        return fault
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
            raise errors.UsageError(
                f"No field {name!r}; choose from: "
                + ", ".join(label for label, _ in FIELDS.values()))
        keys.append(key)
    return tuple(keys)


def _values(notification, keys):
    return [FIELDS[key][1](notification) for key in keys]


# --- writers -----------------------------------------------------------------

class _Writer:
    """Turns a notification into text (:meth:`render`, which may fail on
    a hostile payload) and writes that text (:meth:`emit`), flushed: a
    failure to render leaves nothing half-written."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, notification):
        self.emit(self.render(notification))

    def emit(self, text):
        self._stream.write(text)
        self._stream.flush()


class JsonWriter(_Writer):
    """One JSON object per line: the whole record, or the ``-c`` fields.

    Its lines can be read back with ``--file``.
    """

    def __init__(self, stream, keys=None):
        super().__init__(stream)
        self._keys = keys

    def render(self, notification):
        if self._keys:
            record = dict(zip(self._keys, _values(notification, self._keys)))
        else:
            record = notification.record()
        return self._document(record)

    def _document(self, record):
        return jsontext.dumps(record) + "\n"


class RawWriter(_Writer):
    """The message as it came off the wire, less its ``_context_*`` keys."""

    def render(self, notification):
        return jsontext.dumps(notification.wire_body()) + "\n"


class YamlWriter(JsonWriter):
    """A YAML document per notification.

    YAML shows control characters as escapes in double-quoted strings,
    but counts NEL, the bidirectional and the line and paragraph
    separators as printable: strings that hold one are double-quoted and
    such characters written as ``\\uXXXX`` escapes.
    """

    def __init__(self, stream, keys=None):
        super().__init__(stream, keys)
        import yaml  # only when asked for: it is slow to import

        self._yaml = yaml
        self._python_dumper = _yaml_dumper(yaml.SafeDumper)
        self._dumper = self._python_dumper
        if hasattr(yaml, "CSafeDumper"):  # libyaml: faster
            self._dumper = _yaml_dumper(yaml.CSafeDumper)

    def _document(self, record):
        try:
            text = self._dump(record, self._dumper, allow_unicode=True)
        except UnicodeEncodeError:
            # libyaml takes UTF-8 only: a lone surrogate needs the Python
            # dumper, in ASCII, which escapes it (and reads back NEL
            # characters right only when they are escaped too).
            return self._dump(record, self._python_dumper,
                              allow_unicode=False)
        if text.isascii() or not _YAML_RAW.search(text):
            return text
        # Only in double-quoted strings, where an escape means the same.
        return _YAML_RAW.sub(_yaml_escaped, text)

    def _dump(self, record, dumper, allow_unicode):
        return self._yaml.dump(
            record, Dumper=dumper, explicit_start=True,
            default_flow_style=False, sort_keys=False,
            allow_unicode=allow_unicode)


#: What YAML writes raw and a terminal acts on.
_YAML_RAW = re.compile(f"[\x85{terminal_text.BIDI_CONTROLS}]")


def _yaml_escaped(match):
    return "\\u%04x" % ord(match.group())


def _yaml_dumper(base):
    """``base`` that also writes NaN and infinities (.nan, .inf), and
    strings that hold what YAML would write raw double-quoted."""
    dumper = type("Dumper", (base,), {})
    dumper.add_representer(jsontext.NonFinite,
                           base.yaml_representers[float])
    represent_str = base.yaml_representers[str]

    def represent_text(dumper, text):
        if text.isascii() or not _YAML_RAW.search(text):
            return represent_str(dumper, text)
        return dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                       style='"')

    dumper.add_representer(str, represent_text)
    return dumper


class ValueWriter(_Writer):
    """The fields' values separated by spaces, a line per notification."""

    def __init__(self, stream, keys=SUMMARY):
        super().__init__(stream)
        self._keys = keys

    def render(self, notification):
        return " ".join(display.shown(value) for value in
                        _values(notification, self._keys)) + "\n"


class CsvWriter(_Writer):
    """A header, then a CSV row per notification, each on one line."""

    def __init__(self, stream, keys=SUMMARY, quoting="nonnumeric"):
        super().__init__(stream)
        self._keys = keys
        self._quoting = CSV_QUOTING[quoting]
        self.emit(self._row([FIELDS[key][0] for key in keys]))

    def render(self, notification):
        return self._row([display.shown(value) for value in
                          _values(notification, self._keys)])

    def _row(self, cells):
        text = io.StringIO()
        csv.writer(text, quoting=self._quoting, lineterminator="\n",
                   escapechar="\\").writerow(cells)
        return text.getvalue()


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


class TableWriter(_Writer):
    """A table without borders, a row per notification; fits ``width``
    terminal cells when given (a terminal), else never cuts a value.

    The header comes with the first row: an error before any
    notification leaves stdout empty.
    """

    def __init__(self, stream, keys=SUMMARY, width=None):
        super().__init__(stream)
        widths = fit_widths(keys, width)
        self._columns = [(key, w) for key, w in zip(keys, widths) if w != 0]
        self._width = width
        self._header = [FIELDS[key][0].upper() for key, _ in self._columns]

    def render(self, notification):
        row = self._row([self._cell(key, FIELDS[key][1](notification))
                         for key, _ in self._columns])
        if self._header:
            row = self._row(self._header, is_header=True) + row
        return row

    def emit(self, text):
        super().emit(text)
        self._header = None

    @staticmethod
    def _cell(key, value):
        """The value on one line, not yet safe: fitting makes it so."""
        text = " ".join(display.render(value).split())
        if key == "timestamp":  # the time of day: -f json has the rest
            return text[11:19] if len(text) >= 19 else text
        return text

    def _row(self, cells, is_header=False):
        line = ""
        for (_, width), cell in zip(self._columns[:-1], cells):
            if is_header and len(cell) > width:  # "PRIO", not "PRIO…"
                cell = cell[:width - 1]
            elif self._width is None:
                cell = terminal_text.safe(cell)
            else:
                cell = terminal_text.fit(cell, width)
            cell = terminal_text.pad(cell, width) + " " * _GAP
            if self._width is not None and (
                    terminal_text.cells(line + cell.rstrip()) > self._width):
                return line.rstrip() + "\n"  # a very narrow terminal
            line += cell
        last = cells[-1]
        if self._width is None:
            last = terminal_text.safe(last)
        else:
            last = terminal_text.fit(
                last, self._width - terminal_text.cells(line))
        return (line + last).rstrip() + "\n"


def writer_for(stream, fmt="table", keys=None, width=None, raw=False,
               csv_quoting="nonnumeric"):
    """The writer for ``-f fmt``, ``-c`` keys (None: the default fields)."""
    if stream is None or stream.closed:
        raise errors.WatcherClientError(
            "Cannot show notifications: stdout is closed")
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
    raise errors.UsageError(
        f"-f {fmt} cannot show notifications as they come; use one of: "
        + ", ".join(FORMATS))
