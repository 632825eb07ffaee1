"""keystone mode: a real Keystone beside Watcher, whose API checks every
token and applies Watcher's default policy.

keystone-manage bootstrap makes the admin user, project and role, and the
roles member, reader and service; the sandbox adds the member and
Watcher's own user, and Watcher's endpoints in the catalog.
"""

import contextlib
import grp
import json
import os
import pwd
import shutil
from pathlib import Path

from sandbox_lib import probes
from sandbox_lib import releases
from sandbox_lib.auth import AuthMode
from sandbox_lib.auth import WatcherAuth
from sandbox_lib.keystone_identity import ADMIN
from sandbox_lib.keystone_identity import CLOUD
from sandbox_lib.keystone_identity import CLOUDS
from sandbox_lib.keystone_identity import DOMAIN
from sandbox_lib.keystone_identity import MEMBER
from sandbox_lib.keystone_identity import REGION
from sandbox_lib.keystone_identity import SERVICE_TYPE
from sandbox_lib.keystone_identity import SERVICE_USER
from sandbox_lib.keystone_identity import Identity
from sandbox_lib.procs import run_all_logged
from sandbox_lib.procs import run_logged
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say
from sandbox_lib.service import Service
from sandbox_lib.service import describe
from sandbox_lib.settings import TOOLS
from sandbox_lib.settings import env_boolean
from sandbox_lib.settings import env_port
from sandbox_lib.settings import env_venv
from sandbox_lib.settings import write_private

NAME = "keystone"
VERSION = "30.0.0"
LAUNCHER = TOOLS / "keystone_sandbox_server.py"
TIMEOUT = 60


class KeystoneAuth(AuthMode):
    """Clients get tokens from the sandbox's Keystone."""

    name = "keystone"
    components = (NAME,)
    exported = ("OS_CLIENT_CONFIG_FILE", "OS_CLOUD")

    def __init__(self, context):
        super().__init__(context)
        self.identity = Identity(self.settings, self.layout)
        self._admin_token = None

    @classmethod
    def settings_from_env(cls):
        return dict(
            keystone_port=env_port("WATCHER_SANDBOX_KEYSTONE_PORT", 5000),
            keystone_venv=env_venv("WATCHER_SANDBOX_KEYSTONE_VENV",
                                   ".sandbox-keystone-venv"),
            webhooks_auth=env_boolean("WATCHER_SANDBOX_WEBHOOKS_AUTH", True))

    def services(self):
        return [Keystone(self.context, self.identity)]

    def configure(self, running):
        """keystone.conf and clouds.yaml, from nothing if the database was
        made for other ports or left half made."""
        identity = self.identity
        if NAME not in running and not identity.is_current():
            shutil.rmtree(identity.dir, ignore_errors=True)
        passwords = identity.passwords(make=True)
        identity.conf.write_text(f"""\
# Written by tools/sandbox on every `up`.
[database]
connection = sqlite:///{identity.db}

[fernet_tokens]
key_repository = {identity.dir / "fernet-keys"}

[fernet_receipts]
key_repository = {identity.dir / "fernet-keys"}

[credential]
key_repository = {identity.dir / "credential-keys"}

[identity]
# The fewest bcrypt rounds: a token in 0.1 s instead of 0.4 s.
password_hash_rounds = 4
""")
        write_private(identity.clouds, _yaml({"clouds": {
            name: {
                "auth": {
                    "auth_url": identity.url,
                    "username": account.user,
                    "password": passwords[account.user],
                    "project_name": account.project,
                    "user_domain_name": DOMAIN,
                    "project_domain_name": DOMAIN,
                },
                "region_name": REGION,
                "interface": "public",
                "identity_api_version": 3,
            } for name, account in CLOUDS.items()}}))
        # Watcher's default policy: oslo.policy would find the open file
        # that a noauth run left beside watcher.conf.
        self.layout.policy.unlink(missing_ok=True)

    def watcher_config(self):
        s, identity = self.settings, self.identity
        authtoken = {
            "www_authenticate_uri": identity.url,
            "auth_url": identity.url,
            "auth_type": "password",
            "username": SERVICE_USER.user,
            "password": identity.passwords()[SERVICE_USER.user],
            "project_name": SERVICE_USER.project,
            "user_domain_name": DOMAIN,
            "project_domain_name": DOMAIN,
        }
        if not s.webhooks_auth and s.release.needs(
                releases.WEBHOOKS_AUTH_READ_EARLY):
            # The webhook route is never public: let requests without a
            # valid token reach Watcher, whose policy refuses them
            # everywhere but there (403 rather than 401).
            authtoken["delay_auth_decision"] = "true"
        return WatcherAuth(
            "enable_authentication = true",
            f"enable_webhooks_auth = {str(s.webhooks_auth).lower()}\n",
            "[keystone_authtoken]\n" + "".join(
                f"{key} = {value}\n" for key, value in authtoken.items()))

    def exports(self):
        return (("OS_CLIENT_CONFIG_FILE", str(self.identity.clouds)),
                ("OS_CLOUD", CLOUD))

    def probe_headers(self):
        """The admin's token, fetched once per command."""
        if self._admin_token is None:
            with contextlib.suppress(SandboxError):
                self._admin_token = self.identity.token(ADMIN)
        return {"X-Auth-Token": self._admin_token} if self._admin_token else {}

    def describe(self):
        return f"Keystone {self.identity.url}, clouds {self.identity.clouds}"


