"""``optimize webhook trigger|url``: run EVENT audits from the command line."""

import json
import re
import sys

from watcherclient_ext import errors
from watcherclient_ext.commands import base
from watcherclient_ext.formatting import records

_WEBHOOK_URL = re.compile(r"^(?P<root>https?://.+?)/v1/webhooks/"
                          r"(?P<audit>[^/?#]+)/?$")


#: The largest --data accepted: an alarm payload, not a bulk upload.
MAX_DATA_BYTES = 1024 * 1024
#: The deepest nesting of --data accepted, well within json's recursion.
MAX_DATA_DEPTH = 100


def parse_data(text, stdin=None):
    """--data: JSON text, @FILE, or @- for standard input, at most
    MAX_DATA_BYTES of UTF-8."""
    if text is None:
        return {}
    source = text
    if text.startswith("@"):
        path = text[1:]
        if not path:
            raise errors.UsageError(
                "--data @ names no file: use @FILE, or @- for standard "
                "input")
        source = _read_data(path, stdin or sys.stdin)
    elif len(text.encode("utf-8", "surrogatepass")) > MAX_DATA_BYTES:
        raise errors.UsageError(
            f"--data is larger than {MAX_DATA_BYTES} bytes")
    _check_depth(source)
    try:
        return json.loads(source)
    except ValueError as exc:
        raise errors.UsageError(
            f"--data is not valid JSON ({exc}); pass a JSON document, "
            "@FILE or @- for standard input") from exc


def _check_depth(source):
    """A usage error for JSON nested deeper than MAX_DATA_DEPTH, before
    the parser recurses that deep (brackets inside strings do not count).
    """
    depth, in_string, escaped = 0, False, False
    for char in source:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DATA_DEPTH:
                raise errors.UsageError(
                    f"--data is nested deeper than {MAX_DATA_DEPTH} levels")
        elif char in "]}":
            depth -= 1


def _read_data(path, stdin):
    """The text of @FILE or @-: bounded, UTF-8, a leading BOM dropped."""
    name = "standard input" if path == "-" else path
    if path == "-" and stdin is None:
        raise errors.UsageError("--data @-: standard input is closed")
    try:
        if path == "-":
            stream = getattr(stdin, "buffer", None)
            raw = (stream.read(MAX_DATA_BYTES + 1) if stream is not None
                   else stdin.read(MAX_DATA_BYTES + 1).encode("utf-8"))
        else:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_DATA_BYTES + 1)
    except OSError as exc:
        raise errors.UsageError(
            f"--data: cannot read {name}: {exc.strerror}") from exc
    if len(raw) > MAX_DATA_BYTES:
        raise errors.UsageError(
            f"--data: {name} is larger than {MAX_DATA_BYTES} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.UsageError(
            f"--data: {name} is not UTF-8 text (byte {exc.start})") from exc


def split_webhook_url(url):
    """``https://host/v1/webhooks/<audit>`` -> (root, audit)."""
    match = _WEBHOOK_URL.match(url)
    if not match:
        raise errors.UsageError(
            f"--url {url!r} is not a webhook URL; expected "
            "http(s)://<watcher>/v1/webhooks/<audit>")
    return match.group("root"), match.group("audit")


