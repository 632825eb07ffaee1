"""optimize action list|show|update: the actions of a plan, their state
and the reason Watcher gives for it; skipping one."""

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext import resource_fields
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource


class ListAction(resource.ResourceList):
    """List information on retrieved actions."""

    resource = resource_fields.ACTION
    plural = "actions"
    uuid_options = ("--marker", "--action-plan")

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("--action-plan", metavar="<action-plan>",
                            help="UUID of the action plan used for filtering")
        parser.add_argument("--audit", metavar="<audit>",
                            help="UUID or name of the audit used for "
                                 "filtering")
        return parser

    def filters(self, parsed_args):
        plan = parsed_args.action_plan
        audit = parsed_args.audit
        return {
            "action_plan_uuid": plan and identifiers.canonical_uuid(plan),
            "audit_uuid": audit and base.client_of(self).audits.uuid_of(
                audit)}


class ShowAction(resource.ResourceShow):
    """Show detailed information about a given action."""

    resource = resource_fields.ACTION
    metavar = "<action>"
    help = "UUID of the action"


class UpdateAction(resource.ResourceUpdate):
    """Update an action: skip a PENDING one of a plan not yet started
    (--state SKIPPED), saying why (--reason). Watcher API 1.5."""

    resource = resource_fields.ACTION
    metavar = "<action>"
    help = "UUID of the action"
    since = (1, 5)

    def add_change_arguments(self, parser):
        parser.add_argument("--state", metavar="<state>",
                            help="New state for the action (e.g., SKIPPED)")
        parser.add_argument("--reason", metavar="<reason>",
                            help="Reason for the state change")

    def patch(self, parsed_args):
        changes = (("/state", parsed_args.state),
                   ("/status_message", parsed_args.reason))
        patch = [{"op": "replace", "path": path, "value": value}
                 for path, value in changes if value]
        if not patch:
            raise errors.UsageError(
                "Nothing to update: give --state, --reason or both")
        return patch
