"""optimize goal list|show."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import resource


class ListGoal(resource.ResourceList):
    """List information on retrieved goals."""

    resource = resource_fields.GOAL
    plural = "goals"


class ShowGoal(resource.ResourceShow):
    """Show detailed information about a given goal."""

    resource = resource_fields.GOAL
    metavar = "<goal>"
    help = "UUID or name of the goal"
