"""optimize audit create|show: every audit type, with python-watcherclient's
options, and waiting for the plan an audit makes."""

import json

from watcherclient_ext import errors
from watcherclient_ext import resource_fields
from watcherclient_ext.api import states
from watcherclient_ext.commands import base
from watcherclient_ext.commands import resource
from watcherclient_ext.formatting import records

_CONTINUOUS_ONLY = (("interval", "--interval"), ("start_time", "--start-time"),
                    ("end_time", "--end-time"))


def parse_parameters(pairs):
    """NAME=VALUE pairs -> dict, values JSON-decoded when they parse, as
    python-watcherclient decodes them.

    osc-lib's KeyValueAction splits pairs too, but leaves values as text,
    and importing it costs about 50 ms at every start of watcher-ext.
    """
    parameters = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise errors.UsageError(
                f"-p/--parameter expects NAME=VALUE, got {pair!r}")
        try:
            parameters[name.strip()] = json.loads(value)
        except ValueError:
            parameters[name.strip()] = value
    return parameters


def audit_fields(parsed_args):
    """The POST body, after the checks the server would otherwise fail."""
    audit_type = parsed_args.audit_type
    if audit_type != "CONTINUOUS":
        for field, option in _CONTINUOUS_ONLY:
            if getattr(parsed_args, field) is not None:
                raise errors.UsageError(
                    f"{option} applies only to CONTINUOUS audits; add "
                    f"--type CONTINUOUS or drop {option}")
    elif parsed_args.interval is None:
        raise errors.UsageError(
            "A CONTINUOUS audit needs --interval (seconds, or a cron "
            "expression such as '*/5 * * * *')")
    fields = {"audit_type": audit_type,
              "auto_trigger": parsed_args.auto_trigger}
    for name in ("goal", "strategy", "name", "interval", "start_time",
                 "end_time"):
        if getattr(parsed_args, name) is not None:
            fields[name] = getattr(parsed_args, name)
    if parsed_args.parameters:
        fields["parameters"] = parse_parameters(parsed_args.parameters)
    if parsed_args.force:
        fields["force"] = True
    return fields


def add_audit_arguments(parser):
    """python-watcherclient's options of ``audit create``, and --wait."""
    parser.add_argument(
        "-t", "--type", "--audit_type", "--audit-type", dest="audit_type",
        metavar="<type>", default="ONESHOT", choices=states.AUDIT_TYPES,
        type=str.upper,
        help="ONESHOT (default), CONTINUOUS, or EVENT: an EVENT audit "
             "waits for its webhook (see `webhook trigger`)")
    parser.add_argument("-g", "--goal", metavar="<goal>",
                        help="Goal UUID or name")
    parser.add_argument("-s", "--strategy", metavar="<strategy>",
                        help="Strategy UUID or name")
    parser.add_argument(
        "-a", "--audit-template", dest="audit_template",
        metavar="<audit-template>", help="Audit template UUID or name")
    parser.add_argument(
        "-p", "--parameter", dest="parameters", metavar="<name=value>",
        action="append",
        help="Strategy parameter; VALUE is JSON when it parses as JSON. "
             "Repeatable")
    parser.add_argument(
        "-i", "--interval", metavar="<interval>",
        help="CONTINUOUS only: seconds, or a cron expression")
    parser.add_argument("--name", metavar="<name>", help="Audit name")
    parser.add_argument(
        "--auto-trigger", action="store_true",
        help="Start the action plan as soon as the audit succeeds")
    parser.add_argument(
        "--start-time", metavar="<YYYY-MM-DD hh:mm:ss>",
        help="CONTINUOUS only: when to start (API 1.1)")
    parser.add_argument(
        "--end-time", metavar="<YYYY-MM-DD hh:mm:ss>",
        help="CONTINUOUS only: when to stop (API 1.1)")
    parser.add_argument(
        "--force", action="store_true",
        help="Run even while another action plan is ONGOING (API 1.2); "
             "sent only when given")
    base.add_wait_arguments(
        parser, "a ONESHOT audit's action plan exists, named in the "
                "Action Plan column "
                "(exit 0), or the audit ends without one (exit 3)")


#: The option that sets each audit field a microversion gates.
OPTION_OF_FIELD = {"start_time": "--start-time", "end_time": "--end-time",
                   "force": "--force"}


class CreateAudit(base.OutcomeShowOne):
    """Create an audit: ONESHOT, CONTINUOUS, or EVENT (run by a webhook).

    The audit is printed, with or without --wait; with it, the Action Plan
    column names the plan the audit made.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_audit_arguments(parser)
        return parser

    def columns_for(self, parsed_args):
        return records.AUDIT_CREATE_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        parsed_args.fields = audit_fields(parsed_args)
        if parsed_args.wait is not None and parsed_args.audit_type != (
                "ONESHOT"):
            raise errors.UsageError(
                "--wait waits for a ONESHOT audit's plan; an EVENT audit "
                "makes one when triggered (webhook trigger --wait), a "
                "CONTINUOUS one at each interval")

    def take_action(self, parsed_args):
        watcher = base.client_of(self)
        with base.wait_spec(self, parsed_args) as spec:
            audit, plan = watcher.audits.create_and_follow(
                parsed_args.fields, parsed_args.audit_template, spec,
                base.feedback(self), OPTION_OF_FIELD)
        return records.AUDIT_CREATE_LABELS, records.audit_values(
            audit, _webhook_url(watcher, audit)) + (plan and plan["uuid"],)


def _webhook_url(watcher, audit):
    if audit["audit_type"] != "EVENT":
        return None
    return watcher.webhooks.url(audit["uuid"])


class ShowAudit(base.ShowOne):
    """Show an audit; an EVENT audit's webhook URL too."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("audit", metavar="<audit>",
                            help="UUID or name of the audit")
        return parser

    def columns_for(self, parsed_args):
        return records.AUDIT_SHOW_LABELS

    def take_action(self, parsed_args):
        watcher = base.client_of(self)
        audit = watcher.audits.get(parsed_args.audit)
        return records.AUDIT_SHOW_LABELS, records.audit_values(
            audit, _webhook_url(watcher, audit))


class ListAudit(resource.ListByGoalAndStrategy):
    """List information on retrieved audits."""

    resource = resource_fields.AUDIT
    plural = "audits"


class UpdateAudit(resource.ResourceUpdate):
    """Update an audit: <op> <path=value>..., as a JSON patch (an
    interval is sent as text)."""

    resource = resource_fields.AUDIT
    metavar = "<audit>"
    help = "UUID or name of the audit"
    text_paths = ("/interval",)


class DeleteAudit(resource.ResourceDelete):
    """Delete audits; each one that fails is said, and the others are
    deleted all the same."""

    resource = resource_fields.AUDIT
    plural = "audits"
    metavar = "<audit>"
    help = "UUID or name of the audit"
