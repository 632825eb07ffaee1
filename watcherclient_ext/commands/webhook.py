"""``optimize webhook trigger|url``: run EVENT audits from the command line."""

import json
import re
import sys
import time

from watcherclient_ext import errors
from watcherclient_ext.commands import action_plan
from watcherclient_ext.commands import audit as audit_command
from watcherclient_ext.commands import base

_WEBHOOK_URL = re.compile(r"^(?P<root>https?://.+?)/v1/webhooks/"
                          r"(?P<audit>[^/?#]+)/?$")
TRIGGERED_LABELS = ("Audit", "Name", "Webhook URL", "Result")
URL_LABELS = ("Audit", "Name", "Webhook URL")


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

    The POST is sent exactly once. With --wait, print the action plan this
    trigger produced.
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
                    "audit ends without one (exit 3)")
        return parser

    def columns_for(self, parsed_args):
        if parsed_args.wait is not None:
            return action_plan.PLAN_LABELS
        return TRIGGERED_LABELS

    def take_outcome_action(self, parsed_args):
        started = time.monotonic()
        data = parse_data(parsed_args.data, self.app.stdin)
        if parsed_args.url or parsed_args.endpoint:
            return self._trigger_without_keystone(parsed_args, data)
        if not parsed_args.audit:
            raise errors.UsageError("Name the audit to trigger (or --url)")
        watcher = base.client_of(self)
        with base.notification_gate(self, parsed_args) as gate:
            try:
                trigger = watcher.webhooks.trigger(
                    parsed_args.audit, data,
                    need_audit=parsed_args.wait is not None)
            except KeyboardInterrupt:
                # The POST may have been taken, its answer lost: posting
                # again could trigger twice.
                base.say(self, "Interrupted; the trigger may have been sent: "
                               f"see `audit show {parsed_args.audit}` before "
                               "triggering again")
                raise
            if parsed_args.wait is None:
                audit = trigger.audit or {"uuid": parsed_args.audit}
                return TRIGGERED_LABELS, (
                    audit["uuid"], audit.get("name"), trigger.url,
                    "accepted")
            return action_plan.plan_columns(
                self._wait(trigger, parsed_args, started, gate))

    def _wait(self, trigger, parsed_args, started, gate):
        try:
            return audit_command.wait_for_audit_plan(
                self, trigger.audit, trigger.newest_before, parsed_args,
                started, gate)
        except KeyboardInterrupt:
            base.say(self, "Interrupted; the trigger was sent and the audit "
                           "runs on")
            raise

    def _trigger_without_keystone(self, parsed_args, data):
        if parsed_args.url and (parsed_args.endpoint or parsed_args.audit):
            raise errors.UsageError(
                "--url already names the audit and the endpoint; drop "
                "<audit> and --endpoint")
        if parsed_args.wait is not None:
            raise errors.UsageError(
                "--wait needs to read the audit, which takes Keystone "
                "credentials; drop --url/--endpoint to wait")
        if parsed_args.url:
            root, audit = split_webhook_url(parsed_args.url)
        elif parsed_args.audit:
            root, audit = parsed_args.endpoint.rstrip("/"), parsed_args.audit
        else:
            raise errors.UsageError("--endpoint needs <audit>")
        from watcherclient_ext.api import client

        options = self.app.options
        anonymous = client.WatcherClient.unauthenticated(
            root, verify=_verify(options),
            timeout=getattr(options, "os_api_timeout", None))
        try:
            url = anonymous.webhooks.trigger_unchecked(audit, data)
        except KeyboardInterrupt:
            base.say(self, "Interrupted; the trigger may have been sent: "
                           "check the audit before triggering again")
            raise
        except errors.HTTPError as exc:
            if exc.status != 401:
                raise
            raise errors.AuthenticationFailed(
                "Watcher refused the webhook without a token (HTTP 401): "
                "its [api] enable_webhooks_auth is true; trigger with "
                "credentials (--os-cloud or OS_*), without --url/--endpoint"
            ) from exc
        return TRIGGERED_LABELS, (audit, None, url, "accepted")


def _verify(options):
    """TLS verification from ``--insecure``/``--os-cacert``, any shell."""
    from watcherclient_ext.api import auth

    return auth.tls_verify(
        getattr(options, "insecure", False),
        getattr(options, "os_cacert", None) or getattr(
            options, "cacert", None))


class ShowWebhookURL(audit_command.ShowAudit):
    """Show the webhook URL of an EVENT audit, without triggering it."""

    def columns_for(self, parsed_args):
        return URL_LABELS

    def take_action(self, parsed_args):
        watcher = base.client_of(self)
        audit = watcher.audits.get(parsed_args.audit)
        if audit["audit_type"] != "EVENT":
            raise errors.InvalidInput(
                f"Audit {parsed_args.audit} is {audit['audit_type']}; only "
                "EVENT audits have a webhook")
        return URL_LABELS, (
            audit["uuid"], audit.get("name"), watcher.webhooks.url(
                audit["uuid"]))
