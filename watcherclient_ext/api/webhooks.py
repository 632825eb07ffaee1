"""Triggering EVENT audits through their webhooks."""

import dataclasses

from watcherclient_ext import errors
from watcherclient_ext import secrets
from watcherclient_ext.api import answers
from watcherclient_ext.api import urls

#: The API microversion that introduced webhooks.
WEBHOOK_VERSION = (1, 4)
TRIGGERABLE_STATES = ("PENDING", "SUCCEEDED")


class NotTriggerable(errors.WatcherClientError):
    """Watcher would refuse this trigger; nothing was posted."""


@dataclasses.dataclass
class Trigger:
    """A sent trigger: the audit as it was (None if the caller may not read
    it), its newest plan before the POST (None if it had none), and the URL
    posted to."""

    audit: dict
    newest_before: dict
    url: str


def _path(ident):
    return urls.path("v1", "webhooks", ident)


def check_triggerable(audit, name):
    if audit["audit_type"] != "EVENT":
        raise NotTriggerable(
            f"Audit {name} is {audit['audit_type']}; only EVENT audits can "
            "be triggered")
    state = audit["state"]
    if state == "ONGOING":
        raise NotTriggerable(
            f"Audit {name} is ONGOING, and Watcher accepts a trigger only "
            "when it is PENDING or SUCCEEDED. It may still be running; if it "
            "was triggered before, Watcher 17 leaves a re-triggered audit "
            "ONGOING for ever (a known bug): create a new EVENT audit")
    if state not in TRIGGERABLE_STATES:
        raise NotTriggerable(
            f"Audit {name} is {state}; only a PENDING or SUCCEEDED EVENT "
            "audit can be triggered")


class Webhooks:
    def __init__(self, session, audits, action_plans):
        self._session = session
        self._audits = audits
        self._plans = action_plans

    def trigger(self, ident, data, *, need_audit=True):
        """Check the audit, then POST once (a retry could trigger twice).

        Watcher's policy may let a caller trigger (webhook:trigger: admin
        or service role, as Aodh's user has) but not read audits
        (audit:get: admin). Unless it needs the audit, such a caller posts
        unchecked, and Watcher's answer decides; the Trigger has no audit.
        """
        self._session.require(WEBHOOK_VERSION, "Webhooks")
        try:
            audit = self._audits.get(ident)
        except errors.Forbidden:
            if need_audit:
                raise
            return Trigger(None, None, self._post(ident, data))
        check_triggerable(audit, ident)
        if not audit.get("force"):
            self._check_no_plan_running(ident)
        before = self._plans.newest_of_audit(audit["uuid"])
        return Trigger(audit, before, self._post(audit["uuid"], data))

    def _check_no_plan_running(self, name):
        """The decision engine drops such a trigger: the audit stays PENDING.

        It refuses to run an audit without ``force`` while any action plan
        is ONGOING, and for a triggered EVENT audit says so only in its log.
        """
        running = self._plans.ongoing()
        if running:
            raise NotTriggerable(
                f"Action plan {running['uuid']} is ONGOING, and Watcher "
                f"ignores a trigger of audit {name} until no plan runs (the "
                "audit has no force); wait for that plan to end, or create "
                "the audit with --force")

    def trigger_unchecked(self, ident, data):
        """POST with no look-up first, for callers who may not read audits."""
        self._session.require(WEBHOOK_VERSION, "Webhooks")
        return self._post(ident, data)

    def url(self, ident):
        """The webhook URL of audit ``ident``, for monitoring systems: it
        carries no ``user:password@`` of the endpoint, as it is shown."""
        return secrets.strip_userinfo(self._session.url(_path(ident)))

    def _post(self, ident, data):
        """The one POST of a trigger; returns the URL posted to.  Once sent,
        it stays sent: a failure after it is
        :class:`answers.WriteUnconfirmed`, whose target is that URL."""
        url = self.url(ident)
        answers.write_once(lambda: self._session.post(_path(ident), data),
                           f"trigger of audit {ident}", url)
        return url
