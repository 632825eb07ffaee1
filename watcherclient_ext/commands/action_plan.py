"""``optimize actionplan show|start|cancel``."""

import dataclasses
import time

from cliff import show

from watcherclient_ext.api import errors
from watcherclient_ext.api import lookup
from watcherclient_ext.api import waiting
from watcherclient_ext.commands import base
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import progress

#: python-watcherclient's fields and labels, so scripts keep working.
PLAN_FIELDS = ("uuid", "created_at", "updated_at", "deleted_at", "audit_uuid",
               "strategy_name", "state", "efficacy_indicators",
               "global_efficacy", "hostname", "status_message")
PLAN_LABELS = ("UUID", "Created At", "Updated At", "Deleted At", "Audit",
               "Strategy", "State", "Efficacy indicators", "Global efficacy",
               "Hostname", "Status Message")
ACTIONS_LABEL = "Actions"


def plan_columns(plan, actions=None):
    """(labels, values) of a plan; with ``actions``, their count by state."""
    labels, values = columns.select(plan, PLAN_FIELDS, PLAN_LABELS)
    if actions is not None:
        labels += (ACTIONS_LABEL,)
        values += (columns.StructuredColumn(actions),)
    return labels, values


def _describe_actions(actions):
    return ", ".join(f"{state} {count}" for state, count in actions.items()) \
        or "none"


@dataclasses.dataclass
class WaitResult:
    plan: dict
    actions: dict
    exit_code: int
    note: str = ""


def wait_for_plan(command, uuid, wanted_state, parsed_args, deadline=None):
    """Follow plan ``uuid`` to its end and judge it against ``wanted_state``.

    ``deadline`` (monotonic seconds) bounds several waits sharing one
    ``--wait TIMEOUT``.
    """
    timeout = base.wait_timeout(parsed_args)
    if deadline is not None:
        timeout = max(0.0, deadline - time.monotonic())
    reporter = progress.Progress(command.app.stderr)

    def on_poll(result, elapsed):
        plan, actions = result
        reporter.update(f"Action plan {uuid}: {plan['state']}; actions: "
                        f"{_describe_actions(actions)}", elapsed)

    plans = base.client_of(command).action_plans
    try:
        plan, actions = plans.wait_for_end(
            uuid, timeout=timeout, poll_interval=parsed_args.poll_interval,
            on_poll=on_poll)
    except waiting.WaitTimedOut as exc:
        plan, actions = exc.last_seen
        return WaitResult(plan, actions, base.EXIT_TIMED_OUT,
                          f"{exc}; it is still {plan['state']}")
    finally:
        reporter.close()
    if plan["state"] == wanted_state:
        return WaitResult(plan, actions, base.EXIT_OK)
    note = f"Action plan {uuid} ended {plan['state']}, not {wanted_state}"
    if wanted_state == "CANCELLED" and plan["state"] == "SUCCEEDED":
        note += (" (the cancel arrived during its last action, which Watcher "
                 "never interrupts)")
    return WaitResult(plan, actions, base.EXIT_OTHER_END, note)


class ShowActionPlan(show.ShowOne):
    """Show an action plan."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plan", metavar="<action-plan>",
                            help="UUID of the action plan")
        return parser

    def take_action(self, parsed_args):
        plans = base.client_of(self).action_plans
        return plan_columns(plans.get(parsed_args.action_plan))


class StartActionPlan(base.OutcomeShowOne):
    """Start a RECOMMENDED action plan, optionally waiting for its end."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plan", metavar="<action-plan>",
                            help="UUID of the action plan")
        base.add_wait_arguments(parser, "the plan ends (exit 0 only if it "
                                        "SUCCEEDED)")
        return parser

    def take_outcome_action(self, parsed_args):
        plans = base.client_of(self).action_plans
        plan = plans.start(parsed_args.action_plan)
        if parsed_args.wait is None:
            return plan_columns(plan)
        result = self._wait(parsed_args)
        return plan_columns(result.plan, result.actions)

    def _wait(self, parsed_args):
        try:
            result = wait_for_plan(self, parsed_args.action_plan, "SUCCEEDED",
                                   parsed_args)
        except KeyboardInterrupt:
            self.app.stderr.write(
                "Interrupted; the plan was started and goes on running\n")
            raise
        if result.note:
            self.app.stderr.write(result.note + "\n")
        self.exit_code = result.exit_code
        return result


