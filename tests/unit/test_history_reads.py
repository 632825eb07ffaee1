"""Reads among many plans: right whatever the history, and cheap."""

import itertools

import hypothesis
import pytest
import requests_mock as requests_mock_lib
from hypothesis import strategies as st

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import make_session
from tests.unit.fake_watcher import FakeWatcher
from tests.unit.test_cancel_command import cancel
from tests.unit.test_notifications_command import run_app
from watcherclient_ext.api import audits
from watcherclient_ext.api import client
from watcherclient_ext.api import listing
from watcherclient_ext.api import states
from watcherclient_ext.api import webhooks

STATES = states.PLAN_STATES


def watcher_client():
    return client.WatcherClient(make_session())


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(
    history=st.lists(st.sampled_from(STATES), max_size=60),
    wanted=st.sets(st.sampled_from(STATES), min_size=1),
    max_limit=st.integers(min_value=1, max_value=30),
    audit_of=st.lists(st.booleans(), max_size=60))
def test_plans_in_states_are_exactly_those(history, wanted, max_limit,
                                           audit_of):
    with requests_mock_lib.Mocker() as mock:
        fake = FakeWatcher(mock, max_limit=max_limit)
        audit = fake.add_audit()
        for state, mine in zip(history, audit_of + [False] * len(history)):
            fake.add_plan(state, audit["uuid"] if mine else None)
        api = watcher_client()
        found = [p["uuid"] for p in api.action_plans.in_states(wanted)]
        assert sorted(found) == sorted(
            p["uuid"] for p in fake.plans if p["state"] in wanted)
        assert len(found) == len(set(found))
        of_audit = [p["uuid"] for p in api.action_plans.in_states(
            wanted, audit=audit["uuid"])]
        assert sorted(of_audit) == sorted(
            p["uuid"] for p in fake.plans
            if p["state"] in wanted and p["audit_uuid"] == audit["uuid"])


@pytest.mark.parametrize("history", [100, 3000])
def test_scan_by_state_reads_the_same_whatever_the_history(
        requests_mock, history):
    fake = FakeWatcher(requests_mock)
    for index in range(history):
        fake.add_plan(("SUCCEEDED", "CANCELLED", "FAILED")[index % 3])
    running = fake.add_plan("ONGOING")
    queued = fake.add_plan("PENDING")
    for index in range(5):  # finished since
        fake.add_plan("SUCCEEDED" if index % 2 else "FAILED")
    api = watcher_client()
    found = list(api.action_plans.in_states(["ONGOING", "PENDING"]))
    assert [p["uuid"] for p in found] == [running["uuid"], queued["uuid"]]
    # the probe of the newest plans, then the first small page
    assert sum(fake.served) <= 20 + 10
    assert len(fake.list_requests()) == 2


def test_a_list_follows_next_past_the_servers_page_size(requests_mock):
    fake = FakeWatcher(requests_mock, max_limit=7)
    for _ in range(30):
        fake.add_plan()
    plans = list(watcher_client().action_plans.list())
    assert [p["uuid"] for p in plans] == [p["uuid"] for p in fake.plans]
    limited = list(watcher_client().action_plans.list(limit=10))
    assert [p["uuid"] for p in limited] == [
        p["uuid"] for p in fake.plans[:10]]


def test_action_counts_cover_every_page(requests_mock):
    fake = FakeWatcher(requests_mock, max_limit=50)
    plan = fake.add_plan(actions=["SUCCEEDED"] * 120 + ["FAILED"] * 3)
    fake.add_plan(actions=["PENDING"] * 10)
    assert watcher_client().action_plans.actions_by_state(plan["uuid"]) == {
        "FAILED": 3, "SUCCEEDED": 120}


def test_newest_plan_of_an_audit_is_one_small_read(requests_mock):
    fake = FakeWatcher(requests_mock)
    audit = fake.add_audit()
    for _ in range(2500):
        fake.add_plan(audit_uuid=audit["uuid"])
    newest = fake.add_plan(audit_uuid=audit["uuid"])
    fake.add_plan()  # another audit's
    found = watcher_client().action_plans.newest_of_audit(audit["uuid"])
    assert found["uuid"] == newest["uuid"]
    assert sum(fake.served) == 1


def test_trigger_precheck_finds_a_running_plan_deep_in_history(
        requests_mock):
    fake = FakeWatcher(requests_mock, max_limit=100)
    audit = fake.add_audit(state="SUCCEEDED")
    running = fake.add_plan("ONGOING")
    for _ in range(1500):
        fake.add_plan("SUCCEEDED")
    requests_mock.post(f"{fake_url()}/v1/webhooks/{audit['uuid']}",
                       status_code=202)
    with pytest.raises(webhooks.NotTriggerable,
                       match=f"Action plan {running['uuid']} is ONGOING"):
        watcher_client().webhooks.trigger("nightly", {})


