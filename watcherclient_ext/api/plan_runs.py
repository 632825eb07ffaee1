"""Running action plans: start one, cancel several, the emergency stop,
and following plans to their end.

Each plan a command acted on ends in an :class:`Outcome`: the row the
command prints and the exit code it means.  What is said along the way
(already done, ended first, failure reasons, interruptions) goes to a
:class:`~watcherclient_ext.formatting.progress.Feedback`.
"""

import collections
import contextlib
import dataclasses

from watcherclient_ext import errors
from watcherclient_ext.api import action_plans
from watcherclient_ext.api import states
from watcherclient_ext.api import waiting

#: How many times the emergency stop selects again after its cancels.
RESELECTIONS = 3


@dataclasses.dataclass
class Outcome:
    """One plan's end in a command: its state before and after (None when
    a request failed), what happened, and the exit code that means.
    ``plan`` and ``actions`` (count by state) are the last read, if any."""

    uuid: str
    state_before: str = None
    state_after: str = None
    result: str = ""
    exit_code: int = errors.EXIT_OK
    plan: dict = None
    actions: dict = None

    @property
    def row(self):
        return (self.uuid, self.state_before, self.state_after, self.result)


@dataclasses.dataclass
class Report:
    """The outcomes of a command over several plans, in their order, and
    its exit code."""

    outcomes: list
    exit_code: int = errors.EXIT_OK

    @property
    def rows(self):
        return [outcome.row for outcome in self.outcomes]


def describe_actions(actions):
    return ", ".join(f"{state} {count}" for state, count in actions.items()) \
        or "none"


def _progress_line(seen):
    """One line for the plans being waited for."""
    if len(seen) == 1:
        ((uuid, (plan, actions)),) = seen.items()
        return (f"Action plan {uuid}: {plan['state']}; actions: "
                f"{describe_actions(actions)}")
    counts = collections.Counter(plan["state"] for plan, _ in seen.values())
    return (f"{len(seen)} action plans: " + ", ".join(
        f"{count} {state}" for state, count in sorted(counts.items())))


def follow(plans_api, sent, wanted_state, spec, feedback):
    """Follow plans to their end together under ``spec``
    (:class:`waiting.WaitSpec`); judge each against ``wanted_state``.

    ``sent`` maps each UUID to the plan its request answered, the last
    state known if no poll ever gets an answer.  Returns ``{uuid:
    Outcome}``, each with its plan, actions and exit code: 0 ended as
    wanted, 3 ended otherwise, 4 still going at the time-out.  Notes and
    the reasons of a FAILED plan are said to ``feedback``.
    """
    uuids = list(sent)
    reporter = feedback.progress()
    if spec.gate is not None:
        spec.gate.watch(*uuids)
    options = spec.options(
        reporter,
        lambda seen, elapsed: reporter.update(_progress_line(seen), elapsed))
    timed_out = None
    try:
        seen = plans_api.wait_for_end(uuids, **options)
    except waiting.WaitTimedOut as exc:
        seen, timed_out = exc.last_seen, exc
    finally:
        reporter.close()
    known = ""
    if seen is None:  # the API went away after the request
        seen = {uuid: (plan, {}) for uuid, plan in sent.items()}
        known = (" as far as known (no poll was answered; the last: "
                 f"{timed_out.fault})")
    ended = {}
    for uuid, (plan, actions) in seen.items():
        outcome = Outcome(uuid, state_after=plan["state"], plan=plan,
                          actions=actions)
        if timed_out is not None and not states.is_ended(plan):
            outcome.exit_code = errors.EXIT_TIMED_OUT
            outcome.result = waiting.timed_out(
                options["timeout"], f"action plan {uuid}") + (
                f"; it is still {plan['state']}{known}")
        elif plan["state"] != wanted_state:
            outcome.exit_code = errors.EXIT_OTHER_END
            outcome.result = _other_end(plan, wanted_state)
        if outcome.result:
            feedback.say(outcome.result)
        if plan["state"] == "FAILED":
            for line in failure_reasons(plans_api, plan):
                feedback.say(line)
        ended[uuid] = outcome
    return ended


def _other_end(plan, wanted_state):
    note = (f"Action plan {plan['uuid']} ended {plan['state']}, not "
            f"{wanted_state}")
    if wanted_state == "CANCELLED" and plan["state"] == "SUCCEEDED":
        note += (" (the cancel arrived during its last action, which Watcher "
                 "never interrupts)")
    return note


