"""The one masker: what it hides, what it keeps, and that it stays linear."""

import json
import time
from urllib import parse as urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit import hostile
from watcherclient_ext import errors
from watcherclient_ext import secrets

#: Every character RFC 3986 allows raw in userinfo, '@' too (a password
#: written without percent-encoding), but for ':' in the user.
_USERINFO = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
             "-._~!$&'()*+,;=")
users = st.text(st.sampled_from(_USERINFO), min_size=1, max_size=8).filter(
    lambda user: "'" not in user)
passwords = (st.text(st.sampled_from(_USERINFO + ":@"), min_size=1,
                     max_size=16)
             | st.text(min_size=1, max_size=12).map(
                 lambda raw: urlparse.quote(raw, safe="")))
hosts = st.sampled_from(["watcher", "10.0.0.5", "[::1]", "rabbit.example"])
surroundings = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=20).map(
        lambda text: text + " ")


@pytest.fixture(autouse=True)
def no_remembered_secrets():
    secrets.forget_all()
    yield
    secrets.forget_all()


@pytest.mark.parametrize("text, masked", [
    ("http://u:pw@host:80/a", "http://u:***@host:80/a"),
    ("http://u:p%40x@host/", "http://u:***@host/"),
    ("http://u:p@w@host/", "http://u:***@host/"),
    ("rabbit://user:s3cr3t,PART2@host/", "rabbit://user:***@host/"),
    ("rabbit://u1:p1@h1:5672,u2:p2@h2:5672/vh",
     "rabbit://u1:***@h1:5672,u2:***@h2:5672/vh"),
    ("rabbit://u:ab@c,d@host/", "rabbit://u:***@host/"),
    ("rabbit://guest:S3CRET", "rabbit://guest:***"),
    ("rabbit://h1:5672,guest:S3CRET/", "rabbit://h1:5672,guest:***/"),
    ("rabbit://u:top/secret@h/", "rabbit://u:***@h/"),
    ("see http://[::1]:9322/v1 and http://h:9322/",
     "see http://[::1]:9322/v1 and http://h:9322/"),
    ("http://user@host:80/", "http://user@host:80/"),
    ("GET /x?marker=a&password=abc&b=2", "GET /x?marker=a&password=***&b=2"),
    ("GET /x?password=p'wd;x=1&b=2", "GET /x?password=***&b=2"),
    ('{"password": "a\\"b", "user": "x", "os_token":"zz"}',
     '{"password": "***", "user": "x", "os_token":"***"}'),
    ("-H 'X-Auth-Token: {SHA256}abc' -H 'Authorization: Bearer zzz'",
     "-H 'X-Auth-Token: ***' -H 'Authorization: ***'"),
    ("Missing value password required", "Missing value password required"),
])
def test_mask(text, masked):
    assert secrets.mask(text) == masked
    assert secrets.mask(masked) == masked


def test_an_error_masks_with_the_one_masker():
    assert "pw" not in str(errors.WatcherClientError(
        "Cannot connect to http://admin:pw@watcher:9322/v1"))


@given(surroundings, st.sampled_from(["http", "https", "rabbit"]), users,
       passwords, hosts, surroundings)
@hostile.BOUNDED
def test_a_urls_password_never_shows(before, scheme, user, password, host,
                                      after):
    url = f"{scheme}://{user}:{password}@{host}:5672/path"
    masked = secrets.mask(before + url + " " + after)
    assert f"{user}:{password}@" not in masked
    assert f"://{user}:{secrets.HIDDEN}@{host}:5672/path" in masked
    assert secrets.mask(masked) == masked


@given(st.text(min_size=secrets.MIN_REMEMBERED, max_size=24), surroundings)
@hostile.BOUNDED
def test_a_remembered_secret_never_shows_in_any_form(secret, before):
    secrets.remember(secret)
    forms = (secret, urlparse.quote(secret, safe=""),
             json.dumps(secret)[1:-1], repr(secret),
             json.dumps(json.dumps(secret)[1:-1])[1:-1])
    masked = secrets.mask(before + " ".join(forms))
    for form in forms:
        assert form not in masked


def test_a_short_secret_is_masked_only_where_it_stands_as_one():
    secrets.remember("abc")
    assert secrets.mask("abc http://u:abc@h/") == "abc http://u:***@h/"


def test_remember_in_takes_the_secret_settings():
    secrets.remember_in({"username": "operator1", "password": "hunter2-x",
                         "application_credential_secret": "s3cr3t-app"})
    assert secrets.mask("operator1 hunter2-x s3cr3t-app") == (
        "operator1 *** ***")


@given(st.sampled_from(["http", "https"]), users, passwords, hosts,
       st.text(st.sampled_from("abc/-_"), max_size=10))
@hostile.BOUNDED
def test_strip_userinfo_keeps_host_and_path(scheme, user, password, host,
                                            path):
    url = f"{scheme}://{user}:{password}@{host}:9322/{path}"
    stripped = secrets.strip_userinfo(url)
    assert stripped == f"{scheme}://{host}:9322/{path}"
    assert secrets.strip_userinfo(stripped) == stripped


@pytest.mark.parametrize("unit", [
    "a://u:p@", "password=token:", "rabbit://g:S,", "x" * 99 + "://",
    '"password": "', "http://h:1" + "@" * 50])
def test_a_megabyte_of_adversarial_text_is_masked_quickly(unit):
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    started = time.perf_counter()
    secrets.mask(text)
    assert time.perf_counter() - started < 2


def test_too_many_secret_keys_hide_the_text_from_the_first():
    text = "ok " + "token: x " * (secrets.MAX_SECRET_KEYS + 1)
    masked = secrets.mask(text)
    assert masked.startswith("ok ***") and " x " not in masked
