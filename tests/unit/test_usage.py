"""Exit codes and order: a bad option exits 2 before any request, and a
sent cancel is reported whatever happens after."""

import os
import subprocess
import sys

import pytest

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from watcherclient_ext import errors
from watcherclient_ext import shell

PLAN = "17287473-44cd-497d-9235-063cf6e885a4"
PLAN_URL = f"{ENDPOINT}/v1/action_plans/{PLAN}"
NOAUTH = ["--os-auth-type", "none", "--os-endpoint", ENDPOINT]


def main(argv):
    """watcher-ext's main in this process."""
    return shell.main([*NOAUTH, *argv])


@pytest.fixture
def server(requests_mock, monkeypatch):
    monkeypatch.delenv("WATCHER_TRANSPORT_URL", raising=False)
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.get(PLAN_URL, json={"uuid": PLAN, "state": "ONGOING"})
    requests_mock.patch(PLAN_URL, json={"uuid": PLAN, "state": "CANCELLING"})
    return requests_mock


def usage(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["actionplan", "show", "x"],
    ["actionplan", "list", "--marker", "x"],
    ["actionplan", "list", "--marker", PLAN, "--state", "ONGOING"],
    ["actionplan", "list", "--sort-key", "nope"],
    ["actionplan", "show", PLAN, "-c", "Nope"],
    ["actionplan", "list", "--limit", "99999999999999999999999"],
    ["--os-infra-optim-api-version", "x", "actionplan", "show", PLAN],
    ["actionplan", "cancel", PLAN, "-c", "Bogus"],
    ["actionplan", "cancel", PLAN, "--transport-url", "http://bad"],
    ["actionplan", "cancel", PLAN, "--config-file", "/nonexistent/w.conf"],
    ["audit", "create", "-a", "T", "--wait", "1", "--transport-url",
     "http://bad"],
    ["webhook", "trigger", "ev", "-c", "Bogus"],
    ["audit", "list", "--sort-key", "nope"],
    ["audit", "update", "A", "replace", "name"],
    ["audit", "update", "A", "move", "name=x"],
    ["audit", "update", "A", "replace", "name=x", "-c", "Bogus"],
    ["audittemplate", "update", "T", "add", "=1"],
    ["audittemplate", "create", "T", "dummy", "--scope", "/nonexistent"],
    ["audittemplate", "create", "T", "dummy", "-s", "S", "-p", "novalue"],
    ["audittemplate", "create", "T", "dummy", "-p", "period=60"],
    ["audittemplate", "create", "T", "dummy", "-c", "Bogus"],
    ["actionplan", "update", "x", "replace", "state=PENDING"],
    ["actionplan", "delete", PLAN, "x"],
    ["action", "update", PLAN],
    ["action", "update", "x", "--state", "SKIPPED"],
    ["action", "list", "--action-plan", "x"],
    ["action", "list", "--marker", "x"],
    ["audit", "list", "--marker", "x"],
    ["goal", "list", "--marker", "x"],
    ["datamodel", "list", "--audit", "x"],
])
def test_a_bad_option_exits_2_and_sends_nothing(server, capsys, argv):
    code, err = usage(argv, capsys)
    assert code == errors.EXIT_USAGE, err
    assert not server.called
    assert len(err.strip().splitlines()) >= 1
    assert "Traceback" not in err


def test_the_bus_option_is_named(server, capsys):
    _, err = usage(["actionplan", "cancel", PLAN, "--transport-url",
                    "http://bad"], capsys)
    assert err.startswith("--transport-url: Invalid transport URL")


def test_a_malformed_uuid_says_the_same_everywhere(server, capsys):
    _, show = usage(["actionplan", "show", "x"], capsys)
    _, cancel = usage(["actionplan", "cancel", "x"], capsys)
    assert show == cancel
    assert show.count("\n") == 1


