"""The sandbox as a whole: its services in order, and what `up`, `down`,
`status`, `env` and `seed-history` do over them."""

import contextlib
import fcntl
import json
import shlex
import sys
import time
from dataclasses import dataclass

from sandbox_lib import auth
from sandbox_lib import epmd
from sandbox_lib import history
from sandbox_lib import keystone
from sandbox_lib import probes
from sandbox_lib import rabbitmq
from sandbox_lib import watcher
from sandbox_lib.install import Installer
from sandbox_lib.procs import Processes
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say
from sandbox_lib.settings import Layout
from sandbox_lib.settings import Settings

MODES = {mode.name: mode for mode in (auth.NoAuth, keystone.KeystoneAuth)}
DEFAULT_MODE = auth.NoAuth.name
#: Every component of every mode, in start order.
COMPONENTS = (epmd.NAME, rabbitmq.NAME,
              *(name for mode in MODES.values() for name in mode.components),
              *watcher.COMPONENTS)
EXIT_NOT_UP = 3


def mode_named(name):
    if name not in MODES:
        raise SandboxError(f"auth {name!r} is not available; choose from: "
                           f"{', '.join(MODES)}")
    return MODES[name]


@dataclass
class Context:
    """What every service and mode works with."""

    settings: Settings
    layout: Layout
    procs: Processes
    mode: auth.AuthMode = None


class Sandbox:
    def __init__(self, layout, auth_name):
        self.layout = layout
        self.dir = layout.dir
        self.procs = Processes(layout, COMPONENTS)
        self.requested = Settings.from_env(mode_named(auth_name))
        self._use(self._current_settings())

    def _current_settings(self):
        """While anything runs, the settings it was started with are the
        truth: `status`, `env` and `down` need no environment to match."""
        if self.procs.running():
            with contextlib.suppress(ValueError):
                return Settings.read(self.layout.record)
        return self.requested

    def _use(self, settings):
        self.settings = settings
        context = Context(settings, self.layout, self.procs)
        context.mode = self.mode = mode_named(settings.auth)(context)
        base = [epmd.Epmd(context), rabbitmq.RabbitMQ(context),
                *self.mode.services()]
        self.watcher = watcher.Watcher(context, [s.name for s in base])
        self.services = base + [self.watcher]

    @contextlib.contextmanager
    def locked(self):
        """One `up` or `down` at a time per state dir."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                say(f"waiting for another sandbox command on {self.dir}")
                fcntl.flock(lock, fcntl.LOCK_EX)
            self._use(self._current_settings())
            yield

    # --- up

    def up(self):
        running = self.procs.running()
        differences = self.settings.differences(self.requested)
        if running and differences:
            raise SandboxError(
                f"{self.dir} is running with other settings ({differences});"
                f" run `down` first to change them")
        if all(service.is_up(running) for service in self.services):
            say(f"already up: {self.settings.api_url}")
            return
        started = []
        try:
            self._start(running, started)
        except BaseException:
            if started:
                say("start-up failed; stopping what this run started")
                self.down(started)
            raise
        say(f'up: Watcher API {self.settings.api_url}, '
            f'{self.mode.describe()}; for clients: '
            f'eval "$({shlex.quote(sys.argv[0])} env)"')

    def _start(self, running, started):
        self.layout.log_dir.mkdir(parents=True, exist_ok=True)
        # Refuse before installing anything when a port is someone else's,
        # and again after: an installed broker may have started on its own.
        ports = [port for service in self.services
                 for port in service.ports(running)]
        self._check_ports(ports)
        installer = Installer(self.layout.log_dir)
        for service in self.services:
            service.install(installer, running)
        self._check_ports(ports)
        self.write_config(running)
        # Each service starts once those it needs are ready; meanwhile
        # the others get ready (Keystone while RabbitMQ boots).
        by_name = {service.name: service for service in self.services}
        ready = set()
        for service in self.services:
            for name in service.needs:
                if name not in ready:
                    by_name[name].await_ready(started)
                    ready.add(name)
            service.start(running, started)
        for service in self.services:
            if service.name not in ready:
                service.await_ready(started)
        if rabbitmq.NAME in started and not set(started) & set(
                watcher.COMPONENTS):
            self.watcher.await_queues(by_name[rabbitmq.NAME])

    def _check_ports(self, ports):
        for port, what, var in ports:
            if probes.port_taken(port):
                who = probes.listener(port) or "another process"
                raise SandboxError(
                    f"port {port} ({what}) is in use by {who}, which this "
                    f"sandbox did not start; stop it or set "
                    f"WATCHER_SANDBOX_{var}_PORT")

    def write_config(self, running=()):
        for folder in (self.layout.log_dir, self.layout.run_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.mode.configure(running)
        for service in self.services:
            service.configure()
        self.settings.write(self.layout.record)

    # --- down

    def down(self, names=COMPONENTS):
        """Stop these components, those of them that run, in a safe order."""
        running = self.procs.running()
        for service in self.services:
            service.check_stop(names, running)
        asked = names
        names = [name for name in names if name in running]
        if not names:
            if set(asked) == set(COMPONENTS):
                say(f"nothing of {self.dir} is running")
            else:
                say(f"not running in {self.dir}: {', '.join(asked)}")
            return
        # Watcher first, while the broker is still there to say goodbye to.
        for service in reversed(self.services):
            service.stop(names)
        say("stopped")

    # --- status, env, seed-history

    def status(self):
        running = self.procs.running()
        rows = [row for service in self.services
                for row in service.status(running)]
        s = self.settings
        print(f"sandbox {self.dir} (Watcher {s.watcher_version}, auth "
              f"{s.auth}, venv {s.venv})")
        width = max(len(name) for name, _, _ in rows)
        for name, up, detail in rows:
            print(f"  {name:<{width}}  {'up' if up else 'DOWN':<4}  {detail}")
        return 0 if all(up for _, up, _ in rows) else EXIT_NOT_UP

    def env(self):
        """Export lines; each mode unsets what the others export."""
        exports = self.mode.exports()
        unset = [name for mode in MODES.values() if mode is not type(self.mode)
                 for name in mode.exported]
        print(f"unset {' '.join(unset)}")
        for name, value in exports + (
                ("WATCHER_TRANSPORT_URL", self.settings.transport_url),):
            print(f"export {name}={shlex.quote(value)}")

    def seed_history(self, plans, per_audit, big_plan_actions):
        """A year of finished plans in the database; prints what it holds."""
        if not self.watcher.db.exists():
            raise SandboxError("no Watcher database yet: run `up` first")
        started = time.monotonic()
        held = history.seed(self.watcher.db, plans, per_audit,
                            big_plan_actions)
        say(f"history: {held['total_plans']} action plans in the database "
            f"({time.monotonic() - started:.1f} s)")
        print(json.dumps(held, indent=2))
