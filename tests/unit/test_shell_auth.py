"""watcher-ext's credentials without openstacksdk match openstacksdk's.

``openstack``'s loader (osc-lib's OSC_Config) is the reference: for the
same options and ``OS_*`` variables, :func:`auth.from_options` must give
the same auth plugin, session and endpoint settings, or the same error,
or hand over to that loader (None).
"""

import json
import os
import pathlib
import subprocess
import sys
import warnings

import pytest
from hypothesis import HealthCheck
from hypothesis import event
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from openstack import exceptions as sdk_exc
from osc_lib.cli import client_config

from watcherclient_ext import errors
from watcherclient_ext import secrets
from watcherclient_ext import shell
from watcherclient_ext.api import auth
from watcherclient_ext.api import clouds

AUTH_URL = "http://keystone.test:5000/v3"
#: A value for each variable; some take one of several.
VALUES = {
    "OS_AUTH_TYPE": ["password", "v3password", "token", "v3token", "none",
                     "v3applicationcredential", ""],
    "OS_AUTH_URL": [AUTH_URL],
    "OS_USERNAME": ["alice"], "OS_USER_ID": ["u1"],
    "OS_PASSWORD": ["secret", ""], "OS_TOKEN": ["tok"],
    "OS_PROJECT_NAME": ["admin"], "OS_PROJECT_ID": ["p1"],
    "OS_USER_DOMAIN_NAME": ["Default"], "OS_USER_DOMAIN_ID": ["default"],
    "OS_PROJECT_DOMAIN_NAME": ["Default"],
    "OS_PROJECT_DOMAIN_ID": ["default"],
    "OS_DOMAIN_NAME": ["Default"], "OS_DOMAIN_ID": ["d1"],
    "OS_SYSTEM_SCOPE": ["all"],
    "OS_APPLICATION_CREDENTIAL_ID": ["ac1"],
    "OS_APPLICATION_CREDENTIAL_SECRET": ["acs"],
    "OS_ENDPOINT": ["http://watcher.test:9322"],
    "OS_INTERFACE": ["public", "internal"],
    "OS_REGION_NAME": ["RegionOne", "RegionTwo"],
    "OS_CACERT": ["~/ca.pem"], "OS_CERT": ["/c.pem"], "OS_KEY": ["/k.pem"],
    "OS_INSECURE": ["true", "false"],
    "OS_API_TIMEOUT": ["5", "2.5"],
    "OS_IDENTITY_API_VERSION": ["3"],
    "OS_COMPUTE_API_VERSION": ["2.79"],
}
#: Legacy settings: left to openstacksdk's loader.
LEGACY = {
    "OS_TENANT_NAME": ["admin"], "OS_DEFAULT_DOMAIN": ["default"],
    "OS_AUTH_TOKEN": ["tok"], "OS_ENDPOINT_TYPE": ["internalURL"],
    "OS_IDENTITY_API_VERSION": ["2.0"],
}
#: The variables that are options of watcher-ext too.
OPTIONS = {env: option for option, env, _ in shell._AUTH_OPTIONS
           if env != "OS_CLOUD"}
OPTIONS["OS_API_TIMEOUT"] = "--os-api-timeout"


def assignments(values, max_size=None):
    return st.dictionaries(
        st.sampled_from(sorted(values)), st.just(None),
        max_size=max_size).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: st.sampled_from(values[name]) for name in chosen}))


#: Mostly usual variables, now and then a legacy one.
ENVIRONMENTS = st.builds(lambda usual, legacy: {**usual, **legacy},
                         assignments(VALUES),
                         st.one_of(st.just({}), assignments(LEGACY, 1)))


def parse(argv, environ, monkeypatch):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    parser = shell.WatcherExtApp().build_option_parser("test", "0")
    return parser.parse_args(argv)


def plain(plugin):
    """What an auth plugin was given: its simple attributes."""
    return type(plugin), {
        key: value for key, value in vars(plugin).items()
        if isinstance(value, (str, bool, int, float, tuple, type(None)))}


def outcome(build):
    """(plugin, verify, cert, timeout, endpoint settings) or the error."""
    secrets.forget_all()  # what an earlier example remembered
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = build()
    except (errors.InvalidInput, sdk_exc.ConfigException) as exc:
        return "invalid", str(exc).splitlines()[0]
    except Exception as exc:  # the same failure, whatever it is
        return type(exc), str(exc)
    if result is None:
        return None
    session, where = result.session, result.endpoint
    timeout = where["timeout"]
    return (plain(session.auth), session.verify, session.cert,
            session.timeout, {**where, "timeout": timeout and float(timeout)})


