"""Triggering EVENT audits through their webhooks."""

import dataclasses

from watcherclient_ext import errors
from watcherclient_ext import secrets
from watcherclient_ext.api import answers
from watcherclient_ext.api import states
from watcherclient_ext.api import urls

#: The API microversion that introduced webhooks.
WEBHOOK_VERSION = (1, 4)


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
    if state not in states.TRIGGERABLE_STATES:
        raise NotTriggerable(
            f"Audit {name} is {state}; only a PENDING or SUCCEEDED EVENT "
            "audit can be triggered")


@dataclasses.dataclass
class Triggered:
    """What a trigger did: the audit posted to (its UUID when it was read,
    else as named), its name if known, the URL posted to, and the plan it
    made when waited for."""

    audit: str
    name: str
    url: str
    plan: dict = None

    @property
    def result(self):
        return "accepted" if self.plan is None else "action plan made"


class Webhooks:
    def __init__(self, session, audits, action_plans, *, anonymous=False):
        self._session = session
        self._audits = audits
        self._plans = action_plans
        self._anonymous = anonymous

    def run(self, ident, data, spec, feedback, *, poster=None):
        """Trigger audit ``ident`` and, with a ``spec``
        (:class:`~watcherclient_ext.api.waiting.WaitSpec`), wait for the
        plan it makes (exit 3 if the audit ends without one).

        The audit and its plans are read here; the POST goes through
        ``poster`` (the :class:`Webhooks` of an anonymous client, for a
        webhook URL given as is) when given.
        """
        try:
            trigger = self.trigger(ident, data, need_audit=spec is not None,
                                   poster=poster)
        except KeyboardInterrupt:
            # The POST may have been taken, its answer lost: posting again
            # could trigger twice.
            feedback.say("Interrupted; the trigger may have been sent: see "
                         f"`audit show {ident}` before triggering again")
            raise
        audit = trigger.audit or {"uuid": ident}
        done = Triggered(audit["uuid"], audit.get("name"), trigger.url)
        if spec is None:
            return done
        from watcherclient_ext.api import audits as audits_api

        try:
            done.plan = audits_api.follow_to_plan(
                self._audits, trigger.audit, trigger.newest_before, spec,
                feedback)
        except KeyboardInterrupt:
            feedback.say("Interrupted; the trigger was sent and the audit "
                         "runs on")
            raise
        return done

    def trigger(self, ident, data, *, need_audit=True, poster=None):
        """Check the audit, then POST once (a retry could trigger twice),
        through ``poster`` if given.

        Watcher's policy may let a caller trigger (webhook:trigger: admin
        or service role, as Aodh's user has) but not read audits
        (audit:get: admin). Unless it needs the audit, such a caller posts
        unchecked, and Watcher's answer decides; the Trigger has no audit.
        """
        self._session.require(WEBHOOK_VERSION, "Webhooks")
        poster = poster or self
        try:
            audit = self._audits.get(ident)
        except errors.Forbidden:
            if need_audit:
                raise
            return Trigger(None, None, poster.post(ident, data))
        check_triggerable(audit, ident)
        if not audit.get("force"):
            self._check_no_plan_running(ident)
        before = self._plans.newest_of_audit(audit["uuid"])
        return Trigger(audit, before, poster.post(audit["uuid"], data))

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
                "audit has no force); wait for that plan to end",
                remedy="force")

    def trigger_unchecked(self, ident, data):
        """POST with no look-up first, for callers who may not read audits
        (or have no credentials at all); returns the URL posted to."""
        return self.post(ident, data)

    def run_unchecked(self, ident, data, feedback):
        """:meth:`trigger_unchecked`, its outcome a :class:`Triggered`."""
        try:
            return Triggered(ident, None, self.trigger_unchecked(ident, data))
        except KeyboardInterrupt:
            feedback.say("Interrupted; the trigger may have been sent: "
                         "check the audit before triggering again")
            raise

    def url(self, ident):
        """The webhook URL of audit ``ident``, for monitoring systems: it
        carries no ``user:password@`` of the endpoint, as it is shown."""
        return secrets.strip_userinfo(self._session.url(_path(ident)))

    def post(self, ident, data):
        """The one POST of a trigger; returns the URL posted to.  Once sent,
        it stays sent: a failure after it is
        :class:`answers.WriteUnconfirmed`, whose target is that URL."""
        self._session.require(WEBHOOK_VERSION, "Webhooks")
        url = self.url(ident)
        try:
            answers.write_once(
                lambda: self._session.post(_path(ident), data),
                f"trigger of audit {ident}", url)
        except errors.HTTPError as exc:
            if not (self._anonymous and exc.status == 401):
                raise
            raise errors.AuthenticationFailed(
                "Watcher refused the webhook without a token (HTTP 401): "
                "its [api] enable_webhooks_auth is true",
                remedy="webhook_credentials") from exc
        return url
