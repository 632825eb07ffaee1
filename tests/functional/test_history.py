"""Every command that reads lists, on a Watcher with a long history.

``tools/sandbox seed-history`` writes thousands of finished plans straight
into the sandbox's database: audits with over 1,000 plans each (more than
one page), and a plan with more actions than one page holds.
"""

import datetime
import json

import pytest

from tests.functional.conftest import run
from tests.functional.conftest import sandbox

HISTORY_PLANS = 5000


@pytest.fixture(scope="module")
def history(watcher):
    held = json.loads(sandbox("seed-history", "--plans", str(HISTORY_PLANS)))
    assert held["total_plans"] >= HISTORY_PLANS
    assert max(a["plans"] for a in held["audits"]) > 1000
    return held


def untriggered_big_audit(watcher, history):
    """A history audit of over a thousand plans that was never triggered:
    Watcher 17 leaves a re-triggered audit ONGOING, so each trigger takes
    a fresh one, and more history is written when none is left."""
    for _ in range(2):
        for audit in history["audits"]:
            if audit["plans"] > 1000 and watcher.audit(
                    audit["uuid"])["state"] == "SUCCEEDED":
                return audit
        history.update(json.loads(sandbox(
            "seed-history", "--plans", str(history["total_plans"] + 1200))))
    raise AssertionError("seed-history made no audit to trigger")


def test_trigger_wait_reports_the_new_plan_among_a_thousand(history,
                                                            watcher):
    audit = untriggered_big_audit(watcher, history)
    before = datetime.datetime.now(datetime.timezone.utc)
    result = run("watcher-ext", "webhook", "trigger", audit["name"],
                 "--wait", "120", "-f", "json")
    assert result.returncode == 0, result
    shown = result.json()
    assert shown["Action Plan State"] == "RECOMMENDED"
    plan = watcher.plan(shown["Action Plan"])
    assert plan["audit_uuid"] == audit["uuid"]
    assert plan["state"] == "RECOMMENDED"
    created = datetime.datetime.fromisoformat(plan["created_at"])
    assert created >= before - datetime.timedelta(seconds=2)
    # it is the audit's newest plan, and Watcher made it for this trigger
    newest = watcher.call("GET", "/v1/action_plans/detail", params={
        "audit_uuid": audit["uuid"], "sort_key": "id", "sort_dir": "desc",
        "limit": 1})["action_plans"][0]
    assert newest["uuid"] == shown["Action Plan"]


@pytest.mark.server_behaviour("cancel-ongoing")
def test_precheck_finds_a_running_plan_older_than_a_thousand(history,
                                                             watcher):
    running = watcher.ongoing_plan([15, 16])
    # a thousand plans finish after it started
    history.update(json.loads(sandbox(
        "seed-history", "--plans", str(history["total_plans"] + 1000))))
    audit = untriggered_big_audit(watcher, history)
    result = run("watcher-ext", "webhook", "trigger", audit["name"])
    assert result.returncode == 1, result
    assert f"Action plan {running['uuid']} is ONGOING" in result.stderr
    listed = run("watcher-ext", "actionplan", "list", "--state", "ONGOING",
                 "-f", "value", "-c", "UUID")
    assert listed.stdout.split() == [running["uuid"]]
    stop = run("watcher-ext", "actionplan", "cancel", "--state", "ONGOING",
               "--wait", "120", "-f", "value", "-c", "UUID", "-c",
               "State After")
    assert stop.returncode == 0, stop
    assert stop.stdout.split() == [running["uuid"], "CANCELLED"]


def test_show_counts_every_action_of_a_big_plan(history):
    big = history["big_plan"]
    result = run("watcher-ext", "actionplan", "show", big["uuid"], "-f",
                 "json", "-c", "Actions")
    assert result.returncode == 0, result
    assert result.json()["Actions"] == {"SUCCEEDED": big["actions"]}
    assert big["actions"] > 1000


def test_start_wait_and_cancel_among_the_history(history, watcher):
    plan = watcher.recommended_plan()
    started = run("watcher-ext", "actionplan", "start", plan["uuid"],
                  "--wait", "60", "-f", "value", "-c", "State")
    assert started.returncode == 0, started
    assert started.stdout.strip() == "SUCCEEDED"
    other = watcher.recommended_plan([30])
    cancelled = run("watcher-ext", "actionplan", "cancel", other["uuid"],
                    "--wait", "60", "-f", "value", "-c", "State After")
    assert cancelled.returncode == 0, cancelled
    assert cancelled.stdout.strip() == "CANCELLED"


def test_list_pages_through_an_audit_of_over_a_thousand(history):
    audit = max(history["audits"], key=lambda a: a["plans"])
    result = run("watcher-ext", "actionplan", "list", "--audit",
                 audit["name"], "-f", "value", "-c", "UUID")
    assert result.returncode == 0, result
    uuids = result.stdout.split()
    assert len(uuids) == len(set(uuids)) >= audit["plans"]
    limited = run("watcher-ext", "actionplan", "list", "--audit",
                  audit["uuid"], "--limit", "3", "--sort-key", "updated_at",
                  "--sort-dir", "desc", "-f", "json")
    assert limited.returncode == 0, limited
    dates = [row["Updated At"] for row in limited.json()]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)