def fake_url():
    from tests.unit.conftest import ENDPOINT
    return ENDPOINT


def test_wait_reports_the_plan_made_after_the_trigger(requests_mock):
    fake = FakeWatcher(requests_mock, max_limit=100)
    audit = fake.add_audit(state="SUCCEEDED")
    for _ in range(1200):
        fake.add_plan(audit_uuid=audit["uuid"])
    before = watcher_client().action_plans.newest_of_audit(audit["uuid"])
    polls = []

    def on_poll(result, elapsed):
        polls.append(result)
        if len(polls) == 2:  # the decision engine makes the plan now
            on_poll.made = fake.add_plan("RECOMMENDED", audit["uuid"])

    plan = watcher_client().audits.wait_for_plan(
        audit["uuid"], before, poll_interval=0.001, on_poll=on_poll)
    assert plan["uuid"] == on_poll.made["uuid"]
    assert [p for p, _ in polls[:2]] == [None, None]


@pytest.mark.parametrize("fields,message", [
    ({"state": "CANCELLED"}, "CANCELLED by the decision engine.*--force"),
    ({"state": "CANCELLED", "force": True}, "CANCELLED without an action"),
    ({"state": "FAILED", "status_message": "no cluster data"},
     "FAILED without an action plan: no cluster data"),
])
def test_audit_ending_without_plan(requests_mock, fields, message):
    fake = FakeWatcher(requests_mock)
    audit = fake.add_audit(**fields)
    old = fake.add_plan(audit_uuid=audit["uuid"])
    with pytest.raises(audits.AuditEndedWithoutPlan, match=message) as err:
        watcher_client().audits.wait_for_plan(
            audit["uuid"], dict(old), poll_interval=0.001)
    assert err.value.exit_code == 3


def test_a_wait_reads_actions_only_when_the_plan_moved(requests_mock):
    fake = FakeWatcher(requests_mock)
    plan = fake.add_plan("ONGOING", actions=["ONGOING", "PENDING"])
    plan["updated_at"] = "ONGOING"
    states = iter(["ONGOING"] * 5 + ["CANCELLING"] * 5 + ["CANCELLED"])

    def on_poll(seen, elapsed):
        plan["state"] = plan["updated_at"] = next(states, "CANCELLED")

    result = watcher_client().action_plans.wait_for_end(
        [plan["uuid"]], poll_interval=0.001, on_poll=on_poll)
    assert result[plan["uuid"]][0]["state"] == "CANCELLED"
    action_reads = [r for r in fake.list_requests() if "/actions" in r.url]
    plan_reads = [r for r in requests_mock.request_history
                  if r.url.endswith(plan["uuid"])]
    assert len(plan_reads) == 12
    # the first poll, the move to CANCELLING, the end
    assert len(action_reads) == 3


def test_a_plan_counts_once_the_audit_finished_planning(requests_mock):
    """Watcher writes a plan, then its actions, then marks the audit."""
    fake = FakeWatcher(requests_mock)
    audit = fake.add_audit(state="ONGOING", audit_type="ONESHOT")
    plan = fake.add_plan("RECOMMENDED", audit["uuid"])
    polls = []

    def on_poll(result, elapsed):
        polls.append(result[0])
        if len(polls) == 1:
            audit["state"] = "SUCCEEDED"

    found = watcher_client().audits.wait_for_plan(
        audit["uuid"], None, poll_interval=0.001, on_poll=on_poll)
    assert found["uuid"] == plan["uuid"]
    assert polls[0] is None and polls[1]["uuid"] == plan["uuid"]


def test_an_audit_stuck_ongoing_gives_its_plan_a_second(requests_mock):
    fake = FakeWatcher(requests_mock)
    audit = fake.add_audit(state="ONGOING")
    plan = fake.add_plan("RECOMMENDED", audit["uuid"])
    polls = []
    ticks = iter(range(100))
    found = watcher_client().audits.wait_for_plan(
        audit["uuid"], None, poll_interval=0.001,
        clock=lambda: 0.6 * next(ticks),
        on_poll=lambda result, elapsed: polls.append(result[0]))
    assert found["uuid"] == plan["uuid"]
    # first seen at 0, not yet whole at 0.6 s, whole at 1.2 s
    assert len(polls) == 2 and polls[0] is None


def test_a_first_audit_read_that_fails_is_ridden_out(requests_mock):
    fake = FakeWatcher(requests_mock)
    audit = fake.add_audit(state="PENDING")
    fake.failing_audit_reads = 4  # more than the GET retries
    faults = []

    def on_poll(result, elapsed):
        if len(faults) == 1 and audit["state"] == "PENDING":
            audit["state"] = "FAILED"

    with pytest.raises(audits.AuditEndedWithoutPlan, match="FAILED"):
        watcher_client().audits.wait_for_plan(
            audit["uuid"], None, poll_interval=0.001, on_poll=on_poll,
            on_fault=lambda error, elapsed: faults.append(error))
    assert len(faults) == 1


