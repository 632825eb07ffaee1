"""Cancel logic where a real server cannot be timed: the state races."""

import json

import pytest

from tests.unit.conftest import ENDPOINT
from watcherclient_ext import errors
from watcherclient_ext.api import action_plans
from watcherclient_ext.api import waiting

PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
PLAN_URL = f"{ENDPOINT}/v1/action_plans/{PLAN}"
REFUSED = {"status_code": 400, "json": {"error_message": json.dumps({
    "faultstring": "Couldn't apply patch. Reason: State transition not "
                   "allowed: (PENDING -> CANCELLED)"})}}


def plan(state):
    return {"json": {"uuid": PLAN, "state": state}}


def sent_states(requests_mock):
    return [r.json()[0]["value"] for r in requests_mock.request_history
            if r.method == "PATCH"]


def test_race_rereads_and_sends_the_transition_that_fits(requests_mock, api):
    requests_mock.get(PLAN_URL, [plan("PENDING"), plan("ONGOING")])
    requests_mock.patch(PLAN_URL, [REFUSED, plan("CANCELLING")])
    outcome = api.action_plans.cancel(PLAN)
    assert sent_states(requests_mock) == ["CANCELLED", "CANCELLING"]
    assert (outcome.state_before, outcome.plan["state"], outcome.sent) == (
        "ONGOING", "CANCELLING", True)


def test_race_ending_in_cancelled_is_success_without_second_patch(
        requests_mock, api):
    requests_mock.get(PLAN_URL, [plan("ONGOING"), plan("CANCELLED")])
    requests_mock.patch(PLAN_URL, [REFUSED])
    outcome = api.action_plans.cancel(PLAN)
    assert not outcome.sent and outcome.summary == "already CANCELLED"
    assert sent_states(requests_mock) == ["CANCELLING"]


def test_race_ending_in_success_is_not_cancellable(requests_mock, api):
    requests_mock.get(PLAN_URL, [plan("ONGOING"), plan("SUCCEEDED")])
    requests_mock.patch(PLAN_URL, [REFUSED])
    with pytest.raises(action_plans.NotCancellable, match="is SUCCEEDED"):
        api.action_plans.cancel(PLAN)


def test_race_gives_up_after_bounded_attempts(requests_mock, api):
    requests_mock.get(PLAN_URL, json={"uuid": PLAN, "state": "PENDING"})
    requests_mock.patch(PLAN_URL, **REFUSED)
    with pytest.raises(errors.WatcherClientError, match="run the command"):
        api.action_plans.cancel(PLAN)
    assert len(sent_states(requests_mock)) == action_plans.TRANSITION_ATTEMPTS


def test_other_bad_request_is_not_retried(requests_mock, api):
    requests_mock.get(PLAN_URL, json={"uuid": PLAN, "state": "PENDING"})
    requests_mock.patch(PLAN_URL, status_code=400, json={
        "error_message": json.dumps({"faultstring": "Invalid patch"})})
    with pytest.raises(errors.BadRequest, match="Invalid patch"):
        api.action_plans.cancel(PLAN)
    assert len(sent_states(requests_mock)) == 1


@pytest.mark.parametrize("state,sent", [
    ("RECOMMENDED", "CANCELLED"), ("PENDING", "CANCELLED"),
    ("ONGOING", "CANCELLING")])
def test_transition_follows_state(requests_mock, api, state, sent):
    requests_mock.get(PLAN_URL, **plan(state))
    requests_mock.patch(PLAN_URL, **plan(sent))
    api.action_plans.cancel(PLAN)
    assert sent_states(requests_mock) == [sent]


def test_malformed_uuid_sends_nothing(requests_mock, api):
    with pytest.raises(errors.UsageError, match="Action plan '0f3c2a9e' is "
                                                "not a UUID"):
        api.action_plans.cancel("0f3c2a9e")
    assert requests_mock.call_count == 0


