"""Progress output: one updating line on a terminal, lines in a pipe."""

import io

from watcherclient_ext.formatting import progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_terminal_gets_one_rewritten_line():
    stream = FakeTerminal()
    reporter = progress.Progress(stream)
    reporter.update("ONGOING; actions: PENDING 2", 1.2)
    reporter.update("CANCELLING", 2.0)
    reporter.close()
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    # the shorter second line blanks out what is left of the first
    last = text.rstrip("\n").split("\r")[-1]
    assert last.startswith("CANCELLING (2 s)")
    assert len(last) == len("ONGOING; actions: PENDING 2 (1 s)")


def test_pipe_gets_a_line_per_change_only():
    stream = io.StringIO()
    reporter = progress.Progress(stream)
    for elapsed, text in [(0.1, "ONGOING"), (0.6, "ONGOING"),
                          (1.1, "CANCELLING")]:
        reporter.update(text, elapsed)
    reporter.close()
    assert stream.getvalue() == (
        "[   0.1 s] ONGOING\n[   1.1 s] CANCELLING\n")


def test_server_text_is_made_safe_and_measured_in_cells():
    stream = FakeTerminal()
    reporter = progress.Progress(stream)
    reporter.update("日本\x1b[2J", 1)
    reporter.update("OK", 2)
    last = stream.getvalue().split("\r")[-1]
    assert "\x1b" not in stream.getvalue()
    # "日本\x1b[2J (1 s)" takes 4 + 7 + 6 = 17 cells: all blanked
    assert last == "OK (2 s)" + " " * (17 - len("OK (2 s)"))
