"""optimize actionplan list|show|start|cancel."""

import argparse
import collections
import dataclasses
import itertools
import time

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext import resource_fields
from watcherclient_ext.api import action_plans
from watcherclient_ext.api import waiting
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import progress

#: python-watcherclient's fields and labels, so scripts keep working.
PLAN_FIELDS = ("uuid", "created_at", "updated_at", "deleted_at", "audit_uuid",
               "strategy_name", "state", "efficacy_indicators",
               "global_efficacy", "hostname", "status_message")
PLAN_LABELS = ("UUID", "Created At", "Updated At", "Deleted At", "Audit",
               "Strategy", "State", "Efficacy indicators", "Global efficacy",
               "Hostname", "Status Message")
SHORT_LIST_FIELDS = ("uuid", "audit_uuid", "state", "updated_at",
                     "global_efficacy")
SHORT_LIST_LABELS = ("UUID", "Audit", "State", "Updated At",
                     "Global efficacy")
ACTIONS_LABEL = "Actions"
STATES = ("RECOMMENDED", "PENDING", "ONGOING", "CANCELLING", "CANCELLED",
          "SUCCEEDED", "FAILED", "SUPERSEDED")
#: States an emergency stop can select, in the order their cancels go out:
#: running plans first, then those queued behind them.
CANCEL_ORDER = ("ONGOING", "PENDING", "RECOMMENDED", "CANCELLING")
#: How many times the emergency stop selects again after its cancels.
RESELECTIONS = 3
RESULT_LABELS = ("UUID", "State Before", "State After", "Result")
#: What ``show``, ``start`` and a single ``cancel`` can print.
PLAN_WITH_ACTIONS_LABELS = PLAN_LABELS + (ACTIONS_LABEL,)


def plan_columns(plan, actions=None):
    """(labels, values) of a plan; with ``actions``, their count by state."""
    labels, values = columns.select(plan, PLAN_FIELDS, PLAN_LABELS)
    if actions is not None:
        labels += (ACTIONS_LABEL,)
        values += (columns.StructuredColumn(actions),)
    return labels, values


def state_list(text):
    """argparse type: STATE or STATE,STATE..., checked, upper-cased."""
    states = [s.strip().upper() for s in text.split(",") if s.strip()]
    unknown = [s for s in states if s not in STATES]
    if unknown or not states:
        raise argparse.ArgumentTypeError(
            f"unknown state {text!r}; choose from {', '.join(STATES)}")
    return states


def add_selection_arguments(parser, states_help):
    parser.add_argument(
        "--state", dest="states", metavar="<state>", type=state_list,
        action="append", help=states_help)
    parser.add_argument(
        "--audit", metavar="<audit>",
        help="Only plans of this audit (UUID or name)")


def selected_states(parsed_args):
    return list(dict.fromkeys(itertools.chain.from_iterable(
        parsed_args.states or ())))


def _describe_actions(actions):
    return ", ".join(f"{state} {count}" for state, count in actions.items()) \
        or "none"


def _progress_line(seen):
    """One line for the plans being waited for."""
    if len(seen) == 1:
        ((uuid, (plan, actions)),) = seen.items()
        return (f"Action plan {uuid}: {plan['state']}; actions: "
                f"{_describe_actions(actions)}")
    states = collections.Counter(plan["state"] for plan, _ in seen.values())
    return (f"{len(seen)} action plans: " + ", ".join(
        f"{count} {state}" for state, count in sorted(states.items())))


@dataclasses.dataclass
class WaitResult:
    plan: dict
    actions: dict
    exit_code: int
    note: str = ""


