"""Every command's --help reads as plain text on a terminal."""

import importlib.metadata
import re

import pytest

from watcherclient_ext import shell

ENTRY_POINTS = {
    entry.name: entry for entry in
    importlib.metadata.entry_points(group="watcherclient_ext.commands")}
#: reStructuredText that would show raw: ``literals``, :roles:, `refs`_.
MARKUP = re.compile(r"``|:[a-z]+:`|`_")


def words(text):
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_help_shows_the_summary_without_markup(name, capsys):
    command = name.replace("_", " ")
    assert shell.WatcherExtApp().run([*command.split(), "--help"]) == 0
    text = capsys.readouterr().out
    summary = ENTRY_POINTS[name].load().__doc__.strip().splitlines()[0]
    assert words(summary) in words(text)
    assert not MARKUP.search(text), MARKUP.search(text).group(0)