def test_deep_data_is_one_line(server, capsys, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    code, err = usage(["webhook", "trigger", "ev", "--data", f"@{deep}"],
                      capsys)
    assert code == errors.EXIT_USAGE
    assert err == "--data is nested deeper than 100 levels\n"
    assert not server.called


def test_data_in_brackets_of_a_string_is_not_nesting():
    from watcherclient_ext.commands import webhook

    assert webhook.parse_data('{"a": "' + "[" * 500 + '"}') == {
        "a": "[" * 500}


def test_a_cancel_sent_before_the_api_went_down_times_out_with_its_rows(
        server, capsys):
    server.get(PLAN_URL, [{"json": {"uuid": PLAN, "state": "ONGOING"}},
                          {"status_code": 503, "json": {}}])
    code = main(["actionplan", "cancel", PLAN, "--wait", "1",
                 "--poll-interval", "0.1", "-f", "value", "-c",
                 "State After"])
    out, err = capsys.readouterr()
    assert code == errors.EXIT_TIMED_OUT, err
    assert out == "CANCELLING\n"
    assert server.call_count >= 3  # read, PATCH, polls
    assert f"action plan {PLAN}; it is still CANCELLING" in err


def test_unknown_command_goes_to_stderr(capsys):
    code = main(["nope"])
    out, err = capsys.readouterr()
    assert code == errors.EXIT_USAGE
    assert out == ""
    assert "'nope' is not a" in err


def test_unparsable_clouds_yaml_is_one_line(tmp_path, monkeypatch, capsys):
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text("clouds: [unclosed\n")
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(clouds))
    code = shell.main(["--os-cloud", "a", "actionplan", "show", PLAN])
    err = capsys.readouterr().err
    assert code == errors.EXIT_ERROR
    assert err == f"Cannot parse {clouds}: while parsing a flow sequence\n"


def watcher_ext(shell_args):
    """``watcher-ext`` run by bash, so that redirections can close fds."""
    command = (f"{sys.executable} -m watcherclient_ext --os-auth-type none "
               f"--os-endpoint http://127.0.0.1:9 {shell_args}")
    return subprocess.run(["bash", "-c", command], capture_output=True,
                          text=True, close_fds=True)


def test_closed_stdout_sends_nothing_and_says_one_line():
    result = watcher_ext(f"actionplan cancel {PLAN} >&-")
    assert result.returncode == errors.EXIT_USAGE
    assert result.stderr == ("watcher-ext: standard output is closed; "
                             "nothing was sent\n")


def test_closed_stdin_is_one_line():
    result = watcher_ext("<&-")
    assert result.returncode == errors.EXIT_ERROR
    assert result.stderr == ("watcher-ext: standard input is closed: name "
                             "a command (see watcher-ext --help)\n")


def test_closed_stdin_for_data_is_one_line():
    result = watcher_ext("webhook trigger ev --data @- <&-")
    assert result.returncode == errors.EXIT_USAGE
    assert result.stderr == "--data @-: standard input is closed\n"


def test_interrupted_trigger_by_url_may_have_been_sent(requests_mock,
                                                      capsys):
    def interrupt(request, context):
        raise KeyboardInterrupt

    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.post(f"{ENDPOINT}/v1/webhooks/ev", json=interrupt)
    code = main(["webhook", "trigger", "--url", f"{ENDPOINT}/v1/webhooks/ev"])
    assert code == 130
    assert "the trigger may have been sent" in capsys.readouterr().err


def _commands():
    """Every command watcher-ext has, as the words that name it."""
    return sorted(shell.WatcherExtApp().command_manager.commands)


#: Arguments the parser takes, for commands that need more than a UUID
#: for each positional argument.
ARGUMENTS = {
    "notifications tail": ["--file", os.devnull],
    "audit update": [PLAN, "replace", "name=x"],
    "audittemplate update": [PLAN, "replace", "name=x"],
    "actionplan update": [PLAN, "replace", "state=PENDING"],
    "action update": [PLAN, "--state", "SKIPPED"],
    "audittemplate create": ["T", "dummy"],
}


@pytest.mark.parametrize("name", _commands())
def test_every_command_checks_c_before_any_request(name, server, capsys):
    command = shell.WatcherExtApp().command_manager.commands[name].load()
    parser = command(None, None).get_parser(name)
    positionals = [action for action in parser._actions
                   if not action.option_strings]
    arguments = ARGUMENTS.get(name, [PLAN] * len(positionals))
    argv = [*name.split(), *arguments, "-c", "Bogus"]
    code, err = usage(argv, capsys)
    assert code == errors.EXIT_USAGE, err
    assert "Bogus" in err
    assert not server.called
