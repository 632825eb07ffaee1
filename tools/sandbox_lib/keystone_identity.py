"""The sandbox Keystone's identities: its accounts and their passwords,
tokens, and the catalog it was provisioned with."""

import contextlib
import json
import secrets
from dataclasses import dataclass

from sandbox_lib import probes
from sandbox_lib.report import SandboxError
from sandbox_lib.settings import write_private

REGION = "RegionOne"
SERVICE_TYPE = "infra-optim"
DOMAIN = "Default"
CLOUD, MEMBER_CLOUD = "watcher-sandbox", "watcher-sandbox-member"


@dataclass(frozen=True)
class Account:
    user: str
    project: str
    role: str


ADMIN = Account("admin", "admin", "admin")
MEMBER = Account("member", "demo", "member")
# Watcher's own user: keystonemiddleware validates tokens as this user,
# which Keystone allows to the role service.
SERVICE_USER = Account("watcher", "service", "service")
CLOUDS = {CLOUD: ADMIN, MEMBER_CLOUD: MEMBER}


class Identity:
    """Keystone's state dir, its passwords, and tokens from it."""

    def __init__(self, settings, layout):
        self.settings = settings
        self.dir = layout.dir / "keystone"
        self.conf = self.dir / "keystone.conf"
        self.db = self.dir / "keystone.sqlite"
        self.passwords_file = self.dir / "passwords.json"
        # The URLs the catalog was made with: others, a new database.
        self.provisioned = self.dir / "provisioned.json"
        self.clouds = layout.dir / "clouds.yaml"
        self.url = f"http://127.0.0.1:{settings.keystone_port}/v3"

    def passwords(self, make=False):
        """A password per user, made (by `up`) once per Keystone database."""
        try:
            return json.loads(self.passwords_file.read_text())
        except (OSError, ValueError):
            if not make:
                raise SandboxError(f"no passwords in {self.passwords_file}: "
                                   f"run `up`") from None
        passwords = {account.user: secrets.token_urlsafe(18)
                     for account in (ADMIN, MEMBER, SERVICE_USER)}
        self.dir.mkdir(parents=True, exist_ok=True)
        write_private(self.passwords_file, json.dumps(passwords, indent=2))
        return passwords

    def token(self, account):
        """A token for a user, scoped to its project."""
        password = self.passwords()[account.user]
        headers, _ = probes.call_json("POST", self.url + "/auth/tokens", {
            "auth": {"identity": {
                "methods": ["password"],
                "password": {"user": {"name": account.user,
                                      "domain": {"name": DOMAIN},
                                      "password": password}}},
                "scope": {"project": {"name": account.project,
                                      "domain": {"name": DOMAIN}}}}})
        return headers["X-Subject-Token"]

    def answers(self):
        return probes.get_json(self.url)[0] == 200

    def watcher_endpoints(self):
        """Watcher in the catalog, by interface.  The internal one names
        the same API localhost, so that a client's choice shows in the URLs
        it calls."""
        return {"public": self.settings.api_url,
                "internal": f"http://localhost:{self.settings.api_port}"}

    def _provisioned_for(self):
        """What the database holds that depends on the settings."""
        return {"keystone_url": self.url,
                "watcher_endpoints": self.watcher_endpoints()}

    def is_current(self):
        with contextlib.suppress(OSError, ValueError):
            return (json.loads(self.provisioned.read_text())
                    == self._provisioned_for())
        return False

    def mark_provisioned(self):
        self.provisioned.write_text(json.dumps(self._provisioned_for()))
