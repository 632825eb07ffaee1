"""Which broker to listen to: oslo.messaging transport URLs.

``rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost?ssl=1``: hosts
are tried in order and in turn after a failure, as oslo.messaging does.
No part of a URL's credentials is ever shown: :meth:`TransportURL.masked`
is what may reach a user's screen, an invalid URL is named by the position
and host of the entry that is wrong, and the passwords of every URL parsed
are given to :func:`watcherclient_ext.secrets.remember`, so that whatever
echoes one (kombu's errors) is masked too.
"""

import configparser
import dataclasses
import os
from urllib import parse

from watcherclient_ext import errors
from watcherclient_ext import option_types
from watcherclient_ext import secrets
from watcherclient_ext.bus import URL_ENV

DEFAULT_URL = "rabbit://guest:guest@localhost:5672/"
DEFAULT_PORT = 5672
#: oslo.messaging's names for its RabbitMQ driver.
SCHEMES = ("rabbit", "kombu")
#: Where services read ``transport_url`` for notifications, in order.
CONFIG_SECTIONS = ("oslo_messaging_notifications", "DEFAULT")
#: A configuration file larger than this, or with a longer line, is not
#: one (``/dev/zero``, a log, an image): services' own files are far less.
CONFIG_MAX_BYTES = 16 * 1024 * 1024
CONFIG_MAX_LINE = 1024 * 1024
_CONFIG_CHUNK = 64 * 1024
#: Query options that oslo.messaging maps to its TLS settings.
_SSL_FILES = {"ssl_ca_file": "ca_certs", "ssl_cert_file": "certfile",
              "ssl_key_file": "keyfile"}
_IPV6_CHARACTERS = frozenset("0123456789abcdefABCDEF:.")
_CREDENTIALS_HINT = (
    "user names and passwords go before an '@' (user:password@host), and "
    "a ',' in one is written %2C")


@dataclasses.dataclass(frozen=True)
class Host:
    hostname: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def address(self):
        name = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        return f"{name}:{self.port}"


@dataclasses.dataclass(frozen=True)
class TransportURL:
    scheme: str
    hosts: tuple
    virtual_host: str
    query: dict

    @property
    def ssl(self):
        """kombu's ``ssl`` argument: False, True or TLS file options."""
        if not option_types.truthy(self.query.get("ssl")):
            return False
        files = {option: self.query[key] for key, option in _SSL_FILES.items()
                 if self.query.get(key)}
        return files or True

    def masked(self):
        """The URL with the credentials of every host replaced by ***."""
        hosts = [(f"{secrets.HIDDEN}@" if host.username is not None
                  or host.password is not None else "") + host.address
                 for host in self.hosts]
        query = parse.urlencode(self.query, safe="/")
        return (f"{self.scheme}://{','.join(hosts)}/"
                f"{parse.quote(self.virtual_host, safe='')}"
                + (f"?{query}" if query else ""))


class _Invalid(Exception):
    """What is wrong with one host entry, said without its credentials."""


def parse_url(text):
    """A :class:`TransportURL` from oslo.messaging's URL syntax; UsageError
    naming what is wrong, never a piece of a user name or password."""
    text = text.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise errors.UsageError(
            f"Invalid transport URL: it does not start with {SCHEMES[0]}://")
    credentials, at, after = rest.rpartition("@")
    if set(credentials) & set("/?#"):
        # The host part would end there and show a piece of the password
        # as a host name or port.
        raise errors.UsageError(
            f"Invalid transport URL {scheme}://{secrets.HIDDEN}@{after}: an "
            "'@' comes after a '/', '?' or '#'; percent-encode these in a "
            "user name or password (%2F, %3F, %23), and an '@' after the "
            "host (%40)")
    netloc, tail = _split_netloc(rest)
    entries = [entry for entry in netloc.split(",") if entry]
    shown = _shown(scheme, entries, tail)
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise errors.UsageError(
            f"Invalid transport URL {shown}: notifications are read from "
            f"RabbitMQ, with a URL starting {SCHEMES[0]}://")
    if not entries:
        raise errors.UsageError(f"Invalid transport URL {shown}: no host")
    with_credentials = ["@" in entry for entry in entries]
    if any(with_credentials) and not all(with_credentials):
        position = with_credentials.index(False) + 1
        raise errors.UsageError(
            f"Invalid transport URL {shown}: host {position} has no "
            f"credentials where others have some; {_CREDENTIALS_HINT}")
    try:
        hosts = tuple(_host(entry, position)
                      for position, entry in enumerate(entries, 1))
    except _Invalid as exc:
        raise errors.UsageError(
            f"Invalid transport URL {shown}: {exc}") from None
    path, _, query = tail.partition("#")[0].partition("?")
    query = {key: ",".join(values) for key, values in
             parse.parse_qs(query).items()}
    return TransportURL(scheme, hosts, parse.unquote(path[1:]), query)


def _split_netloc(rest):
    """``(netloc, the rest)``: the host part ends at a '/', '?' or '#'."""
    cut = min((index for index in map(rest.find, "/?#") if index >= 0),
              default=len(rest))
    return rest[:cut], rest[cut:]


def _shown(scheme, entries, tail):
    """An invalid URL as it may be shown: credentials hidden, and entries
    without an '@' hidden whole unless they all are valid hosts and no
    entry has credentials: else they may be pieces of a user name or
    password (``user:pa,ss@host``, or ``rabbit://guest:S3CRET``, a password
    where the port goes)."""
    plain = [entry for entry in entries if "@" not in entry]
    show_plain = len(plain) == len(entries) and all(map(_is_host, plain))
    shown = []
    for entry in entries:
        if "@" in entry:
            shown.append(f"{secrets.HIDDEN}@{entry.rpartition('@')[2]}")
        else:
            shown.append(entry if show_plain else secrets.HIDDEN)
    return f"{scheme}://{','.join(shown)}{tail}"


