"""Watcher's API, decision engine and applier, on one sqlite database.

Each runs through tools/watcher_sandbox_service.py, which fits Watcher to
sqlite and to a cloud without Nova.
"""

import os
import time
from pathlib import Path

from sandbox_lib import probes
from sandbox_lib import releases
from sandbox_lib.procs import run_logged
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say
from sandbox_lib.service import Service
from sandbox_lib.service import describe
from sandbox_lib.settings import REPO
from sandbox_lib.settings import TOOLS
from sandbox_lib.settings import write_private

API, DECISION_ENGINE, APPLIER = (
    "watcher-api", "watcher-decision-engine", "watcher-applier")
COMPONENTS = (API, DECISION_ENGINE, APPLIER)
# The launcher's name for each.
SERVICES = {API: "api", DECISION_ENGINE: "decisionengine",
            APPLIER: "applier"}
# Watcher services that report themselves in GET /v1/services.
REPORTING = (DECISION_ENGINE, APPLIER)
LAUNCHER = TOOLS / "watcher_sandbox_service.py"
TIMEOUT = 90
# The RPC queues of the decision engine and the applier: an audit created
# while its queue is missing is never planned (RabbitMQ drops the cast).
RPC_QUEUES = ("watcher.decision.control", "watcher.applier.control")


def _unconsumed(consumers):
    return [queue for queue in RPC_QUEUES if not consumers.get(queue)]


class Watcher(Service):
    name = "watcher"
    components = COMPONENTS
    stop_timeout = 15

    def __init__(self, context, needs):
        super().__init__(context)
        self.mode = context.mode
        self.needs = tuple(needs)
        self.release = self.settings.release
        self.db = self.layout.database(self.release)
        self._since = 0.0

    def ports(self, running):
        if API in running:
            return []
        return [(self.settings.api_port, "Watcher API", "API")]

    def install(self, installer, running):
        if set(COMPONENTS) - set(running):
            installer.venv(self.settings.venv, "python-watcher",
                           self.release.version, "about 1 minute",
                           self.release.constraints_file(REPO))

    def configure(self):
        self.layout.lock_dir.mkdir(parents=True, exist_ok=True)
        write_private(self.layout.conf, self.config())

    def config(self):
        """watcher.conf, its authentication as the auth mode has it."""
        s = self.settings
        auth = self.mode.watcher_config()
        return f"""\
# Written by tools/sandbox on every `up`.
[DEFAULT]
{auth.default}
transport_url = {s.transport_url}
notification_level = info
host = sandbox
graceful_shutdown_timeout = 2

[api]
host = 127.0.0.1
port = {s.api_port}
workers = 1
{auth.api}
[database]
connection = sqlite:///{self.db}

[oslo_messaging_notifications]
driver = messagingv2

[oslo_concurrency]
lock_path = {self.layout.lock_dir}

[collector]
# The default (compute, storage) asks Keystone for Cinder at start-up.
collector_plugins =

{auth.sections}"""

    def _env(self, name):
        env = dict(os.environ)
        if name == API and self.release.needs(releases.API_NEEDS_EVENTLET):
            env["OS_WATCHER_DISABLE_EVENTLET_PATCHING"] = "0"
        return env

    def start(self, running, started):
        if not self.db.exists():
            self._create_schema()
        python = Path(self.settings.venv) / "bin/python"
        self._since = time.time()
        for name in COMPONENTS:
            if name not in running:
                pid = self.spawn(name, [python, LAUNCHER, SERVICES[name],
                                        "--config-file", self.layout.conf],
                                 started, env=self._env(name))
                running[name] = pid
                say(f"{name}: started (pid {pid})")

    def _create_schema(self):
        db_manage = Path(self.settings.venv) / "bin/watcher-db-manage"
        try:
            run_logged([str(db_manage), "--config-file",
                        str(self.layout.conf), "create_schema"],
                       self.layout.log("db-manage"))
        except BaseException:
            self.db.unlink(missing_ok=True)  # so the next `up` tries again
            raise
        say(f"database: schema created in {self.db}")

    def await_ready(self, started):
        mine = [name for name in started if name in COMPONENTS]
        if not mine:
            return
        deadline = time.monotonic() + TIMEOUT
        while waiting := self.waiting_for(self.procs.running(), mine,
                                          self._since):
            for name in mine:
                if self.procs.pid(name) is None:
                    raise SandboxError(f"{name} exited during start-up",
                                       log=self.layout.log(name))
            if time.monotonic() > deadline:
                name, why = next(iter(waiting.items()))
                raise SandboxError(f"{name} not ready after {TIMEOUT}s: "
                                   f"{why}", log=self.layout.log(name))
            time.sleep(0.5)
        say("watcher: API answers, decision engine and applier ACTIVE")

    def await_queues(self, broker):
        """Wait until the services consume their RPC queues again: a broker
        restarted under them (``down rabbitmq``, then ``up``) lost the
        queues, which each service declares again once it reconnects."""
        deadline = time.monotonic() + TIMEOUT
        while missing := _unconsumed(broker.consumers()):
            if time.monotonic() > deadline:
                raise SandboxError(
                    f"no consumer of {', '.join(missing)} after {TIMEOUT}s "
                    "of the broker's restart", log=self.layout.log(
                        DECISION_ENGINE))
            time.sleep(0.5)
        say("watcher: the decision engine and the applier consume again")

    def services(self):
        """Watcher's service rows by name, or None when the API is silent."""
        status, body = probes.get_json(
            self.settings.api_url + "/v1/services/detail",
            self.mode.probe_headers())
        if status != 200 or not body:
            return None
        return {row["name"]: row for row in body.get("services", [])}

    def waiting_for(self, running, started=(), since=0.0):
        """What is not ready yet among the Watcher services: {name: why}.

        The row of a service just started counts only if it reported after
        `since`: the row of its previous run still looks ACTIVE for a while.
        """
        status, _ = probes.get_json(self.settings.api_url + "/")
        if status != 200:
            return {API: f"GET / answers {status or 'nothing'}"}
        rows = self.services() or {}
        waiting = {}
        for name in REPORTING:
            row = rows.get(name)
            if name not in running:
                waiting[name] = "not running"
            elif not row:
                waiting[name] = "not listed in /v1/services"
            elif row.get("status") != "ACTIVE":
                waiting[name] = f"service {row.get('status')}"
            elif name in started and max(
                    probes.utc(row.get(k)) for k in
                    ("last_seen_up", "updated_at", "created_at")) < since - 1:
                waiting[name] = "no heartbeat yet"
        return waiting

    def is_up(self, running):
        return (set(COMPONENTS) <= set(running)
                and self.waiting_for(running) == {})

    def status(self, running):
        waiting = self.waiting_for(running)
        rows = []
        for name in COMPONENTS:
            pid = running.get(name)
            problem = waiting.get(name) or (API in waiting and name != API
                                            and "API not answering")
            where = self.settings.api_url if name == API else "service ACTIVE"
            rows.append((name, bool(pid and not problem),
                         describe(pid, not problem, where, problem)))
        return rows
