"""Names, UUIDs and markers go into a request as one encoded segment or
one query value: no name can address another resource."""

import re
from urllib import parse as urlparse

import hypothesis
import pytest
import requests_mock as requests_mock_lib
from hypothesis import strategies as st

from tests.unit import hostile
from tests.unit.conftest import ENDPOINT
from tests.unit.conftest import VERSIONS
from tests.unit.conftest import make_session
from watcherclient_ext import errors
from watcherclient_ext.api import client
from watcherclient_ext.api import urls

AUDIT = "6a0c1f7e-7f43-4b4e-9d43-5d1b0d6b8a11"
PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
#: What climbs, or ends a path, or smuggles a query in, as names would.
CLIMBERS = ("..", ".", "/", "?", "#", "%2e%2e", "%2F", "../audits",
            f"../action_plans/{PLAN}?x=", "nightly?limit=1",
            f"../../v1/action_plans/{PLAN}", "a/../..", "%", "%25", ";x",
            "\\..\\", "..;", "~", "%00", " ")
names = hostile.text | st.sampled_from(CLIMBERS) | st.lists(
    st.sampled_from(CLIMBERS) | hostile.text, max_size=4).map("".join)


def sent_paths(mock):
    """The path of every API request, as it went out (requests-mock's
    ``request.path`` is lower-cased)."""
    return [urlparse.urlsplit(r.url).path for r in mock.request_history
            if urlparse.urlsplit(r.url).path != "/"]


def serve(mock, audit_uuid=AUDIT):
    everything = re.compile(re.escape(ENDPOINT) + "/v1/.*")
    mock.get(ENDPOINT + "/", json=VERSIONS)
    mock.get(everything, json={
        "uuid": audit_uuid, "name": "nightly", "audit_type": "EVENT",
        "state": "PENDING", "force": True, "action_plans": []})
    mock.post(everything, status_code=202)


def reads(api, name):
    """Each way a name goes into a path, and the collection it must stay
    under."""
    return [(lambda: api.audits.get(name), "audits"),
            (lambda: api.audits.template_uuid(name), "audit_templates"),
            (lambda: api.webhooks.trigger_unchecked(name, {}), "webhooks")]


def stays_under(path, collection, name):
    prefix = f"/v1/{collection}/"
    assert path.startswith(prefix), path
    segment = path[len(prefix):]
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert segment not in (".", "..")
    assert urlparse.unquote(segment, errors="surrogateescape") == name


@hostile.BOUNDED
@hypothesis.given(name=names)
def test_a_name_in_a_path_stays_under_its_resource(name):
    for index in range(3):
        with requests_mock_lib.Mocker() as mock:
            serve(mock)
            api = client.WatcherClient(make_session())
            call, collection = reads(api, name)[index]
            try:
                call()
            except errors.InvalidInput:
                assert sent_paths(mock) == []
                assert name in ("", ".", "..") or re.search(
                    "[\ud800-\udfff]", name)
                continue
            if collection == "audit_templates" and sent_paths(mock) == []:
                continue  # a UUID already: nothing to look up
            (path,) = sent_paths(mock)
            stays_under(path, collection, name)


@hostile.BOUNDED
@hypothesis.given(uuid=names)
def test_a_uuid_watcher_sends_stays_under_its_resource(uuid):
    """The audit's UUID in Watcher's answer is where the trigger goes."""
    hypothesis.assume(uuid not in ("", ".", "..") and not re.search(
        "[\ud800-\udfff]", uuid))
    with requests_mock_lib.Mocker() as mock:
        serve(mock, audit_uuid=uuid)
        client.WatcherClient(make_session()).webhooks.trigger("nightly", {})
        posted = [urlparse.urlsplit(r.url).path for r in mock.request_history
                  if r.method == "POST"]
        (path,) = posted
        stays_under(path, "webhooks", uuid)


@pytest.mark.parametrize("name,path", [
    ("../audits", "/v1/webhooks/..%2Faudits"),
    (f"../action_plans/{PLAN}?x=", f"/v1/webhooks/..%2Faction_plans%2F"
                                   f"{PLAN}%3Fx%3D"),
    ("nightly?limit=1", "/v1/webhooks/nightly%3Flimit%3D1"),
    ("%2e%2e", "/v1/webhooks/%252e%252e"),
])
def test_the_issues_names_are_one_segment(requests_mock, api, name, path):
    requests_mock.post(re.compile(re.escape(ENDPOINT) + "/.*"),
                       status_code=202)
    url = api.webhooks.trigger_unchecked(name, {})
    assert sent_paths(requests_mock) == [path]
    assert url == ENDPOINT + path


@pytest.mark.parametrize("name", ["", ".", ".."])
def test_names_no_path_can_carry_are_refused_before_any_request(
        requests_mock, api, name):
    with pytest.raises(errors.InvalidInput, match="cannot address"):
        api.audits.get(name)
    assert requests_mock.call_count == 0


def test_a_marker_goes_as_one_query_value(requests_mock, api):
    requests_mock.get(f"{ENDPOINT}/v1/action_plans", json={
        "action_plans": []})
    list(api.action_plans.list(marker="x&limit=1#", sort_key="id?a=b"))
    (request,) = requests_mock.request_history[-1:]
    assert urlparse.urlsplit(request.url).path == "/v1/action_plans"
    assert urlparse.parse_qs(urlparse.urlsplit(request.url).query) == {
        "marker": ["x&limit=1#"], "sort_key": ["id?a=b"]}


def test_path_encodes_each_segment_whole():
    assert urls.path("v1", "audits", "a/b?c#d%") == (
        "/v1/audits/a%2Fb%3Fc%23d%25")
    assert urls.path("v1", "audits", "..x", "x..") == "/v1/audits/..x/x.."
    assert urls.path("v1", "audits", "\udcff") == "/v1/audits/%FF"
