"""What `up` installs when it is missing: RabbitMQ with apt, Watcher and
Keystone each in a venv."""

import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sandbox_lib.procs import run_logged
from sandbox_lib.report import SandboxError
from sandbox_lib.report import say

#: The locks apt and dpkg take; another apt-get or dpkg (an unattended
#: upgrade, another sandbox's install) may hold them for minutes.
APT_LOCKS = ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock",
             "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock")
APT_LOCK_TIMEOUT = 300


def apt_lock_holder(path):
    """'pid N (name)' of the process holding an apt lock, '' if it is held
    by one not visible here, None if the lock is free."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None  # no such lock (yet): nobody holds it
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        inode = os.fstat(fd).st_ino
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
    with open("/proc/locks") as locks:
        for line in locks:
            fields = line.split()
            if fields[-3].rsplit(":", 1)[-1] == str(inode):
                pid = fields[-4]
                name = Path(f"/proc/{pid}/comm")
                return f"pid {pid} ({name.read_text().strip()})"
    return ""


def wait_for_apt_locks(timeout, poll=1.0):
    """Wait until no apt lock is held; the seconds left of ``timeout``."""
    deadline = time.monotonic() + timeout
    said = False
    while True:
        held = {path: holder for path in APT_LOCKS
                if (holder := apt_lock_holder(path)) is not None}
        left = deadline - time.monotonic()
        if not held:
            return max(int(left), 1)
        path, holder = next(iter(held.items()))
        who = holder or "another process"
        if left <= 0:
            raise SandboxError(f"{path} is still held by {who} after "
                               f"{timeout}s; try again when it is done")
        if not said:
            say(f"waiting up to {timeout}s for {path}, held by {who}")
            said = True
        time.sleep(poll)


class Installer:
    """Installs what `up` needs, once per machine or venv."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self._apt_updated = False

    def apt_install(self, package, why):
        if os.geteuid() != 0:
            raise SandboxError(f"{why}; installing {package} needs root: run "
                               f"`apt-get install {package}` as root, or run "
                               f"this as root")
        if not shutil.which("apt-get"):
            raise SandboxError(f"{why}, and there is no apt-get here: install "
                               f"{package} yourself")
        log = self.log_dir / "apt.log"
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        steps = [["install", "-y", package]]
        if not self._apt_updated:
            steps.insert(0, ["update"])
        say(f"{why}: installing {package} with apt-get (log: {log})")
        for step in steps:
            left = wait_for_apt_locks(APT_LOCK_TIMEOUT)
            # apt waits itself for the dpkg lock, should another process
            # take it between our look and its start.
            run_logged(["apt-get", "-o", f"DPkg::Lock::Timeout={left}",
                        *step], log, env=env)
        self._apt_updated = True

    def venv(self, venv, distribution, version, duration, constraints=None):
        """A venv with distribution==version, reused when it has it; its
        dependencies pinned by a constraints file when one is given."""
        venv = Path(venv)
        venv.mkdir(parents=True, exist_ok=True)
        # Two sandboxes sharing a venv must not pip-install at once.
        with open(venv / ".sandbox-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if installed_version(venv, distribution) == version:
                return
            if importlib.util.find_spec("ensurepip") is None:
                self.apt_install("python3-venv", f"{sys.executable} cannot "
                                                 f"create venvs")
            log = self.log_dir / "pip.log"
            say(f"installing {distribution} {version} into {venv} "
                f"({duration}; log: {log})")
            run_logged([sys.executable, "-m", "venv", str(venv)], log)
            pin = ["-c", str(constraints)] if constraints else []
            run_logged([str(venv / "bin/python"), "-m", "pip", "install",
                        f"{distribution}=={version}"] + pin, log)
            say(f"installed {distribution} {version}")


def installed_version(venv, distribution):
    if not (venv / "bin/python").exists():
        return None
    script = ("import importlib.metadata, sys; "
              "print(importlib.metadata.version(sys.argv[1]))")
    result = subprocess.run([str(venv / "bin/python"), "-c", script,
                             distribution], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None
