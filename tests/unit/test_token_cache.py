"""The token kept between calls: where, when, and refused where unsafe.

A real keystoneauth1 plugin gives the cache ids and auth states; its auth
state is set from a token body as Keystone sends it.
"""

import json
import logging
import os
import stat
import sys
import types

import pytest
from keystoneauth1.identity import generic

from watcherclient_ext import secrets
from watcherclient_ext.api import token_cache

AUTH_URL = "http://keystone.test:5000/v3"
TOKEN = "gAAAAAB-a-token-for-tests-0123456789"


def plugin(password="s3cret-pw", project="admin"):
    return generic.Password(auth_url=AUTH_URL, username="alice",
                            password=password, project_name=project,
                            user_domain_name="Default",
                            project_domain_name="Default")


def state(token=TOKEN, expires="2999-01-01T00:00:00.000000Z"):
    return json.dumps({"auth_token": token, "body": {"token": {
        "expires_at": expires, "methods": ["password"],
        "user": {"id": "u1", "name": "alice",
                 "domain": {"id": "default", "name": "Default"}},
        "project": {"id": "p1", "name": "admin",
                    "domain": {"id": "default", "name": "Default"}},
        "catalog": []}}})


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    return tmp_path / "watcher-ext" / "auth"


def saved(login, cache_dir):
    cache = token_cache.TokenCache.load(login)
    login.set_auth_state(state())
    cache.save()
    return cache


def test_stored_private_and_given_back(cache_dir):
    saved(plugin(), cache_dir)
    (entry,) = cache_dir.iterdir()
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    again = plugin()
    token_cache.TokenCache.load(again)
    assert again.auth_ref.auth_token == TOKEN
    try:
        assert secrets.mask(f"token {TOKEN}!") == "token ***!"
    finally:
        secrets.forget_all()


@pytest.mark.parametrize("other", [plugin(password="another-pw"),
                                   plugin(project="demo")])
def test_another_login_finds_none(cache_dir, other):
    saved(plugin(), cache_dir)
    token_cache.TokenCache.load(other)
    assert other.auth_ref is None


def test_refused_or_gone_forgets_it(cache_dir):
    saved(plugin(), cache_dir)
    login = plugin()
    token_cache.TokenCache.load(login).save(refused=True)
    assert list(cache_dir.iterdir()) == []
    saved(plugin(), cache_dir)
    login = plugin()
    cache = token_cache.TokenCache.load(login)
    login.invalidate()  # a 401, and no new token could be had
    cache.save()
    assert list(cache_dir.iterdir()) == []


def test_a_renewed_token_replaces_it(cache_dir):
    saved(plugin(), cache_dir)
    login = plugin()
    cache = token_cache.TokenCache.load(login)
    login.set_auth_state(state(token="gAAAAAB-the-next-token-987654"))
    cache.save()
    again = plugin()
    token_cache.TokenCache.load(again)
    assert again.auth_ref.auth_token == "gAAAAAB-the-next-token-987654"


def test_an_unreadable_entry_is_no_token(cache_dir):
    saved(plugin(), cache_dir)
    (entry,) = cache_dir.iterdir()
    entry.write_text("{not json")
    login = plugin()
    token_cache.TokenCache.load(login)
    assert login.auth_ref is None


def test_nothing_written_when_nothing_changed(cache_dir):
    token_cache.TokenCache.load(plugin()).save()
    assert not cache_dir.parent.exists()


@pytest.mark.parametrize("loosen", [
    lambda directory, entry: directory.chmod(0o755),
    lambda directory, entry: entry.chmod(0o644),
    lambda directory, entry: (entry.unlink(), entry.symlink_to(
        directory.parent / "elsewhere")),
])
def test_refused_where_others_could_read_it(cache_dir, caplog, loosen):
    saved(plugin(), cache_dir)
    (entry,) = cache_dir.iterdir()
    (cache_dir.parent / "elsewhere").write_text(state())
    loosen(cache_dir, entry)
    login = plugin()
    with caplog.at_level(logging.WARNING):
        token_cache.TokenCache.load(login)
    assert login.auth_ref is None
    assert "not used" in caplog.text or "not read" in caplog.text


def test_a_directory_others_can_read_is_not_written(cache_dir, caplog):
    cache_dir.mkdir(parents=True, mode=0o755)
    cache_dir.chmod(0o755)
    with caplog.at_level(logging.WARNING):
        saved(plugin(), cache_dir)
    assert list(cache_dir.iterdir()) == []
    assert "not used" in caplog.text


def test_the_keyring_as_openstacksdk_uses_it(monkeypatch, tmp_path):
    """Service ``openstacksdk``, the plugin's cache id, its auth state."""
    stored = {}
    fake = types.ModuleType("keyring")
    fake.get_keyring = object
    fake.get_password = lambda service, key: stored.get((service, key))
    fake.set_password = lambda service, key, value: stored.update(
        {(service, key): value})
    fake.delete_password = lambda service, key: stored.pop((service, key))
    backends = types.ModuleType("keyring.backends")
    backends.fail = types.SimpleNamespace(Keyring=type("Fail", (), {}))
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.setitem(sys.modules, "keyring.backends", backends)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    login = plugin()
    saved(login, tmp_path)
    assert stored == {("openstacksdk", login.get_cache_id()): state()}
    assert not (tmp_path / "watcher-ext").exists()
    token_cache.TokenCache.load(plugin()).save(refused=True)
    assert stored == {}
