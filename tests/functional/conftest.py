"""Functional tests: the real entry points against the real sandbox.

The sandbox (``tools/sandbox up``) must be running; its address comes from
``tools/sandbox env``, so tests follow the ports it was started with.

The sandbox may run any maintained Watcher release
(``WATCHER_SANDBOX_WATCHER_VERSION``).  A test of a feature that came with a
microversion says so, ``@pytest.mark.microversion("1.5")``, and one that
needs a server behaviour some releases lack names it,
``@pytest.mark.server_behaviour("cancel-ongoing")``; either is
skipped, with its reason, on a server without it.  Tests marked ``smoke``
are the few that ``make test`` also runs on the oldest release.
"""

import functools
import json
import os
import pathlib
import shlex
import signal
import subprocess
import sys
import time

import pytest
import requests
from sandbox_lib import releases

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent

# A run started in the background (`setsid ... &`) inherits SIGINT
# ignored, and so would every command a test starts, where the Ctrl-C
# tests need it delivered: a handler, unlike "ignored", is not inherited
# across exec, so the commands start with SIGINT at its default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


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


def sandbox_release():
    """The release of the table that the sandbox runs."""
    state = pathlib.Path(os.environ.get("WATCHER_SANDBOX_DIR")
                         or REPO / ".sandbox")
    try:
        settings = json.loads((state / "settings.json").read_text())
    except (OSError, ValueError):
        settings = {}
    return releases.Release.named(settings.get("watcher_version")
                                  or releases.DEFAULT_VERSION)


SANDBOX = sandbox_env()
ENDPOINT = SANDBOX["OS_ENDPOINT"]
RELEASE = sandbox_release()
#: The newest microversion these tests know: the release table's.
NEWEST_API_VERSION = releases.NEWEST_API_VERSION
#: The newest microversion of python-watcherclient (WATCHERCLIENT_VENV).
WATCHERCLIENT_NEWEST_API_VERSION = (1, 5)


def version_text(version):
    return "%d.%d" % version


def _version(text):
    major, minor = text.split(".")
    return int(major), int(minor)


@functools.cache
def server_api_range(endpoint=ENDPOINT):
    """(oldest, newest) microversion of the sandbox's Watcher, from GET /."""
    try:
        response = requests.get(endpoint + "/", timeout=5)
        response.raise_for_status()
    except requests.RequestException as exc:
        pytest.fail(f"The sandbox does not answer at {endpoint} ({exc}); "
                    "run tools/sandbox up")
    v1 = response.json()["default_version"]
    return _version(v1["min_version"]), _version(v1["max_version"])


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "microversion(X.Y): needs Watcher API X.Y or newer; "
        "skipped on an older server")
    config.addinivalue_line(
        "markers", "server_behaviour(name): needs a behaviour of the "
        "release table (sandbox_lib.releases.BEHAVIOURS); skipped on a "
        "release without it")
    config.addinivalue_line(
        "markers", "smoke: also run on the oldest maintained release")


def pytest_runtest_setup(item):
    for marker in item.iter_markers("microversion"):
        needed = _version(marker.args[0])
        newest = server_api_range()[1]
        if newest < needed:
            pytest.skip(f"needs Watcher API {marker.args[0]}; the server's "
                        f"newest is {version_text(newest)}")
    for marker in item.iter_markers("server_behaviour"):
        if not RELEASE.has(marker.args[0]):
            pytest.skip(releases.BEHAVIOURS[marker.args[0]])


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
    """Direct REST access to set up and check state on the server, at the
    newest microversion both it and these tests know."""

    def __init__(self, endpoint, api_range=((1, 0), NEWEST_API_VERSION)):
        self.endpoint = endpoint
        self.api_range = api_range
        self.api_version = min(api_range[1], NEWEST_API_VERSION)
        self.HEADERS = {"OpenStack-API-Version":
                        f"infra-optim {version_text(self.api_version)}"}

    @functools.cached_property
    def sends_request_ids(self):
        """Whether the server names its requests (Watcher 16.0 on)."""
        response = requests.get(self.endpoint + "/", timeout=30)
        return "X-Openstack-Request-Id" in response.headers

    def watcherclient_pin(self):
        """python-watcherclient's options for this server: it asks for its
        own newest microversion, which an older server refuses."""
        if self.api_range[1] < WATCHERCLIENT_NEWEST_API_VERSION:
            return ["--os-infra-optim-api-version",
                    version_text(self.api_range[1])]
        return []

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
        """A plan the applier runs, one of its actions under way: the plan
        is ONGOING a moment before its first action starts, and a cancel
        then would stop every action before it ran."""
        plan = self.recommended_plan(sleeps)
        self.start(plan["uuid"])
        self.wait(lambda: self.call("GET", "/v1/actions", params={
                      "action_plan_uuid": plan["uuid"]})["actions"],
                  lambda actions: any(action["state"] == "ONGOING"
                                      for action in actions),
                  what="an ONGOING action")
        return self.plan(plan["uuid"])

    def wait_for_end(self, uuid, timeout=120):
        return self.wait(
            lambda: self.plan(uuid),
            lambda p: p["state"] in ("CANCELLED", "SUCCEEDED", "FAILED"),
            timeout=timeout, what="the plan's end")


@pytest.fixture(scope="session")
def watcher():
    return Watcher(ENDPOINT, server_api_range())
