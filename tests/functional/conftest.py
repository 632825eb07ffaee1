"""Functional tests: the real entry points against the real sandbox.

The sandbox (``tools/sandbox up``) must be running; its address comes from
``tools/sandbox env``, so tests follow the ports it was started with.
"""

import json
import os
import pathlib
import shlex
import subprocess
import sys
import time

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent


def sandbox(*args):
    """Run tools/sandbox on the sandbox these tests use; its output."""
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "sandbox"), *args],
        check=True, capture_output=True, text=True, timeout=240).stdout


def sandbox_env():
    env = {}
    for line in sandbox("env").splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = shlex.split(value)[0] if value else ""
    return env


SANDBOX = sandbox_env()
ENDPOINT = SANDBOX["OS_ENDPOINT"]


class Result:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self):
        return (f"<rc={self.returncode} stdout={self.stdout!r} "
                f"stderr={self.stderr!r}>")


def run(program, *args, env=None, timeout=180, bin_dir=BIN):
    """Run ``watcher-ext`` or ``openstack`` against the sandbox."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("OS_")}
    full_env.update(SANDBOX)
    full_env.update(env or {})
    completed = subprocess.run(
        [str(bin_dir / program), *args], capture_output=True, text=True,
        env=full_env, timeout=timeout, stdin=subprocess.DEVNULL)
    return Result(completed)


@pytest.fixture(params=["watcher-ext", "openstack"])
def cli(request):
    """Run a command through both entry points: ``cli("actionplan", ...)``."""
    if request.param == "openstack":
        return lambda *args, **kw: run("openstack", "optimize", *args, **kw)
    return lambda *args, **kw: run("watcher-ext", *args, **kw)


class Watcher:
    """Direct REST access to set up and check state on the server."""

    HEADERS = {"OpenStack-API-Version": "infra-optim 1.7"}

    def __init__(self, endpoint):
        self.endpoint = endpoint

    def call(self, method, path, **kwargs):
        response = requests.request(method, self.endpoint + path,
                                    headers=self.HEADERS, timeout=30,
                                    **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def plan(self, uuid):
        return self.call("GET", f"/v1/action_plans/{uuid}")

    def plans_of(self, audit):
        return self.call("GET", "/v1/action_plans",
                         params={"audit_uuid": audit})["action_plans"]

    def actions_of(self, plan):
        return self.call("GET", "/v1/actions",
                         params={"action_plan_uuid": plan})["actions"]

    def audit(self, ident):
        return self.call("GET", f"/v1/audits/{ident}")

    def create_audit(self, **fields):
        fields.setdefault("audit_type", "ONESHOT")
        fields.setdefault("force", True)  # plans of other tests may run
        return self.call("POST", "/v1/audits", json=fields)

    def cancel_audit(self, ident):
        return self.call("PATCH", f"/v1/audits/{ident}", json=[
            {"op": "replace", "path": "/state", "value": "CANCELLED"}])

    def wait(self, fetch, done, timeout=60, what="a state"):
        deadline = time.monotonic() + timeout
        while True:
            value = fetch()
            if done(value):
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {value}")
            time.sleep(0.2)

    def recommended_plan(self, sleeps=None):
        """A RECOMMENDED plan: dummy, or actuator sleeps of these lengths."""
        if sleeps is None:
            audit = self.create_audit(goal="dummy", strategy="dummy")
        else:
            audit = self.create_audit(
                goal="unclassified", strategy="actuator",
                parameters={"actions": [
                    {"action_type": "sleep",
                     "input_parameters": {"duration": seconds}}
                    for seconds in sleeps]})
        plans = self.wait(lambda: self.plans_of(audit["uuid"]), bool,
                          what=f"a plan of audit {audit['uuid']}")
        return self.wait(lambda: self.plan(plans[0]["uuid"]),
                         lambda p: p["state"] == "RECOMMENDED",
                         what="RECOMMENDED")

    def start(self, uuid):
        return self.call("PATCH", f"/v1/action_plans/{uuid}", json=[
            {"op": "replace", "path": "/state", "value": "PENDING"}])

    def ongoing_plan(self, sleeps):
        plan = self.recommended_plan(sleeps)
        self.start(plan["uuid"])
        return self.wait(lambda: self.plan(plan["uuid"]),
                         lambda p: p["state"] == "ONGOING", what="ONGOING")

    def wait_for_end(self, uuid, timeout=120):
        return self.wait(
            lambda: self.plan(uuid),
            lambda p: p["state"] in ("CANCELLED", "SUCCEEDED", "FAILED"),
            timeout=timeout, what="the plan's end")


@pytest.fixture(scope="session")
def watcher():
    try:
        requests.get(ENDPOINT + "/", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        pytest.fail(f"The sandbox does not answer at {ENDPOINT} ({exc}); "
                    "run tools/sandbox up")
    return Watcher(ENDPOINT)
