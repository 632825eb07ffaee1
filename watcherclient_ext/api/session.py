"""The one negotiating session every command shares.

It wraps a keystoneauth1 Adapter: finds the endpoint, negotiates the
microversion once per process, retries only what is safe to retry, and turns
every failure into an :mod:`watcherclient_ext.errors` exception whose
message is one line a user can act on.
"""

import json
import logging
import re
import time
from urllib import parse as urlparse

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc
from urllib3 import exceptions as urllib3_exc

from watcherclient_ext import errors
from watcherclient_ext import secrets
from watcherclient_ext import terminal_text
from watcherclient_ext.api import deadlines
from watcherclient_ext.api import policy

LOG = logging.getLogger(__name__)


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
#: First back-off delay in seconds, doubled at each retry up to the cap;
#: a Retry-After is held to the cap and to the request's deadline too.
GET_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 10.0
#: Redirects a GET follows, within the same origin only.
MAX_REDIRECTS = 3
_REDIRECTS = frozenset((301, 302, 303, 305, 307, 308))
#: The largest answer read: well above a page of 1,000 detailed plans.
MAX_BODY = 64 * 2 ** 20
#: What is kept of an error's body: its reason is shown cut anyway.
MAX_ERROR_BODY = 64 * 2 ** 10
READ_SIZE = 64 * 2 ** 10
#: Server text in a message is cut at about this many bytes.
SHOWN_TEXT = 1024

_UNPINNED = {"", "1", "latest", "1.latest"}
_DNS_FAILURE = re.compile(
    r"Name or service not known|nodename nor servname|NameResolutionError|"
    r"Temporary failure in name resolution|getaddrinfo failed", re.I)


class RedirectRefused(errors.WatcherClientError):
    """A redirect this client does not follow: a write's, another
    origin's, a loop."""


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
                    f"{self._adapter.region_name or 'any'})",
                    remedy="endpoint")
            self._endpoint = re.sub(r"/v1/?$", "", url.rstrip("/"))
        return self._endpoint

    @property
    def api_version(self):
        """The microversion every request carries, negotiated once.

        Reading it before any request was answered costs a read of the
        root version document; a request learns it for free (see _send).
        """
        if self._version is None:
            url = self.endpoint + "/"
            document = self._send("GET", url, versioned=False)
            self._version = self._choose(*_server_range(document, url))
        return self._version

    def require(self, minimum, feature):
        """Fail clearly when ``feature`` needs a newer microversion; a pin
        older than that fails before any request."""
        version = self._pinned if self._pinned is not None and (
            self._pinned < minimum) else self.api_version
        if version < minimum:
            raise errors.VersionNotSupported(
                f"{feature} needs Watcher API {format_version(minimum)} or "
                f"newer; this session uses {format_version(version)}")

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

    def _access(self):
        """The caller's Keystone AccessInfo, when the session has one (no
        request: the token is the one already used)."""
        session = self._adapter.session
        auth = self._adapter.auth or session.auth
        try:
            return auth.get_access(session)
        except (AttributeError, ks_exc.ClientException):
            return None

    def get(self, path, params=None):
        return self._send("GET", self.url(path), params=params)

    def post(self, path, body):
        return self._send("POST", self.url(path), body=body)

    def patch(self, path, body):
        return self._send("PATCH", self.url(path), body=body)

    def delete(self, path):
        return self._send("DELETE", self.url(path))

    def _send(self, method, url, *, body=None, params=None, versioned=True):
        """One request; GETs retry, writes are sent once.

        Until a response has said which microversions the server speaks,
        requests carry the pin or this client's newest. Every Watcher
        response names the server's range in its headers, so the first one
        settles the version without a read of the version document; a
        server too old for what was sent refuses it (HTTP 406) before acting
        on it, and the request is sent once more at a version it speaks.
        The whole of it ends by one deadline: the time-out, and the
        enclosing wait's bound.
        """
        deadline = _deadline(self._timeout)
        sent = None
        if versioned:
            sent = self._version or self._pinned or CLIENT_MAX_VERSION
        answer = self._request(method, url, body, params, sent, deadline)
        if sent is not None and self._version is None:
            server_range = _header_range(answer.headers, answer.url)
            if server_range is not None:
                self._version = self._choose(*server_range)
                if answer.status == 406 and self._version != sent:
                    answer = self._request(method, url, body, params,
                                           self._version, deadline)
        if answer.status >= 400:
            reason = _shown_reason(answer)
            if answer.status == 403:
                reason = (reason.rstrip(". ") + ". " + policy.advice(
                    reason, policy.caller_of(self._access())))
            raise errors.http_error(
                answer.status, reason,
                request_id=answer.headers.get(REQUEST_ID_HEADER))
        if not answer.body:
            return None
        if answer.truncated:
            raise errors.WatcherClientError(
                f"{method} {_shown_path(url)} answered with more than "
                f"{MAX_BODY // 2 ** 20} MiB; is this a Watcher API endpoint?")
        try:
            return json.loads(answer.body)
        except ValueError:
            raise errors.WatcherClientError(
                f"{method} {_shown_path(url)} answered HTTP {answer.status} "
                "with a body that is not JSON; is this a Watcher API "
                "endpoint?")

    def _request(self, method, url, body, params, version, deadline):
        """The answer to one request, after the retries and same-origin
        redirects a GET may take; a write is sent once, redirect or not."""
        headers = {"Accept": "application/json"}
        if version is not None:
            headers[VERSION_HEADER] = (
                f"{SERVICE_TYPE} {format_version(version)}")
        retries = GET_RETRIES if method == "GET" else 0
        delays = _back_off()
        visited = [url]
        while True:
            try:
                answer = self._exchange(method, url, body, params, headers,
                                        deadline)
            except ks_exc.RetriableConnectionFailure as exc:
                if retries <= 0 or not _sleep_within(next(delays), deadline):
                    raise _translate_transport_error(exc, url)
                retries -= 1
                continue
            except ks_exc.ClientException as exc:
                raise _translate_transport_error(exc, url)
            if answer.status == 503 and retries > 0 and _sleep_within(
                    _retry_after(answer.headers) or next(delays), deadline):
                retries -= 1
                continue
            if answer.status not in _REDIRECTS:
                return answer
            url = _redirect_target(method, url, answer, visited)
            params = None  # the server's Location carries its own query
            visited.append(url)

    def _exchange(self, method, url, body, params, headers, deadline):
        """One request sent, its answer read within the deadline."""
        timeout = _time_left(deadline, url)
        if timeout is None:
            timeout = self._timeout
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("REQ: %s", _as_curl(method, url, params, headers, body))
        response = self._adapter.request(
            url, method, json=body, params=params, headers=headers,
            timeout=timeout, raise_exc=False, redirect=False, stream=True,
            log=False, connect_retries=0, status_code_retries=0)
        try:
            answer = _read_answer(response, url, deadline)
        finally:
            response.close()
        if LOG.isEnabledFor(logging.DEBUG):
            LOG.debug("RESP: [%d] %s: %s", answer.status, method, url)
            LOG.debug("RESP BODY: %s", terminal_text.safe(
                cut(answer.body.decode("utf-8", "replace"))))
        return answer


