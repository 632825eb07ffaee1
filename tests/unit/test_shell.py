"""watcher-ext's global options: the HTTP time-out, and no clash with the
options of the commands."""

import gc
import os
import subprocess
import sys

import pytest
import requests

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSION_HEADERS
from tests.unit.test_notifications_command import run_app
from watcherclient_ext import shell

PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"


@pytest.fixture
def noauth(monkeypatch):
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OS_AUTH_TYPE", "none")
    monkeypatch.setenv("OS_ENDPOINT", ENDPOINT)


@pytest.fixture
def watcher(requests_mock):
    requests_mock.get(f"{ENDPOINT}/v1/action_plans/{PLAN}",
                      json={"uuid": PLAN, "state": "RECOMMENDED"},
                      headers=VERSION_HEADERS)
    requests_mock.get(f"{ENDPOINT}/v1/actions", json={"actions": []},
                      headers=VERSION_HEADERS)
    return requests_mock


@pytest.mark.parametrize("argv, environ, expected", [
    (["--os-api-timeout", "2.5"], {}, 2.5),
    ([], {"OS_API_TIMEOUT": "7"}, 7.0),
    (["--os-api-timeout", "3"], {"OS_API_TIMEOUT": "7"}, 3.0),
    ([], {}, None),
])
def test_api_timeout_bounds_each_request(noauth, watcher, monkeypatch, argv,
                                         environ, expected):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    code = run_app([*argv, "actionplan", "show", PLAN, "-f", "json"])
    assert code == 0
    # the plan, its actions: each within what is left of its own time-out
    timeouts = [request.timeout for request in watcher.request_history]
    assert len(timeouts) == 2
    assert all(timeout is None if expected is None
               else expected - 0.5 < timeout <= expected
               for timeout in timeouts)


@pytest.mark.parametrize("exception,hint", [
    (requests.exceptions.SSLError("certificate verify failed"),
     "; pass --os-cacert with the right CA bundle (or --insecure to skip "
     "verification)\n"),
    (requests.exceptions.ReadTimeout("timed out"),
     "; --os-api-timeout sets the limit\n"),
])
def test_a_request_failure_ends_with_the_option_that_gets_past_it(
        noauth, requests_mock, capsys, exception, hint):
    requests_mock.get(f"{ENDPOINT}/v1/action_plans/{PLAN}", exc=exception)
    assert run_app(["actionplan", "show", PLAN]) == 1
    assert capsys.readouterr().err.endswith(hint)


@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "-inf", "soon",
                                   ""])
def test_bad_api_timeout_is_a_usage_error(noauth, watcher, capsys, value):
    with pytest.raises(SystemExit) as exit_:
        run_app(["--os-api-timeout", value, "actionplan", "show", PLAN])
    assert exit_.value.code == 2
    assert "--os-api-timeout" in capsys.readouterr().err
    assert not watcher.called


def test_bad_api_timeout_from_the_environment(noauth, watcher, monkeypatch):
    monkeypatch.setenv("OS_API_TIMEOUT", "-1")
    with pytest.raises(SystemExit) as exit_:
        run_app(["actionplan", "show", PLAN])
    assert exit_.value.code == 2


def command_options():
    """(command words, option) for every option of every command."""
    app = shell.WatcherExtApp()
    for name, entry_point in sorted(app.command_manager):
        command = entry_point.load()(app, None)
        parser = command.get_parser(name)
        for action in parser._actions:
            for option in action.option_strings:
                # --help is both, on purpose: cliff's deferred help.
                if option.startswith("--") and option != "--help":
                    yield name.split(), option


@pytest.mark.parametrize("words, option", list(command_options()))
def test_command_options_are_the_command_s(words, option):
    """Under watcher-ext as under ``openstack``: the global parser, which
    reads the whole command line, takes none of them (nor a prefix)."""
    parser = shell.WatcherExtApp().parser
    argv = [*words, option, "5"]
    _, remainder = parser.parse_known_args(argv)
    assert remainder == argv


def test_tail_timeout_is_the_tail_s(capsys):
    """It was once taken by watcher-ext's own HTTP time-out."""
    with pytest.raises(SystemExit) as exit_:
        run_app(["notifications", "tail", "--timeout", "-5"])
    assert exit_.value.code == 2
    assert "notifications tail: error: argument --timeout" in (
        capsys.readouterr().err)


def collector_after(argv):
    """(collector on, anything frozen) after ``watcher-ext argv`` ran in a
    new process through its console entry point."""
    program = (
        "import gc, sys\n"
        "from watcherclient_ext.__main__ import main\n"
        f"sys.argv[1:] = {argv!r}\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n")
    return subprocess.run([sys.executable, "-c", program], check=True,
                          capture_output=True, text=True).stdout.split()[-2:]


def test_collector_is_off_for_start_up_only():
    # No command ran: the process ends as it started, collector off.
    assert collector_after(["--version"]) == ["False", "True"]
    # A command runs with it on, start-up's objects out of its reach.
    assert collector_after(["help"]) == ["True", "True"]


def test_a_command_run_in_process_leaves_the_collector_alone(noauth,
                                                              watcher):
    assert gc.isenabled()
    assert run_app(["actionplan", "show", PLAN, "-f", "json"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