def _split_host(text):
    """``(hostname, port text)``; ValueError for a broken IPv6 form."""
    if text.startswith("["):
        hostname, bracket, rest = text[1:].partition("]")
        if not bracket:
            raise ValueError("an IPv6 address without its ']'")
        if rest and not rest.startswith(":"):
            raise ValueError("something other than ':port' after ']'")
        return hostname, rest[1:]
    if "[" in text or "]" in text:
        raise ValueError("a '[' or ']' outside an IPv6 address")
    if text.count(":") == 1:
        return tuple(text.split(":"))
    if ":" in text and not set(text) <= _IPV6_CHARACTERS:
        raise ValueError("more than one ':' outside an IPv6 address")
    return text, ""  # a name, or a bare IPv6 address


def _is_host(entry):
    try:
        _host(entry, 0)
    except _Invalid:
        return False
    return True


def _port_is_valid(port):
    return not port or (port.isascii() and port.isdigit()
                        and 0 < int(port) < 65536)


def _host(entry, position):
    username = password = None
    credentials, at, address = entry.rpartition("@")
    if at:
        username, colon, written = credentials.partition(":")
        username = parse.unquote(username)
        password = parse.unquote(written) if colon else None
    try:
        hostname, port = _split_host(address)
    except ValueError as exc:
        raise _Invalid(f"host {position}: {exc}") from None
    if not hostname:
        raise _Invalid(f"host {position} has no name")
    if not hostname.isprintable() or any(c.isspace() for c in hostname):
        raise _Invalid(f"host {position}: its name holds a space or a "
                       "control character")
    if not _port_is_valid(port):
        if not at:
            # Likely user:password without '@host': name neither.
            raise _Invalid(f"host {position}: what follows its ':' is not a "
                           f"port from 1 to 65535; {_CREDENTIALS_HINT}")
        raise _Invalid(f"host {position} ({hostname}): its port is not a "
                       "number from 1 to 65535")
    if password:
        # As written in the URL and as sent: either may be echoed.
        for form in {written, password}:
            secrets.remember(form)
    return Host(hostname, int(port) if port else DEFAULT_PORT, username,
                password)


def _config_error(exc):
    """What is wrong in a config file, without its path (the message has
    it) and without the line's text (it may hold a password)."""
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: no [section] header above it"
    if isinstance(exc, configparser.ParsingError) and exc.errors:
        return f"line {exc.errors[0][0]} is not 'name = value'"
    return secrets.mask(str(exc).splitlines()[0])


def _read_config(path):
    """The bytes of a configuration file, read in chunks: UsageError as soon
    as it is larger, or its last line so far longer, than such files are.
    """
    content = bytearray()
    line_start = 0
    with open(path, "rb", buffering=0) as stream:
        while chunk := stream.read(_CONFIG_CHUNK):
            content += chunk
            last_newline = chunk.rfind(b"\n")
            if last_newline >= 0:
                line_start = len(content) - len(chunk) + last_newline + 1
            if len(content) - line_start > CONFIG_MAX_LINE:
                number = content.count(b"\n", 0, line_start) + 1
                raise errors.UsageError(
                    f"Cannot read config file {path}: line {number} is "
                    f"longer than {CONFIG_MAX_LINE // 2 ** 20} MiB; it is not "
                    "a configuration file")
            if len(content) > CONFIG_MAX_BYTES:
                raise errors.UsageError(
                    f"Cannot read config file {path}: larger than "
                    f"{CONFIG_MAX_BYTES // 2 ** 20} MiB; it is not a "
                    "configuration file")
    return bytes(content)


def url_from_config(paths):
    """``(url, where)`` from oslo.config files, or ``(None, None)``.

    Like oslo.config, later files win; ``[oslo_messaging_notifications]``
    wins over ``[DEFAULT]``.
    """
    # default_section="" (a name no section header can have) keeps
    # configparser from copying [DEFAULT] into every other section.
    config = configparser.ConfigParser(interpolation=None, strict=False,
                                       default_section="")
    for path in paths:
        try:
            config.read_string(_read_config(path).decode("utf-8"),
                               source=path)
        except OSError as exc:
            raise errors.UsageError(
                f"Cannot read config file {path}: {exc.strerror}") from None
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise errors.UsageError(
                f"Cannot parse config file {path}: {_config_error(exc)}"
            ) from None
    for section in CONFIG_SECTIONS:
        value = config.get(section, "transport_url", fallback="").strip()
        if value:
            return value, f"[{section}] transport_url of {', '.join(paths)}"
    return None, None


def resolve(url=None, config_files=(), environ=os.environ):
    """``(TransportURL, where it came from)``.

    What the command line says first (``--transport-url``, then
    ``--config-file``), then ``$WATCHER_TRANSPORT_URL``, then RabbitMQ's
    default guest account on localhost.
    """
    where, files_without_url = "--transport-url", ""
    if not url and config_files:
        url, where = url_from_config(config_files)
        if not url:
            files_without_url = (
                f" (no transport_url in {', '.join(config_files)})")
    if not url and environ.get(URL_ENV):
        url, where = environ[URL_ENV], URL_ENV
    if not url:
        url, where = DEFAULT_URL, "the default"
    return parse_url(url), where + files_without_url
