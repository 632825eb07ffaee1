"""Every command of python-watcherclient 4.11 and ours, side by side on the
same sandbox objects: the same ``-f json`` and the same exit code, but for
the differences doc/source/compatibility.rst lists.

``WATCHERCLIENT_VENV`` names the venv holding python-watcherclient.  There
``openstack optimize`` runs our classes for every name we provide (see
test_coexistence.py), so python-watcherclient's own commands are run
through its ``watcher`` shell, which loads its classes alone.  A write
acts on one of two objects made alike: python-watcherclient on one, ours
on the other.
"""

import os
import pathlib
import uuid

import pytest

from tests.functional.conftest import ENDPOINT
from tests.functional.conftest import run

#: Values that change between the two runs of a command, not by either
#: client: a service's heartbeat.
MOVING = {"Last seen up"}
#: Values that differ between the two objects a write acts on.
OWN = {"UUID", "Name", "Created At", "Updated At", "Audit", "Action Plan",
       "Hostname", "Next Run Time"}
#: Where ours exits otherwise on purpose (compatibility.rst): a malformed
#: UUID, or a command that asks for nothing, is a usage error (2), checked
#: before any request; python-watcherclient exits 1.
OUR_EXIT_CODES = {"action show not-a-uuid": 2,
                  "actionplan delete not-a-uuid": 2,
                  "actionplan update not-a-uuid replace state=PENDING": 2,
                  "action update {action}": 2}
#: The fields ours adds to python-watcherclient's (compatibility.rst).
ADDED = {"audit show": {"Webhook URL"},
         "audit create": {"Webhook URL", "Action Plan"},
         "actionplan start": {"Actions", "Failed Actions"}}
#: What python-watcherclient's commands need besides their arguments.
THEIR_OPTIONS = ("--no-auth", "--os-endpoint-override", ENDPOINT)


@pytest.fixture(scope="module")
def watcherclient_bin():
    venv = os.environ.get("WATCHERCLIENT_VENV")
    if not venv:
        pytest.fail("WATCHERCLIENT_VENV is not set: run the tests with "
                    "`make test`, which builds that venv")
    return pathlib.Path(venv) / "bin"


def plan_of(watcher, audit):
    plan = watcher.wait(lambda: watcher.plans_of(audit["uuid"]),
                        lambda plans: plans, what="a plan")[0]
    watcher.wait(lambda: watcher.audit(audit["uuid"]),
                 lambda a: a["state"] == "SUCCEEDED", what="SUCCEEDED")
    return watcher.plan(plan["uuid"])


@pytest.fixture(scope="module")
def objects(watcher):
    """Names and UUIDs the reads use: an audit, its plan and an action,
    an audit template made for the test."""
    template = watcher.call("POST", "/v1/audit_templates", json={
        "name": f"compat-{uuid.uuid4().hex[:8]}", "goal": "dummy"})
    audit = watcher.create_audit(goal="dummy", strategy="dummy")
    plan = plan_of(watcher, audit)
    action = watcher.actions_of(plan["uuid"])[0]
    yield {"template": template["name"], "plan": plan["uuid"],
           "audit": audit["uuid"], "action": action["uuid"]}
    watcher.call("DELETE", f"/v1/audit_templates/{template['uuid']}")


READS = [
    "goal list", "goal list --detail", "goal show dummy",
    "strategy list", "strategy list --detail", "strategy list --goal dummy",
    "strategy show dummy", "strategy state dummy",
    "scoringengine list", "scoringengine list --detail",
    "scoringengine show dummy_scorer", "scoringengine show no-such-engine",
    "service list", "service list --detail", "service show 1",
    "datamodel list", "datamodel list --detail",
    "action list --action-plan {plan}", "action list --audit {audit}",
    "action list --detail --action-plan {plan}", "action show {action}",
    "action show not-a-uuid",
    "audittemplate list", "audittemplate list --detail",
    "audittemplate list --goal dummy", "audittemplate show {template}",
    "audit list", "audit list --detail", "audit list --goal dummy",
    "audit list --limit 2 --sort-key name --sort-dir desc",
    "audit show {audit}", "audit show no-such-audit",
    "actionplan list --audit {audit}",
    "actionplan list --detail --audit {audit}",
    "goal show no-such-goal",
]


def comparable(data, ignored=MOVING):
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k not in ignored}
    if isinstance(data, list):
        return [{k: v for k, v in row.items() if k not in ignored}
                for row in data]
    return data


def printed(result):
    """What a run printed: its JSON, its text when not JSON, None when it
    failed."""
    if result.returncode:
        return None
    try:
        return result.json()
    except ValueError:
        return result.stdout


def in_their_shape(command, ours, theirs):
    """Both runs' output of ``command`` as python-watcherclient shapes it:
    the fields ours adds (compatibility.rst) checked and set aside; for a
    cancel, ours prints a row per plan where theirs prints the plan, so
    only the state each ended in is compared."""
    verb = " ".join(command.split()[:2])
    if verb == "actionplan cancel" and isinstance(ours, list):
        (row,) = ours
        return {"State": row["State After"]}, {"State": theirs["State"]}
    added = ADDED.get(verb, set())
    if added and isinstance(ours, dict):
        assert added <= ours.keys(), (command, ours)
        ours = {k: v for k, v in ours.items() if k not in added}
    return ours, theirs


