"""Credentials and the service catalog, through a real Keystone."""

import re

import pytest

from tests.functional.keystone.conftest import CLOUD
from tests.functional.keystone.conftest import NO_CLOUD
from tests.functional.keystone.conftest import free_port
from tests.functional.test_foundation import assert_one_line_error

#: keystoneauth's warning before it gives up on an auth URL; `openstack`
#: shows keystoneauth's warnings, and fails before our code runs.
DISCOVERY_WARNING = "Failed to discover available identity versions"


def assert_shows_plan(result, plan):
    assert result.returncode == 0, result
    assert result.json()["UUID"] == plan


def test_password_from_clouds_yaml(cli, plan):
    result = cli("actionplan", "show", plan, "-f", "json",
                 options=["--os-cloud", CLOUD], env={"OS_CLOUD": None})
    assert_shows_plan(result, plan)


def test_password_from_os_variables(cli, sandbox, plan):
    result = cli("actionplan", "show", plan, "-f", "json",
                 env={**NO_CLOUD, **sandbox.os_variables()})
    assert_shows_plan(result, plan)


@pytest.mark.parametrize("auth_type", ["token", "v3token"])
def test_token(cli, sandbox, plan, admin_token, auth_type):
    auth = sandbox.auth()
    result = cli("actionplan", "show", plan, "-f", "json", options=[
        "--os-auth-type", auth_type, "--os-token", admin_token,
        "--os-auth-url", auth["auth_url"],
        "--os-project-name", auth["project_name"],
        "--os-project-domain-name", auth["project_domain_name"]],
        env=NO_CLOUD)
    assert_shows_plan(result, plan)


def test_unknown_token(cli, sandbox, plan):
    auth = sandbox.auth()
    result = cli("actionplan", "show", plan, env={
        **NO_CLOUD, "OS_AUTH_TYPE": "token", "OS_TOKEN": "no-such-token",
        "OS_AUTH_URL": auth["auth_url"],
        "OS_PROJECT_NAME": auth["project_name"],
        "OS_PROJECT_DOMAIN_NAME": auth["project_domain_name"]})
    assert_one_line_error(result, r"(?i)token")


@pytest.mark.parametrize("interface, host", [
    (None, "127.0.0.1"), ("public", "127.0.0.1"), ("internal", "localhost")])
def test_endpoint_of_the_interface_asked(cli, sandbox, plan, interface,
                                         host):
    """The sandbox's catalog names the API 127.0.0.1 on the public
    interface and localhost on the internal one."""
    options = ["--debug"] + (["--os-interface", interface] if interface
                             else [])
    result = cli("actionplan", "show", plan, "-f", "json", options=options)
    assert_shows_plan(result, plan)
    port = sandbox.settings["api_port"]
    assert f"http://{host}:{port}/v1/action_plans/{plan}" in result.stderr


def test_interface_without_watcher(cli, plan):
    result = cli("actionplan", "show", plan,
                 options=["--os-interface", "admin"])
    assert_one_line_error(result, r"infra-optim.*interface admin.*; check "
                                  r"--os-interface/--os-region-name or set "
                                  r"--os-endpoint$")


def test_region_without_watcher_from_os_variables(cli, sandbox, plan):
    result = cli("actionplan", "show", plan, env={
        **NO_CLOUD, **sandbox.os_variables(OS_REGION_NAME="Nowhere")})
    assert_one_line_error(result, r"infra-optim.*region Nowhere")


def test_region_not_in_clouds_yaml(cli, plan):
    result = cli("actionplan", "show", plan,
                 options=["--os-region-name", "Nowhere"])
    assert_one_line_error(result, r"Nowhere")


def test_wrong_password_from_os_variables(cli, sandbox, plan):
    result = cli("actionplan", "show", plan, env={
        **NO_CLOUD, **sandbox.os_variables(OS_PASSWORD="wrong")})
    assert_one_line_error(result, r"HTTP 401")


def test_password_option_overrides_clouds_yaml(cli, plan):
    """As with `openstack`, a command-line option beats clouds.yaml."""
    result = cli("actionplan", "show", plan,
                 options=["--os-password", "wrong"])
    assert_one_line_error(result, r"HTTP 401")


def test_unknown_cloud(cli, plan):
    result = cli("actionplan", "show", plan,
                 options=["--os-cloud", "no-such-cloud"])
    assert_one_line_error(result, r"Cloud no-such-cloud was not found")


@pytest.mark.parametrize("host", ["127.0.0.1", "keystone.invalid"])
def test_unreachable_auth_url(cli, sandbox, plan, host):
    """Refused, or a name that cannot resolve: the error names the URL."""
    address = f"{host}:{free_port()}"
    auth_url = f"http://{address}/v3"
    result = cli("actionplan", "show", plan, env={
        **NO_CLOUD, **sandbox.os_variables(OS_AUTH_URL=auth_url)})
    if cli.program == "openstack":
        result.stderr = "".join(
            line for line in result.stderr.splitlines(keepends=True)
            if DISCOVERY_WARNING not in line)
    assert_one_line_error(result, re.escape(address))
