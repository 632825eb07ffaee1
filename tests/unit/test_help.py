"""Every command's --help reads as plain text on a terminal."""

import importlib.metadata
import logging
import re

import pytest

from watcherclient_ext import shell

COMMANDS = sorted(
    entry.name for entry in
    importlib.metadata.entry_points(group="watcherclient_ext.commands"))
#: reStructuredText that would show raw: ``literals``, :roles:, `refs`_.
MARKUP = re.compile(r"``|:[a-z]+:`|`_")


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_no_markup(name, capsys):
    command = name.replace("_", " ")
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert shell.WatcherExtApp().run([*command.split(), "--help"]) == 0
    finally:
        root.handlers[:] = handlers  # the app sets up logging for a run
    text = capsys.readouterr().out
    assert command.split()[-1] in text
    assert not MARKUP.search(text), MARKUP.search(text).group(0)
