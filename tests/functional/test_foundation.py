"""Both entry points, auth options and one-line errors, on the sandbox."""

import importlib.metadata
import re

from tests.functional.conftest import run
from tests.functional.conftest import version_text

UNKNOWN_PLAN = "0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13"
#: Every ``openstack optimize`` command this distribution registers.
OUR_COMMANDS = {
    entry_point.name.replace("_", " ") for entry_point in
    importlib.metadata.distribution(
        "python-watcherclient-ext").entry_points.select(
            group="openstack.extension")}


def assert_one_line_error(result, pattern, code=1):
    assert result.returncode == code, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    assert re.search(pattern, lines[0]), result
    assert "Traceback" not in result.stderr


def test_version():
    result = run("watcher-ext", "--version")
    assert result.returncode == 0
    assert re.fullmatch(r"watcher-ext \d+\.\d+\.\d+\n",
                        result.stdout + result.stderr)


def openstack_commands(bin_dir=None):
    kwargs = {"bin_dir": bin_dir} if bin_dir else {}
    result = run("openstack", "command", "list", "-f", "json", **kwargs)
    assert result.returncode == 0, result
    assert result.stderr == ""
    return {name for group in result.json() for name in group["Commands"]}


def optimize_help(bin_dir=None):
    """The commands ``openstack optimize --help`` lists."""
    kwargs = {"bin_dir": bin_dir} if bin_dir else {}
    result = run("openstack", "optimize", "--help", **kwargs)
    assert result.returncode == 0, result
    return {line.strip() for line in result.stdout.splitlines()
            if line.startswith("  optimize ")}


def test_openstack_lists_our_commands():
    assert OUR_COMMANDS <= openstack_commands()
    assert OUR_COMMANDS <= optimize_help()


def test_unknown_plan_is_one_line(cli, watcher):
    request = r", request req-[0-9a-f-]+" if watcher.sends_request_ids else ""
    assert_one_line_error(cli("actionplan", "show", UNKNOWN_PLAN),
                          rf"Action plan {UNKNOWN_PLAN} not found "
                          rf"\(HTTP 404{request}\)")


def test_malformed_uuid_is_refused_before_any_request(cli):
    # The endpoint refuses connections: had a request been sent, the
    # error would be about the connection, not the UUID.
    result = cli("actionplan", "cancel", "0f3c2a9e",
                 env={"OS_ENDPOINT": "http://127.0.0.1:9"})
    assert_one_line_error(result, r"Action plan '0f3c2a9e' is not a UUID: "
                                  r"expected 32 hexadecimal digits", code=2)


def test_api_down_names_the_url(cli):
    result = cli("actionplan", "show", UNKNOWN_PLAN,
                 env={"OS_ENDPOINT": "http://127.0.0.1:9"})
    assert_one_line_error(result, r"Cannot connect to http://127\.0\.0\.1:9/")


def test_unresolvable_host_is_named(cli):
    result = cli("actionplan", "show", UNKNOWN_PLAN,
                 env={"OS_ENDPOINT": "http://no-such-host.invalid:9322"})
    assert_one_line_error(result, r"Cannot resolve host 'no-such-host\."
                                  r"invalid'")


def test_pinned_version_outside_server_range(cli, watcher):
    result = cli("actionplan", "show", UNKNOWN_PLAN,
                 env={"OS_INFRA_OPTIM_API_VERSION": "1.99"})
    oldest, newest = map(version_text, watcher.api_range)
    assert_one_line_error(result, rf"API version 1\.99 is not supported by "
                                  rf"the server \(it supports "
                                  rf"{re.escape(oldest)} to "
                                  rf"{re.escape(newest)}\)")


def test_pinned_version_by_option(watcher):
    result = run("watcher-ext", "--os-infra-optim-api-version", "1.0",
                 "actionplan", "show", UNKNOWN_PLAN)
    assert_one_line_error(result, "not found")
    result = run("watcher-ext", "--os-infra-optim-api-version", "one",
                 "actionplan", "show", UNKNOWN_PLAN)
    # A usage error, before any request: argparse's usage, then the line.
    assert result.returncode == 2, result
    assert result.stderr.splitlines()[-1].endswith(
        "invalid API version 'one': use MAJOR.MINOR such as 1.4, or 'latest'")
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2(cli):
    result = cli("actionplan", "cancel")
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback_and_requests(watcher):
    result = run("watcher-ext", "--debug", "actionplan", "show", UNKNOWN_PLAN)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert f"GET {watcher.endpoint}/v1/action_plans/{UNKNOWN_PLAN}" in (
        result.stderr)


def test_unknown_cloud_is_one_line(cli):
    result = cli("actionplan", "show", UNKNOWN_PLAN,
                 env={"OS_CLOUD": "no-such-cloud", "OS_AUTH_TYPE": "",
                      "OS_ENDPOINT": ""})
    assert_one_line_error(result, "no-such-cloud")
