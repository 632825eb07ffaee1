"""What every service of the sandbox has, and the helpers they share.

A service runs one or more components (a process group each, by name):

    needs            services that must be ready before it starts
    ports(running)   the ports it would take: (port, what, variable part)
    install(installer, running)   what it needs installed
    start(running, started)       spawn what is not running; no waiting
    await_ready(started)          wait until what it started serves
    is_up(running)   whether it serves now
    status(running)  its rows for `status`: (name, up, detail)
    check_stop(names, running)    refuse a `down` that would break others
    stop(names)      stop those of its components named
"""

import time

from sandbox_lib.report import SandboxError


class Service:
    name = None
    components = ()
    needs = ()
    #: Seconds its components get to end at `down`, before SIGKILL.
    stop_timeout = 30

    def __init__(self, context):
        self.context = context
        self.settings = context.settings
        self.layout = context.layout
        self.procs = context.procs

    def ports(self, running):
        return []

    def install(self, installer, running):
        pass

    def configure(self):
        """Write its config files; on every `up`."""

    def start(self, running, started):
        raise NotImplementedError

    def await_ready(self, started):
        pass

    def is_up(self, running):
        raise NotImplementedError

    def status(self, running):
        raise NotImplementedError

    def check_stop(self, names, running):
        pass

    def stop(self, names):
        mine = [name for name in self.components if name in names]
        if mine:
            self.procs.stop(mine, self.stop_timeout)

    def spawn(self, name, argv, started, env=None, cwd=None):
        pid = self.procs.spawn(name, [str(arg) for arg in argv], env=env,
                               cwd=cwd)
        started.append(name)
        return pid

    def wait(self, name, predicate, timeout):
        """Wait until ``predicate()``; fail if ``name`` exits first."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.procs.pid(name) is None:
                raise SandboxError(f"{name} exited during start-up",
                                   log=self.layout.log(name))
            if time.monotonic() > deadline:
                raise SandboxError(f"{name} not ready after {timeout}s",
                                   log=self.layout.log(name))
            time.sleep(0.3)


def describe(pid, answers, where, problem=None):
    """The detail of a status row."""
    if not pid:
        return "not running"
    if not answers:
        return f"pid {pid}, running but {problem or 'not answering'}"
    return f"pid {pid}, {where}"
