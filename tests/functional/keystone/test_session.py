"""The session layer authenticates once per command, however many calls."""

#: What keystoneauth logs at --debug for every request it sends.
REQUEST = "REQ: curl"


def test_one_token_for_a_command_that_polls(cli, sandbox, watcher):
    plan = watcher.ongoing_plan([3.1, 3.2, 3.3])["uuid"]
    before = sandbox.token_requests()

    result = cli("actionplan", "cancel", plan, "--wait", "60",
                 "--poll-interval", "0.2", options=["--debug"])

    assert sandbox.token_requests() - before == 1
    assert result.returncode == 0, result
    watcher_calls = [line for line in result.stderr.splitlines()
                     if line.startswith(REQUEST) and "/v1/" in line]
    assert len(watcher_calls) >= 5, result.stderr
    assert watcher.plan(plan)["state"] == "CANCELLED"
