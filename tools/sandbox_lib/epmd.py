"""epmd, the Erlang port mapper RabbitMQ registers with.

One found running on the port is used and left alone; one started here is
left running at `down` while other Erlang nodes use it.
"""

import shutil

from sandbox_lib import probes
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say
from sandbox_lib.service import Service

NAME = "epmd"
#: The component that registers with it.
CLIENT = "rabbitmq"


class Epmd(Service):
    name = NAME
    components = (NAME,)
    stop_timeout = 5

    @property
    def port(self):
        return self.settings.epmd_port

    def shared(self, running):
        """Whether another process's epmd serves the port."""
        return NAME not in running and probes.epmd_names(self.port) is not None

    def ports(self, running):
        if NAME in running or self.shared(running):
            return []
        return [(self.port, "epmd", "EPMD")]

    def start(self, running, started):
        if self.shared(running):
            say(f"epmd: using the one already on port {self.port} "
                f"({probes.listener(self.port) or 'not ours'})")
        elif NAME not in running:
            epmd = shutil.which("epmd") or "/usr/lib/erlang/bin/epmd"
            self.spawn(NAME, [epmd, "-address", "127.0.0.1",
                              "-port", self.port], started)

    def await_ready(self, started):
        if NAME in started:
            self.wait(NAME, lambda: probes.epmd_names(self.port) is not None,
                      10)
            say(f"epmd: listening on 127.0.0.1:{self.port} "
                f"(pid {self.procs.pid(NAME)})")

    def is_up(self, running):
        return probes.epmd_names(self.port) is not None

    def status(self, running):
        pid = running.get(NAME)
        if probes.epmd_names(self.port) is None:
            return [(NAME, False, f"not answering on {self.port}"
                     + (f" (pid {pid})" if pid else ""))]
        if pid:
            return [(NAME, True, f"pid {pid}, port {self.port}")]
        return [(NAME, True, f"port {self.port}, shared: "
                 f"{probes.listener(self.port) or 'not started here'}")]

    def check_stop(self, names, running):
        if NAME in names and CLIENT in running and CLIENT not in names:
            raise SandboxError("epmd serves the sandbox's RabbitMQ: stop "
                               "rabbitmq with it")

    def stop(self, names):
        if NAME not in names or self.procs.pid(NAME) is None:
            return
        others = probes.epmd_names(self.port) or []
        if others:
            # Other Erlang nodes need it; from now on it is nobody's.
            pid = self.procs.pid(NAME)
            self.procs.forget(NAME)
            say(f"epmd: left running (pid {pid}) for {', '.join(others)}")
        else:
            super().stop(names)
