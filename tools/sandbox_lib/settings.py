"""The sandbox's settings (ports, venvs, release, auth mode) from the
environment, and the files of its state directory."""

import json
import os
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import fields
from pathlib import Path

from sandbox_lib import releases
from sandbox_lib.report import SandboxError

TOOLS = Path(__file__).resolve().parent.parent
REPO = TOOLS.parent
#: Settings that may differ from a running sandbox's: what runs keeps its
#: own venvs.
_KEPT_WHILE_RUNNING = ("venv", "keystone_venv")


@dataclass(frozen=True)
class Settings:
    auth: str
    venv: str
    api_port: int
    amqp_port: int
    dist_port: int
    epmd_port: int
    # keystone mode only; None in noauth mode
    keystone_port: int = None
    keystone_venv: str = None
    webhooks_auth: bool = None
    watcher_version: str = releases.DEFAULT_VERSION

    @classmethod
    def from_env(cls, mode):
        """The settings for an auth mode class, which reads its own."""
        release = releases.Release.named(
            os.environ.get("WATCHER_SANDBOX_WATCHER_VERSION")
            or releases.DEFAULT_VERSION)
        settings = cls(
            auth=mode.name,
            watcher_version=release.version,
            venv=env_venv("WATCHER_SANDBOX_VENV", release.venv_name),
            api_port=env_port("WATCHER_SANDBOX_API_PORT", 9322),
            amqp_port=env_port("WATCHER_SANDBOX_AMQP_PORT", 5672),
            dist_port=env_port("WATCHER_SANDBOX_DIST_PORT", 25672),
            epmd_port=env_port("WATCHER_SANDBOX_EPMD_PORT", 4369),
            **mode.settings_from_env(),
        )
        ports = settings.ports()
        if len(set(ports.values())) != len(ports):
            raise SandboxError(f"the sandbox ports must differ: "
                               f"{', '.join(ports)} = {list(ports.values())}")
        return settings

    @classmethod
    def read(cls, path):
        """The settings recorded in a file; ValueError if there are none."""
        try:
            return cls(**json.loads(Path(path).read_text()))
        except (OSError, TypeError) as exc:
            raise ValueError(f"no settings in {path}: {exc}") from None

    def write(self, path):
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    def ports(self):
        """{name: port} of the ports this mode uses."""
        return {f.name[:-len("_port")]: getattr(self, f.name)
                for f in fields(self)
                if f.name.endswith("_port") and getattr(self, f.name)}

    def differences(self, requested):
        """The settings that differ from ``requested``, as text, but the
        venvs."""
        a, b = asdict(self), asdict(requested)
        return ", ".join(f"{k} {a[k]} (asked {b[k]})" for k in a
                         if a[k] != b[k] and k not in _KEPT_WHILE_RUNNING)

    @property
    def release(self):
        return releases.Release.named(self.watcher_version)

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def transport_url(self):
        return f"rabbit://guest:guest@127.0.0.1:{self.amqp_port}/"


class Layout:
    """Where the state directory keeps what."""

    def __init__(self, state_dir):
        self.dir = Path(state_dir)
        self.conf = self.dir / "watcher.conf"
        self.policy = self.dir / "policy.yaml"
        self.log_dir = self.dir / "log"
        self.run_dir = self.dir / "run"
        self.lock_dir = self.dir / "lock"
        self.record = self.dir / "settings.json"

    @classmethod
    def from_env(cls):
        return cls(Path(os.environ.get("WATCHER_SANDBOX_DIR")
                        or REPO / ".sandbox").absolute())

    def log(self, name):
        return self.log_dir / f"{name}.log"

    def database(self, release):
        """The database of a release."""
        return self.dir / release.database_name


def env_venv(variable, default_name):
    return str(Path(os.environ.get(variable) or REPO / default_name)
               .absolute())


def env_boolean(variable, default):
    raw = os.environ.get(variable) or str(default)
    if raw.lower() not in ("true", "false"):
        raise SandboxError(f"{variable}={raw!r}: use true or false")
    return raw.lower() == "true"


def env_port(variable, default):
    raw = os.environ.get(variable) or str(default)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SandboxError(f"{variable}={raw!r} is not a TCP port number")
    return int(raw)


def write_private(path, text):
    """Write a file only its owner may read: it may hold passwords."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "w") as f:
        f.write(text)
