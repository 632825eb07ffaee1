"""The read commands of every resource: python-watcherclient's columns,
labels and -f json keys, lookups, paging and microversion gating."""

import json

import pytest

from tests.unit.conftest import ENDPOINT
from tests.unit.test_notifications_command import run_app
from watcherclient_ext import resource_fields

ACTION = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
PLAN = "1f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"


def versions(maximum):
    return {"versions": [{"id": "v1", "status": "CURRENT",
                          "min_version": "1.0", "max_version": maximum}]}


@pytest.fixture
def watcher(requests_mock, capsys):
    """Run ``watcher-ext ARGS -f json`` on a mocked 1.0..1.7 server;
    returns (exit code, parsed stdout or None, stderr)."""
    requests_mock.get(ENDPOINT + "/", json=versions("1.7"))

    def run(*args, fmt="json"):
        code = run_app(["--os-auth-type", "none", "--os-endpoint", ENDPOINT,
                        *args, "-f", fmt])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out and fmt == "json" else out), err
    return run


def paths(requests_mock):
    return [request.path for request in requests_mock.request_history]


GOAL = {"uuid": "a1", "name": "dummy", "display_name": "Dummy goal",
        "efficacy_specification": [{"name": "x", "unit": "%"}]}


def test_goal_list_has_watcherclients_keys(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/goals", json={"goals": [GOAL]})
    code, rows, _ = watcher("goal", "list")
    assert code == 0
    assert rows == [{"UUID": "a1", "Name": "dummy",
                     "Display name": "Dummy goal"}]


def test_goal_list_detail_reads_the_detail_path(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/goals/detail", json={"goals": [GOAL]})
    _, rows, _ = watcher("goal", "list", "--detail")
    assert rows[0]["Efficacy specification"] == [{"name": "x", "unit": "%"}]


def test_goal_show_by_name_encodes_the_name_whole(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/goals/a%2Fb%3Fc", json=GOAL)
    code, shown, _ = watcher("goal", "show", "a/b?c")
    assert code == 0
    assert shown["Name"] == "dummy"
    assert "/v1/goals/a%2fb%3fc" in paths(requests_mock)


def test_strategy_show_gives_parameter_properties_as_text(
        watcher, requests_mock):
    properties = {"period": {"type": "number", "default": 3600}}
    requests_mock.get(ENDPOINT + "/v1/strategies/basic", json={
        "uuid": "s1", "name": "basic", "display_name": "Basic",
        "goal_name": "dummy",
        "parameters_spec": {"properties": properties}})
    _, shown, _ = watcher("strategy", "show", "basic")
    assert list(shown) == ["UUID", "Name", "Display name", "Goal",
                           "Parameters spec"]
    assert shown["Parameters spec"] == json.dumps(properties, indent=2)


def test_strategy_list_filters_by_goal(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/strategies", json={"strategies": []})
    code, rows, _ = watcher("strategy", "list", "--goal", "dummy")
    assert (code, rows) == (0, [])
    assert requests_mock.last_request.qs == {"goal": ["dummy"]}


def test_strategy_state_rows(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/strategies/basic/state", json=[
        {"type": "Datasource", "state": [{"gnocchi": "available"}],
         "mandatory": "", "comment": ""}])
    _, rows, _ = watcher("strategy", "state", "basic")
    assert rows == [{"Type": "Datasource",
                     "State": json.dumps([{"gnocchi": "available"}],
                                         indent=2),
                     "Mandatory": "", "Comment": ""}]


def test_service_and_scoring_engine_columns(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/services", json={"services": [
        {"id": 1, "name": "watcher-applier", "host": "h", "status": "ACTIVE",
         "last_seen_up": "t"}]})
    requests_mock.get(ENDPOINT + "/v1/scoring_engines",
                      json={"scoring_engines": []})
    assert watcher("service", "list")[1] == [
        {"ID": 1, "Name": "watcher-applier", "Host": "h", "Status": "ACTIVE"}]
    assert watcher("scoringengine", "list")[1] == []


def test_a_list_pages_past_a_thousand_items(watcher, requests_mock):
    """Watcher's pages hold 1,000 at most; the next link is followed."""
    def page(start, count):
        return [{"uuid": f"{n:04d}", "name": f"g{n}", "display_name": ""}
                for n in range(start, start + count)]

    requests_mock.get(ENDPOINT + "/v1/goals", [
        {"json": {"goals": page(0, 1000),
                  "next": "http://elsewhere/v1/goals?limit=1000&marker=0999"}},
        {"json": {"goals": page(1000, 500)}}])
    _, rows, _ = watcher("goal", "list")
    assert len(rows) == 1500
    assert rows[-1]["UUID"] == "1499"
    # Only the marker comes from the link: its host and the rest are
    # the server's to get wrong.
    assert requests_mock.last_request.netloc == "watcher.test:9322"
    assert requests_mock.last_request.qs == {"marker": ["0999"]}


ACTION_RECORD = {"uuid": ACTION, "parents": [], "state": "FAILED",
                 "action_plan_uuid": PLAN, "action_type": "nop",
                 "input_parameters": {"message": "hi"}, "description": "",
                 "status_message": "the nop failed", "created_at": "t",
                 "updated_at": None, "deleted_at": None}


def test_action_list_lists_actions_not_plans(watcher, requests_mock):
    """cliff's prefix matching once ran ``actionplan list`` for it."""
    requests_mock.get(ENDPOINT + "/v1/actions",
                      json={"actions": [ACTION_RECORD]})
    code, rows, _ = watcher("action", "list", "--action-plan", PLAN)
    assert code == 0
    assert rows == [{"UUID": ACTION, "Parents": [], "State": "FAILED",
                     "Action Plan": PLAN, "Action": "nop"}]
    assert requests_mock.last_request.qs == {"action_plan_uuid": [PLAN]}


def test_action_show_gives_the_reason_from_1_5(watcher, requests_mock):
    requests_mock.get(ENDPOINT + f"/v1/actions/{ACTION}", json=ACTION_RECORD)
    _, shown, _ = watcher("action", "show", ACTION)
    assert list(shown) == [
        "UUID", "Created At", "Updated At", "Deleted At", "Parents", "State",
        "Action Plan", "Action", "Parameters", "Description",
        "Status Message"]
    assert shown["Status Message"] == "the nop failed"
    assert shown["Parameters"] == {"message": "hi"}


def test_fields_of_a_later_microversion_are_not_shown(
        watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/", json=versions("1.4"))
    requests_mock.get(ENDPOINT + f"/v1/actions/{ACTION}", json=ACTION_RECORD)
    requests_mock.get(ENDPOINT + "/v1/audit_templates/detail",
                      json={"audit_templates": []})
    _, shown, _ = watcher("action", "show", ACTION)
    assert "Status Message" not in shown
    code, _, _ = watcher("audittemplate", "list", "--detail", "-c",
                         "Default Parameters")
    assert code == 1


def test_action_show_takes_only_a_uuid(watcher, requests_mock):
    code, out, err = watcher("action", "show", "nope")
    assert code == 2
    assert "not a UUID" in err
    assert not any(r.path.startswith("/v1/") for r in
                   requests_mock.request_history)


def test_audit_template_show_by_name(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/audit_templates/at1", json={
        "uuid": "u", "name": "at1", "goal_name": "dummy",
        "default_parameters": {"a": 1}})
    _, shown, _ = watcher("audittemplate", "show", "at1")
    assert shown["Default Parameters"] == {"a": 1}
    assert shown["Audit Scope"] is None


def test_data_model_short_and_detailed_labels(watcher, requests_mock):
    requests_mock.get(ENDPOINT + "/v1/data_model", json={"context": [
        {"server_uuid": "s", "node_uuid": "n"}]})
    _, short, _ = watcher("datamodel", "list")
    _, detail, _ = watcher("datamodel", "list", "--detail")
    assert list(short[0]) == ["Server UUID", "Server Name", "Server State",
                              "Node UUID", "Node Host Name"]
    assert list(detail[0])[0] == "Server_UUID"
    assert [r.qs for r in requests_mock.request_history
            if r.path == "/v1/data_model"][0] == {
        "data_model_type": ["compute"]}


def test_every_short_field_is_a_field():
    for table in vars(resource_fields).values():
        if isinstance(table, resource_fields.Resource):
            names = {field.name for field in table.fields}
            assert set(table.short) <= names, table.noun


def test_strategy_list_shows_the_parameters_spec_as_sent(
        watcher, requests_mock):
    spec = {"properties": {"period": {"type": "number"}}}
    requests_mock.get(ENDPOINT + "/v1/strategies/detail", json={
        "strategies": [{"uuid": "s1", "name": "basic",
                        "parameters_spec": spec}]})
    _, rows, _ = watcher("strategy", "list", "--detail")
    assert rows[0]["Parameters spec"] == spec
