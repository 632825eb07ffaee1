"""optimize service list|show."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import resource


class ListService(resource.ResourceList):
    """List information on retrieved services."""

    resource = resource_fields.SERVICE
    plural = "services"
    marker = False


class ShowService(resource.ResourceShow):
    """Show detailed information about a given service."""

    resource = resource_fields.SERVICE
    metavar = "<service>"
    help = "ID or name of the service"
