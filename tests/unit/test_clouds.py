"""clouds.yaml read without openstacksdk, as openstacksdk reads it.

For generated clouds.yaml, secure.yaml, ``OS_*`` variables and options,
:func:`auth.from_options` gives the auth plugin, session and endpoint
settings of osc-lib's OSC_Config over the same files, or its error, or
hands over (None).
"""

import pytest
import yaml
from hypothesis import HealthCheck
from hypothesis import event
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.unit import test_shell_auth as shell_auth
from tests.unit.test_shell_auth import AUTH_URL
from tests.unit.test_shell_auth import OPTIONS
from tests.unit.test_shell_auth import assignments
from tests.unit.test_shell_auth import outcome
from tests.unit.test_shell_auth import parse
from watcherclient_ext import secrets
from watcherclient_ext.api import auth
from watcherclient_ext.api import clouds

ENDPOINT = "http://watcher.test:9322"
CLOUD_NAMES = ("alpha", "beta")
#: An auth section's settings, a value or a few each.
AUTH = {
    "auth_url": [AUTH_URL], "username": ["alice"], "user_id": ["u1"],
    "password": ["s3cret-pw", 12345678], "project_name": ["admin"],
    "project_id": ["p1"], "user_domain_name": ["Default"],
    "project_domain_name": ["Default"], "project_domain_id": ["default"],
    "domain_name": ["Default"], "domain_id": ["d1"], "token": ["tok"],
    "tenant_name": ["legacy"], "system_scope": ["all"],
    "application_credential_id": ["ac1"],
    "application_credential_secret": ["ac-s3cret"], "endpoint": [ENDPOINT],
}
#: A cloud's other settings.
CLOUD = {
    "auth_type": ["password", "v3password", "token", "v3token", "none",
                  "v3applicationcredential", "admin_token", "token_endpoint",
                  "None", "", None, "v3oidcpassword"],
    "region_name": ["RegionOne", "RegionOne,RegionTwo",
                    ["RegionTwo", "RegionOne"], [], 7, None],
    "interface": ["public", "internal", ["internal", "public"]],
    "endpoint_type": ["admin"],
    "identity_api_version": [3, "3", "2.0"],
    "cacert": ["~/ca.pem"], "cert": ["/c.pem"], "key": ["/k.pem"],
    "verify": [True, False, "/etc/ca.pem"],
    "insecure": [True, False, "true", "yes"],
    "api_timeout": [5, 2.5, "7"], "compute_timeout": [9],
    "infra-optim_endpoint_override": ["http://override.test:9322"],
    "infra_optim_endpoint": ["http://other.test:9322"],
    "resource_optimization_endpoint_override": ["http://official.test"],
    "volume_api_version": [3], "image_endpoint_override": ["http://i"],
    "username": ["bob"], "project_name": ["top"], "domain_id": ["d2"],
    "profile": ["rackspace"], "regions": [["RegionOne"]],
    "networks": [[]], "auth-type": ["token"], "floating_ip_source": ["x"],
    "unknown_setting": ["x"],
}
#: Usual keys more often than unusual ones.
RARE = {"profile", "regions", "networks", "auth-type", "unknown_setting",
        "tenant_name", "endpoint_type", "compute_timeout"}
#: Variables beside OS_CLOUD.
ENVIRONMENT = {
    "OS_USERNAME": ["carol"],
    "OS_PASSWORD": ["env-s3cret"], "OS_REGION_NAME": ["RegionOne",
                                                      "RegionTwo"],
    "OS_INTERFACE": ["internal"], "OS_AUTH_TYPE": ["password", "none"],
    "OS_PROJECT_NAME": ["envproject"], "OS_INSECURE": ["true", "false"],
    "OS_API_TIMEOUT": ["3"], "OS_AUTH_URL": [AUTH_URL],
    "OS_ENDPOINT": [ENDPOINT],
}


