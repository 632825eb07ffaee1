"""Audits: lookup by UUID or name, creation, and waiting for a plan."""

import itertools
import time

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext.api import answers
from watcherclient_ext.api import states
from watcherclient_ext.api import urls
from watcherclient_ext.api import waiting

#: Microversions of the optional audit fields.
FIELD_VERSIONS = {"start_time": (1, 1), "end_time": (1, 1), "force": (1, 2)}
#: While waiting for a plan, the audit is read every this many polls (and
#: the plan list at each): a failed audit is rare, a new plan the point.
AUDIT_READ_EVERY = 5
#: How long a new plan of an audit left ONGOING is given for its actions to
#: be written before it is reported.
PLAN_SETTLE_SECONDS = 1.0
#: Fields of an audit the client reads, checked in every answer.
AUDIT_TEXT, AUDIT_OPTIONAL_TEXT = ("uuid", "state", "audit_type"), ("name",)


class AuditEndedWithoutPlan(errors.WatcherClientError):
    """The audit failed or was cancelled; no plan was made."""

    exit_code = errors.EXIT_OTHER_END


def is_newer(plan, before):
    """Whether ``plan``, an audit's newest now, came after ``before``, its
    newest then (None: it had none).

    Plans are listed newest first by id, so a plan other than the newest
    before is newer, unless that one was deleted since: then the creation
    times tell.
    """
    if plan is None:
        return False
    if before is None:
        return True
    return plan["uuid"] != before["uuid"] and (
        plan.get("created_at") or "") >= (before.get("created_at") or "")


class Audits:
    def __init__(self, session, action_plans):
        self._session = session
        self._plans = action_plans

    def get(self, ident):
        """The audit named or identified by ``ident``."""
        path = urls.path("v1", "audits", ident)
        try:
            body = self._session.get(path)
        except errors.NotFound as exc:
            raise exc.saying(f"Audit {ident} not found") from exc
        return _checked_audit(body, f"GET {path}")

    def template_uuid(self, ident):
        if identifiers.is_uuid(ident):
            return identifiers.canonical_uuid(ident)
        path = urls.path("v1", "audit_templates", ident)
        try:
            body = self._session.get(path)
        except errors.NotFound as exc:
            raise exc.saying(f"Audit template {ident} not found") from exc
        return answers.one(body, f"GET {path}", ("uuid",))["uuid"]

    def create(self, fields, setters=None):
        """POST the audit; optional fields are checked against the version
        first.  ``setters`` names what set each field (a command's option)
        for that check's message."""
        for field, since in FIELD_VERSIONS.items():
            if field in fields:
                self._session.require(since, (setters or {}).get(
                    field, f"An audit's {field}"))
        path = urls.path("v1", "audits")
        return answers.write_once(
            lambda: self._session.post(path, fields), "creation of the audit",
            path, lambda body: _checked_audit(body, f"POST {path}"))

    def create_and_follow(self, fields, template, spec, feedback,
                          setters=None):
        """Create the audit (from audit template ``template``, UUID or
        name, if given) and, with a ``spec``, wait for its plan:
        ``(audit, plan)``, the audit read again after the wait, the plan
        None without one."""
        if template:
            fields = dict(fields, audit_template_uuid=self.template_uuid(
                template))
        audit = self.create(fields, setters)
        if spec is None:
            return audit, None
        plan = follow_to_plan(self, audit, None, spec, feedback)
        return self.get(audit["uuid"]), plan

    def uuid_of(self, ident):
        """The UUID of the audit ``ident`` names, read only for a name."""
        return identifiers.canonical_uuid(ident) or self.get(ident)["uuid"]

    def wait_for_plan(self, audit_uuid, newest_before, *,
                      audit_every=AUDIT_READ_EVERY, clock=time.monotonic,
                      **wait_options):
        """The action plan the audit makes next; ``newest_before`` is its
        newest plan before it ran (None if it had none).

        The audit's state alone cannot tell: a re-triggered audit may
        already be SUCCEEDED, or stuck ONGOING by a Watcher bug.  A plan
        newer than ``newest_before`` can, once it is whole: the decision
        engine writes the plan first and its actions after, then marks the
        audit SUCCEEDED.  So a new plan counts when the audit is SUCCEEDED,
        or, for an audit stuck ONGOING, PLAN_SETTLE_SECONDS after the plan
        was first seen.  An audit that turns FAILED or CANCELLED has ended
        without one; it is read every ``audit_every`` polls, and at each
        once a new plan is seen.  ``wait_options`` are
        :func:`waiting.wait_for`'s; ``on_poll`` sees ``(plan, audit)``.
        """
        polls = itertools.count()
        seen = {"audit": None, "candidate": None, "since": None}

        def fetch():
            newest = self._plans.newest_of_audit(audit_uuid)
            new = is_newer(newest, newest_before)
            if new or seen["audit"] is None or (
                    next(polls) % audit_every == 0):
                seen["audit"] = self.get(audit_uuid)
            audit = seen["audit"]
            if not new:
                return None, audit
            if seen["candidate"] != newest["uuid"]:
                seen["candidate"], seen["since"] = newest["uuid"], clock()
            whole = audit["state"] == "SUCCEEDED" or (
                audit["state"] == "ONGOING"
                and clock() - seen["since"] >= PLAN_SETTLE_SECONDS)
            return (newest if whole else None), audit

        def done(result):
            plan, audit = result
            return plan is not None or (
                audit["state"] in states.AUDIT_ENDED_WITHOUT_PLAN)

        plan, audit = waiting.wait_for(
            fetch, done, describe=f"an action plan of audit {audit_uuid}",
            **wait_options)
        if plan is not None:
            return self._plans.get(plan["uuid"])
        raise _ended_without_plan(audit)