def _as_curl(method, url, params, headers, body):
    """The request as keystoneauth shows it, so ``--debug`` reads the same.

    The token is added by the auth plugin below this layer, so it is never
    among ``headers``; the log filter masks any other secret.
    """
    if params:
        url = f"{url}?{urlparse.urlencode(params, doseq=True)}"
    parts = ["curl -g -i -X", method, url]
    parts += [f'-H "{name}: {value}"' for name, value in headers.items()]
    if body is not None:
        parts.append(f"-d '{json.dumps(body)}'")
    return " ".join(parts)


class _Answer:
    """What the server answered, its body read within bounds."""

    def __init__(self, url, status, reason, headers, body, truncated):
        self.url = url
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.truncated = truncated

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def _deadline(timeout):
    """The ``time.monotonic()`` instant a request must end by, or None."""
    now = time.monotonic()
    instants = [now + timeout] if timeout else []
    left = deadlines.remaining()
    if left is not None:
        instants.append(now + left)
    return min(instants) if instants else None


def _time_left(deadline, url):
    """Seconds left before ``deadline``; a request past it fails now."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(f"waiting for {url}")
    return left


def _back_off():
    delay = GET_RETRY_DELAY
    while True:
        yield delay
        delay = min(delay * 2, MAX_RETRY_DELAY)


def _sleep_within(delay, deadline):
    """Sleep ``delay`` seconds unless that outlasts ``deadline`` (then
    False: there is no time for another attempt)."""
    delay = min(delay, MAX_RETRY_DELAY)
    if deadline is not None and time.monotonic() + delay >= deadline:
        return False
    LOG.debug("Retrying in %.1fs", delay)
    time.sleep(delay)
    return True


def _retry_after(headers):
    """Seconds a 503 asks to wait (``Retry-After: N``), or None."""
    try:
        return max(0.0, float(headers.get("Retry-After", "")))
    except ValueError:
        return None


def _read_answer(response, url, deadline):
    """The answer with a body of at most MAX_BODY bytes (MAX_ERROR_BODY
    for an error), read in pieces so that one that drips ends by the
    deadline too: a socket's time-out bounds each read, not all of them."""
    limit = MAX_BODY if response.status_code < 400 else MAX_ERROR_BODY
    pieces, size, truncated = [], 0, False
    try:
        while True:
            _time_left(deadline, url)
            piece = response.raw.read1(READ_SIZE)
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                truncated = True
                break
    except (OSError, urllib3_exc.HTTPError) as exc:
        if isinstance(exc, (TimeoutError, urllib3_exc.TimeoutError)):
            raise _timed_out(f"reading the answer of {url}") from None
        raise errors.ConnectionFailed(
            f"The connection to {url} broke while reading its answer")
    body = b"".join(pieces)[:limit]
    return _Answer(url, response.status_code, response.reason or "",
                   response.headers, body, truncated)


