"""cliff's output formatters, made safe for whatever the server sent.

Every command prints through these, not through the formatter plugins
installed beside cliff: here, and only here, what a command shows becomes
text, made safe for a terminal by :func:`terminal_text.safe` whether it came
as a column or as a plain string, so that no command can forget it.

- table: every cell safe; newlines and tabs kept, as a cell shows lines;
- value and csv: a line per item, so newlines and tabs are escaped too;
- shell: every value single-quoted, read back exactly by ``eval`` and
  never run (:func:`shell_quote`);
- json and yaml: cliff's, which write the data with every control, bidi
  and other non-ASCII character as an escape (``ensure_ascii``, and
  PyYAML without ``allow_unicode``).
"""

import argparse
import re

from cliff import columns
from cliff.formatters import base
from cliff.formatters import commaseparated
from cliff.formatters import json_format
from cliff.formatters import table
from cliff.formatters import value
from cliff.formatters import yaml_format

from watcherclient_ext import terminal_text
from watcherclient_ext.formatting import display

#: Types whose ``str()`` is safe text, kept as they are: tables align
#: numbers right and csv leaves them unquoted.
_PLAIN = (type(None), bool, int, float)


def _cell(data, lines=False):
    """``data`` as safe text, unless it is of a plain type."""
    if type(data) in _PLAIN:
        return data
    return display.shown(data, lines)


def _human(row):
    return [_cell(c.human_readable() if isinstance(
        c, columns.FormattableColumn) else c, lines=True) for c in row]


def _data(item):
    """A column's data, or the value itself."""
    if isinstance(item, columns.FormattableColumn):
        return item.machine_readable()
    return item


def _machine(row):
    return [_cell(_data(c)) for c in row]


class TableFormatter(table.TableFormatter):
    """cliff's table of safe cells."""

    def emit_list(self, column_names, data, stdout, parsed_args):
        rows = [_human(row) for row in data]
        if not rows and not parsed_args.print_empty:
            return  # cliff would write an empty line
        super().emit_list(column_names, rows, stdout, parsed_args)

    def emit_one(self, column_names, data, stdout, parsed_args):
        super().emit_one(column_names, _human(data), stdout, parsed_args)


class ValueFormatter(value.ValueFormatter):
    """cliff's values, each on one line and safe."""

    def emit_list(self, column_names, data, stdout, parsed_args):
        super().emit_list(column_names, (_machine(row) for row in data),
                          stdout, parsed_args)

    def emit_one(self, column_names, data, stdout, parsed_args):
        super().emit_one(column_names, _machine(data), stdout, parsed_args)


class CSVLister(commaseparated.CSVLister):
    """cliff's csv, each value on one line and safe."""

    def emit_list(self, column_names, data, stdout, parsed_args):
        super().emit_list(column_names, (_machine(row) for row in data),
                          stdout, parsed_args)


# --- shell -------------------------------------------------------------------

#: A name every shell takes for a variable.
_VARIABLE = re.compile("[A-Za-z_][A-Za-z0-9_]*")
_NOT_IN_A_NAME = re.compile("[^A-Za-z0-9_]")
#: What no shell variable can hold (bash ends a string at NUL) and what
#: no output can encode (lone surrogates).
_UNHELD = re.compile("[\x00\ud800-\udfff]")
_UNSAFE_RUN = re.compile(f"[{terminal_text.UNSAFE_CHARACTERS}]+")


def variable_name(label):
    """The shell variable of a column labelled ``label``.

    cliff's name for it (lower case; spaces, colons and dashes made
    underscores), so scripts keep working, with every other character a
    shell refuses in a name an underscore too, and an underscore first
    if it would begin with a digit.
    """
    name = _NOT_IN_A_NAME.sub("_", label.lower())
    return name if _VARIABLE.fullmatch(name) else "_" + name


def shell_prefix(text):
    """argparse type of ``--prefix``: the start of a variable name."""
    if text and not _VARIABLE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot begin a shell variable name: use letters, "
            "digits and underscores, and no digit first")
    return text


