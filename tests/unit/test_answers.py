"""Watcher's answers of any shape: what the client reads is there, or one
line says what Watcher sent instead."""

import re

import hypothesis
import pytest
import requests_mock as requests_mock_lib
from hypothesis import strategies as st

from tests.unit import hostile
from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from tests.unit.conftest import make_session
from watcherclient_ext import errors
from watcherclient_ext.api import answers
from watcherclient_ext.api import client

PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
PLAN_URL = f"{ENDPOINT}/v1/action_plans/{PLAN}"
STATES = st.sampled_from(["RECOMMENDED", "PENDING", "ONGOING", "SUCCEEDED",
                          "CANCELLED", "FAILED"])

#: An object shaped like a plan or an audit, each field of any JSON type.
resource = st.fixed_dictionaries({}, optional={
    "uuid": st.just(PLAN) | hostile.json_values,
    "state": STATES | hostile.json_values,
    "audit_type": st.just("EVENT") | hostile.json_values,
    "created_at": st.just("2026-01-01T00:00:00") | hostile.json_values,
    "updated_at": hostile.json_values, "force": hostile.json_values,
    "name": hostile.json_values, "status_message": hostile.json_values})
items = st.lists(resource | hostile.json_values, max_size=3)
#: A page shaped like a collection, with ``next`` links of any kind.
collection = st.fixed_dictionaries({}, optional={
    "action_plans": items | hostile.json_values,
    "actions": items | hostile.json_values,
    "next": st.just(f"{ENDPOINT}/v1/action_plans?marker={PLAN}")
    | hostile.json_values})
anything = hostile.json_values | resource | collection | st.tuples(
    resource, collection).map(lambda pair: {**pair[0], **pair[1]})


def calls(api):
    """Every read and write of the API layer, as commands make them."""
    plans, audits = api.action_plans, api.audits
    wait = {"timeout": 0.02, "poll_interval": 0.001}
    return [
        lambda: plans.get(PLAN),
        lambda: plans.cancel(PLAN),
        lambda: plans.start(PLAN),
        lambda: list(plans.list(detail=True)),
        lambda: list(plans.in_states(["ONGOING", "PENDING"])),
        lambda: plans.newest_of_audit(PLAN),
        lambda: plans.actions_by_state(PLAN),
        lambda: plans.failed_actions(PLAN),
        lambda: plans.wait_for_end([PLAN], **wait),
        lambda: audits.get("nightly"),
        lambda: audits.uuid_of("nightly"),
        lambda: audits.template_uuid("nightly"),
        lambda: audits.create({"audit_type": "ONESHOT"}),
        lambda: audits.wait_for_plan(PLAN, None, **wait),
        lambda: api.webhooks.trigger("nightly", {}),
    ]


@hostile.BOUNDED
@hypothesis.given(answer=anything, which=st.integers(0, 14))
def test_any_answer_is_read_or_is_one_line_of_error(answer, which):
    with requests_mock_lib.Mocker() as mock:
        mock.get(ENDPOINT + "/", json=VERSIONS)
        everything = re.compile(re.escape(ENDPOINT) + "/v1/.*")
        for method in ("GET", "PATCH", "POST"):
            mock.register_uri(method, everything, json=answer)
        call = calls(client.WatcherClient(make_session()))[which]
        try:
            call()
        except errors.WatcherClientError as exc:
            assert "\n" not in str(exc) and str(exc)


def serve_plan(requests_mock, body):
    requests_mock.get(PLAN_URL, json=body)