class FakeClock:
    """Time that moves only when the wait sleeps."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_wait_for_times_out_with_last_result():
    clock = FakeClock()
    polls = []
    with pytest.raises(waiting.WaitTimedOut) as caught:
        waiting.wait_for(lambda: polls.append(1) or len(polls),
                         lambda n: False, timeout=3, poll_interval=1,
                         clock=clock, sleep=clock.sleep)
    assert caught.value.last_seen == len(polls) == 4
    assert clock.now == 3


def test_wait_rides_out_an_api_restart_and_says_so():
    clock = FakeClock()
    answers = iter([errors.ConnectionFailed("Cannot connect"),
                    errors.ServiceUnavailable(503, "restarting"),
                    "ONGOING", "CANCELLED"])

    def fetch():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    faults = []
    assert waiting.wait_for(
        fetch, lambda s: s == "CANCELLED", timeout=60, clock=clock,
        sleep=clock.sleep,
        on_fault=lambda e, t: faults.append(str(e))) == "CANCELLED"
    assert faults == ["Cannot connect", "restarting (HTTP 503)"]


def test_wait_timing_out_while_the_api_is_down_says_the_last_failure():
    clock = FakeClock()

    def fetch():
        if clock.now < 1:
            return "ONGOING"
        raise errors.ConnectionFailed("Cannot connect")

    with pytest.raises(waiting.WaitTimedOut,
                       match="last poll failed: Cannot connect") as caught:
        waiting.wait_for(fetch, lambda s: False, timeout=5, clock=clock,
                         sleep=clock.sleep)
    assert caught.value.last_seen == "ONGOING"


def test_polls_start_an_interval_apart_whatever_a_poll_takes():
    clock = FakeClock()
    started = []

    def slow_fetch():
        started.append(clock.now)
        clock.now += 0.3
        return len(started)

    waiting.wait_for(slow_fetch, lambda n: n == 4, poll_interval=1,
                     clock=clock, sleep=clock.sleep)
    assert started == [0, 1, 2, 3]


def test_wait_for_returns_when_done():
    states = iter(["ONGOING", "CANCELLING", "CANCELLED"])
    assert waiting.wait_for(lambda: next(states), lambda s: s == "CANCELLED",
                            sleep=lambda s: None) == "CANCELLED"


def test_each_poll_is_bounded_by_the_waits_time_out():
    from watcherclient_ext.api import deadlines
    bounds = []

    def fetch():
        bounds.append(deadlines.remaining())
        raise errors.ConnectionFailed("Timed out reading")

    faults = []
    with pytest.raises(waiting.WaitTimedOut, match="last poll failed") as e:
        waiting.wait_for(fetch, lambda s: False, timeout=0.05,
                         poll_interval=0.01,
                         on_fault=lambda error, _: faults.append(error))
    assert e.value.last_seen is None
    assert str(e.value.fault) == "Timed out reading"
    assert bounds and all(b is not None for b in bounds)
    # polls within the time-out, then one final read of its own bound
    assert all(b <= 0.05 for b in bounds[:-1])
    assert 0 < bounds[-1] <= waiting.FINAL_READ_SECONDS
    # The poll cut at the time-out and the final read fail as the wait
    # ends: the time-out tells them, not a fault ridden out ("still
    # waiting").
    assert len(faults) == len(bounds) - 2


def test_a_wait_that_never_read_times_out_with_nothing_seen():
    clock = FakeClock()

    def fetch():
        clock.now += 10  # a poll cut at the time-out
        raise errors.ConnectionFailed("Cannot connect")

    with pytest.raises(waiting.WaitTimedOut) as caught:
        waiting.wait_for(fetch, lambda s: False, timeout=5, clock=clock,
                         sleep=clock.sleep)
    assert caught.value.exit_code == 4 and caught.value.last_seen is None


def test_the_poll_interval_is_checked_without_naming_a_flag():
    with pytest.raises(errors.InvalidInput,
                       match="^The poll interval must be greater than 0$"):
        waiting.wait_for(lambda: 1, lambda s: True, poll_interval=0)
