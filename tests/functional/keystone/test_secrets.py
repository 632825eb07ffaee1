"""Passwords and tokens never reach the output, not even with --debug."""

import pytest

from tests.functional.keystone.conftest import FERNET_TOKEN
from tests.functional.keystone.conftest import NO_CLOUD
from tests.functional.keystone.conftest import run


def assert_no_secret(result, *secrets):
    output = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in output
    assert not FERNET_TOKEN.search(output), output


def token_variables(sandbox, token):
    auth = sandbox.auth()
    return {**NO_CLOUD, "OS_AUTH_TYPE": "token", "OS_TOKEN": token,
            "OS_AUTH_URL": auth["auth_url"],
            "OS_PROJECT_NAME": auth["project_name"],
            "OS_PROJECT_DOMAIN_NAME": auth["project_domain_name"]}


@pytest.mark.parametrize("credentials", ["clouds.yaml", "OS_PASSWORD"])
def test_password(cli, sandbox, plan, credentials):
    env = None
    if credentials == "OS_PASSWORD":
        env = {**NO_CLOUD, **sandbox.os_variables()}
    shown = cli("actionplan", "show", plan, options=["--debug"], env=env)
    created = cli("audit", "create", "-g", "dummy", "-s", "dummy",
                  options=["--debug"], env=env)
    for result in (shown, created):
        assert result.returncode == 0, result
        assert_no_secret(result, sandbox.auth()["password"])


def test_wrong_password(cli, sandbox, plan):
    wrong = "not-" + sandbox.auth()["password"]
    result = cli("actionplan", "show", plan, options=["--debug"], env={
        **NO_CLOUD, **sandbox.os_variables(OS_PASSWORD=wrong)})
    assert result.returncode == 1, result
    assert_no_secret(result, wrong)


def test_token_from_the_environment(cli, sandbox, plan, admin_token):
    result = cli("actionplan", "show", plan, options=["--debug"],
                 env=token_variables(sandbox, admin_token))
    assert result.returncode == 0, result
    assert_no_secret(result, admin_token)


def test_token_option(sandbox, plan, admin_token):
    """watcher-ext only: `openstack --debug` echoes its own command line."""
    result = run(sandbox, "watcher-ext", "--debug", "--os-token", admin_token,
                 "actionplan", "show", plan,
                 env=token_variables(sandbox, "unused"))
    assert result.returncode == 0, result
    assert_no_secret(result, admin_token)


def test_member_refused(cli, sandbox, plan):
    result = cli("actionplan", "show", plan, options=[
        "--debug", "--os-cloud", "watcher-sandbox-member"])
    assert result.returncode == 1, result
    assert_no_secret(result, sandbox.auth("watcher-sandbox-member")[
        "password"])