def failure_reasons(plans_api, plan):
    """Lines giving the reasons Watcher recorded for a FAILED plan: the
    plan's own, then each failed action's type and status message."""
    lines = []
    if plan.get("status_message"):
        lines.append(f"Action plan {plan['uuid']} FAILED: "
                     f"{plan['status_message']}")
    for action in plans_api.failed_actions(plan["uuid"]):
        lines.append(f"  action {action['uuid']} ({action.get('action_type')})"
                     f" FAILED: {action_reason(action)}")
    return lines


def action_reason(action):
    """A failed action's reason, or where to find it: Watcher records one
    from API 1.5; before that, or without one, the applier logs it."""
    return action.get("status_message") or (
        "no reason recorded; watcher-applier's log on the controller has "
        "it")


def failed_actions(plans_api, plan_uuid, actions):
    """The plan's FAILED actions as shown: type and reason; read only when
    ``actions`` (count by state) holds any."""
    if not actions.get("FAILED"):
        return []
    return [{"uuid": action["uuid"], "action_type": action.get("action_type"),
             "status_message": action_reason(action)}
            for action in plans_api.failed_actions(plan_uuid)]


def start(plans_api, uuid, spec, feedback):
    """Start plan ``uuid`` and, with a ``spec``, follow it to its end.

    The Outcome's exit code: 0 started (or SUCCEEDED, with a wait), 3 it
    ended otherwise or already had, 4 the wait timed out.
    """
    try:
        changed = plans_api.start(uuid)
    except action_plans.NotStartable as exc:
        feedback.say(str(exc))
        return Outcome(uuid, exc.plan["state"], exc.plan["state"], str(exc),
                       exc.exit_code, exc.plan,
                       plans_api.actions_by_state(uuid))
    if not changed.sent:
        feedback.say(f"Action plan {uuid} is already {changed.state_before}")
    if spec is None:
        return Outcome(uuid, changed.state_before, changed.plan["state"],
                       changed.summary, plan=changed.plan,
                       actions=plans_api.actions_by_state(uuid))
    try:
        ended = follow(plans_api, {uuid: changed.plan}, "SUCCEEDED", spec,
                       feedback)[uuid]
    except KeyboardInterrupt:
        feedback.say("Interrupted; the plan was started and goes on running")
        raise
    ended.state_before = changed.state_before
    return ended


