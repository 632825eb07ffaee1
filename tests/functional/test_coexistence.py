"""Living beside python-watcherclient: both installed in one venv.

``WATCHERCLIENT_VENV`` names a venv holding this package and
python-watcherclient (``make test`` builds it).
"""

import os
import pathlib

import pytest

from tests.functional.conftest import run
from tests.functional.conftest import version_text
from tests.functional.test_foundation import OUR_COMMANDS
from tests.functional.test_foundation import optimize_help

UNKNOWN_PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"


@pytest.fixture(scope="module")
def both_bin():
    venv = os.environ.get("WATCHERCLIENT_VENV")
    if not venv:
        pytest.fail("WATCHERCLIENT_VENV is not set: run the tests with "
                    "`make test`, which builds that venv")
    bin_dir = pathlib.Path(venv) / "bin"
    assert (bin_dir / "watcher").exists(), "python-watcherclient missing"
    return bin_dir


def openstack(bin_dir, *args):
    return run("openstack", *args, bin_dir=bin_dir)


def test_every_openstack_command_still_parses(both_bin):
    result = openstack(both_bin, "--os-infra-optim-api-version", "1.4",
                       "command", "list", "-f", "json")
    assert result.returncode == 0, result
    assert result.stderr == ""
    groups = {group["Command Group"] for group in result.json()}
    assert {"openstack.infra_optim.v1", "openstack.extension",
            "openstack.compute.v2"} <= groups


def test_optimize_help_lists_both_packages_commands(both_bin):
    listed = optimize_help(both_bin)
    assert OUR_COMMANDS <= listed
    assert {"optimize goal list", "optimize actionplan list"} <= listed


@pytest.mark.parametrize("command", sorted(OUR_COMMANDS))
def test_our_classes_run_for_our_names(both_bin, command):
    result = openstack(both_bin, *command.split(), "--help")
    assert result.returncode == 0, result
    assert ("This command is provided by the python-watcherclient-ext "
            "plugin." in " ".join(result.stdout.split()))


def test_our_cancel_runs_with_watcherclient_present(both_bin, watcher):
    plan = watcher.recommended_plan([60, 61])
    first = openstack(both_bin, "optimize", "actionplan", "cancel",
                      plan["uuid"], "-f", "value", "-c", "State After")
    again = openstack(both_bin, "optimize", "actionplan", "cancel",
                      plan["uuid"], "-f", "value", "-c", "State After")
    # python-watcherclient's cancel fails on an already cancelled plan;
    # ours succeeds and says so.
    assert (first.returncode, again.returncode) == (0, 0), (first, again)
    assert again.stdout.strip() == "CANCELLED"
    assert "already CANCELLED" in again.stderr


def test_watcherclient_commands_keep_working(both_bin, watcher):
    result = openstack(both_bin, *watcher.watcherclient_pin(), "optimize",
                       "goal", "list", "-f", "json")
    assert result.returncode == 0, result
    assert "dummy" in {goal["Name"] for goal in result.json()}


def test_pinned_version_reaches_our_session(both_bin, watcher):
    result = openstack(both_bin, "--os-infra-optim-api-version", "1.99",
                       "optimize", "actionplan", "show", UNKNOWN_PLAN)
    assert result.returncode == 1
    assert "API version 1.99 is not supported" in result.stderr


def test_watcherclient_default_does_not_pin_us(both_bin, watcher):
    # python-watcherclient's default (its newest microversion) is not a
    # user's choice: we still negotiate, and --debug shows what was sent.
    result = openstack(both_bin, "--debug", "optimize", "actionplan",
                       "show", UNKNOWN_PLAN)
    assert result.returncode == 1
    assert (f"OpenStack-API-Version: infra-optim "
            f"{version_text(watcher.api_version)}") in result.stderr


def test_our_delete_runs_with_watcherclient_present(both_bin, watcher):
    template = watcher.call("POST", "/v1/audit_templates", json={
        "name": f"coexist-{UNKNOWN_PLAN[:8]}-{id(both_bin)}",
        "goal": "dummy"})
    result = openstack(both_bin, "optimize", "audittemplate", "delete",
                       "no-such-template", template["name"])
    # python-watcherclient's delete stops at the first that fails; ours
    # deletes the others and counts the failures.
    assert result.returncode == 1, result
    assert result.stderr.splitlines()[1:] == [
        f"Deleted audit template {template['name']}",
        "1 of 2 audit templates failed to delete"]


def test_our_list_runs_with_watcherclient_present(both_bin):
    ours = run("watcher-ext", "audit", "list", "--detail", "-f", "json")
    through_openstack = openstack(both_bin, "optimize", "audit", "list",
                                  "--detail", "-f", "json")
    assert through_openstack.returncode == 0, through_openstack
    assert through_openstack.json() == ours.json()
