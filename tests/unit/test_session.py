"""Version negotiation, error translation and retry policy."""

import json

import pytest
import requests
from keystoneauth1 import exceptions as ks_exc

from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from tests.unit.conftest import make_session
from watcherclient_ext import errors
from watcherclient_ext import logsafety
from watcherclient_ext import secrets
from watcherclient_ext.api import client
from watcherclient_ext.api import session as watcher_session

PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"


def watcher_error(faultstring):
    """Watcher's error body: JSON inside a JSON string."""
    return {"error_message": json.dumps(
        {"faultcode": "Client", "faultstring": faultstring,
         "debuginfo": None})}


@pytest.mark.parametrize("text,expected", [
    (None, None), ("latest", None), ("1", None), ("1.latest", None),
    ("1.4", (1, 4)), (" 1.12 ", (1, 12))])
def test_parse_version(text, expected):
    assert watcher_session.parse_version(text) == expected


@pytest.mark.parametrize("text", ["one", "1.x", "1.4.2", "v1.4"])
def test_parse_version_rejects_garbage(text):
    with pytest.raises(errors.InvalidInput, match="MAJOR.MINOR"):
        watcher_session.parse_version(text)


def version_headers(low, high):
    """The range as every Watcher response names it."""
    return {"OpenStack-API-Minimum-Version": low,
            "OpenStack-API-Maximum-Version": high}


def test_first_answer_settles_the_version_without_the_version_document(
        requests_mock):
    root = requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    goals = requests_mock.get(ENDPOINT + "/v1/goals", json={},
                              headers=version_headers("1.0", "1.9"))
    session = make_session()
    session.get("/v1/goals")
    session.get("/v1/goals")
    session.require((1, 4), "Webhooks")
    assert root.call_count == 0
    assert [r.headers["OpenStack-API-Version"] for r in goals.request_history
            ] == ["infra-optim 1.7"] * 2
    assert session.api_version == (1, 7)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_older_server_refusing_our_newest_is_asked_once_more(
        requests_mock, method):
    older = version_headers("1.0", "1.3")
    answers = [{"status_code": 406, "headers": older,
                "text": "Version 1.7 was requested but ..."},
               {"json": {"goals": []}, "headers": older}]
    goals = requests_mock.register_uri(method.upper(), ENDPOINT + "/v1/goals",
                                       answers)
    session = make_session()
    call = session.get if method == "get" else (
        lambda path: session.post(path, {}))
    assert call("/v1/goals") == {"goals": []}
    assert [r.headers["OpenStack-API-Version"] for r in goals.request_history
            ] == ["infra-optim 1.7", "infra-optim 1.3"]
    with pytest.raises(errors.VersionNotSupported,
                       match="Webhooks needs Watcher API 1.4 .* uses 1.3"):
        session.require((1, 4), "Webhooks")


def test_require_before_any_answer_reads_the_version_document_once(
        requests_mock):
    root = requests_mock.get(ENDPOINT + "/", json={"versions": [
        {"id": "v1", "min_version": "1.0", "max_version": "1.9"}]})
    requests_mock.get(ENDPOINT + "/v1/goals", json={})
    session = make_session()
    session.require((1, 4), "Webhooks")
    session.get("/v1/goals")
    session.require((1, 4), "Webhooks")
    assert root.call_count == 1
    assert requests_mock.last_request.headers["OpenStack-API-Version"] == (
        "infra-optim 1.7")


def test_pinned_version_is_sent(requests_mock):
    goals = requests_mock.get(ENDPOINT + "/v1/goals", json={},
                              headers=version_headers("1.0", "1.7"))
    session = make_session("1.2")
    session.get("/v1/goals")
    assert goals.last_request.headers["OpenStack-API-Version"] == (
        "infra-optim 1.2")
    assert session.api_version == (1, 2)