def sections(values, rare_chance, max_size=None):
    usual = {key: value for key, value in values.items() if key not in RARE}
    rare = {key: value for key, value in values.items() if key in RARE}
    return st.builds(
        lambda common, odd, keep: {**common, **(odd if keep else {})},
        assignments(usual, max_size), assignments(rare, 1),
        st.integers(0, rare_chance).map(lambda n: n == 0))


#: What a login usually has; most generated clouds start from it.
USUAL_AUTH = {"auth_url": AUTH_URL, "username": "alice",
              "password": "s3cret-pw", "project_name": "admin",
              "user_domain_name": "Default",
              "project_domain_name": "Default"}


def one_cloud():
    return st.builds(
        lambda usual, auth_section, top, with_auth: {
            **top, **({"auth": {**usual, **auth_section}} if with_auth
                      else {})},
        st.sampled_from([USUAL_AUTH, USUAL_AUTH, {}]), sections(AUTH, 8, 2),
        assignments({key: value for key, value in CLOUD.items()
                     if key not in RARE}, 4).flatmap(
            lambda usual: sections(CLOUD, 8).map(
                lambda more: {**usual, **more} if len(more) < 3 else usual)),
        st.integers(0, 5).map(lambda n: n > 0))


CLOUDS_FILES = st.fixed_dictionaries({
    "clouds": st.one_of(
        st.fixed_dictionaries({"alpha": one_cloud(), "beta": one_cloud()}),
        st.fixed_dictionaries({"alpha": one_cloud()}), st.just({})),
    "cache": st.sampled_from([None, {"auth": True}, {"auth": "false"}]),
})
SECURE_FILES = st.one_of(st.none(), st.builds(
    lambda passwords: {"clouds": {name: {"auth": {"password": password}}
                                  for name, password in passwords.items()}},
    st.dictionaries(st.sampled_from(CLOUD_NAMES),
                    st.sampled_from(["secure-s3cret", "other-s3cret"]))))


def written(path, content):
    if content is None:
        if path.exists():
            path.unlink()
        return
    content = {key: value for key, value in content.items()
               if value is not None}
    path.write_text(yaml.safe_dump(content))


def reference(options, clouds_file, secure_file):
    """openstacksdk's answer over the same files."""
    return shell_auth.reference(options, [str(clouds_file)],
                                [str(secure_file)])