def wait_for_plans(command, sent, wanted_state, parsed_args, started=None,
                   gate=None):
    """Follow plans to their end together; judge each against
    ``wanted_state``.  ``sent`` maps each UUID to the plan its request
    answered, the last state known if no poll ever gets an answer (the
    wait times out with it).  Returns ``{uuid: WaitResult}``.  A ``gate``
    opened before the request wakes the polls when a plan's notification
    comes.
    """
    uuids = list(sent)
    reporter = progress.Progress(command.app.stderr)
    plans = base.client_of(command).action_plans
    if gate is not None:
        gate.watch(*uuids)
    options = base.wait_options(
        parsed_args, reporter,
        lambda seen, elapsed: reporter.update(_progress_line(seen), elapsed),
        started, gate)
    timed_out = None
    try:
        seen = plans.wait_for_end(uuids, **options)
    except waiting.WaitTimedOut as exc:
        seen, timed_out = exc.last_seen, exc
    finally:
        reporter.close()
    known = ""
    if seen is None:  # the API went away after the request
        seen = {uuid: (plan, {}) for uuid, plan in sent.items()}
        known = f" as far as known (no poll was answered: {timed_out})"
    results = {}
    for uuid, (plan, actions) in seen.items():
        if timed_out is not None and not action_plans.is_ended(plan):
            results[uuid] = WaitResult(
                plan, actions, errors.EXIT_TIMED_OUT,
                f"Timed out after {options['timeout']:g} s waiting for "
                f"action plan {uuid}; it is still {plan['state']}{known}")
        elif plan["state"] == wanted_state:
            results[uuid] = WaitResult(plan, actions, errors.EXIT_OK)
        else:
            results[uuid] = WaitResult(plan, actions, errors.EXIT_OTHER_END,
                                       _other_end(plan, wanted_state))
    for uuid, result in results.items():
        if result.note:
            base.say(command, result.note)
        if result.plan["state"] == "FAILED":
            _explain_failure(command, uuid, result.plan)
    return results


def _other_end(plan, wanted_state):
    note = (f"Action plan {plan['uuid']} ended {plan['state']}, not "
            f"{wanted_state}")
    if wanted_state == "CANCELLED" and plan["state"] == "SUCCEEDED":
        note += (" (the cancel arrived during its last action, which Watcher "
                 "never interrupts)")
    return note


def _explain_failure(command, uuid, plan):
    """The reasons Watcher recorded: the plan's, each failed action's."""
    if plan.get("status_message"):
        base.say(command, f"Action plan {uuid} FAILED: "
                          f"{plan['status_message']}")
    failed = base.client_of(command).action_plans.failed_actions(uuid)
    for action in failed:
        reason = action.get("status_message") or "no reason given"
        base.say(command, f"  action {action['uuid']} "
                          f"({action.get('action_type')}) FAILED: {reason}")


class ListActionPlan(base.Lister):
    """List action plans, of every state or of some, at any history size.

    --state reads the plans of those states only, ordered by state, then
    age (--sort-dir desc reverses that).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_selection_arguments(
            parser, "Only plans in this state (repeatable, or "
                    "comma-separated): " + ", ".join(STATES))
        resource.add_list_arguments(parser, "plans")
        return parser

    def columns_for(self, parsed_args):
        return PLAN_LABELS if parsed_args.detail else SHORT_LIST_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        fields = PLAN_FIELDS if parsed_args.detail else SHORT_LIST_FIELDS
        _sort_field(parsed_args.sort_key, fields, self.columns_for(
            parsed_args))
        if parsed_args.marker:
            identifiers.require_uuid(parsed_args.marker, "--marker")
            if selected_states(parsed_args):
                raise errors.UsageError(
                    "--marker pages through all plans; with --state every "
                    "plan in those states is listed at once: drop --marker")

    def take_action(self, parsed_args):
        fields, labels = ((PLAN_FIELDS, PLAN_LABELS) if parsed_args.detail
                          else (SHORT_LIST_FIELDS, SHORT_LIST_LABELS))
        sort_key = _sort_field(parsed_args.sort_key, fields, labels)
        states = selected_states(parsed_args)
        plans_api = base.client_of(self).action_plans
        audit = _audit_uuid(self, parsed_args.audit)
        if states:
            plans = plans_api.in_states(states, audit=audit,
                                        detail=parsed_args.detail)
            descending = parsed_args.sort_dir == "desc"
            if sort_key:
                plans = sorted(plans, key=lambda p: str(p.get(sort_key)),
                               reverse=descending)
            elif descending:
                # The scan's own order (state, then age), backwards.
                plans = reversed(list(plans))
            plans = itertools.islice(plans, parsed_args.limit or None)
        else:
            plans = plans_api.list(
                audit=audit, limit=parsed_args.limit,
                marker=parsed_args.marker, sort_key=sort_key,
                sort_dir=parsed_args.sort_dir, detail=parsed_args.detail)
        return labels, (columns.select(plan, fields, labels)[1]
                        for plan in plans)


def _sort_field(key, fields, labels):
    """A field name from a field or a label, as python-watcherclient takes."""
    if key is None:
        return None
    by_name = dict(zip(labels, fields))
    by_name.update(zip(fields, fields))
    if key not in by_name:
        raise errors.UsageError(
            f"--sort-key {key!r} is not a field of this list; use one of "
            f"{', '.join(fields)}")
    return by_name[key]


def _audit_uuid(command, ident):
    if ident is None:
        return None
    return base.client_of(command).audits.uuid_of(ident)


class ShowActionPlan(base.ShowOne):
    """Show an action plan, with the count of its actions by state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plan", metavar="<action-plan>",
                            help="UUID of the action plan")
        return parser

    def columns_for(self, parsed_args):
        return PLAN_WITH_ACTIONS_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        identifiers.require_uuid(parsed_args.action_plan, "Action plan")

    def take_action(self, parsed_args):
        plans = base.client_of(self).action_plans
        plan = plans.get(parsed_args.action_plan)
        return plan_columns(plan, plans.actions_by_state(plan["uuid"]))


