"""clouds.yaml as operators write it, and a token kept between calls."""

import json
import os
import stat

import pytest
import requests
import yaml
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import generic

from tests.functional.keystone.conftest import CLOUD
from tests.functional.keystone.conftest import MEMBER_CLOUD
from tests.functional.keystone.conftest import run
from tests.functional.test_foundation import assert_one_line_error


def write_clouds(path, clouds, **top):
    path.write_text(yaml.safe_dump({"clouds": clouds, **top}))
    path.chmod(0o600)
    return str(path)


@pytest.fixture
def split_clouds(sandbox, tmp_path):
    """The sandbox's clouds, their passwords moved to a secure.yaml."""
    clouds = {name: json.loads(json.dumps(cloud))
              for name, cloud in sandbox.clouds.items()}
    passwords = {name: {"auth": {"password": cloud["auth"].pop("password")}}
                 for name, cloud in clouds.items()}
    return {"OS_CLIENT_CONFIG_FILE": write_clouds(
                tmp_path / "clouds.yaml", clouds),
            "OS_CLIENT_SECURE_FILE": write_clouds(
                tmp_path / "secure.yaml", passwords)}


def shows(result, plan):
    assert result.returncode == 0, result
    assert result.json()["UUID"] == plan
    return result


def test_password_from_secure_yaml(cli, plan, split_clouds):
    shows(cli("actionplan", "show", plan, "-f", "json", env=split_clouds),
          plan)


def test_member_refused(cli, plan, split_clouds):
    result = cli("actionplan", "show", plan,
                 options=["--os-cloud", MEMBER_CLOUD], env=split_clouds)
    assert_one_line_error(result, r"HTTP 403")


@pytest.mark.parametrize("how", ["option", "variable"])
def test_options_and_variables_beat_clouds_yaml(cli, sandbox, plan, how):
    """clouds.yaml says interface public; the internal endpoint is the
    same API, named localhost."""
    if how == "option":
        result = cli("actionplan", "show", plan, "-f", "json",
                     options=["--debug", "--os-interface", "internal"])
    else:
        result = cli("actionplan", "show", plan, "-f", "json",
                     options=["--debug"], env={"OS_INTERFACE": "internal"})
    shows(result, plan)
    port = sandbox.settings["api_port"]
    assert f"http://localhost:{port}/v1/action_plans/{plan}" in result.stderr


def test_region_the_cloud_names_first(cli, sandbox, plan, tmp_path):
    cloud = {**sandbox.clouds[CLOUD], "region_name": ["Nowhere", "RegionOne"]}
    env = {"OS_CLIENT_CONFIG_FILE": write_clouds(tmp_path / "clouds.yaml",
                                                 {CLOUD: cloud})}
    assert_one_line_error(cli("actionplan", "show", plan, env=env),
                          r"infra-optim.*region Nowhere")
    shows(cli("actionplan", "show", plan, "-f", "json", env=env,
              options=["--os-region-name", "RegionOne"]), plan)


@pytest.fixture
def cached(sandbox, tmp_path):
    """watcher-ext with clouds.yaml's ``cache: {auth: true}``, its cache
    directory in ``tmp_path``."""
    env = {"OS_CLIENT_CONFIG_FILE": write_clouds(
               tmp_path / "clouds.yaml", sandbox.clouds,
               cache={"auth": True}),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def watcher_ext(*args):
        return run(sandbox, "watcher-ext", *args, env=env)

    watcher_ext.directory = tmp_path / "cache" / "watcher-ext" / "auth"
    return watcher_ext


def cached_token(directory):
    (entry,) = directory.iterdir()
    return json.loads(entry.read_text())["auth_token"]


def test_one_token_for_two_calls(cached, sandbox, plan):
    before = sandbox.token_requests()
    shows(cached("actionplan", "show", plan, "-f", "json"), plan)
    second = shows(cached("--debug", "actionplan", "show", plan, "-f",
                          "json"), plan)
    assert sandbox.token_requests() - before == 1
    assert stat.S_IMODE(os.stat(cached.directory).st_mode) == 0o700
    (entry,) = cached.directory.iterdir()
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    token = cached_token(cached.directory)
    assert token not in second.stdout + second.stderr
    assert "Reusing the token cached" in second.stderr


def test_a_revoked_token_is_dropped(cached, sandbox, plan, admin_token):
    """Watcher's keystonemiddleware remembers a token it has checked for
    minutes: the one revoked is one Watcher has not seen yet."""
    shows(cached("actionplan", "show", plan, "-f", "json"), plan)
    (entry,) = cached.directory.iterdir()
    unseen = ks_session.Session(auth=generic.Password(**sandbox.auth()))
    revoked = unseen.get_token()
    entry.write_text(unseen.auth.get_auth_state())
    answer = requests.delete(
        sandbox.auth()["auth_url"] + "/auth/tokens", timeout=30,
        headers={"X-Auth-Token": admin_token, "X-Subject-Token": revoked})
    assert answer.status_code == 204, answer.text
    before = sandbox.token_requests()

    shows(cached("actionplan", "show", plan, "-f", "json"), plan)

    assert sandbox.token_requests() - before == 1
    assert cached_token(cached.directory) not in (revoked, "")


def test_each_login_its_own_token(cached, sandbox, plan):
    shows(cached("actionplan", "show", plan, "-f", "json"), plan)
    result = cached("--os-cloud", MEMBER_CLOUD, "actionplan", "show", plan)
    assert_one_line_error(result, r"HTTP 403")
    # Keystone gave the member a token (Watcher's policy refused the
    # call): kept beside the admin's.
    assert len(list(cached.directory.iterdir())) == 2
    result = cached("--os-password", "wrong", "actionplan", "show", plan)
    assert_one_line_error(result, r"HTTP 401")
    assert len(list(cached.directory.iterdir())) == 2


def test_nothing_written_without_the_opt_in(sandbox, plan, tmp_path):
    result = run(sandbox, "watcher-ext", "actionplan", "show", plan, "-f",
                 "json", env={"XDG_CACHE_HOME": str(tmp_path)})
    shows(result, plan)
    assert not (tmp_path / "watcher-ext").exists()
