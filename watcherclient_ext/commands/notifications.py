"""``optimize notifications tail``: Watcher's notifications, live.

Imported at every ``openstack`` start: kombu and the rest of the bus are
imported in ``take_action`` only.
"""

import argparse
import shutil

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext import option_types
from watcherclient_ext.commands import base


def _path(text):
    """argparse type: a file name, or '-'; never empty."""
    if not text:
        raise argparse.ArgumentTypeError(
            "expected a file name, or '-' for stdin; got an empty one")
    return text


#: AMQP carries names in at most 255 bytes; a topic also makes the
#: routing keys ``<topic>.<priority>``.
_LONGEST_NAME = 255
_LONGEST_TOPIC = _LONGEST_NAME - len(".") - max(map(len, bus.PRIORITIES))


def _amqp_name(text, longest):
    option_types.non_empty(text)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            "expected a name in UTF-8, got one that is not") from None
    if size > longest:
        raise argparse.ArgumentTypeError(
            f"expected a name of at most {longest} bytes, got {size}")
    return text


def _exchange(text):
    """argparse type: an exchange name AMQP can carry."""
    return _amqp_name(text, _LONGEST_NAME)


def _topic(text):
    """argparse type: a topic whose routing keys AMQP can carry."""
    return _amqp_name(text, _LONGEST_TOPIC)


def _priorities(values):
    """``--priority info,error --priority warn`` -> the names, checked."""
    names = []
    for value in values:
        if not value.strip(" ,"):
            raise errors.UsageError(
                "--priority needs a priority; choose from: "
                + ", ".join(bus.PRIORITIES))
        for name in filter(None, value.lower().split(",")):
            name = "warn" if name == "warning" else name
            if name not in bus.PRIORITIES:
                raise errors.UsageError(
                    f"--priority {name!r} is not a priority; choose from: "
                    + ", ".join(bus.PRIORITIES))
            names.append(name)
    return list(dict.fromkeys(names))


def _add_source_arguments(parser):
    """Where notifications come from: the bus, or a file."""
    source = parser.add_argument_group("where notifications come from")
    base.add_transport_arguments(
        source,
        "oslo.messaging transport URL, e.g. rabbit://user:pass@"
        "host1:5672,user:pass@host2:5672/vhost?ssl=1 (default: the one of "
        f"--config-file, else ${bus.URL_ENV}, else "
        "rabbit://guest:guest@localhost:5672/)",
        "Read transport_url from a service's configuration file, e.g. "
        "/etc/watcher/watcher.conf: [oslo_messaging_notifications], else "
        "[DEFAULT]. Repeatable; later files win")
    source.add_argument(
        "--service", choices=sorted(bus.SERVICES),
        default=bus.DEFAULT_SERVICE,
        help="Exchange and topic the service sends to: watcher "
             "(watcher, notifications), nova (nova, "
             "versioned_notifications), ironic (ironic, "
             "ironic_versioned_notifications). Default: %(default)s")
    source.add_argument("--exchange", metavar="<name>", type=_exchange,
                        help="Exchange to listen on (overrides "
                             "--service)")
    source.add_argument("--topic", metavar="<name>", type=_topic,
                        help="Notification topic (overrides --service)")
    source.add_argument(
        "--file", metavar="<path>", type=_path,
        help="Replay notifications from a file instead, one per line "
             "('-': stdin): wire bodies, messages, or -f json output")


def _add_selection_arguments(parser):
    """Which notifications are shown."""
    selection = parser.add_argument_group("which notifications")
    selection.add_argument(
        "--event-type", metavar="<glob>", action="append", default=[],
        type=option_types.non_empty,
        help="Event type, e.g. action_plan.cancel.* (repeatable: any)")
    selection.add_argument(
        "--priority", metavar="<priority>", action="append", default=[],
        help="Priority: " + ", ".join(bus.PRIORITIES) + ". Repeatable "
             "or comma-separated: any")
    selection.add_argument(
        "--publisher", metavar="<glob>", action="append", default=[],
        type=option_types.non_empty,
        help="Publisher, e.g. infra-optim:* (repeatable: any)")
    selection.add_argument(
        "--resource", metavar="<uuid-or-audit-name>", action="append",
        default=[], type=option_types.non_empty,
        help="Only notifications about this object or naming it (its "
             "plan, audit, action...: any UUID field), by UUID or, for "
             "an audit, by name (read from the API). Repeatable: any")


