"""actionplan show/start/cancel on the real applier, state checked after."""

import pytest

from tests.functional.conftest import run

pytestmark = pytest.mark.usefixtures("watcher")

UNKNOWN_PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
EXIT_OTHER_END, EXIT_TIMED_OUT = 3, 4


def action_states(watcher, plan):
    return sorted(a["state"] for a in watcher.actions_of(plan))


def test_show_uses_watcherclient_labels(cli, watcher):
    plan = watcher.recommended_plan()
    result = cli("actionplan", "show", plan["uuid"], "-f", "json")
    assert result.returncode == 0, result
    shown = result.json()
    assert list(shown) == [
        "UUID", "Created At", "Updated At", "Deleted At", "Audit",
        "Strategy", "State", "Efficacy indicators", "Global efficacy",
        "Hostname", "Status Message", "Actions", "Failed Actions"]
    assert (shown["UUID"], shown["State"], shown["Audit"]) == (
        plan["uuid"], "RECOMMENDED", plan["audit_uuid"])
    states = action_states(watcher, plan["uuid"])
    assert shown["Actions"] == {s: states.count(s) for s in set(states)}


@pytest.mark.server_behaviour("cancel-ongoing")
def test_cancel_ongoing_with_wait_finishes_running_action(cli, watcher):
    plan = watcher.ongoing_plan([3, 4, 5])
    result = cli("actionplan", "cancel", plan["uuid"], "--wait", "60",
                 "-f", "json")
    assert result.returncode == 0, result
    (row,) = result.json()
    assert (row["State Before"], row["State After"]) == (
        "ONGOING", "CANCELLED")
    assert watcher.plan(plan["uuid"])["state"] == "CANCELLED"
    states = action_states(watcher, plan["uuid"])
    assert states.count("SUCCEEDED") >= 1 and "CANCELLED" in states
    assert "ONGOING" not in states and "PENDING" not in states
    # progress went to stderr, never into the JSON on stdout
    assert "CANCELLING" in result.stderr


@pytest.mark.server_behaviour("cancel-ongoing")
def test_cancel_ongoing_without_wait_is_cancelling(watcher):
    plan = watcher.ongoing_plan([4, 5])
    result = run("watcher-ext", "actionplan", "cancel", plan["uuid"],
                 "-f", "value", "-c", "State After")
    assert result.returncode == 0, result
    assert result.stdout.strip() == "CANCELLING"
    assert watcher.plan(plan["uuid"])["state"] in ("CANCELLING", "CANCELLED")
    assert watcher.wait_for_end(plan["uuid"])["state"] == "CANCELLED"


@pytest.mark.smoke
def test_cancel_recommended_at_once_and_twice(cli, watcher):
    plan = watcher.recommended_plan([30, 31])
    result = cli("actionplan", "cancel", plan["uuid"], "-f", "json")
    assert result.returncode == 0, result
    assert [row["State After"] for row in result.json()] == ["CANCELLED"]
    assert watcher.plan(plan["uuid"])["state"] == "CANCELLED"
    again = cli("actionplan", "cancel", plan["uuid"], "-f", "json")
    assert again.returncode == 0, again
    assert again.json() == [{
        "UUID": plan["uuid"], "State Before": "CANCELLED",
        "State After": "CANCELLED", "Result": "already CANCELLED"}]
    assert "already CANCELLED" in again.stderr


@pytest.mark.server_behaviour("cancel-ongoing")
def test_cancel_pending_at_once(watcher):
    # The applier runs one plan at a time: a second started plan waits
    # PENDING while the first is ONGOING.
    running = watcher.ongoing_plan([5, 6])
    waiting = watcher.recommended_plan([30, 31])
    watcher.start(waiting["uuid"])
    assert watcher.plan(waiting["uuid"])["state"] == "PENDING"
    result = run("watcher-ext", "actionplan", "cancel", waiting["uuid"],
                 "-f", "value", "-c", "State After")
    assert result.returncode == 0, result
    assert result.stdout.strip() == "CANCELLED"
    assert watcher.plan(waiting["uuid"])["state"] == "CANCELLED"
    run("watcher-ext", "actionplan", "cancel", running["uuid"])
    assert watcher.wait_for_end(running["uuid"])["state"] == "CANCELLED"


def test_cancel_finished_plan_is_refused_and_unchanged(cli, watcher):
    plan = watcher.recommended_plan()
    watcher.start(plan["uuid"])
    finished = watcher.wait_for_end(plan["uuid"])
    assert finished["state"] == "SUCCEEDED"
    result = cli("actionplan", "cancel", plan["uuid"], "-f", "value")
    # An ended plan exits 3, as a start of one does.
    assert result.returncode == EXIT_OTHER_END, result
    assert result.stdout.split() == [
        plan["uuid"], "SUCCEEDED", "SUCCEEDED", "already", "ended",
        "SUCCEEDED"]
    assert result.stderr.strip() == (
        f"Action plan {plan['uuid']} is SUCCEEDED; it has already ended and "
        "cannot be cancelled")
    after = watcher.plan(plan["uuid"])
    assert (after["state"], after["updated_at"]) == (
        "SUCCEEDED", finished["updated_at"])