def _single_quoted(text):
    return "'" + text.replace("'", "'\\''") + "'"


def _bytes_quoted(text):
    return "$'" + "".join(f"\\x{byte:02x}" for byte in text.encode()) + "'"


def shell_quote(text):
    """``text`` as one shell word that ``eval`` reads back exactly, which
    runs nothing and holds no character a terminal acts on.

    Text goes in single quotes (a quote as ``'\\''``); controls, DEL, C1
    and bidi controls as ``$'\\xNN'`` pieces of their UTF-8 bytes, joined
    to it: ``'a'$'\\x1b''b'``, as bash, ksh, zsh and POSIX.1-2024 sh read
    them (an older sh, such as dash, reads such a piece as its own text,
    and still runs nothing). NUL, which no shell variable holds, and lone
    surrogates, which no output can encode, are written as their visible
    escapes (``\\x00``, ``\\ud800``).
    """
    if text.isprintable():  # the usual case, checked fastest
        return _single_quoted(text)
    text = _UNHELD.sub(lambda match: terminal_text.escape(match.group()), text)
    pieces = []
    start = 0
    for run in _UNSAFE_RUN.finditer(text):
        if run.start() > start:
            pieces.append(_single_quoted(text[start:run.start()]))
        pieces.append(_bytes_quoted(run.group()))
        start = run.end()
    if start < len(text) or not pieces:
        pieces.append(_single_quoted(text[start:]))
    return "".join(pieces)


class ShellFormatter(base.SingleFormatter):
    """``name='value'`` lines that ``eval`` reads back exactly.

    Values read as in ``-f value`` (nested ones as JSON, no value as
    ``None``), but exact, unescaped: the quoting keeps them safe.
    """

    def add_argument_group(self, parser):
        group = parser.add_argument_group(
            title="shell formatter",
            description="a format a UNIX shell can parse (variable='value')")
        group.add_argument(
            "--variable", action="append", default=[], dest="variables",
            metavar="VARIABLE", help=argparse.SUPPRESS)
        group.add_argument(
            "--prefix", default="", dest="prefix", type=shell_prefix,
            help="add a prefix to all variable names")

    def emit_one(self, column_names, data, stdout, parsed_args):
        wanted = {variable_name(name) for name in parsed_args.variables}
        for label, item in zip(column_names, data):
            name = variable_name(label)
            if wanted and name not in wanted:
                continue
            item = _data(item)
            text = "None" if item is None else display.render(item)
            stdout.write(f"{parsed_args.prefix}{name}={shell_quote(text)}\n")


# --- what commands offer -----------------------------------------------------

_BY_NAMESPACE = {
    "cliff.formatter.list": {
        "table": TableFormatter, "value": ValueFormatter, "csv": CSVLister,
        "json": json_format.JSONFormatter, "yaml": yaml_format.YAMLFormatter},
    "cliff.formatter.show": {
        "table": TableFormatter, "value": ValueFormatter,
        "shell": ShellFormatter, "json": json_format.JSONFormatter,
        "yaml": yaml_format.YAMLFormatter},
}


class _Plugin:
    def __init__(self, name, obj):
        self.name = name
        self.obj = obj


class _Plugins:
    """Formatters as cliff and osc-lib read stevedore's extension manager:
    ``names()``, ``[name].obj`` and iteration."""

    def __init__(self, classes):
        self._plugins = {name: _Plugin(name, cls())
                         for name, cls in classes.items()}

    def names(self):
        return list(self._plugins)

    def __getitem__(self, name):
        return self._plugins[name]

    def __iter__(self):
        return iter(self._plugins.values())


class SafeFormatters:
    """Mixed into every command that prints with cliff's formatters: it
    offers these formatters, not the plugins installed."""

    def _load_formatter_plugins(self):
        return _Plugins(_BY_NAMESPACE[self.formatter_namespace])