def _origin(url):
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlparse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _redirect_target(method, url, answer, visited):
    """Where a GET may follow a redirect to: the same origin, a few times,
    never in a loop. Any other redirect is an error naming its target."""
    location = answer.headers.get("Location")
    if not location:
        raise RedirectRefused(
            f"{method} {_shown_path(url)} answered HTTP {answer.status} "
            "without saying where to")
    shown = cut(secrets.strip_userinfo(location))
    if method != "GET":
        raise RedirectRefused(
            f"{method} {_shown_path(url)} was answered HTTP {answer.status}, "
            f"a redirect to {shown}; it was not sent again")
    try:
        target = urlparse.urljoin(url, location)
        same_origin = _origin(target) == _origin(url)
    except ValueError:
        same_origin = False
    if not same_origin:
        raise RedirectRefused(
            f"GET {_shown_path(url)} was redirected to another origin, "
            f"{shown}; not followed, so nothing was sent there")
    if target in visited:
        raise RedirectRefused(
            f"GET {_shown_path(url)} was redirected in a loop (to {shown})")
    if len(visited) > MAX_REDIRECTS:
        raise RedirectRefused(
            f"GET {_shown_path(url)} was redirected more than "
            f"{MAX_REDIRECTS} times (last to {shown})")
    return target


def _shown_path(url):
    """The path and query of ``url``, for messages."""
    parts = urlparse.urlsplit(url)
    return cut(parts.path + (f"?{parts.query}" if parts.query else "")
               or "/")


def cut(text, limit=SHOWN_TEXT, unread=False):
    """``text`` cut to about ``limit`` bytes, saying how much more (at
    least, when the rest of it was ``unread``)."""
    data = text.encode("utf-8", "replace")
    if len(data) <= limit:
        return text + ("... (more not read)" if unread else "")
    shown = data[:limit].decode("utf-8", "ignore")
    more = len(data) - len(shown.encode())
    return f"{shown}... ({'at least ' if unread else ''}{more} bytes more)"


class BadVersionAnswer(errors.WatcherClientError):
    """The server named its microversions in a form no Watcher uses."""


def _server_version(text, url, where):
    """A version the server named, parsed; its fault if malformed."""
    try:
        return parse_version(text)
    except errors.InvalidInput:
        raise BadVersionAnswer(
            f"The server at {_shown_path(url)} names a malformed API "
            f"version in {where}: {cut(repr(text), 64)}; is this a Watcher "
            "API endpoint?") from None


def _header_range(headers, url):
    """(min, max) microversion from a Watcher response's headers, or None
    when it names none."""
    low = _server_version(headers.get(MIN_VERSION_HEADER), url,
                          MIN_VERSION_HEADER)
    high = _server_version(headers.get(MAX_VERSION_HEADER), url,
                           MAX_VERSION_HEADER)
    return (low, high) if low and high else None


def _server_range(document, url):
    """(min, max) microversion from Watcher's root version document."""
    if not isinstance(document, dict):
        document = {}
    versions = document.get("versions")
    if not isinstance(versions, list):
        versions = []
    default = document.get("default_version")
    for entry in versions + [default if isinstance(default, dict) else {}]:
        if isinstance(entry, dict) and str(entry.get("id", "")).startswith(
                "v1") and entry.get("max_version"):
            return (_server_version(entry.get("min_version") or "1.0", url,
                                    "its version document"),
                    _server_version(entry["max_version"], url,
                                    "its version document"))
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
        if isinstance(message, dict):
            # A fault names its reason; a plain HTTP error its title.
            message = (message.get("faultstring") or message.get(
                "description") or message.get("title") or json.dumps(message))
        return _plain_text(str(message))
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and (
            body["error"].get("message")):
        # keystonemiddleware's refusal, before Watcher sees the request.
        return _plain_text(str(body["error"]["message"]))
    text = _plain_text(response.text)
    if text in _EMPTY_JSON:
        text = ""  # nothing said: the status line says more
    return text or response.reason or "Error"


_EMPTY_JSON = frozenset(("{}", "[]", '""', "null"))


def _shown_reason(response):
    """The server's reason, one line cut to about SHOWN_TEXT bytes."""
    return cut(_error_reason(response), unread=response.truncated)


def _plain_text(text):
    """One line out of a possibly HTML error page: masked first, so that a
    secret holding ``<`` is not cut up as if it were a tag."""
    text = secrets.mask(text)
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
            "verified", remedy="ca_bundle")
    if isinstance(exc, ks_exc.ConnectTimeout):
        return _timed_out(f"waiting for {url}; is the address right and "
                          "the service up?")
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
        exc.args = tuple(secrets.mask(arg)
                         if isinstance(arg, str) else arg
                         for arg in exc.args)
        if isinstance(getattr(exc, "message", None), str):
            exc.message = secrets.mask(exc.message)
        exc = exc.__cause__ or exc.__context__


def _timed_out(doing):
    """A request past the session's bound, the API time-out."""
    return errors.ConnectionFailed(f"Timed out {doing}",
                                   remedy="api_timeout")
