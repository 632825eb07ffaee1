"""--wait by notifications, by polling, and from one to the other, on the
real applier and broker."""

import re

import pytest

from tests.functional.conftest import SANDBOX
from tests.functional.conftest import run
from tests.functional.test_notifications import assert_queue_gone

pytestmark = pytest.mark.usefixtures("watcher")

TRANSPORT_URL_ENV = "WATCHER_TRANSPORT_URL"


@pytest.mark.server_behaviour("cancel-ongoing")
def test_an_event_wait_ends_with_the_api_and_leaves_no_queue(watcher):
    assert SANDBOX.get(TRANSPORT_URL_ENV), "the sandbox gives a transport URL"
    plan = watcher.ongoing_plan([4.1, 5.1])
    result = run("watcher-ext", "--debug", "actionplan", "cancel",
                 plan["uuid"], "--wait", "60", "-f", "value", "-c",
                 "State After")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "CANCELLED"
    queue = re.search(r"Listening on exchange watcher.*\(queue (\S+),",
                      result.stderr).group(1)
    # bound before the cancel was sent
    assert result.stderr.index(queue) < result.stderr.index(
        "REQ: curl -g -i -X PATCH")
    assert watcher.plan(plan["uuid"])["state"] == "CANCELLED"
    assert_queue_gone(queue)


@pytest.mark.server_behaviour("cancel-ongoing")
def test_without_a_transport_url_the_wait_polls(watcher):
    plan = watcher.ongoing_plan([3.1, 4.1])
    result = run("watcher-ext", "--debug", "actionplan", "cancel",
                 plan["uuid"], "--wait", "60", "-f", "value", "-c",
                 "State After",
                 env={TRANSPORT_URL_ENV: ""})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "CANCELLED"
    assert "Listening on exchange" not in result.stderr


@pytest.mark.server_behaviour("cancel-ongoing")
def test_a_broker_out_of_reach_costs_only_speed(cli, watcher):
    plan = watcher.ongoing_plan([3.2, 4.2])
    result = cli("actionplan", "cancel", plan["uuid"], "--wait", "60",
                 "--transport-url", "rabbit://guest:guest@127.0.0.1:9/",
                 "-f", "value", "-c", "State After")
    assert result.returncode == 0, result
    assert result.stdout.strip() == "CANCELLED"
    assert "waiting by polling instead" in result.stderr
    assert "guest:guest" not in result.stderr


def test_trigger_and_audit_create_wait_on_events(watcher):
    created = run("watcher-ext", "audit", "create", "-g", "dummy", "-s",
                  "dummy", "--force", "--wait", "60", "-f", "value", "-c",
                  "Action Plan")
    assert created.returncode == 0, created
    plan = watcher.plan(created.stdout.strip())
    assert plan["state"] == "RECOMMENDED"
    audit = watcher.create_audit(goal="dummy", strategy="dummy",
                                 audit_type="EVENT")
    triggered = run("watcher-ext", "webhook", "trigger", audit["uuid"],
                    "--wait", "60", "-f", "value", "-c", "Action Plan")
    assert triggered.returncode == 0, triggered
    assert watcher.plan(triggered.stdout.strip())["audit_uuid"] == (
        audit["uuid"])
