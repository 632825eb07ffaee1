"""tools/sandbox waits for apt's locks, for a bounded time."""

import subprocess
import sys

import pytest
from sandbox_lib import install
from sandbox_lib.report import SandboxError

HOLD = ("import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
        "fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True); "
        "time.sleep(60)")


@pytest.fixture
def locks(tmp_path, monkeypatch):
    paths = [tmp_path / "lock-frontend", tmp_path / "lists-lock"]
    monkeypatch.setattr(install, "APT_LOCKS", tuple(map(str, paths)))
    return paths


def test_free_locks_are_waited_for_no_longer(locks):
    locks[0].write_text("")  # one exists, one does not: both free
    assert install.wait_for_apt_locks(30) >= 29


def test_a_held_lock_is_waited_for_then_named(locks, capsys):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(locks[1])],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert install.apt_lock_holder(str(locks[1])).startswith(
            f"pid {holder.pid} (")
        with pytest.raises(SandboxError, match=f"{locks[1]} is still held "
                                               f"by pid {holder.pid}"):
            install.wait_for_apt_locks(1, poll=0.05)
        assert "waiting up to 1s" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert install.apt_lock_holder(str(locks[1])) is None