def _add_stop_arguments(parser):
    """When to stop, and how messages are shown."""
    stopping = parser.add_argument_group("when to stop (default: Ctrl-C)")
    stopping.add_argument(
        "--count", metavar="<n>", type=option_types.positive_int,
        help="Stop after n notifications shown")
    stopping.add_argument(
        "--until", metavar="<glob>", type=option_types.non_empty,
        help="Stop at the first notification shown whose event type "
             "matches, e.g. action_plan.cancel.end (it is shown)")
    stopping.add_argument(
        "--timeout", metavar="<seconds>", type=option_types.seconds,
        help="Give up after this many seconds (0: never)")
    parser.add_argument(
        "--raw", action="store_true",
        help="Print each message as it came off the wire, a JSON "
             "object per line (without its _context_* fields); "
             "ignores -f")


def _table_width(parsed_args, stdout):
    """Like cliff's tables: --max-width, else the terminal's width."""
    if parsed_args.max_width < 0:
        raise errors.UsageError(
            f"--max-width {parsed_args.max_width}: expected 0 (no "
            "limit) or more")
    if parsed_args.max_width:
        return parsed_args.max_width
    # A closed stdout is writer_for's to report.
    if parsed_args.fit_width or (
            stdout is not None and not stdout.closed and stdout.isatty()):
        return shutil.get_terminal_size().columns
    return None


def _resource_uuids(command, resources):
    """--resource values as UUIDs: a name is an audit's, looked up."""
    return [identifiers.canonical_uuid(resource) or base.client_of(
        command).audits.get(resource)["uuid"] for resource in resources]


class TailNotifications(base.ExitCodes, base.Lister):
    """Show notifications as they are sent, until stopped.

    Listens on RabbitMQ with a queue of its own, which takes nothing from
    other consumers and is gone when the command ends; or replays a file.
    Ready once "Listening on exchange ..." is on stderr.
    """

    #: Under ``openstack``: no Keystone needed, only the broker.
    auth_required = False
    _epilog = (
        f"{base.EXIT_CODES_HELP}. Exit 4 when --timeout comes before "
        "--until or --count is met; without them it is a normal end. "
        "Exit 3 when a --file ends first. A message that cannot be read "
        "or shown is skipped with a line on stderr saying where it was, "
        "and counted at the end.")

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        # Shown as they come, a line each: no sorting, no indenting, no
        # empty table.
        base.withdraw_options(parser, "--sort-column", "--sort-ascending",
                              "--sort-descending", "--noindent",
                              "--print-empty")
        _add_source_arguments(parser)
        _add_selection_arguments(parser)
        _add_stop_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        from watcherclient_ext.bus import filters
        from watcherclient_ext.bus import tail
        from watcherclient_ext.formatting import stream

        keys = stream.field_keys(parsed_args.columns) or None
        say = base.feedback(self).say
        if parsed_args.raw and keys:
            raise errors.UsageError("--raw shows whole messages: no -c")
        priorities = _priorities(parsed_args.priority)
        selection = filters.Selection(
            parsed_args.event_type, priorities, parsed_args.publisher,
            _resource_uuids(self, parsed_args.resource))
        source = tail.source(
            parsed_args.file, parsed_args.transport_url,
            parsed_args.config_file, parsed_args.service,
            parsed_args.exchange, parsed_args.topic, priorities, say)
        writer = stream.writer_for(
            self.app.stdout, parsed_args.formatter, keys,
            width=_table_width(parsed_args, self.app.stdout),
            raw=parsed_args.raw, csv_quoting=parsed_args.quote_mode)
        self.exit_code = tail.run(
            tail.handler(selection, writer, say, parsed_args.count,
                         parsed_args.until, parsed_args.raw),
            say, source, parsed_args.timeout, self.app.stdin)
        return (), ()

    def produce_output(self, parsed_args, column_names, data):
        """Nothing left to show: each notification was written on arrival."""
        return 0
