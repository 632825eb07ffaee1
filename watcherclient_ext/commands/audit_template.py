"""optimize audittemplate create|list|show|update|delete."""

import os

from watcherclient_ext import errors
from watcherclient_ext import resource_fields
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource

TEMPLATE = resource_fields.AUDIT_TEMPLATE
DEFAULT_PARAMETER_OPTION = "-p/--default-parameter"


class ListAuditTemplate(resource.ListByGoalAndStrategy):
    """List information on retrieved audit templates."""

    resource = TEMPLATE
    plural = "audit templates"


class ShowAuditTemplate(resource.ResourceShow):
    """Show detailed information about a given audit template."""

    resource = TEMPLATE
    metavar = "<audit-template>"
    help = "UUID or name of the audit template"


def read_scope(path):
    """The audit scope in a YAML or JSON file, as python-watcherclient
    reads it; a usage error when the file cannot be read."""
    import yaml

    try:
        with open(os.path.expanduser(path), "rb") as stream:
            return yaml.safe_load(stream)
    except OSError as exc:
        raise errors.UsageError(f"--scope {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0]
        raise errors.UsageError(
            f"--scope {path} is neither YAML nor JSON: {reason}") from None


def template_fields(parsed_args):
    """The POST body but for the goal's and strategy's UUIDs."""
    fields = {"name": parsed_args.name}
    if parsed_args.description is not None:
        fields["description"] = parsed_args.description
    if parsed_args.scope is not None:
        fields["scope"] = read_scope(parsed_args.scope)
    if parsed_args.default_parameters:
        if not parsed_args.strategy:
            raise errors.UsageError(
                f"{DEFAULT_PARAMETER_OPTION} needs --strategy: default "
                "parameters are a strategy's parameters")
        fields["default_parameters"] = dict(
            resource.split_pair(pair, DEFAULT_PARAMETER_OPTION)
            for pair in parsed_args.default_parameters)
    return fields


class CreateAuditTemplate(base.ExitCodes, base.ShowOne):
    """Create new audit template."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("name", metavar="<name>",
                            help="Name for this audit template")
        parser.add_argument(
            "goal", metavar="<goal>",
            help="Goal UUID or name associated to this audit template")
        parser.add_argument(
            "-s", "--strategy", metavar="<strategy>",
            help="Strategy UUID or name associated to this audit template")
        parser.add_argument("-d", "--description", metavar="<description>",
                            help="Description of the audit template")
        parser.add_argument(
            "--scope", metavar="<path>",
            help="YAML or JSON file naming the part of the cluster an "
                 "audit looks at, e.g. [{compute: [{host_aggregates: "
                 "[{id: 1}]}, {exclude: [{instances: [{uuid: UUID1}]}]}]}]")
        parser.add_argument(
            "-p", "--default-parameter", dest="default_parameters",
            metavar="<name=value>", action="append",
            help="Default strategy parameter of the audits created from "
                 "this template; VALUE is JSON when it parses as JSON. "
                 "Repeatable; needs --strategy and Watcher API 1.7")
        return parser

    def columns_for(self, parsed_args):
        return resource.labels(TEMPLATE.columns())

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        parsed_args.fields = template_fields(parsed_args)

    def take_action(self, parsed_args):
        templates = resource.api_of(self, TEMPLATE)
        fields = parsed_args.fields
        if "default_parameters" in fields:
            templates.require_field("default_parameters",
                                    DEFAULT_PARAMETER_OPTION)
        fields["goal"] = resource.api_of(
            self, resource_fields.GOAL).uuid_of(parsed_args.goal)
        if parsed_args.strategy:
            fields["strategy"] = resource.api_of(
                self, resource_fields.STRATEGY).uuid_of(parsed_args.strategy)
        return resource.shown(templates, templates.create(fields))


class UpdateAuditTemplate(resource.ResourceUpdate):
    """Update an audit template: <op> <path=value>..., as a JSON patch."""

    resource = TEMPLATE
    metavar = "<audit-template>"
    help = "UUID or name of the audit template"


class DeleteAuditTemplate(resource.ResourceDelete):
    """Delete audit templates; each one that fails is said, and the others
    are deleted all the same."""

    resource = TEMPLATE
    plural = "audit templates"
    metavar = "<audit-template>"
    help = "UUID or name of the audit template"
