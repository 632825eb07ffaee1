"""optimize audittemplate list|show."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import resource


class ListAuditTemplate(resource.ResourceList):
    """List information on retrieved audit templates."""

    resource = resource_fields.AUDIT_TEMPLATE
    plural = "audit templates"

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("--goal", metavar="<goal>",
                            help="UUID or name of the goal used for "
                                 "filtering")
        parser.add_argument("--strategy", metavar="<strategy>",
                            help="UUID or name of the strategy used for "
                                 "filtering")
        return parser

    def filters(self, parsed_args):
        return {"goal": parsed_args.goal, "strategy": parsed_args.strategy}


class ShowAuditTemplate(resource.ResourceShow):
    """Show detailed information about a given audit template."""

    resource = resource_fields.AUDIT_TEMPLATE
    metavar = "<audit-template>"
    help = "UUID or name of the audit template"