def test_the_emergency_stop_cancels_a_plan_that_started_behind_its_scan(
        requests_mock, capsys):
    fake = FakeWatcher(requests_mock, max_limit=1)
    queued = fake.add_plan("PENDING")  # the older: next in the queue
    running = fake.add_plan("ONGOING")
    for _ in range(5):
        fake.add_plan("SUCCEEDED")

    def applier_takes_the_queue(query):
        # The running plan ends as the scan pages past it; the applier
        # starts the queued one, which sorts before the scan's marker.
        if query.get("marker") == running["uuid"] and (
                queued["state"] == "PENDING"):
            running["state"], queued["state"] = "SUCCEEDED", "ONGOING"

    fake.before_list = applier_takes_the_queue
    code, err = cancel(capsys, "--state", "ONGOING,PENDING", "-f", "json",
                       plans=())
    assert queued["state"] == "CANCELLING"
    assert ("Selected 1 more action plan(s) that reached state ONGOING, "
            f"PENDING meanwhile: {queued['uuid']}") in err
    # the running plan had ended before its cancel: exit 3, said as such
    assert code == 3
    assert f"Action plan {running['uuid']} ended SUCCEEDED" in err


@pytest.mark.parametrize("direction", [[], ["--sort-dir", "asc"],
                                       ["--sort-dir", "desc"]])
def test_list_by_state_orders_by_state_then_age(requests_mock, capsys,
                                                direction):
    fake = FakeWatcher(requests_mock, max_limit=2)
    plans = [fake.add_plan(state) for state in (
        "PENDING", "ONGOING", "SUCCEEDED", "PENDING", "ONGOING")]
    code = run_app(["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
                    "actionplan", "list", "--state", "PENDING,ONGOING",
                    "-f", "value", "-c", "UUID", *direction])
    assert code == 0
    expected = [plans[i]["uuid"] for i in (1, 4, 0, 3)]
    if direction[1:] == ["desc"]:
        expected.reverse()
    assert capsys.readouterr().out.split() == expected


@pytest.mark.parametrize("next_marker, message", [
    ("", "`next` link repeats a page already read of GET /v1/action_plans"),
    ("p", "Watcher answered the page after marker 'p' of GET "
          "/v1/action_plans with the page before it again")])
def test_a_next_link_that_names_its_own_page_is_an_error(
        requests_mock, next_marker, message):
    requests_mock.get(f"{ENDPOINT}/v1/action_plans", json={
        "action_plans": [{"uuid": "p", "state": "ONGOING"}],
        "next": f"{ENDPOINT}/v1/action_plans?marker={next_marker}"})
    listed = []
    with pytest.raises(listing.EndlessList, match=message):
        listed.extend(watcher_client().action_plans.list())
    assert [plan["uuid"] for plan in listed] == ["p"]  # shown once
    assert len(requests_mock.request_history) <= 3  # version, 2 pages


def test_a_list_that_never_ends_is_an_error(requests_mock, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PAGES", 5)
    pages = itertools.count()

    def endless(request, context):
        marker = str(next(pages))
        return {"action_plans": [{"uuid": marker, "state": "ONGOING"}],
                "next": f"{ENDPOINT}/v1/action_plans?marker={marker}"}

    requests_mock.get(f"{ENDPOINT}/v1/action_plans", json=endless)
    with pytest.raises(listing.EndlessList, match="did not end after 5 "
                                                  "pages"):
        list(watcher_client().action_plans.list())
    assert next(pages) == 5


def test_a_next_link_cannot_change_the_filters(requests_mock):
    fake = FakeWatcher(requests_mock, max_limit=2)
    audit = fake.add_audit()
    mine = [fake.add_plan(audit_uuid=audit["uuid"]) for _ in range(3)]
    fake.add_plan()
    found = list(watcher_client().action_plans.list(audit=audit["uuid"]))
    assert [p["uuid"] for p in found] == [p["uuid"] for p in mine]
    assert all(f"audit_uuid={audit['uuid']}" in r.url
               for r in fake.list_requests())


@pytest.mark.parametrize("key", ["State", "state"])
def test_a_plan_list_sorts_by_a_label_or_a_field(requests_mock, capsys,
                                                 key):
    fake = FakeWatcher(requests_mock, max_limit=2)
    for state in ("SUCCEEDED", "PENDING", "ONGOING"):
        fake.add_plan(state)
    code = run_app(["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
                    "actionplan", "list", "--sort-key", key, "-f", "value",
                    "-c", "State"])
    assert code == 0
    assert requests_mock.last_request.qs["sort_key"] == ["state"]
    assert capsys.readouterr().out.split() == [
        "ONGOING", "PENDING", "SUCCEEDED"]
