"""Every read command of python-watcherclient 4.11 and ours, side by side
on the same sandbox objects: the same ``-f json`` and the same exit code,
but for the differences doc/source/compatibility.rst lists.

``WATCHERCLIENT_VENV`` names the venv holding python-watcherclient.
"""

import os
import pathlib
import uuid

import pytest

from tests.functional.conftest import run

#: Values that change between the two runs of a command, not by either
#: client: a service's heartbeat.
MOVING = {"Last seen up"}
#: Where ours exits otherwise on purpose: a malformed UUID is a usage
#: error (2), checked before any request; python-watcherclient sends it and
#: relays Watcher's 400 (1).
OUR_EXIT_CODES = {("action", "show", "not-a-uuid"): 2}


@pytest.fixture(scope="module")
def watcherclient_bin():
    venv = os.environ.get("WATCHERCLIENT_VENV")
    if not venv:
        pytest.fail("WATCHERCLIENT_VENV is not set: run the tests with "
                    "`make test`, which builds that venv")
    return pathlib.Path(venv) / "bin"


@pytest.fixture(scope="module")
def objects(watcher):
    """Names and UUIDs the commands read: an action of a plan, an audit
    template made for the test."""
    template = watcher.call("POST", "/v1/audit_templates", json={
        "name": f"compat-{uuid.uuid4().hex[:8]}", "goal": "dummy"})
    audit = watcher.create_audit(goal="dummy")
    plan = watcher.wait(lambda: watcher.plans_of(audit["uuid"]),
                        lambda plans: plans, what="a plan")[0]
    action = watcher.actions_of(plan["uuid"])[0]
    yield {"template": template["name"], "plan": plan["uuid"],
           "audit": audit["uuid"], "action": action["uuid"]}
    watcher.call("DELETE", f"/v1/audit_templates/{template['uuid']}")


COMMANDS = [
    "goal list", "goal list --detail", "goal show dummy",
    "strategy list", "strategy list --detail", "strategy list --goal dummy",
    "strategy show dummy", "strategy state dummy",
    "scoringengine list", "scoringengine list --detail",
    "service list", "service list --detail", "service show 1",
    "datamodel list", "datamodel list --detail",
    "action list --action-plan {plan}", "action list --audit {audit}",
    "action list --detail --action-plan {plan}", "action show {action}",
    "action show not-a-uuid",
    "audittemplate list", "audittemplate list --detail",
    "audittemplate list --goal dummy", "audittemplate show {template}",
    "goal show no-such-goal",
]


def comparable(result):
    try:
        data = result.json() if result.returncode == 0 else None
    except ValueError:
        return result.stdout
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k not in MOVING}
    if isinstance(data, list):
        return [{k: v for k, v in row.items() if k not in MOVING}
                for row in data]
    return data


@pytest.mark.parametrize("command", COMMANDS)
def test_same_json_and_exit_code(command, objects, watcher,
                                 watcherclient_bin):
    args = command.format(**objects).split()
    theirs = run("openstack", *watcher.watcherclient_pin(), "optimize",
                 *args, "-f", "json", bin_dir=watcherclient_bin)
    ours = run("watcher-ext", *args, "-f", "json")
    expected_code = OUR_EXIT_CODES.get(tuple(command.split()),
                                       theirs.returncode)
    assert ours.returncode == expected_code, (theirs, ours)
    assert comparable(ours) == comparable(theirs), (theirs, ours)
