"""The generic update and delete, and the commands built on them: the JSON
patch sent, each failure of a delete said and counted, writes sent once,
microversion-gated options, names resolved as python-watcherclient does."""

import json

import pytest
import requests

from tests.unit.conftest import ENDPOINT
from tests.unit.test_notifications_command import run_app
from tests.unit.test_resources import versions
from watcherclient_ext import errors
from watcherclient_ext import shell
from watcherclient_ext.commands import resource

PLAN = "1f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
OTHER_PLAN = "2f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
ACTION = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
GOAL = "3f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
STRATEGY = "4f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
TEMPLATES = ENDPOINT + "/v1/audit_templates"
NOT_FOUND = {"status_code": 404, "json": {"error_message": json.dumps(
    {"faultstring": "Audit nope could not be found."})}}


@pytest.fixture
def watcher(requests_mock, capsys):
    """Run ``watcher-ext ARGS``; (exit code, stdout, stderr)."""
    requests_mock.get(ENDPOINT + "/", json=versions("1.7"))

    def run(*args):
        code = run_app(["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
                        *args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def writes(requests_mock):
    return [(r.method, r.path) for r in requests_mock.request_history
            if r.method != "GET"]


def test_json_patch_is_python_watcherclients():
    assert resource.json_patch(
        "replace", ["name=x", "/parameters={\"a\": 1}", "interval=60",
                    "auto_trigger=true"], text_paths=("/interval",)) == [
        {"op": "replace", "path": "/name", "value": "x"},
        {"op": "replace", "path": "/parameters", "value": {"a": 1}},
        {"op": "replace", "path": "/interval", "value": "60"},
        {"op": "replace", "path": "/auto_trigger", "value": True}]
    assert resource.json_patch("remove", ["description", "/scope"]) == [
        {"op": "remove", "path": "/description"},
        {"op": "remove", "path": "/scope"}]


@pytest.mark.parametrize("attribute", ["name", "=x", "/=x"])
def test_json_patch_needs_a_path_and_a_value(attribute):
    with pytest.raises(errors.UsageError, match="expects NAME=VALUE"):
        resource.json_patch("add", [attribute])


def test_audit_update_sends_the_patch_and_shows_the_audit(
        watcher, requests_mock):
    patched = requests_mock.patch(ENDPOINT + "/v1/audits/a%201", json={
        "uuid": PLAN, "name": "a 2", "strategy_name": None,
        "interval": "60"})
    code, out, _ = watcher("audit", "update", "a 1", "replace", "name=a 2",
                           "interval=60", "-f", "json")
    assert code == 0
    assert patched.last_request.json() == [
        {"op": "replace", "path": "/name", "value": "a 2"},
        {"op": "replace", "path": "/interval", "value": "60"}]
    shown = json.loads(out)
    assert (shown["Name"], shown["Strategy"], shown["Interval"]) == (
        "a 2", "auto", "60")
    assert "Status Message" in shown


def test_an_update_is_sent_once(watcher, requests_mock):
    patched = requests_mock.patch(f"{ENDPOINT}/v1/action_plans/{PLAN}",
                                  status_code=503, json={})
    code, out, err = watcher("actionplan", "update", PLAN, "replace",
                             "state=PENDING")
    assert code == errors.EXIT_ERROR
    assert patched.call_count == 1
    assert out == ""
    assert err.startswith(f"The update of action plan {PLAN} was sent and "
                          "may have taken effect")


def test_a_redirected_update_says_once_it_may_have_taken_effect(
        watcher, requests_mock):
    patched = requests_mock.patch(
        f"{ENDPOINT}/v1/action_plans/{PLAN}", status_code=307,
        headers={"Location": "http://elsewhere.test/v1/action_plans/x"})
    code, out, err = watcher("actionplan", "update", PLAN, "replace",
                             "state=PENDING")
    assert code == errors.EXIT_ERROR
    assert patched.call_count == 1
    assert err == (
        f"The update of action plan {PLAN} was sent and may have taken "
        f"effect: PATCH /v1/action_plans/{PLAN} was answered HTTP 307, a "
        "redirect to http://elsewhere.test/v1/action_plans/x; it was not "
        "sent again\n")


def test_an_update_accepted_with_a_bad_answer_says_it_was_sent(
        watcher, requests_mock):
    requests_mock.patch(f"{ENDPOINT}/v1/action_plans/{PLAN}", json=["?"])
    code, _, err = watcher("actionplan", "update", PLAN, "replace",
                           "state=PENDING")
    assert code == errors.EXIT_ERROR
    assert f"update of action plan {PLAN} was sent and accepted" in err


def test_a_delete_of_several_deletes_all_and_counts_failures(
        watcher, requests_mock):
    for name, answer in (("a", {"status_code": 204}), ("nope", NOT_FOUND),
                         ("b", {"status_code": 204}),
                         ("c", {"exc": requests.ConnectionError("reset")})):
        requests_mock.delete(f"{ENDPOINT}/v1/audits/{name}", **answer)
    code, out, err = watcher("audit", "delete", "a", "nope", "b", "c", "a")
    assert code == errors.EXIT_ERROR
    assert out == ""
    assert writes(requests_mock) == [("DELETE", f"/v1/audits/{name}")
                                     for name in ("a", "nope", "b", "c")]
    lines = err.splitlines()
    assert lines[0] == "Deleted audit a"
    assert lines[1].startswith("Audit nope could not be found. (HTTP 404")
    assert lines[2] == "Deleted audit b"
    assert lines[3].startswith(
        "The deletion of audit c was sent and may have taken effect")
    assert lines[4:] == ["2 of 4 audits failed to delete"]


def test_a_delete_that_succeeds_exits_0_and_says_so(watcher, requests_mock):
    requests_mock.delete(f"{ENDPOINT}/v1/action_plans/{PLAN}",
                         status_code=204)
    code, out, err = watcher("actionplan", "delete", PLAN)
    assert (code, out, err) == (0, "", f"Deleted action plan {PLAN}\n")


def test_a_delete_is_sent_once(watcher, requests_mock):
    deleted = requests_mock.delete(f"{TEMPLATES}/t", status_code=503,
                                   json={})
    code, _, err = watcher("audittemplate", "delete", "t")
    assert code == errors.EXIT_ERROR
    assert deleted.call_count == 1
    assert err.endswith("1 of 1 audit templates failed to delete\n")


def test_an_interrupted_delete_says_which_may_have_been_deleted(
        watcher, requests_mock):
    def interrupt(request, context):
        raise KeyboardInterrupt

    requests_mock.delete(f"{ENDPOINT}/v1/action_plans/{PLAN}",
                         status_code=204)
    requests_mock.delete(f"{ENDPOINT}/v1/action_plans/{OTHER_PLAN}",
                         json=interrupt)
    code, _, err = watcher("actionplan", "delete", PLAN, OTHER_PLAN)
    assert code == 130
    assert f"Deleted action plan {PLAN}\n" in err
    assert (f"Interrupted while deleting action plan {OTHER_PLAN}, which "
            "may have been deleted") in err


def test_a_malformed_uuid_deletes_none(watcher, requests_mock):
    code, _, err = watcher("actionplan", "delete", PLAN, "nope")
    assert code == errors.EXIT_USAGE
    assert err.startswith("Action plan 'nope' is not a UUID")
    assert not requests_mock.called


def test_action_update_skips_with_a_reason(watcher, requests_mock):
    patched = requests_mock.patch(f"{ENDPOINT}/v1/actions/{ACTION}", json={
        "uuid": ACTION, "state": "SKIPPED",
        "status_message": "Action skipped by user. Reason: later"})
    code, out, _ = watcher("action", "update", ACTION, "--state", "SKIPPED",
                           "--reason", "later", "-f", "json")
    assert code == 0
    assert patched.last_request.json() == [
        {"op": "replace", "path": "/state", "value": "SKIPPED"},
        {"op": "replace", "path": "/status_message", "value": "later"}]
    assert json.loads(out)["Status Message"].endswith("Reason: later")


def test_action_update_needs_1_5(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/", json=versions("1.4"))
    code, _, err = watcher("action", "update", ACTION, "--state", "SKIPPED")
    assert code == errors.EXIT_ERROR
    assert err == ("action update needs Watcher API 1.5 or newer; this "
                   "session uses 1.4\n")
    assert writes(requests_mock) == []


def test_action_update_pinned_below_1_5_sends_nothing(
        watcher, requests_mock):
    code, _, err = watcher("--os-infra-optim-api-version", "1.4", "action",
                           "update", ACTION, "--reason", "x")
    assert code == errors.EXIT_ERROR
    assert "needs Watcher API 1.5" in err
    assert not requests_mock.called


def test_template_create_resolves_names_and_reads_the_scope(
        watcher, requests_mock, tmp_path):
    scope = tmp_path / "scope.yaml"
    scope.write_text("- compute:\n  - host_aggregates:\n    - id: 1\n")
    requests_mock.get(ENDPOINT + "/v1/goals/dummy", json={"uuid": GOAL})
    requests_mock.get(ENDPOINT + "/v1/strategies/basic",
                      json={"uuid": STRATEGY})
    posted = requests_mock.post(TEMPLATES, status_code=201, json={
        "uuid": PLAN, "name": "t", "goal_name": "dummy",
        "default_parameters": {"period": 60}})
    code, out, _ = watcher(
        "audittemplate", "create", "t", "dummy", "-s", "basic", "-d", "hi",
        "--scope", str(scope), "-p", "period=60", "-f", "json")
    assert code == 0
    assert posted.last_request.json() == {
        "name": "t", "description": "hi", "goal": GOAL,
        "strategy": STRATEGY, "default_parameters": {"period": 60},
        "scope": [{"compute": [{"host_aggregates": [{"id": 1}]}]}]}
    assert json.loads(out)["Default Parameters"] == {"period": 60}


def test_template_default_parameters_need_1_7(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/", json=versions("1.6"))
    code, _, err = watcher("audittemplate", "create", "t", GOAL, "-s",
                           STRATEGY, "-p", "period=60")
    assert code == errors.EXIT_ERROR
    assert err.startswith("-p/--default-parameter needs Watcher API 1.7")
    assert writes(requests_mock) == []


def test_template_create_by_uuid_reads_nothing_first(watcher, requests_mock):
    posted = requests_mock.post(TEMPLATES, status_code=201,
                                json={"uuid": PLAN, "name": "t"})
    code, _, _ = watcher("audittemplate", "create", "t", GOAL)
    assert code == 0
    assert posted.last_request.json() == {"name": "t", "goal": GOAL}
    assert [r.path for r in requests_mock.request_history
            if r.path.startswith("/v1/")] == ["/v1/audit_templates"]


def test_a_scope_that_is_not_yaml_is_a_usage_error(watcher, requests_mock,
                                                   tmp_path):
    scope = tmp_path / "scope.yaml"
    scope.write_text("[unclosed\n")
    code, _, err = watcher("audittemplate", "create", "t", GOAL, "--scope",
                           str(scope))
    assert code == errors.EXIT_USAGE
    assert err.startswith(f"--scope {scope} is neither YAML nor JSON")
    assert not requests_mock.called


def _command_names():
    return sorted(shell.WatcherExtApp().command_manager.commands)


@pytest.mark.parametrize("name", _command_names())
def test_each_command_name_runs_its_own_class(name):
    """cliff takes a unique prefix for a name: ``action list`` once ran
    ``actionplan list``, and ``audit delete`` would have deleted
    templates."""
    manager = shell.WatcherExtApp().command_manager
    found, _, rest = manager.find_command([*name.split(), PLAN])
    assert found is manager.commands[name].load()
    assert rest == [PLAN]


@pytest.mark.parametrize("option, value, version", [
    ("--force", None, "1.1"),
    ("--start-time", "2026-01-01T00:00:00", "1.0"),
    ("--end-time", "2026-01-01T00:00:00", "1.0"),
])
def test_audit_create_names_the_option_a_release_lacks(
        watcher, requests_mock, option, value, version):
    requests_mock.get(ENDPOINT + "/", json=versions(version))
    args = [option] if value is None else [option, value]
    if option != "--force":
        args += ["-t", "CONTINUOUS", "-i", "60"]
    code, _, err = watcher("audit", "create", "-g", "dummy", *args)
    assert code == errors.EXIT_ERROR
    assert err.startswith(f"{option} needs Watcher API "), err
    assert f"this session uses {version}" in err
    assert writes(requests_mock) == []


@pytest.mark.parametrize("option", ["--transport-url", "--config-file"])
def test_an_empty_transport_option_sends_nothing(watcher, requests_mock,
                                                 capsys, option):
    with pytest.raises(SystemExit) as exited:
        watcher("actionplan", "cancel", PLAN, "--wait", "5", option, "")
    assert exited.value.code == errors.EXIT_USAGE
    assert "expected a value, got an empty one" in capsys.readouterr().err
    assert not requests_mock.called