@pytest.fixture
def files(no_clouds_yaml, monkeypatch):
    """Where the generated files go; the variables point there."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(no_clouds_yaml / "cache"))
    return no_clouds_yaml / "clouds.yaml", no_clouds_yaml / "secure.yaml"


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(clouds_content=CLOUDS_FILES, secure_content=SECURE_FILES,
       environ=st.builds(
           lambda cloud, others: {**cloud, **others},
           st.sampled_from([{"OS_CLOUD": name} for name in (
               *CLOUD_NAMES, "alpha", "missing", "")] + [{}] * 2),
           assignments(ENVIRONMENT, 3)),
       given_options=assignments({
           "OS_REGION_NAME": ["RegionTwo"], "OS_USERNAME": ["dave"],
           "OS_AUTH_TYPE": ["token", "v3password"], "OS_TOKEN": ["t2"],
           "OS_INTERFACE": ["admin"]}, 2),
       os_cloud=st.sampled_from([None, *CLOUD_NAMES]))
def test_same_outcome_as_openstacksdk(files, monkeypatch, clouds_content,
                                      secure_content, environ, given_options,
                                      os_cloud):
    clouds_file, secure_file = files
    written(clouds_file, clouds_content)
    written(secure_file, secure_content)
    argv = [arg for name, value in given_options.items()
            for arg in (OPTIONS[name], value)]
    argv += ["--os-cloud", os_cloud] if os_cloud else []
    environ = {**environ, "OS_CLIENT_CONFIG_FILE": str(clouds_file),
               "OS_CLIENT_SECURE_FILE": str(secure_file)}
    with monkeypatch.context() as patch:
        options = parse(argv, environ, patch)
        ours = outcome(lambda: auth.from_options(options))
        event("openstacksdk" if ours is None else "read here"
              if len(ours) == 5 else f"error {str(ours[1])[:50]}")
        if ours is not None:
            assert ours == outcome(
                lambda: reference(options, clouds_file, secure_file))
    assert not (clouds_file.parent / "cache").exists()


def test_what_nearly_everyone_writes_needs_no_openstacksdk(files,
                                                           monkeypatch):
    """The sandbox's clouds.yaml, secure.yaml beside it, overrides."""
    clouds_file, secure_file = files
    written(clouds_file, {"clouds": {"mine": {
        "auth": {"auth_url": AUTH_URL, "username": "admin",
                 "project_name": "admin", "user_domain_name": "Default",
                 "project_domain_name": "Default"},
        "region_name": "RegionOne", "interface": "public",
        "identity_api_version": 3, "api_timeout": 30,
        "infra-optim_endpoint_override": ENDPOINT}}})
    written(secure_file, {"clouds": {"mine": {"auth": {
        "password": "from-secure-yaml"}}}})
    options = parse(["--os-username", "other", "--os-interface", "internal"],
                    {"OS_CLOUD": "mine",
                     "OS_CLIENT_CONFIG_FILE": str(clouds_file),
                     "OS_CLIENT_SECURE_FILE": str(secure_file)}, monkeypatch)
    login = auth.from_options(options)
    assert login is not None
    assert login.session.auth._username == "other"
    assert login.session.auth._password == "from-secure-yaml"
    assert login.endpoint == {
        "interface": "internal", "region_name": "RegionOne",
        "endpoint_override": ENDPOINT, "timeout": 30}
    assert login.tokens is None
    assert login == reference(options, clouds_file, secure_file) or (
        outcome(lambda: login) == outcome(
            lambda: reference(options, clouds_file, secure_file)))


def test_every_secret_of_the_files_is_masked(files, monkeypatch):
    clouds_file, secure_file = files
    written(clouds_file, {"clouds": {
        "mine": {"auth_type": "none", "auth": {"endpoint": ENDPOINT}},
        "other": {"auth": {"password": "other-cloud-pw",
                           "application_credential_secret": "ac-secret-1"}}
    }})
    written(secure_file, {"clouds": {"mine": {"auth": {
        "token": "token-in-secure"}}}})
    options = parse([], {"OS_CLOUD": "mine",
                         "OS_CLIENT_CONFIG_FILE": str(clouds_file),
                         "OS_CLIENT_SECURE_FILE": str(secure_file)},
                    monkeypatch)
    secrets.forget_all()
    try:
        clouds.settings(options)
        for secret in ("other-cloud-pw", "ac-secret-1", "token-in-secure"):
            assert secrets.mask(f"said {secret}.") == "said ***."
    finally:
        secrets.forget_all()


@pytest.mark.parametrize("content", [
    "clouds: [unclosed\n", "- just\n- a list\n",
    "clouds:\n  mine:\n    profile: rackspace\n",
    "clouds:\n  mine:\n    regions: [RegionOne]\n",
    "clouds:\n  mine:\n    auth_type: v3oidcpassword\n",
    "clouds:\n  mine:\n    auth:\n      auth-url: http://k\n",
])
def test_what_it_does_not_follow_goes_to_openstacksdk(files, monkeypatch,
                                                      content):
    clouds_file, _ = files
    clouds_file.write_text(content)
    options = parse([], {"OS_CLOUD": "mine",
                         "OS_CLIENT_CONFIG_FILE": str(clouds_file)},
                    monkeypatch)
    assert clouds.settings(options) is None


def test_service_aliases_are_os_service_types():
    import os_service_types

    assert clouds.SERVICE_KEYS == tuple(
        name.replace("-", "_") for name in
        os_service_types.ServiceTypes().get_all_types("infra-optim"))


def test_defaults_are_openstacksdk_s():
    from openstack.config import defaults

    assert clouds.DEFAULTS == defaults.get_defaults()
