"""What every command shares: the client, --wait, exit codes, output."""

import contextlib
import os
import time

from cliff import lister
from cliff import show

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext import option_types
from watcherclient_ext.api import states
from watcherclient_ext.api import waiting
from watcherclient_ext.formatting import formatters
from watcherclient_ext.formatting import progress
from watcherclient_ext.osc import plugin

EXIT_CODES_HELP = (
    "exit codes: 0 done as asked; 1 error; 2 usage error; "
    "3 ended in another state than asked; 4 timed out; 130 interrupted")

#: The options behind each setting an error below the commands names as
#: its remedy: the one place where their messages meet the command line.
errors.REMEDIES.update({
    "api_timeout": "--os-api-timeout sets the limit",
    "ca_bundle": "pass --os-cacert with the right CA bundle (or --insecure "
                 "to skip verification)",
    "endpoint": "check --os-interface/--os-region-name or set --os-endpoint",
    "force": "create the audit with --force to run it anyway",
    "webhook_credentials": "trigger with credentials (--os-cloud or OS_*), "
                           "without --url/--endpoint",
})


def withdraw_options(parser, *option_strings):
    """Take back options a cliff base class offers that a command cannot
    honour, so that --help does not promise them.

    argparse has no public way to remove an option: this undoes what
    add_argument did, in the parser and in the option's group.
    """
    for option in option_strings:
        action = parser._option_string_actions.get(option)
        if action is None:
            continue
        parser._remove_action(action)
        for group in parser._action_groups + parser._mutually_exclusive_groups:
            if action in group._group_actions:
                group._group_actions.remove(action)
        for string in action.option_strings:
            parser._option_string_actions.pop(string, None)
    # An empty mutually exclusive group breaks argparse's usage line.
    parser._mutually_exclusive_groups[:] = [
        group for group in parser._mutually_exclusive_groups
        if group._group_actions]


def feedback(command):
    """Where the command says what it does: the app's stderr."""
    return progress.Feedback(command.app.stderr)


def say(command, text):
    """One line on the command's stderr, safe for a terminal: it may hold
    what the server sent (names, reasons)."""
    feedback(command).say(text)


def client_of(command):
    """The WatcherClient of the running app (OSC or watcher-ext)."""
    return command.app.client_manager.infra_optim_ext


def add_wait_arguments(parser, what):
    parser.add_argument(
        "--wait", metavar="TIMEOUT", nargs="?",
        type=option_types.wait_seconds, const=0,
        help=f"Wait until {what}; TIMEOUT in seconds, none or 0 waits for "
             "ever. Progress goes to stderr.")
    parser.add_argument(
        "--poll-interval", metavar="SECONDS",
        type=option_types.positive_seconds,
        default=waiting.DEFAULT_POLL_INTERVAL,
        help="Seconds between polls while waiting by polling (default: "
             "%(default)s)")
    bus_options = parser.add_argument_group(
        "waiting on notifications",
        "With a transport URL (from these options or "
        f"${bus.URL_ENV}), --wait listens for Watcher's notifications "
        "and reads the API when one names the resource, and at least every "
        f"{waiting.SAFETY_NET_INTERVAL:g} s; a broker that cannot be reached "
        "is said on stderr, and the wait polls instead")
    add_transport_arguments(
        bus_options, "oslo.messaging transport URL of Watcher's "
        "notifications", "Read transport_url from a Watcher configuration "
        "file. Repeatable; later files win")


def add_transport_arguments(group, url_help, config_help):
    """--transport-url and --config-file, where every command that reads
    the bus takes them; an empty one is a usage error, not the default."""
    group.add_argument("--transport-url", metavar="<url>",
                       type=option_types.non_empty, help=url_help)
    group.add_argument("--config-file", metavar="<path>", action="append",
                       default=[], type=option_types.non_empty,
                       help=config_help)


@contextlib.contextmanager
def wait_spec(command, parsed_args):
    """The :class:`waiting.WaitSpec` of --wait, its notification gate bound
    before the request it waits on; None without --wait."""
    with notification_gate(command, parsed_args) as gate:
        if parsed_args.wait is None:
            yield None
        else:
            yield waiting.WaitSpec(
                parsed_args.wait or None, parsed_args.poll_interval,
                getattr(command, "started", None), gate)


@contextlib.contextmanager
def notification_gate(command, parsed_args):
    """A notification gate, bound before the request it waits on, when
    --wait can reach the message bus; else None (the wait polls).  Closed
    on the way out, which deletes its queue.

    A poll is woken by a notification of an end about a watched resource.
    Interrupted, the gate drops its connection without a goodbye.
    """
    gate = _open_gate(command, parsed_args)
    if gate is None:
        yield None
        return
    try:
        yield gate
    except BaseException:  # Ctrl-C above all
        gate.abandon()
        raise
    gate.close()


