"""optimize strategy list|show|state."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource


class ListStrategy(resource.ResourceList):
    """List information on retrieved strategies."""

    resource = resource_fields.STRATEGY
    plural = "strategies"

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("--goal", metavar="<goal>",
                            help="UUID or name of the goal")
        return parser

    def filters(self, parsed_args):
        return {"goal": parsed_args.goal}


class ShowStrategy(resource.ResourceShow):
    """Show detailed information about a given strategy."""

    resource = resource_fields.STRATEGY
    metavar = "<strategy>"
    help = "UUID or name of the strategy"


class StateStrategy(base.Lister):
    """Retrieve information about strategy requirements."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("strategy", metavar="<strategy>",
                            help="Name of the strategy")
        return parser

    def columns_for(self, parsed_args):
        return [field.label for field in resource_fields.STRATEGY_STATE.fields]

    def take_action(self, parsed_args):
        requirements = resource.api_of(self, resource_fields.STRATEGY_STATE)
        fields = resource_fields.STRATEGY_STATE.fields
        rows = requirements.strategy_state(parsed_args.strategy) or []
        return ([field.label for field in fields],
                [resource.values(row, fields) for row in rows])
