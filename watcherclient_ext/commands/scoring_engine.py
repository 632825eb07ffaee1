"""optimize scoringengine list|show."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import resource


class ListScoringEngine(resource.ResourceList):
    """List information on retrieved scoring engines."""

    resource = resource_fields.SCORING_ENGINE
    plural = "scoring engines"
    marker = False


class ShowScoringEngine(resource.ResourceShow):
    """Show detailed information about a given scoring engine."""

    resource = resource_fields.SCORING_ENGINE
    metavar = "<scoring_engine>"
    help = "Name of the scoring engine"
