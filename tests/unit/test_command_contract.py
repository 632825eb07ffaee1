"""One contract for every command: one output shape whatever the number
of arguments or --wait, one exit code per outcome, reasons where the
operator looks."""

import io
import json
import time

import pytest

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSION_HEADERS
from tests.unit.conftest import VERSIONS
from tests.unit.fake_watcher import FakeWatcher
from tests.unit.test_notifications_command import run_app
from tests.unit.test_usage import main
from watcherclient_ext import errors
from watcherclient_ext.api import waiting
from watcherclient_ext.formatting import progress

NOT_A_UUID = "0f3c2a9e"
TRIGGER_COLUMNS = ["Audit", "Name", "Webhook URL", "Result", "Action Plan",
                   "Action Plan State"]


@pytest.fixture
def fake(requests_mock, monkeypatch):
    monkeypatch.delenv("WATCHER_TRANSPORT_URL", raising=False)
    return FakeWatcher(requests_mock)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cancel_of_one_plan_prints_the_rows_of_several(fake, capsys):
    one, other = fake.add_plan("RECOMMENDED"), fake.add_plan("PENDING")
    code, out, _ = run(capsys, "actionplan", "cancel", one["uuid"], "-f",
                       "json")
    assert code == 0
    assert json.loads(out) == [{
        "UUID": one["uuid"], "State Before": "RECOMMENDED",
        "State After": "CANCELLED", "Result": "RECOMMENDED -> CANCELLED"}]
    code, out, _ = run(capsys, "actionplan", "cancel", other["uuid"], "-f",
                       "value", "-c", "State After")
    assert (code, out) == (0, "CANCELLED\n")


@pytest.mark.parametrize("command, state", [("cancel", "SUCCEEDED"),
                                            ("start", "CANCELLED")])
def test_an_ended_plan_exits_3_in_cancel_and_start(fake, capsys, command,
                                                   state):
    plan = fake.add_plan(state)
    code, out, err = run(capsys, "actionplan", command, plan["uuid"], "-f",
                         "json")
    assert code == errors.EXIT_OTHER_END, err
    assert state in out  # the plan is shown all the same
    assert len(err.splitlines()) == 1
    assert not [r for r in fake.requests.request_history
                if r.method == "PATCH"]


@pytest.mark.parametrize("argv", [
    ("actionplan", "show", NOT_A_UUID), ("actionplan", "cancel", NOT_A_UUID),
    ("actionplan", "start", NOT_A_UUID), ("action", "show", NOT_A_UUID)])
