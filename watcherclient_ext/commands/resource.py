"""Generic list, show, update and delete over resource_fields: a command
names its resource, its options and its filters; the rows are made here."""

import json

from cliff import command

from watcherclient_ext import errors
from watcherclient_ext import identifiers
from watcherclient_ext import option_types
from watcherclient_ext.api import resources
from watcherclient_ext.commands import base
from watcherclient_ext.formatting import columns


def api_of(command, resource):
    return resources.Resources(base.client_of(command).session, resource)


def values(record, fields, listed=False):
    """A record's values in ``fields``' order, shown as python-watcherclient
    shows them (in a list or alone), wrapped for cliff's formats."""
    def value(field):
        raw = record.get(field.name)
        if field.shown is None or (listed and field.raw_in_lists):
            return raw
        return field.shown(raw)
    return tuple(columns.displayable(value(field)) for field in fields)


def sort_field(key, fields):
    """A field name from a field or a label, as python-watcherclient takes."""
    if key is None:
        return None
    by_name = {field.label: field.name for field in fields}
    by_name.update((field.name, field.name) for field in fields)
    if key not in by_name:
        raise errors.UsageError(
            f"--sort-key {key!r} is not a field of this list; use one of "
            f"{', '.join(field.name for field in fields)}")
    return by_name[key]


def add_list_arguments(parser, plural, marker=True):
    """python-watcherclient's --detail, --limit, --sort-key, --sort-dir
    and, where it has it, --marker."""
    parser.add_argument(
        "--detail", "--long", dest="detail", action="store_true",
        help=f"Show detailed information about each of the {plural}")
    parser.add_argument(
        "--limit", metavar="<limit>", type=option_types.non_negative_int,
        help=f"Show at most this many {plural}; 0 or none: all of them")
    parser.add_argument(
        "--sort-key", metavar="<field>",
        help="Field (or column label) to sort by")
    parser.add_argument(
        "--sort-dir", metavar="<direction>", choices=("asc", "desc"),
        help='Sort direction: "asc" (the default) or "desc"')
    if marker:
        parser.add_argument(
            "--marker", metavar="<marker>",
            help="UUID of the last item of the previous page; list the "
                 "items after it")


def require_uuids(parsed_args, *options):
    """Each of these options, where given, names a UUID: else a usage
    error (exit 2), before any request."""
    for option in options:
        value = getattr(parsed_args, option[2:].replace("-", "_"), None)
        if value:
            identifiers.require_uuid(value, option)


class ResourceList(base.ExitCodes, base.Lister):
    """List ``resource``; ``filters(parsed_args)`` gives the query's own
    filters (goal, audit...).  A malformed UUID exits 2, as everywhere:
    ``uuid_options`` names the options that take only one."""

    resource = None
    plural = "items"
    marker = True
    uuid_options = ("--marker",)

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_list_arguments(parser, self.plural, self.marker)
        return parser

    def filters(self, parsed_args):
        return {}

    def columns_for(self, parsed_args):
        return [field.label
                for field in self.resource.columns(detail=parsed_args.detail)]

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        sort_field(parsed_args.sort_key,
                   self.resource.columns(detail=parsed_args.detail))
        require_uuids(parsed_args, *self.uuid_options)

    def take_action(self, parsed_args):
        api = api_of(self, self.resource)
        fields = self.resource.columns(api.api_version, parsed_args.detail)
        items = api.list(
            detail=parsed_args.detail, limit=parsed_args.limit,
            marker=getattr(parsed_args, "marker", None),
            sort_key=sort_field(parsed_args.sort_key, fields),
            sort_dir=parsed_args.sort_dir, **self.filters(parsed_args))
        return ([field.label for field in fields],
                (values(item, fields, listed=True) for item in items))


class ListByGoalAndStrategy(ResourceList):
    """A list python-watcherclient filters by --goal and --strategy."""

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


class ResourceShow(base.ExitCodes, base.ShowOne):
    """Show one ``resource`` by the positional argument ``metavar``."""

    resource = None
    metavar = "<ident>"
    help = "UUID or name"

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("ident", metavar=self.metavar, help=self.help)
        return parser

    def columns_for(self, parsed_args):
        return labels(self.resource.columns())

    def take_action(self, parsed_args):
        api = api_of(self, self.resource)
        return shown(api, api.get(parsed_args.ident))