class CancelRun:
    """The cancels of one command: every cancel sent first, the most
    urgent first, then, with a wait, all followed under one deadline.

    It remembers what it sent, so that an interruption says which cancels
    stay sent and which may have been.
    """

    def __init__(self, client, feedback):
        self._client = client
        self._plans = client.action_plans
        self._feedback = feedback
        self._sent = []
        self._maybe_sent = None

    def named(self, uuids, spec):
        """Cancel the plans ``uuids``: a :class:`Report`, a row each."""
        with self._interruptible():
            plans = self._read(uuids)
            outcomes = self._send(plans)
            return self._finish(plans, outcomes, spec)

    def stop(self, selected, audit, spec):
        """The emergency stop: cancel every plan in the states
        ``selected`` (of ``audit``, UUID or name, if given).

        A plan can reach a selected state while the selection reads past
        it (the applier takes the next PENDING plan when the ONGOING one
        ends), so the selection runs again after the cancels, until a
        pass finds no plan it has not cancelled yet.
        """
        audit_uuid = audit and self._client.audits.uuid_of(audit)
        where = f" of audit {audit}" if audit else ""
        with self._interruptible():
            plans = self._select(selected, audit_uuid)
            if not plans:
                self._feedback.say(
                    f"No action plan{where} is {' or '.join(selected)}")
                return Report([])
            self._feedback.say(
                f"Selected {len(plans)} action plan(s){where} in state "
                f"{', '.join(selected)}: {', '.join(plans)}")
            outcomes = self._send(plans)
            for _ in range(RESELECTIONS):
                more = {uuid: plan for uuid, plan in
                        self._select(selected, audit_uuid).items()
                        if uuid not in plans}
                if not more:
                    break
                self._feedback.say(
                    f"Selected {len(more)} more action plan(s) that reached "
                    f"state {', '.join(selected)} meanwhile: "
                    f"{', '.join(more)}")
                plans.update(more)
                outcomes.update(self._send(more))
            return self._finish(plans, outcomes, spec)

    @contextlib.contextmanager
    def _interruptible(self):
        try:
            yield
        except KeyboardInterrupt:
            if self._sent:
                self._feedback.say(
                    "Interrupted; the cancel of action plan "
                    f"{', '.join(self._sent)} was sent and stays sent")
            if self._maybe_sent:
                self._feedback.say(
                    "Interrupted while cancelling action plan "
                    f"{self._maybe_sent}; the cancel may have been sent: "
                    f"see `actionplan show {self._maybe_sent}`")
            raise

    def _select(self, selected, audit_uuid):
        return {plan["uuid"]: plan for plan in
                self._plans.in_states(selected, audit=audit_uuid)}

    def _read(self, uuids):
        """Each plan as it is now, or the error reading it."""
        plans = {}
        for uuid in uuids:
            try:
                plans[uuid] = self._plans.get(uuid)
            except errors.WatcherClientError as exc:
                plans[uuid] = exc
        return plans

    def _send(self, plans):
        """``{uuid: Outcome}`` of each plan's cancel, the most urgent
        first.  ``plans`` maps UUID -> the plan as read (or the error
        reading it): its state then is the State Before."""
        outcomes = {}
        for uuid, plan in sorted(plans.items(),
                                 key=lambda item: states.urgency(
                                     _state(item[1]))):
            if isinstance(plan, errors.WatcherClientError):
                self._feedback.say(str(plan))
                outcomes[uuid] = Outcome(uuid, result=f"error: {plan}",
                                         exit_code=errors.EXIT_ERROR)
                continue
            try:
                outcomes[uuid] = self._cancel(uuid, plan)
            except errors.WatcherClientError as exc:
                self._feedback.say(str(exc))
                outcomes[uuid] = Outcome(uuid, plan["state"],
                                         result=f"error: {exc}",
                                         exit_code=errors.EXIT_ERROR)
        return outcomes

    def _cancel(self, uuid, plan):
        try:
            changed = self._plans.cancel(uuid, plan)
        except KeyboardInterrupt:
            # The server may have taken a request whose answer we lost.
            self._maybe_sent = uuid
            raise
        except action_plans.NotCancellable as exc:
            if plan["state"] in states.CANCEL_ORDER:
                # It ended by itself between our read and our cancel.
                self._feedback.say(f"Action plan {uuid} ended {exc.state} "
                                   "before its cancel")
                result = f"ended {exc.state} first"
            else:
                self._feedback.say(str(exc))
                result = f"already ended {exc.state}"
            return Outcome(uuid, plan["state"], exc.state, result,
                           exc.exit_code)
        if changed.sent:
            self._sent.append(uuid)
        else:
            self._feedback.say(
                f"Action plan {uuid} is already {changed.state_before}")
        return Outcome(uuid, changed.state_before, changed.plan["state"],
                       changed.summary, plan=changed.plan)

    def _finish(self, plans, outcomes, spec):
        """With a ``spec``, follow every plan whose cancel took; the
        Report in the order of ``plans``, with the worst exit code, or 1
        if any cancel failed."""
        cancelled = {uuid: outcome.plan for uuid, outcome in outcomes.items()
                     if outcome.plan is not None}
        if spec is not None and cancelled:
            ended = follow(self._plans, cancelled, "CANCELLED", spec,
                           self._feedback)
            for uuid, end in ended.items():
                outcome = outcomes[uuid]
                outcome.state_after, outcome.exit_code = (
                    end.state_after, end.exit_code)
                outcome.plan, outcome.actions = end.plan, end.actions
                if end.exit_code == errors.EXIT_TIMED_OUT:
                    outcome.result += "; timed out"
        report = Report([outcomes[uuid] for uuid in plans])
        failures = sum(1 for outcome in report.outcomes
                       if outcome.exit_code == errors.EXIT_ERROR)
        if failures and len(plans) > 1:
            self._feedback.say(f"{failures} of {len(plans)} action plans "
                               "could not be cancelled")
        report.exit_code = max(
            (outcome.exit_code for outcome in report.outcomes),
            default=errors.EXIT_OK) if not failures else errors.EXIT_ERROR
        return report


def _state(plan):
    return None if isinstance(plan, errors.WatcherClientError) else (
        plan["state"])