def test_a_malformed_uuid_exits_2_everywhere(fake, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == errors.EXIT_USAGE, err
    assert out == ""
    assert f"'{NOT_A_UUID}' is not a UUID" in err


@pytest.mark.parametrize("formatter, shown", [
    ("json", "[]\n"), ("table", ""), ("value", ""), ("yaml", "[]\n")])
def test_an_empty_selection_prints_only_the_formats_empty_form(
        fake, capsys, formatter, shown):
    fake.add_plan("SUCCEEDED")
    code, out, err = run(capsys, "actionplan", "cancel", "--state",
                         "ONGOING", "-f", formatter)
    assert code == 0
    assert out == shown
    assert "No action plan is ONGOING" in err


def serve_webhook(fake, audit, *, root=ENDPOINT):
    """POST to the audit's webhook makes a plan and ends the audit."""
    def post(request, context):
        context.status_code = 202
        fake.add_plan("RECOMMENDED", audit_uuid=audit["uuid"])
        audit["state"] = "SUCCEEDED"
        return None
    fake.requests.post(f"{root}/v1/webhooks/{audit['uuid']}", json=post,
                       headers=VERSION_HEADERS)


def test_trigger_shows_the_same_columns_with_and_without_wait(fake, capsys):
    audit = fake.add_audit("nightly")
    serve_webhook(fake, audit)
    code, out, _ = run(capsys, "webhook", "trigger", "nightly", "-f", "json")
    assert code == 0
    alone = json.loads(out)
    assert (alone["Result"], alone["Action Plan"]) == ("accepted", None)
    audit["state"] = "PENDING"
    code, out, err = run(capsys, "webhook", "trigger", "nightly", "--wait",
                         "10", "--poll-interval", "0.01", "-f", "json")
    assert code == 0, err
    waited = json.loads(out)
    assert list(waited) == list(alone) == TRIGGER_COLUMNS
    assert waited["Action Plan"] == fake.plans[-1]["uuid"]
    assert (waited["Result"], waited["Action Plan State"]) == (
        "action plan made", "RECOMMENDED")


def test_trigger_by_url_waits_with_the_clouds_credentials(fake, capsys):
    hook = "http://hooks.test:9322"
    fake.requests.get(hook + "/", json=VERSIONS)
    audit = fake.add_audit("nightly")
    serve_webhook(fake, audit, root=hook)
    code, out, err = run(capsys, "webhook", "trigger", "--url",
                         f"{hook}/v1/webhooks/nightly", "--wait", "10",
                         "--poll-interval", "0.01", "-f", "value", "-c",
                         "Action Plan")
    assert code == 0, err
    assert out == fake.plans[-1]["uuid"] + "\n"
    posts = [r for r in fake.requests.request_history if r.method == "POST"]
    assert [r.url for r in posts] == [
        f"{hook}/v1/webhooks/{audit['uuid']}"]
    assert "X-Auth-Token" not in posts[0].headers


def test_trigger_by_url_without_credentials_cannot_wait(capsys,
                                                        monkeypatch):
    for name in ("OS_CLOUD", "OS_AUTH_URL", "OS_AUTH_TYPE", "OS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", "/nonexistent")
    code = run_app(["webhook", "trigger", "--url",
                    "http://hooks.test/v1/webhooks/nightly", "--wait"])
    err = capsys.readouterr().err
    assert code == errors.EXIT_USAGE, err
    assert "--wait reads the audit and its plans, which takes the cloud's " \
           "credentials" in err


def test_show_lists_the_failed_actions_and_their_reasons(fake, capsys):
    plan = fake.add_plan("FAILED", actions=("SUCCEEDED", "FAILED"))
    fake.actions[-1].update(action_type="migrate",
                            status_message="No valid host")
    code, out, _ = run(capsys, "actionplan", "show", plan["uuid"], "-f",
                       "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["Actions"] == {"FAILED": 1, "SUCCEEDED": 1}
    assert shown["Failed Actions"] == [{
        "uuid": fake.actions[-1]["uuid"], "action_type": "migrate",
        "status_message": "No valid host"}]


def test_a_failed_action_without_a_reason_says_where_it_is(fake, capsys):
    plan = fake.add_plan("FAILED", actions=("FAILED",))
    code, out, _ = run(capsys, "actionplan", "show", plan["uuid"], "-f",
                       "json")
    (failed,) = json.loads(out)["Failed Actions"]
    assert "watcher-applier's log on the controller" in (
        failed["status_message"])


def test_an_audit_failed_without_a_reason_points_at_the_log(fake, capsys):
    audit = fake.add_audit("once", audit_type="ONESHOT", state="FAILED",
                           status_message=None)
    fake.requests.post(f"{ENDPOINT}/v1/audits", status_code=201,
                       json=audit, headers=VERSION_HEADERS)
    code, out, err = run(capsys, "audit", "create", "-g", "dummy", "--wait",
                         "10", "--poll-interval", "0.01")
    assert code == errors.EXIT_OTHER_END
    assert out == ""
    assert "no reason given" not in err
    assert (f"look for audit {audit['uuid']} in watcher-decision-engine's "
            "log on the controller") in err


def test_audit_create_shows_the_audit_and_its_plan_with_wait(fake, capsys):
    audit = fake.add_audit("once", audit_type="ONESHOT", state="SUCCEEDED")
    plan = fake.add_plan("RECOMMENDED", audit_uuid=audit["uuid"])
    fake.requests.post(f"{ENDPOINT}/v1/audits", status_code=201,
                       json=dict(audit, state="PENDING"),
                       headers=VERSION_HEADERS)
    fake.plans.remove(plan)

    def plan_comes(query):
        if plan not in fake.plans:
            fake.plans.append(plan)
    fake.before_list = plan_comes
    code, out, err = run(capsys, "audit", "create", "-g", "dummy", "--wait",
                         "10", "--poll-interval", "0.01", "-f", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert list(shown)[-3:] == ["Status Message", "Webhook URL",
                                "Action Plan"]
    assert (shown["UUID"], shown["State"], shown["Action Plan"]) == (
        audit["uuid"], "SUCCEEDED", plan["uuid"])


def v3_token(user, project):
    """Keystone's answer to a password authentication, a Watcher in its
    catalog."""
    domain = {"id": "default", "name": "Default"}
    return {"token": {
        "methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
        "issued_at": "2026-01-01T00:00:00.000000Z",
        "user": {"id": "u-1", "name": user, "domain": domain},
        "project": {"id": "p-1", "name": project, "domain": domain},
        "roles": [{"id": "r-1", "name": "member"}],
        "catalog": [{"type": "infra-optim", "name": "watcher", "id": "s-1",
                     "endpoints": [{"id": "e-1", "interface": "public",
                                    "region": "RegionOne",
                                    "region_id": "RegionOne",
                                    "url": ENDPOINT}]}]}}


POLICY_REFUSAL = {"error_message": json.dumps({
    "faultstring": "Policy doesn't allow action_plan:get to be performed."})}


def test_a_403_says_who_you_are_and_the_role_wanted(requests_mock, capsys,
                                                    monkeypatch):
    auth_url = "http://keystone.test:5000/v3"
    requests_mock.get(auth_url, json={"version": {
        "id": "v3.14", "status": "stable",
        "links": [{"rel": "self", "href": auth_url + "/"}]}})
    requests_mock.post(f"{auth_url}/auth/tokens", status_code=201,
                       json=v3_token("alice", "demo"),
                       headers={"X-Subject-Token": "tok"})
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    plan = "17287473-44cd-497d-9235-063cf6e885a4"
    requests_mock.get(f"{ENDPOINT}/v1/action_plans/{plan}", status_code=403,
                      json=POLICY_REFUSAL, headers=VERSION_HEADERS)
    monkeypatch.delenv("OS_CLOUD", raising=False)
    code = run_app([
        "--os-auth-url", auth_url, "--os-username", "alice",
        "--os-password", "pw", "--os-project-name", "demo",
        "--os-user-domain-name", "Default",
        "--os-project-domain-name", "Default",
        "actionplan", "show", plan])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "Policy doesn't allow action_plan:get to be performed. You are user "
        "alice in project demo; Watcher's default policy gives "
        "action_plan:get to the admin or administrator role (HTTP 403)"]


def test_a_403_of_a_webhook_names_the_service_role(fake, capsys):
    audit = fake.add_audit("nightly")
    fake.requests.post(f"{ENDPOINT}/v1/webhooks/{audit['uuid']}",
                       status_code=403, headers=VERSION_HEADERS, json={
                           "error_message": json.dumps({"faultstring": (
                               "Policy doesn't allow webhook:trigger to be "
                               "performed.")})})
    code, _, err = run(capsys, "webhook", "trigger", "nightly")
    assert code == 1
    assert ("Watcher's default policy gives webhook:trigger to the admin or "
            "administrator or service role (HTTP 403)") in err
    assert "You are" not in err  # no Keystone: nobody to name


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_long_wait_refreshes_the_elapsed_time_on_a_terminal(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    monkeypatch.setattr(time, "sleep", lambda s: now.__setitem__(
        0, now[0] + s))
    screen = Terminal()
    reporter = progress.Progress(screen)
    options = waiting.WaitSpec(poll_interval=5, started=100.0).options(
        reporter, None)
    reporter.update("Action plan P: ONGOING", 0)
    options["sleep"](3)
    assert screen.getvalue().count("Action plan P: ONGOING") == 4
    assert "(3 s)" in screen.getvalue()


def test_off_a_terminal_an_unchanged_line_comes_again_now_and_then():
    log = io.StringIO()
    reporter = progress.Progress(log)
    for elapsed in range(0, 61, 5):
        reporter.update("Action plan P: ONGOING", elapsed)
    assert log.getvalue().splitlines() == [
        "[   0.0 s] Action plan P: ONGOING",
        "[  30.0 s] Action plan P: ONGOING",
        "[  60.0 s] Action plan P: ONGOING"]
