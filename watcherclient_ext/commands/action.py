"""optimize action list|show: the actions of a plan, their state and the
reason Watcher gives for it."""

from watcherclient_ext import identifiers
from watcherclient_ext import resource_fields
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource


class ListAction(resource.ResourceList):
    """List information on retrieved actions."""

    resource = resource_fields.ACTION
    plural = "actions"

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
            "action_plan_uuid": plan and identifiers.require_uuid(
                plan, "Action plan"),
            "audit_uuid": audit and base.client_of(self).audits.uuid_of(
                audit)}


class ShowAction(resource.ResourceShow):
    """Show detailed information about a given action."""

    resource = resource_fields.ACTION
    metavar = "<action>"
    help = "UUID of the action"
