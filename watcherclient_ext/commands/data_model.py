"""optimize datamodel list: the compute data model the decision engine
holds, one row per server and its node."""

from watcherclient_ext import resource_fields
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource

MODEL = resource_fields.COMPUTE_MODEL


class ListDataModel(base.Lister):
    """List information on retrieved data model."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--type", metavar="<type>", default="compute",
            choices=resource_fields.DATA_MODEL_TYPES,
            help="Type of data model; default: compute")
        parser.add_argument("--audit", metavar="<audit>",
                            help="UUID of the audit")
        parser.add_argument("--detail", action="store_true",
                            help="Show detailed information about data "
                                 "model.")
        return parser

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        resource.require_uuids(parsed_args, "--audit")

    def columns_for(self, parsed_args):
        return _labels(MODEL.columns(detail=parsed_args.detail),
                       parsed_args.detail)

    def take_action(self, parsed_args):
        api = resource.api_of(self, MODEL)
        body = api.data_model(parsed_args.type, parsed_args.audit) or {}
        fields = MODEL.columns(api.api_version, parsed_args.detail)
        return _labels(fields, parsed_args.detail), [
            resource.values(row, fields) for row in body.get("context") or []]


def _labels(fields, detail):
    """python-watcherclient's labels: shorter ones without --detail."""
    return [field.label if detail else
            resource_fields.COMPUTE_MODEL_SHORT_LABELS.get(
                field.name, field.label) for field in fields]