def test_cancel_unknown_plan(cli, watcher):
    result = cli("actionplan", "cancel", UNKNOWN_PLAN)
    assert result.returncode == 1
    assert f"Action plan {UNKNOWN_PLAN} not found (HTTP 404" in result.stderr


@pytest.mark.server_behaviour("cancel-ongoing")
def test_cancel_during_last_action_ends_succeeded(watcher):
    plan = watcher.ongoing_plan([6])
    result = run("watcher-ext", "actionplan", "cancel", plan["uuid"],
                 "--wait", "60", "-f", "json")
    assert result.returncode == EXIT_OTHER_END, result
    assert [row["State After"] for row in result.json()] == ["SUCCEEDED"]
    assert "ended SUCCEEDED, not CANCELLED" in result.stderr
    assert watcher.plan(plan["uuid"])["state"] == "SUCCEEDED"


@pytest.mark.smoke
def test_several_plans_one_bad(cli, watcher):
    first = watcher.recommended_plan([40, 41])
    second = watcher.recommended_plan([42, 43])
    result = cli("actionplan", "cancel", first["uuid"], UNKNOWN_PLAN,
                 second["uuid"], "-f", "json")
    assert result.returncode == 1, result
    rows = {row["UUID"]: row for row in result.json()}
    assert rows[first["uuid"]]["State After"] == "CANCELLED"
    assert rows[second["uuid"]]["Result"] == "RECOMMENDED -> CANCELLED"
    assert rows[UNKNOWN_PLAN]["Result"].startswith("error: Action plan")
    assert "1 of 3 action plans could not be cancelled" in result.stderr
    for plan in (first, second):
        assert watcher.plan(plan["uuid"])["state"] == "CANCELLED"


@pytest.mark.server_behaviour("cancel-ongoing")
def test_wait_times_out_while_cancelling(watcher):
    plan = watcher.ongoing_plan([12, 13])
    result = run("watcher-ext", "actionplan", "cancel", plan["uuid"],
                 "--wait", "2", "-f", "value", "-c", "State After")
    assert result.returncode == EXIT_TIMED_OUT, result
    assert result.stdout.strip() == "CANCELLING"
    assert "Timed out after 2 s" in result.stderr
    assert watcher.plan(plan["uuid"])["state"] == "CANCELLING"
    assert watcher.wait_for_end(plan["uuid"])["state"] == "CANCELLED"


def test_start_with_wait_succeeds(cli, watcher):
    plan = watcher.recommended_plan()
    result = cli("actionplan", "start", plan["uuid"], "--wait", "60",
                 "-f", "json")
    assert result.returncode == 0, result
    assert result.json()["State"] == "SUCCEEDED"
    assert watcher.plan(plan["uuid"])["state"] == "SUCCEEDED"


@pytest.mark.server_behaviour("cancel-ongoing")
def test_start_twice_is_idempotent(watcher):
    plan = watcher.recommended_plan([50, 51])
    watcher.start(plan["uuid"])
    result = run("watcher-ext", "actionplan", "start", plan["uuid"],
                 "-f", "value", "-c", "State")
    assert result.returncode == 0, result
    assert result.stdout.strip() in ("PENDING", "ONGOING")
    assert f"Action plan {plan['uuid']} is already" in result.stderr
    run("watcher-ext", "actionplan", "cancel", plan["uuid"])
    assert watcher.wait_for_end(plan["uuid"])["state"] == "CANCELLED"
    again = run("watcher-ext", "actionplan", "start", plan["uuid"])
    assert again.returncode == EXIT_OTHER_END, again
    assert "is CANCELLED; it will not run again" in again.stderr


def test_start_of_a_succeeded_plan_is_done(cli, watcher):
    plan = watcher.recommended_plan()
    watcher.start(plan["uuid"])
    watcher.wait_for_end(plan["uuid"])
    result = cli("actionplan", "start", plan["uuid"], "--wait", "30",
                 "-f", "value", "-c", "State")
    assert result.returncode == 0, result
    assert result.stdout.strip() == "SUCCEEDED"
    assert "already SUCCEEDED" in result.stderr


@pytest.mark.server_behaviour("cancel-ongoing")
def test_ctrl_c_during_wait_exits_130_and_cancel_stays_sent(watcher):
    import os
    import select
    import signal
    import subprocess

    from tests.functional.conftest import BIN
    from tests.functional.conftest import SANDBOX

    plan = watcher.ongoing_plan([6, 7])
    process = subprocess.Popen(
        [str(BIN / "watcher-ext"), "actionplan", "cancel", plan["uuid"],
         "--wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, **SANDBOX})
    # Its first progress line: the answer to the cancel has come back.
    # (A Ctrl-C before that leaves the cancel maybe sent; unit-tested.)
    readable, _, _ = select.select([process.stderr], [], [], 30)
    assert readable, "no progress line within 30 s"
    progress = process.stderr.readline()
    assert "CANCELLING" in progress, progress
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    stderr = progress + stderr
    assert process.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr
    assert (f"Interrupted; the cancel of action plan {plan['uuid']} was sent "
            "and stays sent") in stderr
    assert watcher.wait_for_end(plan["uuid"])["state"] == "CANCELLED"