def _checked_audit(body, request):
    return answers.one(body, request, AUDIT_TEXT, AUDIT_OPTIONAL_TEXT)


def _ended_without_plan(audit):
    """The error that says why ``audit`` ended with no plan, and what next."""
    name = audit.get("name") or audit["uuid"]
    if audit["state"] == "CANCELLED":
        if audit.get("force"):
            return AuditEndedWithoutPlan(
                f"Audit {name} was CANCELLED without an action plan")
        return AuditEndedWithoutPlan(
            f"Audit {name} was CANCELLED by the decision engine, which "
            "cancels an audit that starts while another action plan is "
            "ONGOING", remedy="force")
    reason = audit.get("status_message")
    if reason:
        return AuditEndedWithoutPlan(
            f"Audit {name} FAILED without an action plan: {reason}")
    return AuditEndedWithoutPlan(
        f"Audit {name} FAILED without an action plan, and Watcher recorded "
        f"no reason: the decision engine logs it (look for audit "
        f"{audit['uuid']} in watcher-decision-engine's log on the "
        "controller)")


def follow_to_plan(audits, audit, newest_before, spec, feedback):
    """The plan ``audit`` makes next, waited for under ``spec``
    (:class:`waiting.WaitSpec`), with progress to ``feedback``.

    Raises AuditEndedWithoutPlan (exit 3) when the audit fails or is
    cancelled instead, its message saying where the reason is.  The gate
    of ``spec``, bound before the request, wakes the polls at the audit's
    notifications; a poll then reads the audit each time.
    """
    reporter = feedback.progress()
    name = audit.get("name") or audit["uuid"]
    if spec.gate is not None:
        spec.gate.watch(audit["uuid"])

    def on_poll(result, elapsed):
        plan, seen = result
        state = (seen or audit)["state"]
        reporter.update(
            f"Audit {name}: {state}; " + (
                f"new action plan {plan['uuid']}" if plan
                else "no new action plan yet"), elapsed)

    try:
        return audits.wait_for_plan(
            audit["uuid"], newest_before,
            audit_every=1 if spec.gate else AUDIT_READ_EVERY,
            **spec.options(reporter, on_poll))
    finally:
        reporter.close()