class TriggerWebhook(base.OutcomeShowOne):
    """Trigger an EVENT audit through its webhook, as an alarm would.

    The POST is sent exactly once. The same columns with or without
    --wait; with it, the action plan this trigger produced.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "audit", metavar="<audit>", nargs="?",
            help="UUID or name of the EVENT audit")
        parser.add_argument(
            "--data", metavar="<json>",
            help="Alarm payload passed to Watcher: JSON, @FILE, or @- for "
                 "standard input (default: {})")
        anonymous = parser.add_argument_group(
            "without Keystone",
            "For Watcher deployments with [api] enable_webhooks_auth = "
            "false: POST straight to the webhook, with no token and no "
            "checks first")
        anonymous.add_argument(
            "--url", metavar="<webhook-url>",
            help="The audit's whole webhook URL, as `audit create` or "
                 "`webhook url` print it")
        anonymous.add_argument(
            "--endpoint", metavar="<watcher-url>",
            help="Watcher's root URL; the webhook of <audit> is posted to")
        base.add_wait_arguments(
            parser, "the trigger's action plan exists (exit 0), or the "
                    "audit ends without one (exit 3); with --url or "
                    "--endpoint, the audit and its plans are read with the "
                    "cloud's credentials (--os-cloud or OS_*)")
        return parser

    def columns_for(self, parsed_args):
        return records.TRIGGER_LABELS

    def check_options(self, parsed_args):
        super().check_options(parsed_args)
        parsed_args.root = webhook_root(parsed_args)
        parsed_args.payload = parse_data(parsed_args.data, self.app.stdin)

    def take_action(self, parsed_args):
        with base.wait_spec(self, parsed_args) as spec:
            done = _trigger(self, parsed_args, spec)
        return records.TRIGGER_LABELS, records.trigger_values(done)


def webhook_root(parsed_args):
    """Watcher's root URL given by --url or --endpoint (None: the cloud's);
    --url sets ``parsed_args.audit`` to the audit it names."""
    if parsed_args.url and (parsed_args.endpoint or parsed_args.audit):
        raise errors.UsageError(
            "--url already names the audit and the endpoint; drop <audit> "
            "and --endpoint")
    if parsed_args.url:
        root, parsed_args.audit = split_webhook_url(parsed_args.url)
        return root
    if not parsed_args.audit:
        raise errors.UsageError(
            "--endpoint needs <audit>" if parsed_args.endpoint
            else "Name the audit to trigger (or --url)")
    return parsed_args.endpoint and parsed_args.endpoint.rstrip("/")


def _trigger(command, parsed_args, spec):
    """Through the cloud's Watcher, or straight to the webhook given, read
    with the cloud's credentials if it is waited for."""
    feedback = base.feedback(command)
    audit, data = parsed_args.audit, parsed_args.payload
    if parsed_args.root is None:
        return base.client_of(command).webhooks.run(audit, data, spec,
                                                    feedback)
    from watcherclient_ext.api import client

    options = command.app.options
    poster = client.WatcherClient.unauthenticated(
        parsed_args.root, verify=_verify(options),
        timeout=getattr(options, "os_api_timeout", None)).webhooks
    if spec is None:
        return poster.run_unchecked(audit, data, feedback)
    return _reader(command).webhooks.run(audit, data, spec, feedback,
                                         poster=poster)


def _reader(command):
    """The cloud's client, to read the audit and plans of a webhook given
    by URL; a usage error when there are no credentials to read them."""
    try:
        reader = base.client_of(command)
        reader.session.endpoint  # authenticates, finds Watcher
    except errors.InvalidInput as exc:
        raise errors.UsageError(
            "--wait reads the audit and its plans, which takes the cloud's "
            f"credentials (--os-cloud, OS_CLOUD or OS_*): {exc}") from exc
    return reader


def _verify(options):
    """TLS verification from ``--insecure``/``--os-cacert``, any shell."""
    from watcherclient_ext.api import auth

    return auth.tls_verify(
        getattr(options, "insecure", False),
        getattr(options, "os_cacert", None) or getattr(
            options, "cacert", None))


class ShowWebhookURL(base.ShowOne):
    """Show the webhook URL of an EVENT audit, without triggering it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("audit", metavar="<audit>",
                            help="UUID or name of the audit")
        return parser

    def columns_for(self, parsed_args):
        return records.WEBHOOK_URL_LABELS

    def take_action(self, parsed_args):
        watcher = base.client_of(self)
        audit = watcher.audits.get(parsed_args.audit)
        if audit["audit_type"] != "EVENT":
            raise errors.InvalidInput(
                f"Audit {parsed_args.audit} is {audit['audit_type']}; only "
                "EVENT audits have a webhook")
        return records.WEBHOOK_URL_LABELS, (
            audit["uuid"], audit.get("name"), watcher.webhooks.url(
                audit["uuid"]))
