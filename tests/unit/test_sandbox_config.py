"""The files each auth mode of tools/sandbox writes at `up`."""

import configparser
import json
import os
import stat

import pytest
from sandbox_lib import releases
from sandbox_lib import stack
from sandbox_lib import watcher
from sandbox_lib.settings import Layout


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A sandbox in a fresh state dir: ``sandbox(auth, **variables)``."""
    for name in list(os.environ):
        if name.startswith("WATCHER_SANDBOX_"):
            monkeypatch.delenv(name)

    def make(auth, **variables):
        for name, value in variables.items():
            monkeypatch.setenv(f"WATCHER_SANDBOX_{name}", value)
        made = stack.Sandbox(Layout(tmp_path), auth)
        made.write_config()
        return made

    return make


def read_conf(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_text())
    return parser


def private(path):
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_noauth_opens_the_policy_and_asks_no_one(sandbox):
    made = sandbox("noauth", API_PORT="9722", AMQP_PORT="6072")
    conf = read_conf(made.layout.conf)
    assert conf["DEFAULT"]["enable_authentication"] == "false"
    assert conf["DEFAULT"]["transport_url"] == (
        "rabbit://guest:guest@127.0.0.1:6072/")
    assert conf["api"]["port"] == "9722"
    assert conf["database"]["connection"] == (
        f"sqlite:///{made.layout.dir / 'watcher.sqlite'}")
    assert not conf.has_section("keystone_authtoken")
    policy = conf["oslo_policy"]["policy_file"]
    assert '"admin_api": "@"' in open(policy).read()
    assert "listeners.tcp.default = 127.0.0.1:6072" in (
        made.layout.dir / "rabbitmq" / "rabbitmq.conf").read_text()
    assert json.loads(made.layout.record.read_text())["auth"] == "noauth"
    assert not (made.layout.dir / "clouds.yaml").exists()


def test_keystone_writes_its_files_and_watcher_checks_tokens(sandbox):
    sandbox("noauth")  # leaves an open policy file behind
    made = sandbox("keystone", KEYSTONE_PORT="5300", API_PORT="9732")
    identity = made.mode.identity
    passwords = json.loads(identity.passwords_file.read_text())
    conf = read_conf(made.layout.conf)
    assert conf["DEFAULT"]["enable_authentication"] == "true"
    assert conf["api"]["enable_webhooks_auth"] == "true"
    authtoken = conf["keystone_authtoken"]
    assert authtoken["auth_url"] == "http://127.0.0.1:5300/v3"
    assert (authtoken["username"], authtoken["password"]) == (
        "watcher", passwords["watcher"])
    assert "delay_auth_decision" not in authtoken
    assert not conf.has_section("oslo_policy")
    assert not made.layout.policy.exists()
    clouds = identity.clouds.read_text()
    for user in ("admin", "member"):
        assert json.dumps(passwords[user]) in clouds
    assert "watcher-sandbox-member:" in clouds
    assert read_conf(identity.conf)["database"]["connection"] == (
        f"sqlite:///{identity.db}")
    assert all(private(path) for path in (
        made.layout.conf, identity.clouds, identity.passwords_file))


def test_public_webhooks_let_tokenless_requests_reach_the_policy(sandbox):
    made = sandbox("keystone", WEBHOOKS_AUTH="false")
    conf = read_conf(made.layout.conf)
    assert conf["api"]["enable_webhooks_auth"] == "false"
    assert conf["keystone_authtoken"]["delay_auth_decision"] == "true"


def passwords(made):
    return json.loads(made.mode.identity.passwords_file.read_text())


def test_passwords_are_kept_until_a_port_changes(sandbox):
    first = sandbox("keystone")
    first.mode.identity.mark_provisioned()  # as a started Keystone does
    made = passwords(first)
    assert len(set(made.values())) == 3
    assert passwords(sandbox("keystone")) == made
    assert passwords(sandbox("keystone", API_PORT="9732")) != made


@pytest.mark.parametrize("version, patched", [("17.0.0", "0"),
                                              ("14.1.2", None)])
def test_the_api_runs_with_eventlet_where_the_release_needs_it(
        sandbox, version, patched):
    made = sandbox("noauth", WATCHER_VERSION=version)
    variable = "OS_WATCHER_DISABLE_EVENTLET_PATCHING"
    assert made.watcher._env(watcher.API).get(variable) == patched
    assert made.watcher._env(watcher.APPLIER).get(variable) is None
    assert made.settings.release == releases.Release.named(version)


@pytest.mark.parametrize("auth, unset, exported", [
    ("noauth", "OS_CLIENT_CONFIG_FILE OS_CLOUD",
     ["OS_AUTH_TYPE", "OS_ENDPOINT"]),
    ("keystone", "OS_AUTH_TYPE OS_ENDPOINT",
     ["OS_CLIENT_CONFIG_FILE", "OS_CLOUD"]),
])
def test_env_unsets_what_the_other_mode_exports(sandbox, capsys, auth, unset,
                                                exported):
    sandbox(auth).env()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"unset {unset}"
    assert [line.split("=")[0][len("export "):] for line in lines[1:]] == [
        *exported, "WATCHER_TRANSPORT_URL"]


def test_after_a_broker_restart_up_waits_for_watchers_rpc_queues(
        sandbox, monkeypatch):
    """An audit cast while the decision engine's queue is missing is
    dropped: `up` of a broker under running services returns once the
    services consume their queues again."""
    made = sandbox("noauth")
    broker = next(s for s in made.services if s.name == "rabbitmq")
    listings = iter([
        {},  # the broker has just come back
        {"watcher.decision.control": 1, "watcher.applier.control": 0},
        {"watcher.decision.control": 1, "watcher.applier.control": 1}])
    monkeypatch.setattr(broker, "consumers", lambda: next(listings))
    monkeypatch.setattr(watcher.time, "sleep", lambda seconds: None)
    made.watcher.await_queues(broker)
    assert next(listings, None) is None  # read until both were consumed


def test_consumers_are_read_from_rabbitmqctl(sandbox, monkeypatch):
    made = sandbox("noauth")
    broker = next(s for s in made.services if s.name == "rabbitmq")

    class Listed:
        stdout = ("name\tconsumers\nwatcher.decision.control\t1\n"
                  "watcher.applier.control\t0\n")

    monkeypatch.setattr("subprocess.run", lambda *a, **k: Listed)
    assert broker.consumers() == {"watcher.decision.control": 1,
                                  "watcher.applier.control": 0}