@pytest.mark.parametrize("body,message", [
    ({"uuid": PLAN}, f"Watcher's answer to GET /v1/action_plans/{PLAN} has "
                     "no 'state'"),
    ([{"uuid": PLAN}], f"Watcher's answer to GET /v1/action_plans/{PLAN} is "
                       "a list, not an object"),
    ({"uuid": PLAN, "state": 42}, f"Watcher's answer to GET "
                                  f"/v1/action_plans/{PLAN}: 'state' is 42, "
                                  "not text"),
    ({"uuid": PLAN, "state": ["ONGOING"]}, "'state' is a list, not text"),
    (None, "is null, not an object"),
])
def test_a_malformed_plan_says_what_watcher_sent(requests_mock, api, body,
                                                 message):
    serve_plan(requests_mock, body)
    with pytest.raises(answers.MalformedAnswer) as caught:
        api.action_plans.get(PLAN)
    assert str(caught.value) == message or message in str(caught.value)
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("body,message", [
    ({}, "GET /v1/action_plans has no 'action_plans'"),
    ({"action_plans": None}, "'action_plans' is null, not a list"),
    ({"action_plans": [[]]}, "action_plans item 1 is a list, not an object"),
    ({"action_plans": [{"uuid": PLAN, "state": None}]},
     "action_plans item 1's 'state' is null, not text"),
    ({"action_plans": [{"uuid": PLAN, "state": "ONGOING"}], "next": {}},
     "'next' is an object, not text"),
])
def test_a_malformed_collection_says_what_watcher_sent(requests_mock, api,
                                                       body, message):
    requests_mock.get(f"{ENDPOINT}/v1/action_plans", json=body)
    with pytest.raises(answers.MalformedAnswer, match=re.escape(message)):
        list(api.action_plans.list())


def test_an_audit_without_its_type_is_named_so(requests_mock, api):
    requests_mock.get(f"{ENDPOINT}/v1/audits/nightly", json={
        "uuid": PLAN, "state": "PENDING"})
    with pytest.raises(answers.MalformedAnswer,
                       match="GET /v1/audits/nightly has no 'audit_type'"):
        api.webhooks.trigger("nightly", {})
    assert "POST" not in [r.method for r in requests_mock.request_history]


def test_a_long_value_is_cut_in_the_message(requests_mock, api):
    serve_plan(requests_mock, {"uuid": PLAN, "state": 10 ** 400})
    with pytest.raises(answers.MalformedAnswer) as caught:
        api.action_plans.get(PLAN)
    assert len(str(caught.value)) < 200


def test_a_cancel_whose_answer_is_malformed_was_sent_and_accepted(
        requests_mock, api):
    serve_plan(requests_mock, {"uuid": PLAN, "state": "ONGOING"})
    requests_mock.patch(PLAN_URL, json={"uuid": PLAN})
    with pytest.raises(answers.WriteUnconfirmed) as caught:
        api.action_plans.cancel(PLAN)
    assert caught.value.accepted and caught.value.target == PLAN
    assert str(caught.value).startswith(
        f"The cancel of action plan {PLAN} (ONGOING -> CANCELLING) was sent "
        "and accepted, but Watcher's answer to PATCH")
    assert len([r for r in requests_mock.request_history
                if r.method == "PATCH"]) == 1


def test_a_cancel_whose_answer_never_came_may_have_taken_effect(
        requests_mock, api):
    serve_plan(requests_mock, {"uuid": PLAN, "state": "PENDING"})
    requests_mock.patch(PLAN_URL, status_code=502, text="Bad gateway")
    with pytest.raises(answers.WriteUnconfirmed,
                       match="was sent and may have taken effect: Bad "
                             "gateway") as caught:
        api.action_plans.cancel(PLAN)
    assert not caught.value.accepted


def test_a_refused_cancel_is_watchers_refusal(requests_mock, api):
    serve_plan(requests_mock, {"uuid": PLAN, "state": "PENDING"})
    requests_mock.patch(PLAN_URL, status_code=403, json={
        "error_message": '{"faultstring": "Policy forbids"}'})
    with pytest.raises(errors.Forbidden, match="Policy forbids"):
        api.action_plans.cancel(PLAN)


def test_a_trigger_whose_answer_never_came_names_the_url(requests_mock, api):
    requests_mock.post(f"{ENDPOINT}/v1/webhooks/nightly", status_code=504,
                       text="Gateway timeout")
    with pytest.raises(answers.WriteUnconfirmed,
                       match="The trigger of audit nightly was sent and may "
                             "have taken effect") as caught:
        api.webhooks.trigger_unchecked("nightly", {})
    assert caught.value.target == f"{ENDPOINT}/v1/webhooks/nightly"