def reference(options, config_files=(), secure_files=()):
    """openstacksdk's answer, as watcher-ext got it before."""
    cloud = client_config.OSC_Config(
        config_files=list(config_files), secure_files=list(secure_files),
        vendor_files=[]).get_one(
        cloud=options.os_cloud, argparse=options, validate=True)
    config = cloud.config
    return auth.Login(cloud.get_session(), {
        "interface": cloud.get_interface(),
        "region_name": cloud.get_region_name() or None,
        "endpoint_override": cloud.get_endpoint("infra-optim"),
        "timeout": config.get("api_timeout") or config.get("timeout")}, None)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(environ=ENVIRONMENTS,
       given_options=assignments({name: VALUES[name] for name in OPTIONS}))
def test_same_outcome_as_openstacksdk(no_clouds_yaml, monkeypatch, environ,
                                      given_options):
    argv = [arg for name, value in given_options.items()
            for arg in (OPTIONS[name], value)]
    with monkeypatch.context() as patch:
        options = parse(argv, environ, patch)
        ours = outcome(lambda: auth.from_options(options))
        event("openstacksdk" if ours is None else "keystoneauth1"
              if len(ours) == 5 else "an error")
        if ours is not None:
            assert ours == outcome(lambda: reference(options))


@pytest.mark.parametrize("environ", [
    {"OS_AUTH_TYPE": "none", "OS_ENDPOINT": "http://watcher.test:9322"},
    {"OS_AUTH_URL": AUTH_URL, "OS_USERNAME": "alice", "OS_PASSWORD": "s",
     "OS_PROJECT_NAME": "admin", "OS_USER_DOMAIN_NAME": "Default",
     "OS_PROJECT_DOMAIN_NAME": "Default", "OS_REGION_NAME": "RegionOne",
     "OS_INTERFACE": "public", "OS_IDENTITY_API_VERSION": "3"},
    {"OS_AUTH_TYPE": "v3applicationcredential", "OS_AUTH_URL": AUTH_URL,
     "OS_APPLICATION_CREDENTIAL_ID": "ac1",
     "OS_APPLICATION_CREDENTIAL_SECRET": "acs"},
])
def test_openrc_and_noauth_need_no_openstacksdk(no_clouds_yaml, monkeypatch,
                                                environ):
    options = parse([], environ, monkeypatch)
    ours = outcome(lambda: auth.from_options(options))
    assert ours is not None
    assert ours == outcome(lambda: reference(options))


def test_options_alone_need_no_openstacksdk(no_clouds_yaml, monkeypatch):
    options = parse(["--os-auth-url", AUTH_URL, "--os-token", "t",
                     "--os-auth-type", "v3token",
                     "--os-project-id", "p1"], {}, monkeypatch)
    ours = outcome(lambda: auth.from_options(options))
    assert ours is not None
    (plugin, given), *_ = ours
    assert (plugin.__name__, given["auth_url"], given["project_id"]) == (
        "Token", AUTH_URL, "p1")
    assert ours == outcome(lambda: reference(options))


@pytest.mark.parametrize("environ", [
    {"OS_AUTH_URL": AUTH_URL, "OS_IDENTITY_API_VERSION": "2.0"},
    {"OS_AUTH_URL": "http://{host}:5000/v3"},
])
def test_legacy_settings_go_to_openstacksdk(
        no_clouds_yaml, monkeypatch, environ):
    options = parse([], {"OS_USERNAME": "alice", **environ}, monkeypatch)
    assert auth.from_options(options) is None


def test_a_lone_cloud_is_the_default_one(no_clouds_yaml, monkeypatch):
    """Without OS_* credentials, openstacksdk picks a lone cloud."""
    (no_clouds_yaml / "clouds.yaml").write_text(
        "clouds:\n  mine:\n    auth_type: none\n"
        "    auth:\n      endpoint: http://watcher.test:9322\n")
    options = parse([], {}, monkeypatch)
    login = auth.from_options(options)
    assert login.endpoint["endpoint_override"] == "http://watcher.test:9322"
    options = parse([], {"OS_AUTH_URL": AUTH_URL, "OS_TOKEN": "t",
                         "OS_AUTH_TYPE": "v3token"}, monkeypatch)
    assert auth.from_options(options).endpoint["endpoint_override"] is None


