"""One contract for every command, on the real Watcher: options checked
before the change, one output shape, one exit code per outcome, reasons
where the operator looks."""

import pytest

from tests.functional.conftest import run
from tests.functional.test_workflows import FAILING_ACTIONS

pytestmark = pytest.mark.usefixtures("watcher")
EXIT_USAGE, EXIT_OTHER_END = 2, 3


@pytest.mark.parametrize("verb", ["cancel", "start"])
def test_a_bad_column_is_refused_before_the_plan_changes(watcher, verb):
    plan = watcher.recommended_plan()
    result = run("watcher-ext", "actionplan", verb, plan["uuid"], "-c",
                 "Bogus")
    assert result.returncode == EXIT_USAGE, result
    assert result.stdout == ""
    assert watcher.plan(plan["uuid"])["state"] == "RECOMMENDED"


def test_a_bad_column_is_refused_before_a_trigger(watcher):
    audit = watcher.create_audit(audit_type="EVENT", goal="dummy",
                                 strategy="dummy")
    result = run("watcher-ext", "webhook", "trigger", audit["uuid"], "-f",
                 "value", "-c", "UUID")
    assert result.returncode == EXIT_USAGE, result
    assert watcher.plans_of(audit["uuid"]) == []
    assert watcher.audit(audit["uuid"])["state"] == "PENDING"


def test_cancel_of_one_plan_has_the_columns_of_several(watcher):
    one, two = watcher.recommended_plan(), watcher.recommended_plan()
    alone = run("watcher-ext", "actionplan", "cancel", one["uuid"], "-f",
                "json")
    both = run("watcher-ext", "actionplan", "cancel", one["uuid"],
               two["uuid"], "-f", "json")
    assert alone.returncode == both.returncode == 0, (alone, both)
    assert [list(row) for row in alone.json()] == [
        ["UUID", "State Before", "State After", "Result"]]
    assert [list(row) for row in both.json()] == [list(alone.json()[0])] * 2
    assert [row["State After"] for row in both.json()] == ["CANCELLED"] * 2


def test_malformed_uuid_exits_2_in_show_as_in_cancel(watcher):
    for verb in ("show", "cancel", "start"):
        result = run("watcher-ext", "actionplan", verb, "0f3c2a9e")
        assert result.returncode == EXIT_USAGE, result
        assert "'0f3c2a9e' is not a UUID" in result.stderr


def test_an_empty_selection_prints_nothing_on_stdout(watcher):
    audit = watcher.create_audit(goal="dummy", strategy="dummy",
                                 audit_type="EVENT")
    for formatter in ("table", "value"):
        result = run("watcher-ext", "actionplan", "cancel", "--state",
                     "ONGOING", "--audit", audit["uuid"], "-f", formatter)
        assert result.returncode == 0, result
        assert result.stdout == ""


def test_trigger_shows_the_same_columns_with_and_without_wait(watcher):
    audit = watcher.create_audit(audit_type="EVENT", goal="dummy",
                                 strategy="dummy")
    alone = run("watcher-ext", "webhook", "trigger", audit["uuid"], "-f",
                "json")
    assert alone.returncode == 0, alone
    assert (alone.json()["Result"], alone.json()["Action Plan"]) == (
        "accepted", None)
    watcher.wait(lambda: watcher.audit(audit["uuid"]),
                 lambda a: a["state"] == "SUCCEEDED", what="SUCCEEDED")
    waited = run("watcher-ext", "webhook", "trigger", audit["uuid"],
                 "--wait", "60", "-f", "json")
    assert waited.returncode == 0, waited
    assert list(waited.json()) == list(alone.json())
    assert watcher.plan(waited.json()["Action Plan"])["audit_uuid"] == (
        audit["uuid"])


def test_trigger_by_url_waits_with_the_clouds_credentials(watcher):
    audit = watcher.create_audit(audit_type="EVENT", goal="dummy",
                                 strategy="dummy")
    url = f"{watcher.endpoint}/v1/webhooks/{audit['uuid']}"
    result = run("watcher-ext", "webhook", "trigger", "--url", url,
                 "--wait", "60", "-f", "json")
    assert result.returncode == 0, result
    assert result.json()["Webhook URL"] == url
    assert watcher.plan(result.json()["Action Plan"])["audit_uuid"] == (
        audit["uuid"])


@pytest.mark.microversion("1.5")
def test_show_lists_the_failed_actions_with_their_reasons(watcher):
    created = run("watcher-ext", "audit", "create", "-g", "unclassified",
                  "-s", "actuator", "--force", "-p", FAILING_ACTIONS,
                  "--wait", "60", "-f", "value", "-c", "Action Plan")
    assert created.returncode == 0, created
    plan = created.stdout.strip()
    started = run("watcher-ext", "actionplan", "start", plan, "--wait", "60")
    assert started.returncode == EXIT_OTHER_END, started
    shown = run("watcher-ext", "actionplan", "show", plan, "-f", "json")
    assert shown.returncode == 0, shown
    (failed,) = shown.json()["Failed Actions"]
    assert failed["action_type"] == "stop"
    assert "Action failed in pre_condition" in failed["status_message"]
    assert [a["uuid"] for a in watcher.actions_of(plan)
            if a["state"] == "FAILED"] == [failed["uuid"]]
