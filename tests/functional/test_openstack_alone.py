"""Every command through ``openstack optimize`` where python-watcherclient
is not installed (this venv): each runs, and prints what ``watcher-ext``
prints for the same objects."""

import importlib.util
import uuid

import pytest

from tests.functional.conftest import REPO
from tests.functional.conftest import run
from tests.functional.test_foundation import OUR_COMMANDS

NOTIFICATIONS = REPO / "tests" / "data" / "watcher-notifications.jsonl"
#: Each command with arguments that make it succeed; ``{x}`` are names
#: and UUIDs of :func:`objects`.  A read runs twice and is compared; a
#: write runs through ``openstack`` alone.
RUNS = {
    "goal list": "", "goal show": "dummy",
    "strategy list": "--goal dummy", "strategy show": "dummy",
    "strategy state": "dummy",
    "scoringengine list": "", "scoringengine show": None,
    "service list": "", "service show": "1",
    "datamodel list": "",
    "action list": "--action-plan {plan}", "action show": "{action}",
    "audittemplate list": "--detail", "audittemplate show": "{template}",
    "audit list": "--goal dummy", "audit show": "{audit}",
    "actionplan list": "--audit {audit}", "actionplan show": "{plan}",
    "webhook url": "{event_audit}",
    "audittemplate create": "{name} dummy -s dummy",
    "audittemplate update": "{name} replace description=alone",
    "audittemplate delete": "{name}",
    "audit create": "-g dummy -s dummy",
    "audit update": "{audit} replace name={name}",
    "audit delete": "{name}",
    "action update": "{action} --state SKIPPED --reason alone",
    "actionplan update": "{plan} replace state=CANCELLED",
    "actionplan delete": "{plan}",
    "actionplan start": "{startable}",
    "actionplan cancel": "{cancellable}",
    "webhook trigger": "{event_audit}",
    "notifications tail": f"--file {NOTIFICATIONS}",
}
READS = {"list", "show", "state", "url"}
#: Written in this order: each acts on what the ones before left.
WRITES = [name for name in RUNS if name.split()[1] not in READS]


def test_watcherclient_is_not_installed_here():
    assert importlib.util.find_spec("watcherclient") is None


def test_every_command_has_a_run():
    assert {f"optimize {name}" for name in RUNS} == OUR_COMMANDS


@pytest.fixture(scope="module")
def objects(watcher):
    """An audit with its plan (whose actions stay PENDING), two plans to
    start and cancel, an EVENT audit, an audit template's name to come."""
    def recommended():
        return watcher.recommended_plan()["uuid"]

    plan = recommended()
    event = watcher.create_audit(audit_type="EVENT", goal="dummy",
                                 strategy="dummy")
    return {"plan": plan, "audit": watcher.plan(plan)["audit_uuid"],
            "action": watcher.actions_of(plan)[0]["uuid"],
            "template": watcher.call("POST", "/v1/audit_templates", json={
                "name": f"alone-{uuid.uuid4().hex[:8]}",
                "goal": "dummy"})["name"],
            "startable": recommended(), "cancellable": recommended(),
            "event_audit": event["uuid"],
            "name": f"alone-{uuid.uuid4().hex[:8]}"}


def arguments(name, objects):
    text = RUNS[name]
    if text is None:  # a scoring engine, where the sandbox has one
        listed = run("watcher-ext", "scoringengine", "list", "-f", "value",
                     "-c", "Name").stdout.split()
        if not listed:
            pytest.skip("the sandbox has no scoring engine")
        text = listed[0]
    return [*name.split(), *text.format(**objects).split()]


@pytest.mark.parametrize("name", [name for name in RUNS
                                  if name.split()[1] in READS])
def test_each_read_prints_as_watcher_ext(name, objects):
    args = arguments(name, objects)
    through_openstack = run("openstack", "optimize", *args, "-f", "json")
    ours = run("watcher-ext", *args, "-f", "json")
    assert through_openstack.returncode == 0, through_openstack
    moving = {"Last seen up"}
    assert strip(through_openstack.json(), moving) == strip(ours.json(),
                                                            moving)


def strip(data, keys):
    if isinstance(data, list):
        return [strip(item, keys) for item in data]
    return {k: v for k, v in data.items() if k not in keys}


def test_each_write_runs(objects):
    outcomes = {}
    for name in WRITES:
        output = () if name.split()[1] in ("delete", "tail") else (
            "-f", "json")
        result = run("openstack", "optimize", *arguments(name, objects),
                     *output)
        outcomes[name] = (result.returncode, result.stderr)
    assert outcomes == {name: (0, outcomes[name][1]) for name in WRITES}
    assert "Deleted audit template" in outcomes["audittemplate delete"][1]
