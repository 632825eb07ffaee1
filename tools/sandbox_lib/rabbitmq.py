"""RabbitMQ from Debian's package, its state in the sandbox's directory."""

import os
import subprocess
from pathlib import Path

from sandbox_lib import epmd
from sandbox_lib import probes
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say
from sandbox_lib.service import Service
from sandbox_lib.service import describe

NAME = "rabbitmq"
SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
# The rabbitmqctl next to the server: /usr/sbin/rabbitmqctl switches user
# and reads another Erlang cookie than the one in our HOME.
RABBITMQCTL = SERVER.with_name("rabbitmqctl")
TIMEOUT = 60


class RabbitMQ(Service):
    name = NAME
    components = (NAME,)
    needs = (epmd.NAME,)

    def __init__(self, context):
        super().__init__(context)
        self.dir = self.layout.dir / "rabbitmq"

    @property
    def node(self):
        # One node name per AMQP port, so sandboxes can share an epmd.
        return f"rabbit-{self.settings.amqp_port}@localhost"

    def env(self):
        s, d = self.settings, self.dir
        loopback_dist = "-kernel inet_dist_use_interface {127,0,0,1}"
        return dict(
            os.environ,
            HOME=str(d),  # the Erlang cookie lives there
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(s.amqp_port),
            RABBITMQ_DIST_PORT=str(s.dist_port),
            RABBITMQ_CONFIG_FILE=str(d / "rabbitmq.conf"),
            # Files of our own (some absent) instead of the ones in /etc.
            RABBITMQ_CONF_ENV_FILE=str(d / "rabbitmq-env.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(d / "advanced.config"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(d / "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=str(d / "mnesia"),
            RABBITMQ_LOG_BASE=str(d / "log"),
            RABBITMQ_PID_FILE=str(d / "rabbitmq.pid"),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=loopback_dist,
            RABBITMQ_CTL_ERL_ARGS=loopback_dist,
            ERL_EPMD_ADDRESS="127.0.0.1",
            ERL_EPMD_PORT=str(s.epmd_port),
            ERL_CRASH_DUMP=str(self.layout.log_dir / "erl_crash.dump"),
        )

    def ports(self, running):
        if NAME in running:
            return []
        return [(self.settings.amqp_port, "AMQP", "AMQP"),
                (self.settings.dist_port, "Erlang distribution", "DIST")]

    def install(self, installer, running):
        if NAME not in running and not SERVER.exists():
            installer.apt_install("rabbitmq-server", f"{SERVER} is missing")

    def configure(self):
        (self.dir / "log").mkdir(parents=True, exist_ok=True)
        (self.dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.settings.amqp_port}\n"
            f"loopback_users.guest = true\n")
        (self.dir / "enabled_plugins").write_text("[].\n")

    def start(self, running, started):
        if NAME in running:
            return
        pid = self.spawn(NAME, [SERVER], started, env=self.env(),
                         cwd=self.dir)
        say(f"rabbitmq: starting {self.node} on 127.0.0.1:"
            f"{self.settings.amqp_port} (pid {pid})")

    def await_ready(self, started):
        if NAME not in started:
            return
        self.wait(NAME, lambda: probes.accepts(self.settings.amqp_port),
                  TIMEOUT)
        result = subprocess.run(
            [str(RABBITMQCTL), "-q", "await_startup"], env=self.env(),
            capture_output=True, text=True, timeout=TIMEOUT)
        if result.returncode:
            why = (result.stderr or result.stdout).strip()
            raise SandboxError(f"rabbitmqctl await_startup failed: {why}",
                               log=self.layout.log(NAME))
        say("rabbitmq: ready")

    def consumers(self):
        """{queue name: its consumer count}, as rabbitmqctl lists them
        ({} while it cannot)."""
        result = subprocess.run(
            [str(RABBITMQCTL), "-q", "list_queues", "name", "consumers"],
            env=self.env(), capture_output=True, text=True, timeout=TIMEOUT)
        rows = (line.split("\t") for line in result.stdout.splitlines())
        return {row[0]: int(row[1]) for row in rows
                if len(row) == 2 and row[1].isdigit()}

    def is_up(self, running):
        return NAME in running and probes.accepts(self.settings.amqp_port)

    def status(self, running):
        pid = running.get(NAME)
        answers = pid and probes.accepts(self.settings.amqp_port)
        return [(NAME, bool(answers), describe(
            pid, answers,
            f"{self.node}, amqp 127.0.0.1:{self.settings.amqp_port}"))]
