"""Which broker to listen to: oslo.messaging transport URLs.

``rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost?ssl=1``: hosts
are tried in order and in turn after a failure, as oslo.messaging does.
Passwords are never shown: :meth:`TransportURL.masked` and
:meth:`TransportURL.scrub` are what may reach a user's screen.
"""

import configparser
import dataclasses
import os
from urllib import parse

from watcherclient_ext import errors

URL_ENV = "WATCHER_TRANSPORT_URL"
DEFAULT_URL = "rabbit://guest:guest@localhost:5672/"
DEFAULT_PORT = 5672
#: oslo.messaging's names for its RabbitMQ driver.
SCHEMES = ("rabbit", "kombu")
#: Where services read ``transport_url`` for notifications, in order.
CONFIG_SECTIONS = ("oslo_messaging_notifications", "DEFAULT")
_HIDDEN = "***"
_TRUE = ("1", "true", "yes", "on")
#: Query options that oslo.messaging maps to its TLS settings.
_SSL_FILES = {"ssl_ca_file": "ca_certs", "ssl_cert_file": "certfile",
              "ssl_key_file": "keyfile"}


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
        if self.query.get("ssl", "").lower() not in _TRUE:
            return False
        files = {option: self.query[key] for key, option in _SSL_FILES.items()
                 if self.query.get(key)}
        return files or True

    def masked(self):
        """The URL with every password replaced by ``***``."""
        hosts = []
        for host in self.hosts:
            credentials = ""
            if host.username is not None:
                credentials = parse.quote(host.username, safe="")
                if host.password is not None:
                    credentials += ":" + _HIDDEN
                credentials += "@"
            hosts.append(credentials + host.address)
        query = parse.urlencode(self.query, safe="/")
        return (f"{self.scheme}://{','.join(hosts)}/"
                f"{parse.quote(self.virtual_host, safe='')}"
                + (f"?{query}" if query else ""))

    def scrub(self, text):
        """``text`` (an error from the network stack) without passwords."""
        for host in self.hosts:
            if host.password:
                for form in {host.password, parse.quote(host.password,
                                                        safe="")}:
                    text = text.replace(form, _HIDDEN)
        return text


def parse_url(text):
    """A :class:`TransportURL` from oslo.messaging's URL syntax."""
    _, _, rest = text.partition("://")
    if set(rest.rpartition("@")[0]) & set("/?#"):
        # urlsplit would end the host part there and read a piece of the
        # password as a host name or port.
        raise errors.UsageError(
            f"Invalid transport URL {_masked_text(text)}: an '@' comes "
            "after a '/', '?' or '#'; percent-encode these in a user name "
            "or password (%2F, %3F, %23), and an '@' after the host (%40)")
    try:
        url = parse.urlsplit(text)
        hosts = tuple(_host(part) for part in url.netloc.split(",") if part)
    except ValueError as exc:
        raise errors.UsageError(
            f"Invalid transport URL {_masked_text(text)}: {exc}") from None
    if url.scheme not in SCHEMES:
        raise errors.UsageError(
            f"Invalid transport URL {_masked_text(text)}: notifications are "
            f"read from RabbitMQ, with a URL starting {SCHEMES[0]}://")
    if not hosts:
        raise errors.UsageError(
            f"Invalid transport URL {_masked_text(text)}: no host")
    query = {key: ",".join(values) for key, values in
             parse.parse_qs(url.query).items()}
    return TransportURL(url.scheme, hosts, parse.unquote(url.path[1:]), query)


def _host(text):
    username = password = None
    if "@" in text:
        credentials, text = text.rsplit("@", 1)
        username, colon, password = credentials.partition(":")
        username = parse.unquote(username)
        password = parse.unquote(password) if colon else None
    if text.startswith("["):
        hostname, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        hostname, port = text.split(":")
    else:  # a name, or a bare IPv6 address
        hostname, port = text, ""
    if not hostname:
        raise ValueError("a host has no name")
    if port and not (port.isascii() and port.isdigit()
                     and 0 < int(port) < 65536):
        raise ValueError(
            f"port {port!r} of {hostname} is not a number from 1 to 65535")
    return Host(hostname, int(port) if port else DEFAULT_PORT, username,
                password)


def _masked_text(text):
    """A URL that did not parse, shown without anything between // and @."""
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest:
        return f"{scheme}://{_HIDDEN}@{rest.rsplit('@', 1)[1]}"
    return text


def _config_error(exc):
    """What is wrong in a config file, without its path (the message has
    it) and without the line's text (it may hold a password)."""
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno}: no [section] header above it"
    if isinstance(exc, configparser.ParsingError) and exc.errors:
        return f"line {exc.errors[0][0]} is not 'name = value'"
    return errors.mask_url_passwords(str(exc).splitlines()[0])


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
            with open(path, encoding="utf-8") as stream:
                config.read_file(stream, source=path)
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
