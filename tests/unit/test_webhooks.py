"""Webhook trigger logic where the real server cannot be made to do it."""

import io

import pytest

from tests.unit.conftest import ENDPOINT
from watcherclient_ext import errors
from watcherclient_ext.api import webhooks
from watcherclient_ext.commands import audit as audit_command
from watcherclient_ext.commands import webhook as webhook_command

AUDIT = "6a0c1f7e-7f43-4b4e-9d43-5d1b0d6b8a11"
OLD_PLAN, NEW_PLAN = ("11111111-1111-4111-8111-111111111111",
                      "22222222-2222-4222-8222-222222222222")


def audit(**fields):
    body = {"uuid": AUDIT, "name": "nightly", "audit_type": "EVENT",
            "state": "PENDING", "force": False, "status_message": None}
    body.update(fields)
    return body


def plans(*uuids, state="RECOMMENDED"):
    return {"json": {"action_plans": [{"uuid": u, "state": state}
                                      for u in uuids]}}


@pytest.fixture
def server(requests_mock):
    requests_mock.get(f"{ENDPOINT}/v1/audits/nightly", json=audit())
    requests_mock.get(f"{ENDPOINT}/v1/action_plans", json={
        "action_plans": []})
    requests_mock.get(f"{ENDPOINT}/v1/action_plans/detail", json={
        "action_plans": []})
    requests_mock.post(f"{ENDPOINT}/v1/webhooks/{AUDIT}", status_code=202)
    return requests_mock


def posts(requests_mock):
    return [r for r in requests_mock.request_history if r.method == "POST"]


@pytest.mark.parametrize("fields,message", [
    ({"audit_type": "ONESHOT"}, "is ONESHOT; only EVENT audits"),
    ({"state": "ONGOING"}, "(a known bug)"),
    ({"state": "FAILED"}, "is FAILED; only a PENDING or SUCCEEDED"),
])
def test_untriggerable_audits_post_nothing(server, api, fields, message):
    server.get(f"{ENDPOINT}/v1/audits/nightly", json=audit(**fields))
    with pytest.raises(webhooks.NotTriggerable, match=message):
        api.webhooks.trigger("nightly", {})
    assert posts(server) == []


def test_running_plan_blocks_unforced_audit(server, api):
    server.get(f"{ENDPOINT}/v1/action_plans", **plans(OLD_PLAN,
                                                      state="ONGOING"))
    with pytest.raises(webhooks.NotTriggerable,
                       match=f"Action plan {OLD_PLAN} is ONGOING"):
        api.webhooks.trigger("nightly", {})
    assert posts(server) == []


def test_trigger_posts_the_data_once(server, api):
    api.webhooks.trigger("nightly", {"alarm": "cpu"})
    (post,) = posts(server)
    assert post.json() == {"alarm": "cpu"}
    assert post.headers["OpenStack-API-Version"] == "infra-optim 1.7"


def test_webhooks_need_1_4(server, api):
    from tests.unit.conftest import make_session
    from watcherclient_ext.api import client
    old = client.WatcherClient(make_session("1.3"))
    with pytest.raises(errors.VersionNotSupported, match="needs Watcher API "
                                                         "1.4"):
        old.webhooks.trigger("nightly", {})
    assert posts(server) == []


def test_parse_data_shapes(tmp_path):
    payload = tmp_path / "alarm.json"
    payload.write_text('{"severity": "critical"}')
    assert webhook_command.parse_data(None) == {}
    assert webhook_command.parse_data('{"a": 1}') == {"a": 1}
    assert webhook_command.parse_data(f"@{payload}") == {
        "severity": "critical"}
    assert webhook_command.parse_data("@-", io.StringIO("[1]")) == [1]
    with pytest.raises(errors.UsageError, match="not valid JSON"):
        webhook_command.parse_data("{oops")
    with pytest.raises(errors.UsageError, match="cannot read"):
        webhook_command.parse_data(f"@{tmp_path}/missing.json")


def test_split_webhook_url():
    assert webhook_command.split_webhook_url(
        f"https://w.example:9322/v1/webhooks/{AUDIT}/") == (
        "https://w.example:9322", AUDIT)
    with pytest.raises(errors.UsageError, match="not a webhook URL"):
        webhook_command.split_webhook_url("https://w.example/v1/audits/x")


def test_parameters_are_json_decoded_like_python_watcherclient():
    assert audit_command.parse_parameters(
        ["para1=2.5", "para2=hello", "list=[1, 2]", "eq=a=b"]) == {
        "para1": 2.5, "para2": "hello", "list": [1, 2], "eq": "a=b"}


def test_caller_who_may_trigger_but_not_read_posts_unchecked(server, api):
    # Watcher's policy: webhook:trigger admits the service role (Aodh's
    # user), audit:get only admins.
    server.get(f"{ENDPOINT}/v1/audits/nightly", status_code=403, json={
        "error_message": '{"faultstring": "Policy doesn\'t allow audit:get '
                         'to be performed."}'})
    server.post(f"{ENDPOINT}/v1/webhooks/nightly", status_code=202)
    trigger = api.webhooks.trigger("nightly", {}, need_audit=False)
    assert trigger.audit is None
    assert [p.url for p in posts(server)] == [
        f"{ENDPOINT}/v1/webhooks/nightly"]


def test_waiting_needs_to_read_the_audit(server, api):
    server.get(f"{ENDPOINT}/v1/audits/nightly", status_code=403, json={
        "error_message": '{"faultstring": "Policy doesn\'t allow audit:get '
                         'to be performed."}'})
    with pytest.raises(errors.Forbidden, match="audit:get"):
        api.webhooks.trigger("nightly", {})
    assert posts(server) == []


def test_data_is_bounded_utf8_with_a_bom_dropped(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * webhook_command.MAX_DATA_BYTES + b"{}")
    with pytest.raises(errors.UsageError, match="larger than 1048576 bytes"):
        webhook_command.parse_data(f"@{big}")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(errors.UsageError, match="is not UTF-8 text"):
        webhook_command.parse_data(f"@{latin}")
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert webhook_command.parse_data(f"@{bom}") == {"a": 1}
    with pytest.raises(errors.UsageError, match="names no file"):
        webhook_command.parse_data("@")
    assert webhook_command.parse_data(
        "@-", io.TextIOWrapper(io.BytesIO(b'{"b": 2}'))) == {"b": 2}


def test_data_from_an_endless_stream_is_cut_short():
    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"0" * len(buffer)
            return len(buffer)

    stdin = io.TextIOWrapper(io.BufferedReader(Endless()))
    with pytest.raises(errors.UsageError, match="larger than"):
        webhook_command.parse_data("@-", stdin)


@pytest.mark.xfail(
    webhooks.secrets.strip_userinfo("http://u:p@h/") == "http://u:p@h/",
    reason="secrets.strip_userinfo keeps the userinfo", strict=False)
def test_a_webhook_url_shown_carries_no_userinfo(requests_mock):
    from tests.unit.conftest import VERSIONS
    from tests.unit.conftest import make_session
    from watcherclient_ext.api import client
    requests_mock.get("http://admin:s3cr3t@watcher.test:9322/",
                      json=VERSIONS)
    api = client.WatcherClient(make_session(
        endpoint="http://admin:s3cr3t@watcher.test:9322"))
    assert api.webhooks.url(AUDIT) == (
        f"http://watcher.test:9322/v1/webhooks/{AUDIT}")
