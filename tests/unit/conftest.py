import logging
import os

import pytest
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session

from watcherclient_ext.api import client
from watcherclient_ext.api import clouds
from watcherclient_ext.api import session as watcher_session

ENDPOINT = "http://watcher.test:9322"
VERSIONS = {"versions": [{"id": "v1", "status": "CURRENT",
                          "min_version": "1.0", "max_version": "1.7"}]}
#: The same range as every Watcher response's headers name it.
VERSION_HEADERS = {"OpenStack-API-Minimum-Version": "1.0",
                   "OpenStack-API-Maximum-Version": "1.7"}


def make_session(api_version=None, endpoint=ENDPOINT):
    return watcher_session.WatcherSession.from_keystone_session(
        ks_session.Session(auth=noauth.NoAuth()), endpoint_override=endpoint,
        api_version=api_version)


@pytest.fixture
def api(requests_mock):
    """A WatcherClient on a mocked server that speaks 1.0 to 1.7."""
    requests_mock.get(ENDPOINT + "/", json=VERSIONS)
    return client.WatcherClient(make_session())


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """keystoneauth's retry back-off would only slow the unit tests."""
    monkeypatch.setattr("time.sleep", lambda seconds: None)


@pytest.fixture(autouse=True)
def root_logging():
    """The root logger as the test found it: every run of the app in a
    test adds its handlers (a console, a --log-file) and sets its level."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def hostile_server():
    """A misbehaving HTTP server on 127.0.0.1 (tests.unit.hostile_server);
    the real time.sleep, which its drips need."""
    from tests.unit import hostile_server as module

    server = module.HostileServer()
    yield server
    server.stop()


@pytest.fixture
def no_clouds_yaml(tmp_path, monkeypatch):
    """An environment without OS_* variables and without clouds.yaml."""
    for name in list(os.environ):
        if name.startswith("OS_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    assert not any(os.path.exists(path) for path in clouds.search_path())
    return tmp_path
