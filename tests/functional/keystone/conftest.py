"""Functional tests through a real Keystone: the sandbox's keystone mode.

That sandbox runs beside the noauth one, in its own directory and on its
own ports: ``WATCHER_SANDBOX_KEYSTONE_DIR`` names its directory (default
``<repo>/.sandbox-keystone``).  Its ``tools/sandbox env`` gives clients
their clouds.yaml; the tests also read Keystone's request log, the
sandbox's settings and its watcher.conf from that directory.
"""

import json
import os
import pathlib
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
import yaml
from keystoneauth1 import adapter
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from tests.functional.conftest import BIN
from tests.functional.conftest import REPO
from tests.functional.conftest import Result
from tests.functional.conftest import Watcher

SANDBOX = REPO / "tools" / "sandbox"
SANDBOX_DIR = pathlib.Path(
    os.environ.get("WATCHER_SANDBOX_KEYSTONE_DIR")
    or REPO / ".sandbox-keystone").absolute()
CLOUD, MEMBER_CLOUD = "watcher-sandbox", "watcher-sandbox-member"
#: What Keystone logs for each token it is asked for.
TOKEN_REQUEST = '"POST /v3/auth/tokens '
FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_=-]{40,}")


def _sandbox(command):
    """``tools/sandbox COMMAND`` on the keystone sandbox's directory."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WATCHER_SANDBOX_", "OS_"))}
    env.update(WATCHER_SANDBOX_DIR=str(SANDBOX_DIR),
               WATCHER_SANDBOX_AUTH="keystone")
    return subprocess.run([sys.executable, str(SANDBOX), command], env=env,
                          capture_output=True, text=True, timeout=60)


class KeystoneSandbox:
    """The running keystone-mode sandbox, as clients and tests see it."""

    def __init__(self, env):
        self.env = env
        self.clouds = yaml.safe_load(
            pathlib.Path(env["OS_CLIENT_CONFIG_FILE"]).read_text())["clouds"]
        self.dir = SANDBOX_DIR
        self.keystone_log = SANDBOX_DIR / "log" / "keystone.log"
        self.settings = json.loads((SANDBOX_DIR / "settings.json").read_text())

    def auth(self, cloud=CLOUD):
        """The ``auth`` section of a cloud in clouds.yaml."""
        return self.clouds[cloud]["auth"]

    def os_variables(self, cloud=CLOUD, **changes):
        """The ``OS_*`` variables equivalent to a cloud, with changes."""
        auth = self.auth(cloud)
        variables = {f"OS_{key.upper()}": str(value)
                     for key, value in auth.items()}
        variables.update(OS_REGION_NAME=self.clouds[cloud]["region_name"],
                         OS_IDENTITY_API_VERSION="3")
        variables.update(changes)
        return variables

    def session(self, cloud=CLOUD):
        return ks_session.Session(auth=v3.Password(**self.auth(cloud)))

    def token_requests(self):
        """How many tokens Keystone has been asked for so far."""
        with open(self.keystone_log, errors="replace") as log:
            return sum(TOKEN_REQUEST in line for line in log)


@pytest.fixture(scope="session")
def sandbox():
    status = _sandbox("status")
    if status.returncode != 0:
        pytest.fail(
            f"No keystone-mode sandbox runs in {SANDBOX_DIR} "
            f"(tools/sandbox status: {status.stdout}{status.stderr}); start "
            f"one: WATCHER_SANDBOX_DIR={SANDBOX_DIR} tools/sandbox --auth "
            f"keystone up, with WATCHER_SANDBOX_*_PORT free of the noauth "
            f"sandbox's, or set WATCHER_SANDBOX_KEYSTONE_DIR", pytrace=False)
    env = {}
    for line in _sandbox("env").stdout.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = shlex.split(value)[0]
    if "OS_CLIENT_CONFIG_FILE" not in env:
        pytest.fail(f"The sandbox in {SANDBOX_DIR} runs without Keystone; "
                    f"restart it with --auth keystone", pytrace=False)
    return KeystoneSandbox(env)


def run(sandbox, program, *args, env=None, timeout=180):
    """Run ``watcher-ext`` or ``openstack`` as a user of the sandbox would:
    its ``env`` exported, plus ``env`` (a value of None unsets)."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("OS_")}
    full_env.update(sandbox.env)
    full_env.update(env or {})
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return Result(subprocess.run(
        [str(BIN / program), *args], capture_output=True, text=True,
        env=full_env, timeout=timeout, stdin=subprocess.DEVNULL))


@pytest.fixture(params=["watcher-ext", "openstack"])
def cli(request, sandbox):
    """``cli(*args, options=(), env=None)`` runs one of our commands
    through one entry point; ``options`` go before the command name."""
    def command(*args, options=(), **kwargs):
        if request.param == "openstack":
            return run(sandbox, "openstack", *options, "optimize", *args,
                       **kwargs)
        return run(sandbox, "watcher-ext", *options, *args, **kwargs)
    command.program = request.param
    return command


#: Unsets the variables that `tools/sandbox env` exports for clients.
NO_CLOUD = {"OS_CLOUD": None, "OS_CLIENT_CONFIG_FILE": None}


class KeystoneWatcher(Watcher):
    """The REST helper of the noauth tests, with a Keystone session."""

    def __init__(self, session):
        self.adapter = adapter.Adapter(session, service_type="infra-optim",
                                       interface="public")
        super().__init__(self.adapter.get_endpoint())

    def call(self, method, path, **kwargs):
        response = self.adapter.request(
            self.endpoint + path, method, headers=self.HEADERS,
            raise_exc=True, **kwargs)
        return response.json() if response.content else None


@pytest.fixture(scope="session")
def watcher(sandbox):
    """Watcher as the sandbox's admin; its token is the session's."""
    return KeystoneWatcher(sandbox.session())


@pytest.fixture(scope="session")
def admin_token(watcher):
    return watcher.adapter.get_token()


@pytest.fixture(scope="session")
def plan(watcher):
    """A RECOMMENDED plan for commands that only read."""
    return watcher.recommended_plan()["uuid"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def open_webhooks_api(sandbox, tmp_path_factory):
    """The root URL of a second watcher-api on the sandbox's database and
    bus, configured as WATCHER_SANDBOX_WEBHOOKS_AUTH=false would."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("open-webhooks")
    override, log = workdir / "open-webhooks.conf", workdir / "api.log"
    # delay_auth_decision: see WATCHER_SANDBOX_WEBHOOKS_AUTH in
    # tools/sandbox; without it Watcher 17.0.0 still wants a token.
    override.write_text(f"[api]\nport = {port}\nenable_webhooks_auth = false"
                        f"\n[keystone_authtoken]\ndelay_auth_decision = true"
                        f"\n")
    api = pathlib.Path(sandbox.settings["venv"]) / "bin" / "watcher-api"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(api), "--config-file", str(sandbox.dir / "watcher.conf"),
             "--config-file", str(override)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
            env=dict(os.environ, OS_WATCHER_DISABLE_EVENTLET_PATCHING="0"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"watcher-api did not start: {log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _answers(url):
    try:
        return requests.get(url + "/", timeout=2).status_code == 200
    except requests.RequestException:
        return False