class StartActionPlan(base.OutcomeShowOne):
    """Start a RECOMMENDED action plan, optionally waiting for its end.

    Idempotent: a plan already PENDING or ONGOING counts as started (and
    --wait waits for it), one already SUCCEEDED as done; a plan that ended
    otherwise exits 3.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plan", metavar="<action-plan>",
                            help="UUID of the action plan")
        base.add_wait_arguments(parser, "the plan ends (exit 0 only if it "
                                        "SUCCEEDED)")
        return parser

    def columns_for(self, parsed_args):
        return PLAN_WITH_ACTIONS_LABELS

    def take_outcome_action(self, parsed_args):
        started = time.monotonic()
        uuid = identifiers.require_uuid(parsed_args.action_plan, "Action plan")
        with base.notification_gate(self, parsed_args) as gate:
            return self._start(uuid, parsed_args, started, gate)

    def _start(self, uuid, parsed_args, started, gate):
        outcome = base.client_of(self).action_plans.start(uuid)
        if not outcome.sent:
            base.say(
                self, f"Action plan {uuid} is already {outcome.state_before}")
        if parsed_args.wait is None:
            return plan_columns(outcome.plan)
        try:
            result = wait_for_plans(self, {uuid: outcome.plan}, "SUCCEEDED",
                                    parsed_args, started, gate)[uuid]
        except KeyboardInterrupt:
            base.say(
                self, "Interrupted; the plan was started and goes on running")
            raise
        self.exit_code = result.exit_code
        return plan_columns(result.plan, result.actions)


class CancelActionPlan(base.OutcomeShowOne):
    """Cancel action plans: ONGOING ones finish their running action first.

    Every cancel is sent first, running plans and those queued behind them
    first; --wait then follows them all under one deadline. Idempotent: a
    plan already CANCELLING or CANCELLED counts as done. --state selects
    the plans instead, as an emergency stop: cancel --state ONGOING
    --state PENDING.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plans", metavar="<action-plan>",
                            nargs="*", help="UUID of an action plan")
        add_selection_arguments(
            parser, "Cancel every plan in this state (repeatable, or "
                    "comma-separated): " + ", ".join(CANCEL_ORDER))
        base.add_wait_arguments(
            parser, "each plan ends (exit 0 only if all ended CANCELLED)")
        return parser

    def columns_for(self, parsed_args):
        if parsed_args.states or len(set(parsed_args.action_plans)) > 1:
            return RESULT_LABELS
        return PLAN_WITH_ACTIONS_LABELS

    def take_outcome_action(self, parsed_args):
        started = time.monotonic()
        states = selected_states(parsed_args)
        uuids = list(dict.fromkeys(parsed_args.action_plans))
        self._check_selection(parsed_args, states, uuids)
        for uuid in uuids:  # no request at all if any UUID is malformed
            identifiers.require_uuid(uuid, "Action plan")
        self._sent = []
        self._maybe_sent = None
        self._ended_first = set()
        try:
            with base.notification_gate(self, parsed_args) as self._gate:
                if states:
                    return self._stop(states, parsed_args, started)
                if len(uuids) == 1:
                    return self._cancel_one(uuids[0], parsed_args, started)
                return self._cancel_many(self._read(uuids), parsed_args,
                                         started)
        except KeyboardInterrupt:
            self._say_interrupted()
            raise

    @staticmethod
    def _check_selection(parsed_args, states, uuids):
        if states and uuids:
            raise errors.UsageError(
                "Name action plans or select them with --state, not both")
        if not states and not uuids:
            raise errors.UsageError(
                "Name the action plans to cancel, or select them with "
                "--state")
        if parsed_args.audit and not states:
            raise errors.UsageError("--audit selects plans with --state")
        wrong = [s for s in states if s not in CANCEL_ORDER]
        if wrong:
            raise errors.UsageError(
                f"--state {', '.join(wrong)}: such plans have ended; "
                f"select from {', '.join(CANCEL_ORDER)}")

    def _stop(self, states, parsed_args, started):
        """The emergency stop: cancel every plan in ``states``.

        A plan can reach a selected state while the selection reads past
        it (the applier takes the next PENDING plan when the ONGOING one
        ends), so the selection runs again after the cancels, until a
        pass finds no plan it has not cancelled yet.
        """
        audit = _audit_uuid(self, parsed_args.audit)
        where = f" of audit {parsed_args.audit}" if parsed_args.audit else ""
        plans = self._select(states, audit)
        if not plans:
            base.say(
                self, f"No action plan{where} is {' or '.join(states)}")
            return base.Rows(RESULT_LABELS, ())
        base.say(self, f"Selected {len(plans)} action plan(s){where} in "
                       f"state {', '.join(states)}: {', '.join(plans)}")
        rows, codes = self._send_cancels(plans)
        for _ in range(RESELECTIONS):
            more = {uuid: plan for uuid, plan in
                    self._select(states, audit).items() if uuid not in plans}
            if not more:
                break
            base.say(self, f"Selected {len(more)} more action plan(s) that "
                           f"reached state {', '.join(states)} meanwhile: "
                           f"{', '.join(more)}")
            plans.update(more)
            more_rows, more_codes = self._send_cancels(more)
            rows.update(more_rows)
            codes |= more_codes
        return self._wait_for_cancels(plans, rows, codes, parsed_args,
                                      started)

    def _select(self, states, audit_uuid):
        plans_api = base.client_of(self).action_plans
        return {plan["uuid"]: plan
                for plan in plans_api.in_states(states, audit=audit_uuid)}

    def _read(self, uuids):
        """Each plan as it is now, or the error reading it."""
        plans_api = base.client_of(self).action_plans
        plans = {}
        for uuid in uuids:
            try:
                plans[uuid] = plans_api.get(uuid)
            except errors.WatcherClientError as exc:
                plans[uuid] = exc
        return plans

    def _say_interrupted(self):
        if self._sent:
            base.say(
                self, "Interrupted; the cancel of action plan "
                f"{', '.join(self._sent)} was sent and stays sent")
        if self._maybe_sent:
            base.say(
                self, "Interrupted while cancelling action plan "
                f"{self._maybe_sent}; the cancel may have been sent: "
                f"see `actionplan show {self._maybe_sent}`")

    def _cancel(self, uuid, plan=None):
        try:
            outcome = base.client_of(self).action_plans.cancel(uuid, plan)
        except KeyboardInterrupt:
            # The server may have taken a request whose answer we lost.
            self._maybe_sent = uuid
            raise
        if outcome.sent:
            self._sent.append(uuid)
        else:
            base.say(
                self, f"Action plan {uuid} is already {outcome.state_before}")
        return outcome

    def _cancel_one(self, uuid, parsed_args, started):
        outcome = self._cancel(uuid)
        if parsed_args.wait is None:
            return plan_columns(outcome.plan)
        result = wait_for_plans(self, {uuid: outcome.plan}, "CANCELLED",
                                parsed_args, started, self._gate)[uuid]
        self.exit_code = result.exit_code
        return plan_columns(result.plan, result.actions)

    def _cancel_many(self, plans, parsed_args, started):
        """Send every cancel, most urgent first, then wait for them all.

        ``plans`` maps UUID -> the plan as read at the start (or the error
        reading it): its state then is the row's State Before.
        """
        rows, codes = self._send_cancels(plans)
        return self._wait_for_cancels(plans, rows, codes, parsed_args,
                                      started)

    def _send_cancels(self, plans):
        """``(rows, exit codes)`` of sending each plan's cancel, the most
        urgent first; a row's State After is None when it failed."""
        rows, codes = {}, {errors.EXIT_OK}
        for uuid, plan in sorted(plans.items(), key=_urgency):
            if isinstance(plan, errors.WatcherClientError):
                outcome = plan
            else:
                try:
                    outcome = self._cancel(uuid, plan)
                except errors.WatcherClientError as exc:
                    outcome = exc
            if isinstance(outcome, action_plans.NotCancellable) and (
                    plan["state"] in CANCEL_ORDER):
                # It ended by itself between our read and our cancel.
                codes.add(errors.EXIT_OTHER_END)
                self._ended_first.add(uuid)
                base.say(self, f"Action plan {uuid} ended {outcome.state} "
                               "before its cancel")
                rows[uuid] = (uuid, plan["state"], outcome.state,
                              f"ended {outcome.state} first")
            elif isinstance(outcome, errors.WatcherClientError):
                base.say(self, str(outcome))
                rows[uuid] = (uuid, _state(plan), None, f"error: {outcome}")
            else:
                rows[uuid] = (uuid, plan["state"], outcome.plan["state"],
                              outcome.summary)
        return rows, codes

    def _wait_for_cancels(self, plans, rows, codes, parsed_args, started):
        """With --wait, follow every sent cancel; the rows, in the order
        of ``plans``, and the worst exit code."""
        cancelled = {uuid: {"uuid": uuid, "state": row[2]}
                     for uuid, row in rows.items()
                     if row[2] and uuid not in self._ended_first}
        if parsed_args.wait is not None and cancelled:
            results = wait_for_plans(self, cancelled, "CANCELLED",
                                     parsed_args, started, self._gate)
            for uuid, result in results.items():
                codes.add(result.exit_code)
                summary = rows[uuid][3]
                if result.exit_code == errors.EXIT_TIMED_OUT:
                    summary += "; timed out"
                rows[uuid] = rows[uuid][:2] + (result.plan["state"], summary)
        failures = sum(1 for row in rows.values() if row[2] is None)
        if failures:
            base.say(
                self, f"{failures} of {len(plans)} action plans could not be "
                "cancelled")
            self.exit_code = errors.EXIT_ERROR
        else:
            self.exit_code = max(codes)
        return base.Rows(RESULT_LABELS, (rows[uuid] for uuid in plans))


def _state(plan):
    return None if isinstance(plan, errors.WatcherClientError) else (
        plan["state"])


def _urgency(item):
    """Running plans first, then the queued, then the merely recommended."""
    state = _state(item[1])
    return CANCEL_ORDER.index(state) if state in CANCEL_ORDER else len(
        CANCEL_ORDER)


class UpdateActionPlan(resource.ResourceUpdate):
    """Update an action plan: <op> <path=value>..., as a JSON patch."""

    resource = resource_fields.ACTION_PLAN
    metavar = "<action-plan>"
    help = "UUID of the action plan"


class DeleteActionPlan(resource.ResourceDelete):
    """Delete action plans; each one that fails is said, and the others
    are deleted all the same."""

    resource = resource_fields.ACTION_PLAN
    plural = "action plans"
    metavar = "<action-plan>"
    help = "UUID of the action plan"