class CancelActionPlan(base.OutcomeShowOne):
    """Cancel action plans: ONGOING ones finish their running action first.

    Idempotent: a plan already CANCELLING or CANCELLED counts as done.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plans", metavar="<action-plan>",
                            nargs="+", help="UUID of an action plan")
        base.add_wait_arguments(
            parser, "each plan ends (exit 0 only if it ended CANCELLED)")
        return parser

    def take_outcome_action(self, parsed_args):
        uuids = list(dict.fromkeys(parsed_args.action_plans))
        for uuid in uuids:  # no request at all if any UUID is malformed
            lookup.require_uuid(uuid, "action plan")
        self._sent = []
        self._maybe_sent = None
        try:
            if len(uuids) == 1:
                return self._cancel_one(uuids[0], parsed_args)
            return self._cancel_many(uuids, parsed_args)
        except KeyboardInterrupt:
            if self._sent:
                self.app.stderr.write(
                    "Interrupted; the cancel of action plan "
                    f"{', '.join(self._sent)} was sent and stays sent\n")
            if self._maybe_sent:
                self.app.stderr.write(
                    "Interrupted while cancelling action plan "
                    f"{self._maybe_sent}; the cancel may have been sent: "
                    f"see `actionplan show {self._maybe_sent}`\n")
            raise

    def _cancel(self, uuid):
        try:
            outcome = base.client_of(self).action_plans.cancel(uuid)
        except KeyboardInterrupt:
            # The server may have taken a request whose answer we lost.
            self._maybe_sent = uuid
            raise
        if outcome.sent:
            self._sent.append(uuid)
        else:
            self.app.stderr.write(
                f"Action plan {uuid} is already {outcome.state_before}\n")
        return outcome

    def _wait(self, uuid, parsed_args, deadline=None):
        result = wait_for_plan(self, uuid, "CANCELLED", parsed_args, deadline)
        if result.note:
            self.app.stderr.write(result.note + "\n")
        return result

    def _cancel_one(self, uuid, parsed_args):
        outcome = self._cancel(uuid)
        if parsed_args.wait is None:
            return plan_columns(outcome.plan)
        result = self._wait(uuid, parsed_args)
        self.exit_code = result.exit_code
        return plan_columns(result.plan, result.actions)

    def _cancel_many(self, uuids, parsed_args):
        rows, failures, codes = [], 0, {base.EXIT_OK}
        deadline = None
        if base.wait_timeout(parsed_args) is not None:
            deadline = time.monotonic() + base.wait_timeout(parsed_args)
        for uuid in uuids:
            try:
                outcome = self._cancel(uuid)
            except errors.WatcherClientError as exc:
                failures += 1
                self.app.stderr.write(f"{exc}\n")
                rows.append((uuid, None, None, f"error: {exc}"))
                continue
            state_after, summary = outcome.plan["state"], outcome.summary
            if parsed_args.wait is not None:
                result = self._wait(uuid, parsed_args, deadline)
                codes.add(result.exit_code)
                state_after = result.plan["state"]
                if result.exit_code == base.EXIT_TIMED_OUT:
                    summary += "; timed out"
            rows.append((uuid, outcome.state_before, state_after, summary))
        if failures:
            self.app.stderr.write(
                f"{failures} of {len(uuids)} action plans could not be "
                "cancelled\n")
            self.exit_code = base.EXIT_ERROR
        else:
            self.exit_code = max(codes)
        return base.Rows(("UUID", "State Before", "State After", "Result"),
                         rows)
