"""``actionplan cancel`` interrupted by Ctrl-C: what it says was sent."""


import pytest

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from watcherclient_ext import shell

PLAN = "17287473-44cd-497d-9235-063cf6e885a4"
PLAN_URL = f"{ENDPOINT}/v1/action_plans/{PLAN}"


def cancel(capsys, *args, plans=(PLAN,)):
    code = shell.WatcherExtApp().run(
        ["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
         "actionplan", "cancel", *plans, *args])
    return code, capsys.readouterr().err


def interrupt(request, context):
    raise KeyboardInterrupt


@pytest.fixture
def server(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.get(PLAN_URL, json={"uuid": PLAN, "state": "ONGOING"})
    return requests_mock


def test_interrupted_during_the_cancel_request_may_have_sent_it(
        server, capsys):
    server.patch(PLAN_URL, json=interrupt)
    code, err = cancel(capsys)
    assert code == 130
    assert (f"Interrupted while cancelling action plan {PLAN}; the cancel "
            f"may have been sent: see `actionplan show {PLAN}`") in err
    assert "was sent and stays sent" not in err
    assert "Traceback" not in err


def test_interrupted_while_waiting_says_the_cancel_stays_sent(
        server, capsys):
    server.patch(PLAN_URL, json={"uuid": PLAN, "state": "CANCELLING"})
    server.get(f"{ENDPOINT}/v1/actions", json=interrupt)
    code, err = cancel(capsys, "--wait")
    assert code == 130
    assert (f"Interrupted; the cancel of action plan {PLAN} was sent and "
            "stays sent") in err
    assert "may have been sent" not in err


OTHER = "6e1f3ac9-4a4b-4a57-9a4b-8d1c1b0e9d11"
REFUSED = {"status_code": 400, "json": {"error_message": (
    '{"faultstring": "State transition not allowed: '
    '(ONGOING -> CANCELLING)"}')}}


def test_a_plan_that_ends_before_its_cancel_is_not_an_error(
        requests_mock, capsys):
    """Selected ONGOING, it SUCCEEDED before the cancel went out: exit 3,
    not "could not be cancelled"."""
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.get(PLAN_URL, [{"json": {"uuid": PLAN, "state": state}}
                                 for state in ("ONGOING", "SUCCEEDED")])
    requests_mock.patch(PLAN_URL, **REFUSED)
    other_url = f"{ENDPOINT}/v1/action_plans/{OTHER}"
    requests_mock.get(other_url, json={"uuid": OTHER, "state": "PENDING"})
    requests_mock.patch(other_url, json={"uuid": OTHER, "state": "CANCELLED"})
    code = shell.WatcherExtApp().run(
        ["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
         "actionplan", "cancel", PLAN, OTHER, "-f", "value"])
    out, err = capsys.readouterr()
    assert code == 3, err
    assert f"Action plan {PLAN} ended SUCCEEDED before its cancel" in err
    assert "could not be cancelled" not in err
    assert out.splitlines() == [
        f"{PLAN} ONGOING SUCCEEDED ended SUCCEEDED first",
        f"{OTHER} PENDING CANCELLED PENDING -> CANCELLED"]


@pytest.mark.parametrize("timeout, hint", [
    (PLAN, True), ("soon", True), ("-5", False), ("nan", False)])
def test_a_wait_that_took_the_plan_says_where_it_goes(requests_mock, capsys,
                                                      timeout, hint):
    with pytest.raises(SystemExit) as caught:
        cancel(capsys, "--wait", timeout, plans=())
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "argument --wait: expected a number of seconds" in err
    assert ("put --wait after the other arguments" in err) is hint
    assert not requests_mock.request_history