def side_by_side(command, theirs_objects, our_objects, watcher, bin_dir,
                 ignored=MOVING):
    """Both runs of ``command``, with ``-f json`` but for a delete, which
    prints nothing."""
    output = () if command.split()[1] == "delete" else ("-f", "json")
    theirs = run("watcher", *THEIR_OPTIONS, *watcher.watcherclient_pin(),
                 *command.format(**theirs_objects).split(), *output,
                 bin_dir=bin_dir)
    ours = run("watcher-ext", *command.format(**our_objects).split(),
               *output)
    expected_code = OUR_EXIT_CODES.get(command, theirs.returncode)
    assert ours.returncode == expected_code, (theirs, ours)
    our_data, their_data = in_their_shape(command, printed(ours),
                                          printed(theirs))
    assert comparable(our_data, ignored) == comparable(their_data,
                                                       ignored), (theirs, ours)
    return theirs, ours


@pytest.mark.parametrize("command", READS)
def test_same_json_and_exit_code(command, objects, watcher,
                                 watcherclient_bin):
    side_by_side(command, objects, objects, watcher, watcherclient_bin)


def test_actionplan_show_adds_the_actions_and_the_failed_ones(
        objects, watcher, watcherclient_bin):
    theirs = run("watcher", *THEIR_OPTIONS, *watcher.watcherclient_pin(),
                 "actionplan", "show", objects["plan"], "-f", "json",
                 bin_dir=watcherclient_bin)
    ours = run("watcher-ext", "actionplan", "show", objects["plan"], "-f",
               "json")
    assert (theirs.returncode, ours.returncode) == (0, 0), (theirs, ours)
    shown = ours.json()
    assert shown.pop("Actions") == {"PENDING": 3}
    assert shown.pop("Failed Actions") == []
    assert shown == theirs.json()


class Twins:
    """Two alike sets of objects for the writes: ``theirs`` and ``ours``."""

    def __init__(self, watcher):
        self.watcher = watcher
        self.templates = []
        self.started = []

    def make(self, side):
        watcher = self.watcher
        template = watcher.call("POST", "/v1/audit_templates", json={
            "name": f"compat-{side}-{uuid.uuid4().hex[:8]}",
            "goal": "dummy", "strategy": "dummy"})
        self.templates.append(template["uuid"])
        plans = {}
        for use in ("update", "delete", "start", "cancel", "skip"):
            audit = watcher.create_audit(goal="dummy", strategy="dummy",
                                         name=f"compat-{side}-{use}-"
                                              f"{uuid.uuid4().hex[:8]}")
            plans[use] = plan_of(watcher, audit)
        self.started.append(plans["start"]["uuid"])
        return {"template": template["name"], "audit": audit["name"],
                "plan": plans["update"]["uuid"],
                "deletable": plans["delete"]["uuid"],
                "startable": plans["start"]["uuid"],
                "cancellable": plans["cancel"]["uuid"],
                "action": watcher.actions_of(plans["skip"]["uuid"])[0][
                    "uuid"],
                "name": f"compat-{side}-{uuid.uuid4().hex[:8]}"}

    def clean(self):
        """The templates deleted, and the plans started run to their end:
        Watcher ignores a trigger while a plan runs."""
        for plan in self.started:
            self.watcher.wait_for_end(plan)
        for template in self.templates:
            try:
                self.watcher.call("DELETE", f"/v1/audit_templates/{template}")
            except Exception:  # noqa: BLE001 (deleted by the test)
                pass


@pytest.fixture(scope="module")
def twins(watcher):
    made = Twins(watcher)
    yield made.make("theirs"), made.make("ours")
    made.clean()


#: In the order they run (later ones act on what earlier ones left), with
#: python-watcherclient's exit code.
WRITES = [
    ("audittemplate create {name} dummy -s dummy -d compat", 0),
    ("audittemplate update {template} replace description=changed", 0),
    ("audittemplate update {template} remove description", 0),
    ("audittemplate update no-such-template replace description=x", 1),
    ("audittemplate delete {template}", 0),
    ("audittemplate delete {template}", 1),
    ("audit create -g dummy -s dummy --name {name}", 0),
    ("audit update {audit} replace name={audit}-renamed", 0),
    ("audit update no-such-audit replace name=x", 1),
    ("audit delete {audit}-renamed", 0),
    ("audit delete {audit}-renamed", 1),
    ("actionplan update {plan} replace state=CANCELLED", 0),
    ("actionplan update not-a-uuid replace state=PENDING", 1),
    ("actionplan delete {deletable}", 0),
    ("actionplan delete {deletable}", 1),
    ("actionplan delete not-a-uuid", 1),
    ("actionplan start {startable}", 0),
    ("actionplan cancel {cancellable}", 0),
    ("action update {action} --state SKIPPED --reason compat", 0),
    ("action update {action}", 1),
]


def test_every_write_does_the_same(twins, watcher, watcherclient_bin):
    theirs_objects, our_objects = twins
    outcomes = [
        (command, side_by_side(command, theirs_objects, our_objects,
                               watcher, watcherclient_bin, OWN | MOVING)[
            0].returncode)
        for command, _ in WRITES]
    assert outcomes == WRITES


def test_a_delete_of_several_deletes_all_that_exist(twins, watcher,
                                                    watcherclient_bin):
    """python-watcherclient stops at the first that fails; ours deletes
    the others all the same, and says how many failed."""
    names = []
    for _ in range(2):
        template = watcher.call("POST", "/v1/audit_templates", json={
            "name": f"compat-{uuid.uuid4().hex[:8]}", "goal": "dummy"})
        names.append(template["name"])
    ours = run("watcher-ext", "audittemplate", "delete", "no-such-template",
               *names)
    assert ours.returncode == 1
    assert ours.stdout == ""
    assert ours.stderr.splitlines()[1:] == [
        *(f"Deleted audit template {name}" for name in names),
        "1 of 3 audit templates failed to delete"]
