"""Log lines: masked and terminal-safe, tracebacks included."""

import io
import logging

import pytest

from watcherclient_ext import logsafety
from watcherclient_ext import secrets


@pytest.fixture
def log(root_logging):
    """A child logger that propagates to a root handler writing a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root_logging.addHandler(handler)
    root_logging.setLevel(logging.DEBUG)
    logsafety.install([handler])
    yield logging.getLogger("keystoneauth.session"), stream
    secrets.forget_all()


def test_a_propagated_record_is_masked_and_made_safe(log):
    logger, stream = log
    logger.debug("REQ: curl %s -H 'X-Auth-Token: %s' \x1b]0;t\x07\x9b",
                 "http://u:pw@h:9322/v1", "tok")
    line = stream.getvalue()
    assert "pw@" not in line and "tok" not in line
    assert "\x1b" not in line and "\x9b" not in line and "\\x1b" in line


def test_multi_line_dumps_keep_their_lines(log):
    logger, stream = log
    logger.debug("RESP BODY:\n{\"a\": 1}\n")
    assert stream.getvalue().startswith("RESP BODY:\n{\"a\": 1}\n")


def test_a_traceback_is_masked(log):
    logger, stream = log
    secrets.remember("hunter2-secret")
    try:
        raise RuntimeError("Keystone said: bad password hunter2-secret\x1b")
    except RuntimeError:
        logger.exception("failed")
    text = stream.getvalue()
    assert "Traceback" in text and "hunter2-secret" not in text
    assert "\x1b" not in text


def test_install_is_idempotent():
    handler = logging.NullHandler()
    logsafety.install([handler])
    logsafety.install([handler])
    assert len(handler.filters) == 1
