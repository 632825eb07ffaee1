"""Triggering a webhook without Keystone: only where Watcher allows it.

``[api] enable_webhooks_auth`` is true in the sandbox (Watcher's default):
a webhook wants a token like any other call.  The ``open_webhooks_api``
fixture serves the same Watcher with it false.
"""

from tests.functional.keystone.conftest import NO_CLOUD
from tests.functional.keystone.conftest import run
from tests.functional.test_foundation import assert_one_line_error


def event_audit(watcher):
    return watcher.create_audit(audit_type="EVENT", goal="dummy",
                                strategy="dummy")["uuid"]


def trigger_without_credentials(sandbox, url):
    return run(sandbox, "watcher-ext", "webhook", "trigger", "--url", url,
               "-f", "json", env=NO_CLOUD)


def test_refused_when_webhooks_want_a_token(sandbox, watcher):
    audit = event_audit(watcher)
    result = trigger_without_credentials(
        sandbox, f"{watcher.endpoint}/v1/webhooks/{audit}")
    # Says why, and what to do: not Keystone's JSON error document.
    assert_one_line_error(result, r"HTTP 401")
    assert "{" not in result.stderr
    assert "credentials" in result.stderr
    assert watcher.audit(audit)["state"] == "PENDING"
    assert watcher.plans_of(audit) == []


def test_accepted_when_webhooks_are_open(sandbox, watcher,
                                         open_webhooks_api):
    audit = event_audit(watcher)
    result = trigger_without_credentials(
        sandbox, f"{open_webhooks_api}/v1/webhooks/{audit}")
    assert result.returncode == 0, result
    assert result.json()["Result"] == "accepted"
    watcher.wait(lambda: watcher.plans_of(audit), bool,
                 what=f"a plan of audit {audit}")
