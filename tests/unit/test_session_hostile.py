"""What a hostile or broken server cannot make the session do: re-send a
write, hand a credential to another origin, read for ever, or put its
text raw and unbounded into a message."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from tests.unit import hostile
from tests.unit.hostile_server import Answer
from watcherclient_ext import errors
from watcherclient_ext import shell
from watcherclient_ext.api import deadlines
from watcherclient_ext.api import session as watcher_session

PLAN = "17287473-44cd-497d-9235-063cf6e885a4"
PATH = f"/v1/action_plans/{PLAN}"
TOKEN = "t0ken-sent-only-home"


def connect(server, timeout=None):
    """A session that sends X-Auth-Token, as every Keystone one does."""
    keystone = ks_session.Session(
        auth=token_endpoint.Token(server.url, TOKEN))
    return watcher_session.WatcherSession.from_keystone_session(
        keystone, endpoint_override=server.url, timeout=timeout)


@pytest.fixture
def elsewhere(hostile_server):
    """A second server: another origin (another port)."""
    from tests.unit.hostile_server import HostileServer

    other = HostileServer()
    other.answer(PATH, Answer(200, {"uuid": PLAN, "state": "ONGOING"}))
    yield other
    other.stop()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_gets_no_token(hostile_server,
                                                    elsewhere, status):
    hostile_server.answer(PATH, Answer(status, b"", {
        "Location": elsewhere.url + PATH}))
    with pytest.raises(watcher_session.RedirectRefused) as caught:
        connect(hostile_server).get(PATH)
    assert "another origin" in str(caught.value)
    assert elsewhere.requests == []


def test_a_get_follows_a_redirect_within_its_origin(hostile_server):
    hostile_server.answer("/old", Answer(302, b"", {"Location": PATH}))
    hostile_server.answer(PATH, Answer(200, {"uuid": PLAN}))
    assert connect(hostile_server).get("/old") == {"uuid": PLAN}
    assert [r[1] for r in hostile_server.requests] == ["/old", PATH]


def test_a_redirect_loop_ends(hostile_server):
    hostile_server.answer(PATH, Answer(302, b"", {"Location": PATH}))
    with pytest.raises(watcher_session.RedirectRefused, match="loop"):
        connect(hostile_server).get(PATH)
    assert len(hostile_server.requests) == 1


@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirected_write_is_sent_once(hostile_server, elsewhere, method,
                                         status):
    for target in (PATH, elsewhere.url + PATH):
        hostile_server.requests.clear()
        hostile_server.answer(PATH, Answer(status, b"", {
            "Location": target}))
        with pytest.raises(watcher_session.RedirectRefused) as caught:
            getattr(connect(hostile_server), method)(PATH, [{"op": "x"}])
        assert "not sent again" in str(caught.value)
        assert len(hostile_server.requests) == 1
    assert elsewhere.requests == []


@given(st.sampled_from(["http", "https", "ftp", "HTTP"]),
       st.sampled_from(["127.0.0.1", "localhost", "127.0.0.2", "example"]),
       st.sampled_from(["", ":80", ":1", ":{port}"]),
       st.text(st.sampled_from("/ab?=%@:"), max_size=8))
@hostile.BOUNDED
def test_credentials_only_ever_go_to_the_same_origin(scheme, host, port,
                                                     path):
    here = "http://127.0.0.1:9322"
    target = f"{scheme}://{host}{port.format(port=9322)}/{path}"
    same = watcher_session._origin(target) == watcher_session._origin(here)

    class Redirected:
        status = 302
        headers = {"Location": target}

    try:
        followed = watcher_session._redirect_target(
            "GET", here + "/v1/x", Redirected, [here + "/v1/x"])
    except watcher_session.RedirectRefused:
        followed = None
    if followed is not None:
        assert same and watcher_session._origin(followed) == (
            watcher_session._origin(here))


def test_a_body_that_drips_ends_by_the_time_out(hostile_server):
    hostile_server.answer(PATH, Answer(200, b'{"uuid": "' + b"x" * 200,
                                       drip=0.05))
    started = time.monotonic()
    with pytest.raises(errors.ConnectionFailed):
        connect(hostile_server, timeout=0.5).get(PATH)
    assert time.monotonic() - started < 3


def test_a_wait_bound_ends_a_request_that_never_answers(hostile_server):
    hostile_server.answer(PATH, Answer(200, b"{}" * 100, drip=0.05))
    started = time.monotonic()
    with deadlines.until(time.monotonic() + 0.4):
        with pytest.raises(errors.ConnectionFailed):
            connect(hostile_server).get(PATH)
    assert time.monotonic() - started < 3


def test_retry_after_never_outlasts_the_time_out(hostile_server):
    hostile_server.answer(PATH, Answer(503, {}, {"Retry-After": "100000"}))
    started = time.monotonic()
    with pytest.raises(errors.ServiceUnavailable):
        connect(hostile_server, timeout=1).get(PATH)
    assert time.monotonic() - started < 3
    assert len(hostile_server.requests) == 1


def test_a_huge_error_body_is_a_short_line(hostile_server):
    hostile_server.answer(PATH, Answer(500, b"E" * 5_000_000,
                                       {"Content-Type": "text/plain"}))
    with pytest.raises(errors.HTTPError) as caught:
        connect(hostile_server).get(PATH)
    message = str(caught.value)
    assert len(message) < 1200 and "\n" not in message
    # Only the first MAX_ERROR_BODY bytes were read.
    assert "... (at least 64512 bytes more) (HTTP 500)" in message


@given(hostile.text)
@hostile.BOUNDED
def test_any_error_text_is_one_bounded_safe_line(text):
    class Response:
        reason = "Bad"
        status = 400
        truncated = False

        def json(self):
            return {"error_message": {"faultstring": text * 200}}

        @property
        def text(self):
            return ""

    message = str(errors.http_error(400, watcher_session._shown_reason(
        Response())))
    # Cut to about SHOWN_TEXT bytes, then each control shown as an escape
    # of at most 6 characters.
    assert "\n" not in message
    assert len(message) < 6 * watcher_session.SHOWN_TEXT + 64
    assert not hostile.RAW_CONTROL_OR_LINE.search(message)


def test_a_bad_version_header_is_the_servers_fault(hostile_server):
    hostile_server.answer(PATH, Answer(200, {"uuid": PLAN}, {
        "OpenStack-API-Maximum-Version": "one"}))
    with pytest.raises(watcher_session.BadVersionAnswer) as caught:
        connect(hostile_server).get(PATH)
    assert "The server at" in str(caught.value)
    assert "use MAJOR.MINOR" not in str(caught.value)


def test_a_body_that_is_not_json_names_the_request(hostile_server):
    hostile_server.answer(PATH, Answer(200, b"<html>hi</html>"))
    with pytest.raises(errors.WatcherClientError,
                       match=f"GET {PATH} answered HTTP 200 with a body "
                             "that is not JSON"):
        connect(hostile_server).get(PATH)


def test_watcher_ext_gives_no_token_to_another_origin(hostile_server,
                                                      elsewhere, capsys):
    hostile_server.answer(PATH, Answer(302, b"", {
        "Location": elsewhere.url + PATH}))
    code = shell.WatcherExtApp().run([
        "--os-auth-type", "admin_token", "--os-token", TOKEN,
        "--os-endpoint", hostile_server.url, "actionplan", "show", PLAN])
    err = capsys.readouterr().err
    assert code == 1
    assert "another origin" in err and TOKEN not in err
    assert elsewhere.requests == []
    assert hostile_server.requests[0][2].get("X-Auth-Token") == TOKEN


@pytest.mark.parametrize("body", [b"", b"{}", b"[]", b"null"])
def test_an_error_that_says_nothing_shows_its_status_line(hostile_server,
                                                          body):
    hostile_server.answer(PATH, Answer(503, body))
    with pytest.raises(errors.ServiceUnavailable) as caught:
        connect(hostile_server, timeout=1).get(PATH)
    assert str(caught.value).startswith("Service Unavailable (HTTP 503")
