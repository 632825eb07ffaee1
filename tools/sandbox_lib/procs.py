"""The sandbox's processes: each in a process group of its own, its PID
in a file, and commands whose output goes to a log.

Each component runs in its own session, so its PID is also its process
group: stopping the group also stops the children it forked (Erlang's
helpers, oslo.service workers).  Linux never hands out a PID while a
process group of that number exists, so a live group is surely ours.
"""

import contextlib
import datetime
import os
import shlex
import signal
import subprocess
import time

from sandbox_lib.report import SandboxError
from sandbox_lib.report import say

STOP_TIMEOUT = 30


def proc_stat(pid):
    """(state, process group, start time) of a process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    return fields[0], int(fields[2]), int(fields[19])


def group_members(pgid):
    """Live (non-zombie) members of a process group."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = proc_stat(entry)
            if stat and stat[1] == pgid and stat[0] != "Z":
                members.append(int(entry))
    return members


def signal_group(pgid, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def wait_groups_gone(pgids, timeout):
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in pgids if group_members(p)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.2)


class Processes:
    """The components' process groups, by name, as their PID files say."""

    def __init__(self, layout, names):
        self.layout = layout
        #: Every component any mode may run, in start order.
        self.names = tuple(names)

    def _pid_file(self, name):
        return self.layout.run_dir / f"{name}.pid"

    def pid(self, name):
        """PID of the component if it runs (started by us), else None."""
        try:
            pid, started = map(int, self._pid_file(name)
                               .read_text().split())
        except (OSError, ValueError):
            return None
        stat = proc_stat(pid)
        if stat and stat[2] != started:
            return None  # the PID now belongs to another process
        return pid if group_members(pid) else None

    def running(self):
        return {name: pid for name in self.names
                if (pid := self.pid(name)) is not None}

    def spawn(self, name, argv, env=None, cwd=None):
        """Start a component in its own session, output to its log."""
        self.layout.log_dir.mkdir(parents=True, exist_ok=True)
        self.layout.run_dir.mkdir(parents=True, exist_ok=True)
        with open(self.layout.log(name), "ab") as out:
            out.write(f"\n=== {datetime.datetime.now():%Y-%m-%d %H:%M:%S} "
                      f"{shlex.join(argv)}\n".encode())
            out.flush()
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, env=env, cwd=cwd or self.layout.dir,
                start_new_session=True)
        self._pid_file(name).write_text(
            f"{process.pid} {proc_stat(process.pid)[2]}\n")
        return process.pid

    def stop(self, names, timeout=STOP_TIMEOUT):
        """SIGTERM the components' groups, SIGKILL what outlives timeout."""
        pids = {name: pid for name in names
                if (pid := self.pid(name)) is not None}
        for name, pid in pids.items():
            say(f"{name}: stopping (pid {pid})")
            signal_group(pid, signal.SIGTERM)
        left = wait_groups_gone(pids.values(), timeout)
        for pid in left:
            name = next(n for n, p in pids.items() if p == pid)
            say(f"{name}: still running after {timeout}s, killing "
                f"(pid {pid})")
            signal_group(pid, signal.SIGKILL)
        if wait_groups_gone(left, 5):
            raise SandboxError(f"could not stop process groups {left}")
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                self._pid_file(name).unlink()

    def forget(self, name):
        """Leave a component running as nobody's."""
        self._pid_file(name).unlink()


def run_logged(argv, log, env=None):
    """Run a command, its output appended to log; fail with the log shown."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, env=env)
    if result.returncode:
        raise SandboxError(f"`{shlex.join(argv)}` failed", log=log)


def run_all_logged(argvs, log):
    """Run commands side by side, as run_logged does one."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        processes = [subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                      stdout=out, stderr=subprocess.STDOUT)
                     for argv in argvs]
        failed = [argv for argv, process in zip(argvs, processes)
                  if process.wait()]
    if failed:
        raise SandboxError(f"`{shlex.join(failed[0])}` failed", log=log)