def labels(fields):
    return [field.label for field in fields]


def shown(api, record):
    """(labels, values) of one record at the session's microversion."""
    fields = api.resource.columns(api.api_version)
    return labels(fields), values(record, fields)


def split_pair(text, what, decode=True):
    """``NAME=VALUE`` -> (name, value), the value JSON-decoded when it
    parses, as python-watcherclient reads them; ``what`` names the
    argument in the usage error."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip("/ "):
        raise errors.UsageError(f"{what} expects NAME=VALUE, got {text!r}")
    if decode:
        try:
            value = json.loads(value)
        except ValueError:
            pass
    return name.strip(), value


PATCH_OPS = ("add", "replace", "remove")


def json_patch(op, attributes, text_paths=()):
    """python-watcherclient's ``<op> <path=value>...`` as a JSON patch:
    each path under "/", values JSON-decoded but for ``text_paths``'s,
    ``remove`` taking paths alone."""
    patch = []
    for attribute in attributes:
        attribute = attribute if attribute.startswith("/") else (
            "/" + attribute)
        if op == "remove":
            patch.append({"op": op, "path": attribute})
            continue
        path, value = split_pair(
            attribute, f"{op} <path=value>",
            decode=attribute.partition("=")[0] not in text_paths)
        patch.append({"op": op, "path": path, "value": value})
    return patch


class ResourceUpdate(base.ExitCodes, base.ShowOne):
    """Update one ``resource`` with python-watcherclient's ``<op>
    <path=value>...``, and show it as Watcher answers."""

    resource = None
    metavar = "<ident>"
    help = "UUID or name"
    #: Paths whose values are sent as text, never JSON-decoded.
    text_paths = ()
    #: The microversion Watcher took updates of this resource from.
    since = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("ident", metavar=self.metavar, help=self.help)
        self.add_change_arguments(parser)
        return parser

    def add_change_arguments(self, parser):
        parser.add_argument("op", metavar="<op>", choices=PATCH_OPS,
                            help="Operation: 'add', 'replace', or 'remove'")
        parser.add_argument(
            "attributes", metavar="<path=value>", nargs="+",
            help="Attribute to add, replace, or remove; several may be "
                 "given. For 'remove', only <path>")

    def patch(self, parsed_args):
        return json_patch(parsed_args.op, parsed_args.attributes,
                          self.text_paths)

    def columns_for(self, parsed_args):
        return labels(self.resource.columns())

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        resources.checked_ident(self.resource, parsed_args.ident)
        parsed_args.patch = self.patch(parsed_args)

    def take_action(self, parsed_args):
        api = api_of(self, self.resource)
        return shown(api, api.update(parsed_args.ident, parsed_args.patch,
                                     self.since))


class ResourceDelete(base.ExitCodes, base.CheckedOptions, command.Command):
    """Delete each ``resource`` named, whatever fails, saying each one
    deleted on stderr; failures end with "N of M ... failed" and exit 1."""

    resource = None
    plural = "items"
    metavar = "<ident>"
    help = "UUID or name"

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("idents", metavar=self.metavar, nargs="+",
                            help=self.help)
        return parser

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        for ident in parsed_args.idents:
            resources.checked_ident(self.resource, ident)

    def take_action(self, parsed_args):
        idents = list(dict.fromkeys(parsed_args.idents))
        noun = self.resource.noun
        ended, failed = 0, 0
        try:
            for ident, error in api_of(self, self.resource).delete_each(
                    idents):
                ended += 1
                if error is None:
                    base.say(self, f"Deleted {noun} {ident}")
                else:
                    failed += 1
                    base.say(self, str(error))
        except KeyboardInterrupt:
            base.say(self, f"Interrupted while deleting {noun} "
                           f"{idents[ended]}, which may have been deleted")
            raise
        if failed:
            base.say(self, f"{failed} of {len(idents)} {self.plural} failed "
                           "to delete")
            self.exit_code = errors.EXIT_ERROR
