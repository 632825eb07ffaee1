"""Operator workflows end to end on the real applier: the emergency stop,
the CI job (as doc/source/workflows.rst prints them), many plans at once,
and python-watcherclient's list side by side with ours."""

import os
import pathlib
import subprocess

import pytest

from tests.functional.conftest import BIN
from tests.functional.conftest import REPO
from tests.functional.conftest import SANDBOX
from tests.functional.conftest import run

pytestmark = pytest.mark.usefixtures("watcher")

EXAMPLES = REPO / "doc" / "source" / "examples"
EXIT_OTHER_END = 3
#: An actuator plan whose second action fails: without Nova, `stop` fails
#: its pre-condition, and Watcher records why.
FAILING_ACTIONS = (
    'actions=[{"action_type": "nop", "input_parameters": {"message": "a"}},'
    ' {"action_type": "stop", "input_parameters": {},'
    ' "resource_id": "6e1f3ac9-4a4b-4a57-9a4b-8d1c1b0e9d11"}]')


def script(name, *args, env=None):
    """Run a documented example exactly as printed, with our watcher-ext."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("OS_")}
    full_env.update(SANDBOX)
    full_env.update(env or {})
    full_env["PATH"] = f"{BIN}:{full_env.get('PATH', '')}"
    return subprocess.run(
        ["sh", str(EXAMPLES / name), *args], capture_output=True, text=True,
        env=full_env, timeout=600, stdin=subprocess.DEVNULL)


def running_and_queued(watcher):
    """Plan A running a long first action, plan B PENDING behind it.

    (Durations differ: Watcher merges identical actions into one.)"""
    running = watcher.ongoing_plan([20, 21])
    queued = watcher.recommended_plan([5, 6])
    watcher.start(queued["uuid"])
    assert watcher.plan(queued["uuid"])["state"] == "PENDING"
    return running, queued


def never_started(watcher, plan):
    return all(a["state"] in ("PENDING", "CANCELLED")
               for a in watcher.actions_of(plan["uuid"]))


@pytest.mark.server_behaviour("cancel-ongoing")
def test_cancel_many_sends_every_cancel_before_waiting(cli, watcher):
    running, queued = running_and_queued(watcher)
    # Named queued first: the running plan's cancel still goes out first.
    result = cli("actionplan", "cancel", queued["uuid"], running["uuid"],
                 "--wait", "120", "-f", "json")
    assert result.returncode == 0, result
    rows = {row["UUID"]: row for row in result.json()}
    assert rows[running["uuid"]]["State Before"] == "ONGOING"
    assert rows[queued["uuid"]]["State Before"] == "PENDING"
    assert {row["State After"] for row in rows.values()} == {"CANCELLED"}
    assert [row["UUID"] for row in result.json()] == [
        queued["uuid"], running["uuid"]]
    assert never_started(watcher, queued), watcher.actions_of(
        queued["uuid"])
    assert watcher.plan(running["uuid"])["state"] == "CANCELLED"


@pytest.mark.server_behaviour("cancel-ongoing")
def test_emergency_stop_as_documented(watcher):
    running, queued = running_and_queued(watcher)
    result = script("emergency-stop.sh")
    assert result.returncode == 0, result
    rows = {line.split()[0]: line.split()[1:]
            for line in result.stdout.splitlines()}
    assert rows[running["uuid"]] == ["ONGOING", "CANCELLED"]
    assert rows[queued["uuid"]] == ["PENDING", "CANCELLED"]
    assert "Selected 2 action plan(s) in state ONGOING, PENDING" in (
        result.stderr)
    assert never_started(watcher, queued)


def test_emergency_stop_with_nothing_running_says_so(watcher):
    audit = watcher.create_audit(goal="dummy", strategy="dummy",
                                 audit_type="EVENT")
    result = run("watcher-ext", "actionplan", "cancel", "--state",
                 "ONGOING,PENDING", "--audit", audit["uuid"], "-f", "json")
    assert result.returncode == 0, result
    assert result.json() == []
    assert (f"No action plan of audit {audit['uuid']} is ONGOING or "
            "PENDING") in result.stderr


def test_ci_job_as_documented_passes(watcher):
    result = script("ci-job.sh", "--force",
                    env={"GOAL": "dummy", "STRATEGY": "dummy"})
    assert result.returncode == 0, result
    first, state = result.stdout.splitlines()
    plan = first.split()[-1]
    assert state == "SUCCEEDED"
    assert watcher.plan(plan)["state"] == "SUCCEEDED"


# The reason is the action's status_message (API 1.5); both it and the
# stop action came with Watcher 15.
@pytest.mark.microversion("1.5")
def test_ci_job_as_documented_fails_with_the_reason(watcher):
    result = script("ci-job.sh", "--force", "-p", FAILING_ACTIONS,
                    env={"GOAL": "unclassified", "STRATEGY": "actuator"})
    assert result.returncode == EXIT_OTHER_END, result
    plan = result.stdout.splitlines()[0].split()[-1]
    assert watcher.plan(plan)["state"] == "FAILED"
    assert "ended FAILED, not SUCCEEDED" in result.stderr
    failed = [a for a in watcher.actions_of(plan) if a["state"] == "FAILED"]
    assert len(failed) == 1
    assert (f"action {failed[0]['uuid']} (stop) FAILED: Action failed in "
            "pre_condition") in result.stderr


def test_audit_failing_without_a_plan_exits_3_with_the_reason(cli):
    # The decision engine refuses an actuator action naming resource_id
    # among its input parameters: the audit FAILS before any plan.
    result = cli("audit", "create", "-g", "unclassified", "-s", "actuator",
                 "--force", "-p", 'actions=[{"action_type": "nop", '
                 '"input_parameters": {"resource_id": "x"}}]', "--wait", "60")
    assert result.returncode == EXIT_OTHER_END, result
    assert "FAILED without an action plan" in result.stderr


def test_wait_is_for_oneshot_audits_only(cli):
    result = cli("audit", "create", "-t", "EVENT", "-g", "dummy", "--wait")
    assert result.returncode == 2, result
    assert "--wait waits for a ONESHOT audit's plan" in result.stderr


def test_audit_show_gives_the_webhook_url(cli, watcher):
    audit = watcher.create_audit(goal="dummy", strategy="dummy",
                                 audit_type="EVENT")
    result = cli("audit", "show", audit["uuid"], "-f", "json")
    assert result.returncode == 0, result
    shown = result.json()
    assert shown["UUID"] == audit["uuid"]
    assert shown["Webhook URL"] == (
        f"{SANDBOX['OS_ENDPOINT']}/v1/webhooks/{audit['uuid']}")


def test_list_selects_by_state_and_audit(cli, watcher):
    plan = watcher.recommended_plan()
    result = cli("actionplan", "list", "--state", "RECOMMENDED", "--audit",
                 plan["audit_uuid"], "-f", "json")
    assert result.returncode == 0, result
    assert [row["UUID"] for row in result.json()] == [plan["uuid"]]
    none = cli("actionplan", "list", "--state", "SUCCEEDED", "--audit",
               plan["audit_uuid"], "-f", "json")
    assert none.json() == []


@pytest.mark.parametrize("options", [(), ("--detail",)])
def test_list_matches_python_watcherclient(watcher, options):
    venv = os.environ.get("WATCHERCLIENT_VENV")
    if not venv:
        pytest.fail("WATCHERCLIENT_VENV is not set: run the tests with "
                    "`make test`, which builds that venv")
    plan = watcher.recommended_plan()
    watcher.start(plan["uuid"])
    watcher.wait_for_end(plan["uuid"])
    args = ("actionplan", "list", "--audit", plan["audit_uuid"], *options,
            "-f", "json")
    ours = run("openstack", "optimize", *args)
    theirs = run("watcher", "--no-auth", "--os-endpoint-override",
                 SANDBOX["OS_ENDPOINT"], *watcher.watcherclient_pin(), *args,
                 bin_dir=pathlib.Path(venv) / "bin")
    assert ours.returncode == theirs.returncode == 0, (ours, theirs)
    ours_rows = ours.json()
    if options and watcher.api_range[1] < (1, 5):
        # Before API 1.5 plans have no status message: python-watcherclient
        # drops the column, ours shows it empty.
        for row in ours_rows:
            assert row.pop("Status Message") is None
    assert ours_rows == theirs.json()
    assert ours.json()[0]["State"] == "SUCCEEDED"


def test_long_plan_as_documented(watcher):
    result = script("long-plan.sh")
    assert result.returncode == 0, result
    plan = watcher.plan(result.stdout.strip())
    assert plan["state"] == "RECOMMENDED"
    actions = watcher.call("GET", "/v1/actions/detail", params={
        "action_plan_uuid": plan["uuid"]})["actions"]
    assert sorted(a["input_parameters"]["duration"] for a in actions) == [
        60, 61, 62]
    assert run("watcher-ext", "actionplan", "cancel",
               plan["uuid"]).returncode == 0