def test_search_path_is_openstacksdk_s(no_clouds_yaml, monkeypatch):
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", "/a/clouds.yaml")
    monkeypatch.setenv("OS_CLIENT_SECURE_FILE", "/a/secure.yaml")
    monkeypatch.setattr("os.getcwd", lambda: "/here")
    # Its module constants are computed at import, from this environment.
    program = ("import json, os; os.getcwd = lambda: '/here'; "
               "from openstack.config import loader as l; "
               "print(json.dumps(l.CONFIG_FILES + l.SECURE_FILES))")
    expected = subprocess.run([sys.executable, "-c", program], check=True,
                              capture_output=True, text=True).stdout
    searched = clouds.config_files("clouds") + clouds.config_files("secure")
    loader_files = json.loads(expected)
    half = len(loader_files) // 2
    assert searched == (["/a/clouds.yaml"] + loader_files[:half]
                        + ["/a/secure.yaml"] + loader_files[half:])


def imported_after_client(environ):
    """Which heavy modules building the client imports, in a new process."""
    program = (
        "import sys\n"
        "from watcherclient_ext import shell\n"
        "app = shell.WatcherExtApp()\n"
        "options = app.build_option_parser('t', '0').parse_args([])\n"
        "shell.ClientManager(options).infra_optim_ext\n"
        "print(sorted(m for m in ('openstack', 'osc_lib.cli.client_config')"
        " if m in sys.modules))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    return subprocess.run([sys.executable, "-c", program], check=True,
                          capture_output=True, text=True,
                          env={**env, **environ}).stdout.strip()


def test_openstacksdk_is_imported_only_for_what_we_leave_to_it(no_clouds_yaml,
                                                       tmp_path):
    (tmp_path / "clouds.yaml").write_text(
        "clouds:\n  mine:\n    auth_type: none\n"
        "    auth:\n      endpoint: http://watcher.test:9322\n")
    assert imported_after_client({
        "OS_AUTH_TYPE": "none",
        "OS_ENDPOINT": "http://watcher.test:9322"}) == "[]"
    assert imported_after_client({
        "OS_AUTH_URL": AUTH_URL, "OS_USERNAME": "a", "OS_PASSWORD": "b",
        "OS_PROJECT_NAME": "p"}) == "[]"
    assert imported_after_client({"OS_CLOUD": "mine"}) == "[]"
    (tmp_path / "clouds.yaml").write_text(
        "clouds:\n  regional:\n    auth_type: none\n"
        "    auth:\n      endpoint: http://watcher.test:9322\n"
        "    regions: [RegionOne]\n")
    assert imported_after_client({"OS_CLOUD": "regional"}) == (
        "['openstack', 'osc_lib.cli.client_config']")


@pytest.mark.parametrize("insecure, cacert, expected", [
    (True, "~/ca.pem", False), (False, None, True), (False, "", True),
    (False, "/etc/ca.pem", "/etc/ca.pem"),
    (False, "~/ca.pem", "/home/o/ca.pem")])
def test_tls_verify_for_keystone_and_for_an_anonymous_trigger(
        monkeypatch, insecure, cacert, expected):
    monkeypatch.setenv("HOME", "/home/o")
    assert auth.tls_verify(insecure, cacert) == expected


PASSWORDS = ["p'w\"d <x>@y:/%z", "pässwörd ünïcode", "with space 123"]


@pytest.mark.parametrize("entry, password, debug", [
    *(("watcher-ext", password, debug) for password in PASSWORDS
      for debug in ([], ["--debug"])),
    # osc-lib's own START line shows --os-password with --debug.
    *(("openstack", password, []) for password in PASSWORDS)])
def test_a_password_echoed_by_keystone_is_never_printed(
        no_clouds_yaml, hostile_server, entry, password, debug):
    """Under openstack, osc-lib asks Keystone for a token before our
    command runs: masked all the same."""
    from tests.unit.hostile_server import Answer

    auth_url = hostile_server.url + "/v3"
    hostile_server.answer("/v3", Answer(200, {"version": {
        "id": "v3.14", "status": "stable",
        "links": [{"rel": "self", "href": auth_url + "/"}]}}))
    hostile_server.answer("/v3/auth/tokens", Answer(400, {"error": {
        "code": 400, "title": "Bad Request",
        "message": f"Invalid password {password!r}: {password}"}}))
    log_file = no_clouds_yaml / "client.log"
    result = subprocess.run([
        str(pathlib.Path(sys.executable).parent / entry), *debug,
        "--log-file", str(log_file), "--os-auth-url", auth_url,
        "--os-username", "alice", "--os-password", password,
        "--os-project-name", "p", "--os-user-domain-name", "Default",
        "--os-project-domain-name", "Default",
        *(["optimize"] if entry == "openstack" else []), "actionplan",
        "show", "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Invalid password '***': ***" in result.stderr
    for text in (result.stdout, result.stderr, log_file.read_text()):
        assert password not in text
