"""Watcher's default policy: what a member may not do, and the admin may.

Watcher 17.0.0's default policy wants the admin role for every API, and
the admin or service role for ``webhook:trigger``.
"""

import secrets
import uuid

import pytest
from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exc

from tests.functional.keystone.conftest import MEMBER_CLOUD
from tests.functional.test_foundation import assert_one_line_error

AS_MEMBER = ["--os-cloud", MEMBER_CLOUD]


def refused(permission):
    """The one-line error of a 403 that names the missing permission."""
    return (rf"Policy doesn't allow {permission} to be performed.*"
            rf"HTTP 403")


@pytest.fixture(scope="module")
def service_role_env(sandbox, watcher):
    """``OS_*`` of a user whose only role is service, as Aodh's is."""
    identity = adapter.Adapter(watcher.adapter.session,
                               service_type="identity", interface="public")

    def one(kind, name):
        return identity.get(f"/{kind}", params={"name": name}).json()[
            kind][0]["id"]

    project, role = one("projects", "service"), one("roles", "service")
    name, password = f"alarms-{uuid.uuid4().hex[:8]}", secrets.token_hex(8)
    user = identity.post("/users", json={"user": {
        "name": name, "password": password, "domain_id": "default",
        "default_project_id": project}}).json()["user"]["id"]
    identity.put(f"/projects/{project}/users/{user}/roles/{role}")
    yield sandbox.os_variables(OS_USERNAME=name, OS_PASSWORD=password,
                               OS_PROJECT_NAME="service", OS_CLOUD=None,
                               OS_CLIENT_CONFIG_FILE=None)
    identity.delete(f"/users/{user}")


def test_audit_create_wants_admin(cli, watcher):
    name = f"policy-{uuid.uuid4().hex[:8]}"
    args = ("audit", "create", "-g", "dummy", "-s", "dummy", "--name", name,
            "-f", "json")

    assert_one_line_error(cli(*args, options=AS_MEMBER),
                          refused("audit:create"))
    with pytest.raises(ks_exc.NotFound):
        watcher.audit(name)

    admin = cli(*args)
    assert admin.returncode == 0, admin
    assert watcher.audit(name)["uuid"] == admin.json()["UUID"]


def test_actionplan_cancel_wants_admin(cli, watcher):
    plan = watcher.recommended_plan()["uuid"]

    assert_one_line_error(cli("actionplan", "cancel", plan,
                              options=AS_MEMBER),
                          refused(r"action_plan:\w+"))
    assert watcher.plan(plan)["state"] == "RECOMMENDED"

    admin = cli("actionplan", "cancel", plan)
    assert admin.returncode == 0, admin
    assert watcher.plan(plan)["state"] == "CANCELLED"


def event_audit(watcher):
    return watcher.create_audit(audit_type="EVENT", goal="dummy",
                                strategy="dummy")["uuid"]


def test_webhook_trigger_refused_to_a_member(cli, watcher):
    audit = event_audit(watcher)
    assert_one_line_error(cli("webhook", "trigger", audit,
                              options=AS_MEMBER),
                          refused("webhook:trigger"))
    assert watcher.audit(audit)["state"] == "PENDING"
    assert watcher.plans_of(audit) == []


@pytest.mark.parametrize("who", ["admin", "service role"])
def test_webhook_trigger_by_admin_or_service_role(cli, watcher,
                                                  service_role_env, who):
    audit = event_audit(watcher)
    result = cli("webhook", "trigger", audit,
                 env=service_role_env if who == "service role" else None)
    assert result.returncode == 0, result
    watcher.wait(lambda: watcher.plans_of(audit), bool,
                 what=f"a plan of audit {audit}")
