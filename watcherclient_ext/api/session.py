"""The one negotiating session every command shares.

It wraps a keystoneauth1 Adapter: finds the endpoint, negotiates the
microversion once per process, retries only what is safe to retry, and turns
every failure into an :mod:`watcherclient_ext.errors` exception whose
message is one line a user can act on.
"""

import json
import logging
import re
from urllib import parse as urlparse

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc

from watcherclient_ext import errors

LOG = logging.getLogger(__name__)


class _MaskURLPasswords(logging.Filter):
    """Log records with every URL's password masked: keystoneauth logs
    each request's URL (``REQ: curl ... http://user:password@host``) and
    each failure to reach it, which ``--debug`` shows."""

    def filter(self, record):
        message = record.getMessage()
        masked = errors.mask_url_passwords(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


#: Loggers that may write an endpoint's URL: ours, which the Adapter logs
#: requests through, keystoneauth's own for authentication requests, and
#: osc-lib's, which logs the options it was given.
for _name in (__name__, "keystoneauth.session",
              "osc_lib.cli.client_config"):
    logging.getLogger(_name).addFilter(_MaskURLPasswords())


class _RetryNoticesAsDebug(logging.LoggerAdapter):
    """keystoneauth warns on every retry; users see retries with --debug."""

    def warning(self, msg, *args, **kwargs):
        self.debug(msg, *args, **kwargs)


SERVICE_TYPE = "infra-optim"
VERSION_HEADER = "OpenStack-API-Version"
MIN_VERSION_HEADER = "OpenStack-API-Minimum-Version"
MAX_VERSION_HEADER = "OpenStack-API-Maximum-Version"
REQUEST_ID_HEADER = "X-Openstack-Request-Id"
#: The highest microversion this client knows how to speak.
CLIENT_MAX_VERSION = (1, 7)
#: GETs are retried this many times on connection errors and HTTP 503.
GET_RETRIES = 3
#: First back-off delay in seconds; keystoneauth doubles it, capped at 60 s.
GET_RETRY_DELAY = 0.5

_UNPINNED = {"", "1", "latest", "1.latest"}
_DNS_FAILURE = re.compile(
    r"Name or service not known|nodename nor servname|NameResolutionError|"
    r"Temporary failure in name resolution|getaddrinfo failed", re.I)


def parse_version(text):
    """Return ``(major, minor)`` for a pinned ``X.Y``, None for "latest"."""
    if text is None or str(text).strip().lower() in _UNPINNED:
        return None
    match = re.fullmatch(r"\s*(\d+)\.(\d+)\s*", str(text))
    if not match:
        raise errors.InvalidInput(
            f"Invalid API version {text!r}: use MAJOR.MINOR such as 1.4, "
            "or 'latest'")
    return int(match.group(1)), int(match.group(2))


def format_version(version):
    return "%d.%d" % version


class WatcherSession:
    """HTTP access to one Watcher API endpoint."""

    def __init__(self, adapter, api_version=None, timeout=None):
        self._adapter = adapter
        self._pinned = parse_version(api_version)
        self._timeout = float(timeout) if timeout else None
        self._endpoint = None
        self._version = None

    @classmethod
    def from_keystone_session(cls, session, *, interface=None,
                              region_name=None, endpoint_override=None,
                              api_version=None, timeout=None):
        adapter = ks_adapter.Adapter(
            session=session, service_type=SERVICE_TYPE, interface=interface,
            region_name=region_name, endpoint_override=endpoint_override,
            logger=_RetryNoticesAsDebug(LOG, {}))
        return cls(adapter, api_version, timeout)

    @property
    def endpoint(self):
        """The Watcher root URL (no ``/v1``), found once."""
        if self._endpoint is None:
            try:
                url = self._adapter.get_endpoint()
            except ks_exc.EndpointNotFound:
                url = None
            except ks_exc.ClientException as exc:
                auth = self._adapter.auth or self._adapter.session.auth
                raise _translate_transport_error(
                    exc, getattr(auth, "auth_url", None)
                    or "the identity service")
            if not url:
                raise errors.AuthenticationFailed(
                    f"No {SERVICE_TYPE} (Watcher) endpoint found in the "
                    f"service catalog (interface "
                    f"{self._adapter.interface or 'public'}, region "
                    f"{self._adapter.region_name or 'any'}); check "
                    "--os-interface/--os-region-name or set --os-endpoint")
            self._endpoint = re.sub(r"/v1/?$", "", url.rstrip("/"))
        return self._endpoint

    @property
    def api_version(self):
        """The microversion every request carries, negotiated once.

        Reading it before any request was answered costs a read of the
        root version document; a request learns it for free (see _send).
        """
        if self._version is None:
            document = self._send("GET", self.endpoint + "/", versioned=False)
            self._version = self._choose(*_server_range(document))
        return self._version

    def require(self, minimum, feature):
        """Fail clearly when ``feature`` needs a newer microversion."""
        if self.api_version < minimum:
            raise errors.VersionNotSupported(
                f"{feature} needs Watcher API {format_version(minimum)} or "
                f"newer; this session uses {format_version(self.api_version)}")

    def _choose(self, low, high):
        """The microversion to speak with a server that speaks low..high."""
        if self._pinned is not None:
            if not low <= self._pinned <= high:
                raise errors.VersionNotSupported(
                    f"API version {format_version(self._pinned)} is not "
                    f"supported by the server (it supports "
                    f"{format_version(low)} to {format_version(high)})")
            return self._pinned
        if high < (1, 0):
            raise errors.VersionNotSupported(
                f"The server supports no v1 microversion (it supports "
                f"{format_version(low)} to {format_version(high)})")
        return min(high, CLIENT_MAX_VERSION)

    def url(self, path):
        return self.endpoint + path

    def get(self, path, params=None):
        return self._send("GET", self.url(path), params=params)

    def post(self, path, body):
        return self._send("POST", self.url(path), body=body)

    def patch(self, path, body):
        return self._send("PATCH", self.url(path), body=body)

    def _send(self, method, url, *, body=None, params=None, versioned=True):
        """One request; GETs retry, writes are sent once.

        Until a response has said which microversions the server speaks,
        requests carry the pin or this client's newest. Every Watcher
        response names the server's range in its headers, so the first one
        settles the version without a read of the version document; a
        server too old for what was sent refuses it (HTTP 406) before acting
        on it, and the request is sent once more at a version it speaks.
        """
        sent = None
        if versioned:
            sent = self._version or self._pinned or CLIENT_MAX_VERSION
        response = self._request(method, url, body, params, sent)
        if sent is not None and self._version is None:
            server_range = _header_range(response.headers)
            if server_range is not None:
                self._version = self._choose(*server_range)
                if response.status_code == 406 and self._version != sent:
                    response = self._request(method, url, body, params,
                                             self._version)
        if response.status_code >= 400:
            raise errors.http_error(
                response.status_code, _error_reason(response),
                request_id=response.headers.get(REQUEST_ID_HEADER))
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise errors.WatcherClientError(
                f"{method} {url} answered HTTP {response.status_code} with a "
                "body that is not JSON; is this a Watcher API endpoint?")

    def _request(self, method, url, body, params, version):
        headers = {"Accept": "application/json"}
        if version is not None:
            headers[VERSION_HEADER] = (
                f"{SERVICE_TYPE} {format_version(version)}")
        retries = GET_RETRIES if method == "GET" else 0
        extra = {"timeout": self._timeout} if self._timeout else {}
        try:
            return self._adapter.request(
                url, method, json=body, params=params, headers=headers,
                **extra,
                raise_exc=False, connect_retries=retries,
                connect_retry_delay=GET_RETRY_DELAY,
                status_code_retries=retries,
                status_code_retry_delay=GET_RETRY_DELAY,
                retriable_status_codes=[503] if retries else [])
        except ks_exc.ClientException as exc:
            raise _translate_transport_error(exc, url)


def _header_range(headers):
    """(min, max) microversion from a Watcher response's headers, or None."""
    try:
        low = parse_version(headers.get(MIN_VERSION_HEADER))
        high = parse_version(headers.get(MAX_VERSION_HEADER))
    except errors.InvalidInput:
        return None
    return (low, high) if low and high else None


def _server_range(document):
    """(min, max) microversion from Watcher's root version document."""
    versions = (document or {}).get("versions") or []
    for entry in versions + [(document or {}).get("default_version") or {}]:
        if str(entry.get("id", "")).startswith("v1") and entry.get(
                "max_version"):
            return (parse_version(entry.get("min_version") or "1.0"),
                    parse_version(entry["max_version"]))
    # A v1 server that predates microversions speaks exactly 1.0.
    return (1, 0), (1, 0)


def _error_reason(response):
    """The server's own words from Watcher's nested error body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_message" in body:
        message = body["error_message"]
        if isinstance(message, str):
            try:
                message = json.loads(message)
            except ValueError:
                return _plain_text(message)
        if isinstance(message, dict) and message.get("faultstring"):
            return _plain_text(str(message["faultstring"]))
        return _plain_text(str(message))
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and (
            body["error"].get("message")):
        # keystonemiddleware's refusal, before Watcher sees the request.
        return _plain_text(str(body["error"]["message"]))
    return _plain_text(response.text) or response.reason or "Error"


def _plain_text(text):
    """One line out of a possibly HTML error page."""
    text = re.sub(r"<(title|head)>.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _translate_transport_error(exc, url):
    """A one-line message for failures that never got an HTTP answer.

    ``exc`` itself is masked too: ``--debug`` prints it as the cause.
    """
    _mask_passwords_in(exc)
    if isinstance(exc, ks_exc.http.HttpError):
        if exc.http_status == 401:
            return errors.AuthenticationFailed(
                "Authentication failed: the identity service refused the "
                "credentials (HTTP 401); check the user name, password, "
                "project and domain")
        return errors.AuthenticationFailed(
            f"The identity service answered HTTP {exc.http_status}: "
            f"{exc.message}")
    if isinstance(exc, ks_exc.SSLError):
        return errors.ConnectionFailed(
            f"TLS failure talking to {url}: the certificate could not be "
            "verified; pass --os-cacert with the right CA bundle (or "
            "--insecure to skip verification)")
    if isinstance(exc, ks_exc.ConnectTimeout):
        return errors.ConnectionFailed(
            f"Timed out waiting for {url}; is the address right and the "
            "service up? (--timeout sets the limit)")
    if isinstance(exc, ks_exc.ConnectFailure):
        host = urlparse.urlsplit(url).hostname if "://" in url else url
        if _DNS_FAILURE.search(str(exc)):
            return errors.ConnectionFailed(
                f"Cannot resolve host {host!r} of {url}; check the endpoint "
                "or auth URL")
        return errors.ConnectionFailed(
            f"Cannot connect to {url}: connection refused or reset; is "
            "the service running at that address?")
    if isinstance(exc, (ks_exc.MissingRequiredOptions,
                        ks_exc.auth_plugins.AuthPluginException)):
        return errors.AuthenticationFailed(f"Cannot authenticate: {exc}")
    return errors.WatcherClientError(f"Request to {url} failed: {exc}")


def _mask_passwords_in(exc):
    """Mask URL passwords in an exception's message and in those it was
    raised from or while handling (a retried request's failures)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.args = tuple(errors.mask_url_passwords(arg)
                         if isinstance(arg, str) else arg
                         for arg in exc.args)
        if isinstance(getattr(exc, "message", None), str):
            exc.message = errors.mask_url_passwords(exc.message)
        exc = exc.__cause__ or exc.__context__
