"""tools/sandbox's settings, from the environment."""

import os

import pytest
from sandbox_lib import auth
from sandbox_lib import keystone
from sandbox_lib.report import SandboxError
from sandbox_lib.settings import REPO
from sandbox_lib.settings import Settings


@pytest.fixture(autouse=True)
def no_sandbox_variables(monkeypatch):
    for name in list(os.environ):
        if name.startswith("WATCHER_SANDBOX_"):
            monkeypatch.delenv(name)


def test_noauth_defaults():
    s = Settings.from_env(auth.NoAuth)
    assert (s.auth, s.api_port, s.amqp_port, s.dist_port, s.epmd_port) == (
        "noauth", 9322, 5672, 25672, 4369)
    assert (s.keystone_port, s.keystone_venv, s.webhooks_auth) == (
        None, None, None)
    assert s.venv == str(REPO / ".sandbox-venv")
    assert s.watcher_version == "17.0.0"
    assert s.api_url == "http://127.0.0.1:9322"
    assert s.transport_url == "rabbit://guest:guest@127.0.0.1:5672/"


def test_keystone_mode_reads_its_own(monkeypatch):
    monkeypatch.setenv("WATCHER_SANDBOX_KEYSTONE_PORT", "5300")
    monkeypatch.setenv("WATCHER_SANDBOX_WEBHOOKS_AUTH", "FALSE")
    s = Settings.from_env(keystone.KeystoneAuth)
    assert (s.auth, s.keystone_port, s.webhooks_auth) == (
        "keystone", 5300, False)
    assert s.keystone_venv == str(REPO / ".sandbox-keystone-venv")
    assert s.ports() == {"api": 9322, "amqp": 5672, "dist": 25672,
                         "epmd": 4369, "keystone": 5300}


def test_an_older_release_has_a_venv_of_its_own(monkeypatch):
    monkeypatch.setenv("WATCHER_SANDBOX_WATCHER_VERSION", "14.1.2")
    s = Settings.from_env(auth.NoAuth)
    assert s.venv == str(REPO / ".sandbox-venv-14.1.2")
    assert s.release.series.name == "2025.1"


@pytest.mark.parametrize("variable, value", [
    ("WATCHER_SANDBOX_API_PORT", "0"), ("WATCHER_SANDBOX_AMQP_PORT", "65536"),
    ("WATCHER_SANDBOX_EPMD_PORT", "43x"), ("WATCHER_SANDBOX_DIST_PORT", "-1"),
    ("WATCHER_SANDBOX_KEYSTONE_PORT", "http"),
    ("WATCHER_SANDBOX_WEBHOOKS_AUTH", "yes"),
])
def test_a_bad_value_is_refused_naming_its_variable(monkeypatch, variable,
                                                    value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SandboxError, match=f"^{variable}="):
        Settings.from_env(keystone.KeystoneAuth)


def test_ports_must_differ(monkeypatch):
    monkeypatch.setenv("WATCHER_SANDBOX_KEYSTONE_PORT", "9322")
    with pytest.raises(SandboxError, match="ports must differ"):
        Settings.from_env(keystone.KeystoneAuth)


def test_the_record_reads_back_and_differences_skip_the_venvs(tmp_path,
                                                              monkeypatch):
    recorded = Settings.from_env(auth.NoAuth)
    recorded.write(tmp_path / "settings.json")
    assert Settings.read(tmp_path / "settings.json") == recorded
    monkeypatch.setenv("WATCHER_SANDBOX_VENV", str(tmp_path / "venv"))
    monkeypatch.setenv("WATCHER_SANDBOX_API_PORT", "9722")
    asked = Settings.from_env(auth.NoAuth)
    assert recorded.differences(asked) == "api_port 9322 (asked 9722)"
    with pytest.raises(ValueError):
        Settings.read(tmp_path / "none.json")