class Keystone(Service):
    name = NAME
    components = (NAME,)
    stop_timeout = 5

    def __init__(self, context, identity):
        super().__init__(context)
        self.identity = identity

    def ports(self, running):
        if NAME in running:
            return []
        return [(self.settings.keystone_port, "Keystone", "KEYSTONE")]

    def install(self, installer, running):
        if NAME not in running:
            installer.venv(self.settings.keystone_venv, "keystone", VERSION,
                           "about 1 minute")

    def start(self, running, started):
        if NAME in running:
            return
        if not self.identity.db.exists():
            self._bootstrap()
        pid = self.spawn(
            NAME, [Path(self.settings.keystone_venv) / "bin/python",
                   LAUNCHER, self.settings.keystone_port], started,
            env=dict(os.environ,
                     OS_KEYSTONE_CONFIG_FILES=str(self.identity.conf)))
        say(f"keystone: starting on {self.identity.url} (pid {pid})")

    def await_ready(self, started):
        if NAME not in started:
            return
        self.wait(NAME, self.identity.answers, TIMEOUT)
        if not self.identity.is_current():
            self._provision()
        say("keystone: ready")

    def _bootstrap(self):
        """A fresh Keystone database with the admin, roles and identity."""
        identity = self.identity
        manage = [str(Path(self.settings.keystone_venv)
                      / "bin/keystone-manage"),
                  "--config-file", str(identity.conf)]
        owner = ["--keystone-user", pwd.getpwuid(os.getuid()).pw_name,
                 "--keystone-group", grp.getgrgid(os.getgid()).gr_name]
        log = self.layout.log("keystone-manage")
        # Independent steps of some seconds each, mostly imports: together.
        run_all_logged([manage + ["db_sync"],
                        manage + ["fernet_setup"] + owner,
                        manage + ["credential_setup"] + owner], log)
        run_logged(manage + [
            "bootstrap", "--bootstrap-username", ADMIN.user,
            "--bootstrap-project-name", ADMIN.project,
            "--bootstrap-role-name", ADMIN.role,
            "--bootstrap-region-id", REGION,
            "--bootstrap-public-url", identity.url + "/",
            "--bootstrap-internal-url", identity.url + "/"], log,
            # Not on the command line, which anyone may read.
            env=dict(os.environ,
                     OS_BOOTSTRAP_PASSWORD=identity.passwords()[ADMIN.user]))
        say(f"keystone: database made in {identity.db}")

    def _provision(self):
        """Watcher's user, service and endpoints, and the member user."""
        identity = self.identity
        url = identity.url
        passwords = identity.passwords()

        def create(kind, **fields):
            _, body = probes.call_json("POST", f"{url}/{kind}s",
                                       {kind: fields}, token)
            return body[kind]["id"]

        try:
            token = identity.token(ADMIN)
            _, body = probes.call_json("GET", f"{url}/roles", token=token)
            roles = {role["name"]: role["id"] for role in body["roles"]}
            for account in (MEMBER, SERVICE_USER):
                project = create("project", name=account.project,
                                 domain_id="default")
                user = create("user", name=account.user, domain_id="default",
                              password=passwords[account.user],
                              default_project_id=project)
                probes.call_json(
                    "PUT", f"{url}/projects/{project}/users/{user}/roles/"
                           f"{roles[account.role]}", token=token)
            service = create("service", type=SERVICE_TYPE, name="watcher",
                             description="Infrastructure optimization")
            for interface, endpoint in identity.watcher_endpoints().items():
                create("endpoint", service_id=service, interface=interface,
                       region_id=REGION, url=endpoint)
        except SandboxError as exc:
            raise SandboxError(f"keystone: provisioning failed: {exc}",
                               log=self.layout.log(NAME)) from None
        identity.mark_provisioned()
        say(f"keystone: users {ADMIN.user}, {MEMBER.user}, "
            f"{SERVICE_USER.user}; {SERVICE_TYPE} endpoints "
            f"{', '.join(identity.watcher_endpoints())} in {REGION}")

    def is_up(self, running):
        return NAME in running and self.identity.answers()

    def status(self, running):
        pid = running.get(NAME)
        answers = pid and self.identity.answers()
        return [(NAME, bool(answers), describe(pid, answers,
                                               self.identity.url))]


def _yaml(value, indent=0):
    """YAML for nested dicts of strings and numbers, scalars as JSON."""
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{' ' * indent}{key}:\n{_yaml(item, indent + 2)}")
        else:
            lines.append(f"{' ' * indent}{key}: {json.dumps(item)}\n")
    return "".join(lines)