def test_pinned_version_outside_range_names_the_range(requests_mock):
    goals = requests_mock.get(ENDPOINT + "/v1/goals", status_code=406,
                              text="Version 1.9 was requested but ...",
                              headers=version_headers("1.0", "1.7"))
    with pytest.raises(errors.VersionNotSupported,
                       match=r"1\.9 .* supports 1\.0 to 1\.7"):
        make_session("1.9").get("/v1/goals")
    assert goals.call_count == 1


def test_pinned_version_outside_range_is_refused_by_require(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    with pytest.raises(errors.VersionNotSupported,
                       match=r"1\.9 .* supports 1\.0 to 1\.7"):
        make_session("1.9").require((1, 4), "Webhooks")


def test_endpoint_with_v1_suffix_is_its_root(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    assert make_session(endpoint=ENDPOINT + "/v1/").endpoint == ENDPOINT


def test_require_names_feature_and_versions(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    session = make_session("1.1")
    with pytest.raises(errors.VersionNotSupported,
                       match="Forcing an audit needs Watcher API 1.2"):
        session.require((1, 2), "Forcing an audit")


def test_watcher_error_body_becomes_one_line(requests_mock, api):
    requests_mock.get(
        ENDPOINT + "/v1/audits/x", status_code=400,
        json=watcher_error("Audit type ONESHOT is disallowed."),
        headers={"X-Openstack-Request-Id": "req-42"})
    with pytest.raises(errors.BadRequest) as caught:
        api.session.get("/v1/audits/x")
    assert str(caught.value) == (
        "Audit type ONESHOT is disallowed. (HTTP 400, request req-42)")


def test_html_error_page_becomes_plain_text(requests_mock, api):
    requests_mock.get(
        ENDPOINT + "/v1/goals", status_code=406, text=(
            "<html><head><title>406 Not Acceptable</title></head><body>"
            "<h1>406 Not Acceptable</h1>Version 1.9 was requested but the "
            "minor version is not supported.<br /><br />\n</body></html>"))
    with pytest.raises(errors.HTTPError) as caught:
        api.session.get("/v1/goals")
    assert str(caught.value) == (
        "406 Not Acceptable Version 1.9 was requested but the minor version "
        "is not supported. (HTTP 406)")


def test_get_is_retried_on_503_then_succeeds(requests_mock, api):
    goals = requests_mock.get(ENDPOINT + "/v1/goals", [
        {"status_code": 503, "text": "busy"},
        {"status_code": 503, "text": "busy"},
        {"json": {"goals": []}}])
    assert api.session.get("/v1/goals") == {"goals": []}
    assert goals.call_count == 3


def test_get_gives_up_after_its_retries(requests_mock, api):
    goals = requests_mock.get(ENDPOINT + "/v1/goals", status_code=503,
                              text="busy")
    with pytest.raises(errors.ServiceUnavailable):
        api.session.get("/v1/goals")
    assert goals.call_count == 1 + watcher_session.GET_RETRIES


def test_get_is_retried_on_connection_error(requests_mock, api):
    goals = requests_mock.get(ENDPOINT + "/v1/goals", [
        {"exc": requests.exceptions.ConnectionError("reset")},
        {"json": {"goals": []}}])
    assert api.session.get("/v1/goals") == {"goals": []}
    assert goals.call_count == 2


@pytest.mark.parametrize("method", ["post", "patch"])
def test_writes_are_never_resent(requests_mock, api, method):
    api.session.api_version  # negotiated before the write
    target = getattr(requests_mock, method)(
        ENDPOINT + "/v1/webhooks/a", [
            {"exc": requests.exceptions.ConnectionError("dropped")},
            {"status_code": 202}])
    with pytest.raises(errors.ConnectionFailed):
        getattr(api.session, method)("/v1/webhooks/a", {})
    assert target.call_count == 1


def test_write_is_not_resent_on_503(requests_mock, api):
    target = requests_mock.post(ENDPOINT + "/v1/webhooks/a",
                                status_code=503, text="busy")
    with pytest.raises(errors.ServiceUnavailable):
        api.session.post("/v1/webhooks/a", {})
    assert target.call_count == 1


@pytest.mark.parametrize("exception,message", [
    (requests.exceptions.ConnectionError(
        "Failed to establish a new connection: [Errno 111] Connection "
        "refused"), "Cannot connect to http://watcher.test:9322/v1/goals: "
                    "connection refused"),
    (requests.exceptions.ConnectionError(
        "NameResolutionError: [Errno -2] Name or service not known"),
     "Cannot resolve host 'watcher.test'"),
    (requests.exceptions.SSLError("certificate verify failed"),
     "TLS failure talking to http://watcher.test:9322/v1/goals: the "
     "certificate could not be verified"),
    (requests.exceptions.ConnectTimeout("timed out"),
     "Timed out waiting for http://watcher.test:9322/v1/goals"),
])
def test_transport_failures_name_the_url(requests_mock, exception, message):
    requests_mock.get(ENDPOINT + "/v1/goals", exc=exception)
    with pytest.raises(errors.ConnectionFailed, match=message) as caught:
        make_session().get("/v1/goals")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("exception,remedy", [
    (requests.exceptions.SSLError("certificate verify failed"), "ca_bundle"),
    (requests.exceptions.ConnectTimeout("timed out"), "api_timeout"),
    (requests.exceptions.ReadTimeout("timed out"), "api_timeout"),
])
def test_transport_failures_name_the_setting_that_gets_past_them(
        requests_mock, exception, remedy):
    requests_mock.get(ENDPOINT + "/v1/goals", exc=exception)
    with pytest.raises(errors.ConnectionFailed) as caught:
        make_session().get("/v1/goals")
    assert caught.value.remedy == remedy


def test_missing_catalog_entry_is_explained():
    class NoEndpoint:
        interface, region_name = "internal", "RegionTwo"

        def get_endpoint(self):
            raise ks_exc.EndpointNotFound()

    session = watcher_session.WatcherSession(NoEndpoint())
    with pytest.raises(errors.AuthenticationFailed,
                       match="interface internal, region RegionTwo"):
        session.endpoint


def test_keystonemiddleware_refusal_becomes_one_line(requests_mock, api):
    requests_mock.post(ENDPOINT + "/v1/webhooks/a", status_code=401, json={
        "error": {"code": 401, "title": "Unauthorized",
                  "message": "The request you have made requires "
                             "authentication."}})
    with pytest.raises(errors.HTTPError) as caught:
        api.session.post("/v1/webhooks/a", {})
    assert str(caught.value) == (
        "The request you have made requires authentication. (HTTP 401)")


# --- no password of a URL in any message -------------------------------------

SECRET_ENDPOINT = "http://watcher:Sup3rSecret@watcher.test:9322"


@pytest.mark.parametrize("text, masked", [
    ("http://u:pw@h:1/v1", "http://u:***@h:1/v1"),
    ("to https://u:p@ss/w@h/ failed", "to https://u:***@h/ failed"),
    ("rabbit://u:***@h1:5672,u:***@h2:5672/",
     "rabbit://u:***@h1:5672,u:***@h2:5672/"),
    ("'http://u:pw@h'", "'http://u:***@h'"),
    ("http://h:9322/v1 http://u@h/", "http://h:9322/v1 http://u@h/"),
])
def test_mask_url_passwords(text, masked):
    assert secrets.mask(text) == masked


def test_every_error_masks_url_passwords():
    error = errors.WatcherClientError(f"Cannot reach {SECRET_ENDPOINT}/v1")
    assert str(error) == "Cannot reach http://watcher:***@watcher.test:9322/v1"
    error = errors.http_error(500, f"{SECRET_ENDPOINT}/ broke")
    assert "Sup3rSecret" not in str(error)


def test_a_password_we_sent_is_masked_whole_in_watchers_error(
        requests_mock, caplog):
    """Watcher's error body is JSON in JSON, and its reason text loses
    what looks like HTML tags: neither cuts the password up."""
    password = "p'w\"d <x>@y:/%z"
    secrets.remember(password)
    fault = json.dumps({"faultstring": f"db error: plain {password} end"})
    requests_mock.get(ENDPOINT + "/v1/goals", status_code=500,
                      json={"error_message": fault})
    caplog.set_level("DEBUG")
    logsafety.install([caplog.handler])
    try:
        with pytest.raises(errors.HTTPError) as caught:
            make_session().get("/v1/goals")
    finally:
        secrets.forget_all()
    assert "db error: plain *** end (HTTP 500)" in str(caught.value)
    for text in [record.getMessage() for record in caplog.records]:
        assert "<x>@y" not in text and "d <x" not in text


@pytest.mark.parametrize("exception", [
    requests.exceptions.ConnectionError("refused"),
    requests.exceptions.ConnectTimeout("timed out"),
    requests.exceptions.SSLError("certificate verify failed"),
    requests.exceptions.ConnectionError("Name or service not known"),
])
def test_transport_failures_never_show_the_url_password(
        requests_mock, caplog, exception):
    requests_mock.get(SECRET_ENDPOINT + "/v1/goals", exc=exception)
    caplog.set_level("DEBUG")
    # As both entry points do for --debug and --log-file.
    logsafety.install([caplog.handler])
    with pytest.raises(errors.ConnectionFailed) as caught:
        make_session(endpoint=SECRET_ENDPOINT).get("/v1/goals")
    assert "watcher:***@watcher.test" in str(caught.value)
    shown = [str(caught.value)]
    cause = caught.value.__cause__ or caught.value.__context__
    while cause is not None:  # what --debug prints in the traceback
        shown.append(str(cause))
        cause = cause.__cause__ or cause.__context__
    shown += [record.getMessage() for record in caplog.records]
    assert any("watcher:***@" in text for text in shown[1:])
    assert not [text for text in shown if "Sup3rSecret" in text]


def test_a_servers_reason_reaches_the_terminal_escaped(requests_mock):
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    requests_mock.get(f"{ENDPOINT}/v1/audits/x", status_code=403, json={
        "error_message": '{"faultstring": "Audit \\u001b]0;pwned\\u0007 '
                         'is not yours"}'})
    with pytest.raises(errors.Forbidden) as caught:
        client.WatcherClient(make_session()).audits.get("x")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(
        caught.value)
    assert "\\x1b]0;pwned\\x07" in str(caught.value)


def test_debug_shows_each_request_as_keystoneauth_does(requests_mock,
                                                       caplog):
    # Operators read --debug for the curl line they know from openstack.
    requests_mock.patch(f"{ENDPOINT}/v1/action_plans/{PLAN}", json={},
                        headers=version_headers("1.0", "1.4"))
    requests_mock.get(f"{ENDPOINT}/v1/actions", json={"actions": []},
                      headers=version_headers("1.0", "1.4"))
    caplog.set_level("DEBUG")
    session = make_session()
    session.patch(f"/v1/action_plans/{PLAN}",
                  [{"op": "replace", "path": "/state", "value": "CANCELLING"}])
    session.get("/v1/actions", params={"action_plan_uuid": PLAN})
    lines = [record.getMessage() for record in caplog.records
             if record.getMessage().startswith("REQ: curl")]
    assert lines[0].startswith(
        f"REQ: curl -g -i -X PATCH {ENDPOINT}/v1/action_plans/{PLAN} ")
    assert '-H "OpenStack-API-Version: infra-optim 1.7"' in lines[0]
    assert lines[0].endswith(
        "-d '[{\"op\": \"replace\", \"path\": \"/state\", "
        "\"value\": \"CANCELLING\"}]'")
    assert lines[-1].startswith(
        f"REQ: curl -g -i -X GET {ENDPOINT}/v1/actions"
        f"?action_plan_uuid={PLAN} ")
