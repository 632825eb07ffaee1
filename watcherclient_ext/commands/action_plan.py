"""optimize actionplan list|show|start|cancel: parse, call api/, print."""

import argparse
import itertools

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext import resource_fields
from watcherclient_ext.api import states
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource
from watcherclient_ext.formatting import columns
from watcherclient_ext.formatting import records


def state_list(text):
    """argparse type: STATE or STATE,STATE..., checked, upper-cased."""
    names = [s.strip().upper() for s in text.split(",") if s.strip()]
    unknown = [s for s in names if s not in states.PLAN_STATES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown state {text!r}; choose from "
            f"{', '.join(states.PLAN_STATES)}")
    return names


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


def show_plan(plans_api, outcome):
    """``(labels, values)`` of a plan as show and start print it."""
    # The orchestration is imported as a command runs: `openstack command
    # list` imports every command module.
    from watcherclient_ext.api import plan_runs

    return records.plan_columns(outcome.plan, outcome.actions,
                                plan_runs.failed_actions(
                                    plans_api, outcome.uuid, outcome.actions))


class ListActionPlan(base.Lister):
    """List action plans, of every state or of some, at any history size.

    --state reads the plans of those states only, ordered by state, then
    age (--sort-dir desc reverses that).
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_selection_arguments(
            parser, "Only plans in this state (repeatable, or "
                    "comma-separated): " + ", ".join(states.PLAN_STATES))
        resource.add_list_arguments(parser, "plans")
        return parser

    def columns_for(self, parsed_args):
        return records.PLAN_LABELS if parsed_args.detail else (
            records.SHORT_PLAN_LABELS)

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        _sort_field(parsed_args)
        resource.require_uuids(parsed_args, "--marker")
        if parsed_args.marker and selected_states(parsed_args):
            raise errors.UsageError(
                "--marker pages through all plans; with --state every plan "
                "in those states is listed at once: drop --marker")

    def take_action(self, parsed_args):
        fields, labels = (
            (records.PLAN_FIELDS, records.PLAN_LABELS) if parsed_args.detail
            else (records.SHORT_PLAN_FIELDS, records.SHORT_PLAN_LABELS))
        sort_key = _sort_field(parsed_args)
        selected = selected_states(parsed_args)
        plans_api = base.client_of(self).action_plans
        audit = _audit_uuid(self, parsed_args.audit)
        if selected:
            plans = plans_api.in_states(selected, audit=audit,
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


def _sort_field(parsed_args):
    return resource.sort_field(
        parsed_args.sort_key,
        resource_fields.ACTION_PLAN.columns(detail=parsed_args.detail))


def _audit_uuid(command, ident):
    if ident is None:
        return None
    return base.client_of(command).audits.uuid_of(ident)


class OnePlanCommand(base.OutcomeShowOne):
    """A command on one plan, named by its UUID, printed as show prints
    it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plan", metavar="<action-plan>",
                            help="UUID of the action plan")
        return parser

    def columns_for(self, parsed_args):
        return records.PLAN_SHOW_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        identifiers.require_uuid(parsed_args.action_plan, "Action plan")


class ShowActionPlan(OnePlanCommand):
    """Show an action plan, the count of its actions by state, and its
    FAILED actions with their type and Watcher's reason."""

    def take_action(self, parsed_args):
        from watcherclient_ext.api import plan_runs

        plans = base.client_of(self).action_plans
        plan = plans.get(parsed_args.action_plan)
        return show_plan(plans, plan_runs.Outcome(
            plan["uuid"], plan=plan,
            actions=plans.actions_by_state(plan["uuid"])))


class StartActionPlan(OnePlanCommand):
    """Start a RECOMMENDED action plan, optionally waiting for its end.

    Idempotent: a plan already PENDING or ONGOING counts as started (and
    --wait waits for it), one already SUCCEEDED as done; a plan that ended
    otherwise is shown, and exits 3.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_wait_arguments(parser, "the plan ends (exit 0 only if it "
                                        "SUCCEEDED)")
        return parser

    def take_action(self, parsed_args):
        from watcherclient_ext.api import plan_runs

        plans = base.client_of(self).action_plans
        uuid = identifiers.canonical_uuid(parsed_args.action_plan)
        with base.wait_spec(self, parsed_args) as spec:
            outcome = plan_runs.start(plans, uuid, spec, base.feedback(self))
        self.exit_code = outcome.exit_code
        return show_plan(plans, outcome)


class CancelActionPlan(base.OutcomeLister):
    """Cancel action plans: ONGOING ones finish their running action first.

    A row per plan, whatever their number. Every cancel is sent first,
    running plans and those queued behind them first; --wait then follows
    them all under one deadline. Idempotent: a plan already CANCELLING or
    CANCELLED counts as done; one that ended otherwise exits 3. --state
    selects the plans instead, as an emergency stop: cancel --state ONGOING
    --state PENDING.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_plans", metavar="<action-plan>",
                            nargs="*", help="UUID of an action plan")
        add_selection_arguments(
            parser, "Cancel every plan in this state (repeatable, or "
                    "comma-separated): " + ", ".join(states.CANCEL_ORDER))
        base.add_wait_arguments(
            parser, "each plan ends (exit 0 only if all ended CANCELLED)")
        return parser

    def columns_for(self, parsed_args):
        return records.CANCEL_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        check_cancel_selection(parsed_args)

    def take_action(self, parsed_args):
        from watcherclient_ext.api import plan_runs

        run = plan_runs.CancelRun(base.client_of(self), base.feedback(self))
        selected = selected_states(parsed_args)
        with base.wait_spec(self, parsed_args) as spec:
            report = run.stop(selected, parsed_args.audit, spec) if (
                selected) else run.named(_uuids(parsed_args), spec)
        self.exit_code = report.exit_code
        return records.CANCEL_LABELS, report.rows


def _uuids(parsed_args):
    return list(dict.fromkeys(identifiers.canonical_uuid(uuid)
                              for uuid in parsed_args.action_plans))


def check_cancel_selection(parsed_args):
    """Plans named or selected by state, not both; UUIDs well formed."""
    selected = selected_states(parsed_args)
    if selected and parsed_args.action_plans:
        raise errors.UsageError(
            "Name action plans or select them with --state, not both")
    if not selected and not parsed_args.action_plans:
        raise errors.UsageError(
            "Name the action plans to cancel, or select them with --state")
    if parsed_args.audit and not selected:
        raise errors.UsageError("--audit selects plans with --state")
    wrong = [s for s in selected if s not in states.CANCEL_ORDER]
    if wrong:
        raise errors.UsageError(
            f"--state {', '.join(wrong)}: such plans have ended; "
            f"select from {', '.join(states.CANCEL_ORDER)}")
    for uuid in parsed_args.action_plans:
        identifiers.require_uuid(uuid, "Action plan")


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