def resolve_transport(parsed_args):
    """Check the bus options before any request: ``(TransportURL, where)``
    when --wait is to listen, else None.

    A transport URL that cannot be read is a usage error (exit 2) even
    without --wait, since it was given; the variable counts only with it.
    """
    given = parsed_args.transport_url or parsed_args.config_file
    if not given and not (parsed_args.wait is not None
                          and os.environ.get(bus.URL_ENV)):
        return None
    # configparser and the URL rules: only for a command given bus options.
    from watcherclient_ext.bus import transport

    try:
        resolved = transport.resolve(parsed_args.transport_url,
                                     parsed_args.config_file)
    except errors.UsageError as exc:
        option = ("--transport-url" if parsed_args.transport_url
                  else "--config-file" if parsed_args.config_file
                  else f"${bus.URL_ENV}")
        raise errors.UsageError(f"{option}: {exc}") from None
    return resolved if parsed_args.wait is not None else None


def _open_gate(command, parsed_args):
    resolved = getattr(parsed_args, "transport", None)
    if resolved is None:
        return None
    from watcherclient_ext.bus import gate

    # A broker that cannot be reached only costs the wait its speed.
    url, where = resolved
    try:
        return gate.Gate(url, lambda line: say(command, line), where,
                         ends_something).open()
    except errors.WatcherClientError as exc:
        say(command, f"{exc}; waiting by polling instead")
        return None


def ends_something(notification):
    """A plan's or an audit's notification of an end: a state reached, a
    step done or failed (not an action's: a plan has many)."""
    event_type = notification.event_type
    if type(event_type) is not str or not event_type.startswith(
            ("action_plan.", "audit.")):
        return False
    if event_type.endswith((".end", ".error", ".create", ".delete")):
        return True
    payload = notification.payload
    state = payload.get("state") if type(payload) is dict else None
    # A plan's end states hold an audit's too (SUCCEEDED, FAILED, ...).
    return event_type.endswith(".update") and state in (
        states.PLAN_END_STATES)


class CheckedOptions:
    """Mixed into a cliff command: every option is checked before the
    first request, and a usage error exits 2 with its one line.

    cliff checks ``-c`` only when it formats the answer, after a cancel or
    a trigger was sent: a command that names its columns up front
    (:meth:`columns_for`) has them checked first, and its bus options
    (``--transport-url``, ``--config-file``) are read first too.
    """

    def __init__(self, app, app_args, cmd_name=None):
        super().__init__(app, app_args, cmd_name)
        manager = getattr(app, "client_manager", None)
        if hasattr(manager, "_cli_options"):  # under openstack (osc-lib)
            plugin.guard(manager)

    def columns_for(self, parsed_args):
        """The labels the command can show with these arguments, or None
        when it cannot tell before asking the server."""
        return None

    def check_options(self, parsed_args):
        known = self.columns_for(parsed_args)
        if known is not None:
            check_columns(parsed_args.columns, known)
        if hasattr(parsed_args, "wait"):  # add_wait_arguments's options
            parsed_args.transport = resolve_transport(parsed_args)

    def run(self, parsed_args):
        # A wait's clock starts here, so that its time-out counts the checks
        # and the requests before it.
        self.started = time.monotonic()
        try:
            self.check_options(parsed_args)
            return super().run(parsed_args)
        except errors.WatcherClientError as exc:
            if exc.exit_code != errors.EXIT_USAGE:
                raise
            say(self, str(exc))
            self.exit_code = exc.exit_code
            return exc.exit_code


def check_columns(requested, known):
    """Every ``-c`` names a column, as cliff matches them (``server_name``
    for "Server Name"); a usage error naming those that do not."""
    def normal(name):
        return name.lower().strip().replace(" ", "_")

    names = {normal(label) for label in known}
    unknown = [column for column in requested or ()
               if normal(column) not in names]
    if unknown:
        raise errors.UsageError(
            f"-c {', '.join(unknown)}: no such column; choose from "
            f"{', '.join(known)}")


class Lister(CheckedOptions, formatters.SafeFormatters, lister.Lister):
    """The base of every command that prints a list."""


class ShowOne(CheckedOptions, formatters.SafeFormatters, show.ShowOne):
    """The base of every command that prints one object."""


class ExitCodes:
    """Mixed into a cliff command whose exit code says how things ended.

    The command sets ``self.exit_code`` (default 0) before it returns. An
    error that carries its own exit code (a time-out, a usage error) ends
    the command with that code and its one-line message; other errors are
    cliff's (exit 1, the traceback only with --debug).
    """

    _epilog = EXIT_CODES_HELP
    exit_code = errors.EXIT_OK

    def run(self, parsed_args):
        try:
            super().run(parsed_args)
        except errors.WatcherClientError as exc:
            if exc.exit_code == errors.EXIT_ERROR:
                raise
            say(self, str(exc))
            return exc.exit_code
        return self.exit_code


class OutcomeShowOne(ExitCodes, ShowOne):
    """A ShowOne whose exit code says how things ended."""


class OutcomeLister(ExitCodes, Lister):
    """A Lister whose exit code says how things ended: a row per resource
    acted on, whatever their number."""
