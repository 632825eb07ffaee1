"""Triggering EVENT audits, and waiting for the plan a trigger makes."""

import dataclasses

from watcherclient_ext.api import errors
from watcherclient_ext.api import waiting

#: The API microversion that introduced webhooks.
WEBHOOK_VERSION = (1, 4)
TRIGGERABLE_STATES = ("PENDING", "SUCCEEDED")
_AUDIT_FAILED_STATES = ("FAILED", "CANCELLED")


class NotTriggerable(errors.WatcherClientError):
    """Watcher would refuse this trigger; nothing was posted."""


class AuditEndedWithoutPlan(errors.WatcherClientError):
    """The triggered audit failed or was cancelled; no plan was made."""

    exit_code = errors.EXIT_OTHER_END

    def __init__(self, message, audit):
        super().__init__(message)
        self.audit = audit


@dataclasses.dataclass
class Trigger:
    """A sent trigger: the audit as it was (None if the caller may not read
    it), the plans that existed, and the URL posted to."""

    audit: dict
    plans_before: frozenset
    url: str


def _path(ident):
    return f"/v1/webhooks/{ident}"


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
            return Trigger(None, frozenset(), self._post(ident, data))
        check_triggerable(audit, ident)
        if not audit.get("force"):
            self._check_no_plan_running(ident)
        before = frozenset(
            plan["uuid"] for plan in self._plans.list_for_audit(audit["uuid"]))
        return Trigger(audit, before, self._post(audit["uuid"], data))

    def _check_no_plan_running(self, name):
        """The decision engine drops such a trigger: the audit stays PENDING.

        It refuses to run an audit without ``force`` while any action plan
        is ONGOING, and for a triggered EVENT audit says so only in its log.
        """
        running = self._plans.ongoing()
        if running:
            raise NotTriggerable(
                f"Action plan {running[0]['uuid']} is ONGOING, and Watcher "
                f"ignores a trigger of audit {name} until no plan runs (the "
                "audit has no force); wait for that plan to end, or create "
                "the audit with --force")

    def trigger_unchecked(self, ident, data):
        """POST with no look-up first, for callers who may not read audits."""
        self._session.require(WEBHOOK_VERSION, "Webhooks")
        return self._post(ident, data)

    def url(self, ident):
        """The webhook URL of audit ``ident``, for monitoring systems."""
        return self._session.url(_path(ident))

    def _post(self, ident, data):
        """The one POST of a trigger; returns the URL posted to."""
        self._session.post(_path(ident), data)
        return self.url(ident)

    def wait_for_plan(self, trigger, *, timeout=None,
                      poll_interval=waiting.DEFAULT_POLL_INTERVAL,
                      on_poll=None):
        """The action plan this trigger made.

        The audit's state cannot tell: a re-triggered audit may already be
        SUCCEEDED, or stuck ONGOING by a Watcher bug. A plan that was not
        there before the POST can; an audit that turns FAILED or CANCELLED
        has ended without one.
        """
        uuid = trigger.audit["uuid"]

        def fetch():
            new = [plan for plan in self._plans.list_for_audit(uuid)
                   if plan["uuid"] not in trigger.plans_before]
            return (new[0] if new else None), self._audits.get(uuid)

        def done(result):
            plan, audit = result
            return plan is not None or audit["state"] in _AUDIT_FAILED_STATES

        plan, audit = waiting.wait_for(
            fetch, done, timeout=timeout, poll_interval=poll_interval,
            on_poll=on_poll, describe=f"an action plan of audit {uuid}")
        if plan is not None:
            return self._plans.get(plan["uuid"])
        raise AuditEndedWithoutPlan(_ended_without_plan(audit), audit)


def _ended_without_plan(audit):
    name = audit.get("name") or audit["uuid"]
    if audit["state"] == "CANCELLED":
        if audit.get("force"):
            return f"Audit {name} was CANCELLED without an action plan"
        return (f"Audit {name} was CANCELLED by the decision engine, which "
                "cancels an audit that starts while another action plan is "
                "ONGOING; create the audit with --force to run it anyway")
    reason = audit.get("status_message") or "no reason given"
    return f"Audit {name} FAILED without an action plan: {reason}"
