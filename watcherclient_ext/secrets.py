"""The one masker: no secret reaches a terminal, a log or an error.

A leaf module (standard library only), so that errors, logging, the API
layer and the bus all mask the same way.

Masking is linear in the text: every pattern here starts at a literal
(``://``, a secret's name, a remembered secret) and consumes a bounded
run, and matches never overlap, so 10 MB of a hostile error body costs
one pass (see benchmarks/masking.py).
"""

import json
import re
from urllib import parse as urlparse

HIDDEN = "***"

#: Remembered secrets shorter than this are masked only where their
#: place says they are secrets (a URL's userinfo, a ``password`` field):
#: a one-letter password must not hide every such letter of a message.
MIN_REMEMBERED = 6

#: An authority and what follows it, after ``://``: up to white space or
#: a double quote (a password may hold a raw ``'``, ``/`` or ``@``),
#: bounded.
_AFTER_SCHEME = re.compile(r"://([^\s\"<>`\\]{1,2048}+)")
#: Where one host entry of a transport URL ends and the next begins.
_HOST_THEN_COMMA = re.compile(
    r"@(?:[A-Za-z0-9.-]{1,255}+|\[[0-9A-Fa-f:.]{2,64}+\])(?::\d{1,5}+)?,")
#: Words that make a key name a secret's: ``password``, ``auth_token``,
#: ``X-Auth-Token``, ``application_credential_secret``, ...
_SECRET_WORDS = ("password", "passwd", "passcode", "pwd", "secret", "token",
                 "apikey", "api_key", "authorization")
_LONGEST_KEY = 64
#: A text naming more secret keys than this is no message for a person:
#: from its first such key on it is hidden whole, which bounds the work.
MAX_SECRET_KEYS = 2000
_KEY_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_KEY_END = re.compile(rf"[A-Za-z0-9_.-]{{0,{_LONGEST_KEY}}}+")
#: What follows a secret's key: ``=value`` in a query (the key after
#: ``?``, ``&`` or ``;``), ``": "value"`` in JSON (the key quoted),
#: ``: value`` in a header or a log line. A query value may hold ``'``.
_QUERY_VALUE = re.compile(r"=([^&#\s\"<>]{1,4096}+)")
_JSON_VALUE = re.compile(r"\"\s{0,8}:\s{0,8}\"((?:[^\"\\]|\\.){1,4096}+)\"")
_HEADER_VALUE = re.compile(
    r"\s{0,8}:\s{0,8}((?:(?:Bearer|Basic|Token)\s{1,8})?"
    r"[^\s\"',;]{1,4096}+)", re.I)

_remembered = set()
#: The same, longest first, as :func:`mask` replaces them: a form inside
#: another must not break that one up. Kept by :func:`remember`, so that
#: each mask (every log line) does not sort them again.
_longest_first = []


def remember(secret):
    """Mask ``secret`` wherever it appears from now on (a password or
    token this process sends, which a server may echo back), as given,
    percent-encoded, JSON-escaped (twice too: Watcher's error bodies are
    JSON in JSON) and as Python's ``%r`` escapes it."""
    if not isinstance(secret, str) or len(secret) < MIN_REMEMBERED:
        return
    # surrogatepass: a password the command line could not decode.
    encoded = {urlparse.quote(secret, safe="", errors="surrogatepass"),
               urlparse.quote(secret, errors="surrogatepass"),
               urlparse.quote_plus(secret, errors="surrogatepass")}
    escaped = json.dumps(secret)[1:-1]
    _remembered.update({secret, escaped, json.dumps(escaped)[1:-1],
                        repr(secret)[1:-1], *encoded})
    _longest_first[:] = sorted(_remembered, key=len, reverse=True)


_SECRET_KEY = re.compile(r"(?i)password|passcode|secret|token")


def remember_in(settings):
    """Remember the values of ``settings`` (auth options, a clouds.yaml
    ``auth`` section) whose names say they are secrets."""
    for key, value in settings.items():
        if _SECRET_KEY.search(key):
            remember(value)


def forget_all():
    """Drop every remembered secret (for tests of a fresh process)."""
    _remembered.clear()
    _longest_first.clear()


def mask(text):
    """``text`` with every secret in it replaced by ***."""
    for secret in _longest_first:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    if "://" in text:
        text = _AFTER_SCHEME.sub(_mask_after_scheme, text)
    return _mask_keyed_values(text)


def _mask_keyed_values(text):
    """The values of keys named like secrets hidden.

    Each secret word is found by a plain substring search; only around
    those places is the key's extent and syntax looked at.
    """
    lowered = text.lower()
    keys = set()
    for word in _SECRET_WORDS:
        found = lowered.find(word)
        while found != -1:
            key = _key_around(text, found, len(word))
            keys.add(key)
            if len(keys) > MAX_SECRET_KEYS:
                first = min(_key_around(text, place, len(word))[0]
                            for word in _SECRET_WORDS
                            for place in (lowered.find(word),)
                            if place != -1)
                return (f"{text[:first]}{HIDDEN} ({len(text) - first} "
                        "characters hidden: too many secret keys)")
            found = lowered.find(word, key[1])
    spans = []
    for start, end in sorted(keys):
        if spans and start < spans[-1][1]:
            continue  # inside a value already hidden
        value = _value_after(text, start, end)
        if value is not None and text[value[0]:value[1]] != HIDDEN:
            spans.append(value)
    if not spans:
        return text
    parts, done = [], 0
    for start, end in spans:
        parts += (text[done:start], HIDDEN)
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _key_around(text, found, length):
    """(start, end) of the key name holding the word at ``found``."""
    start, floor = found, max(0, found - _LONGEST_KEY)
    while start > floor and text[start - 1] in _KEY_CHARACTERS:
        start -= 1
    end = _KEY_END.match(text, found + length).end()
    return start, end


def _value_after(text, start, end):
    """(start, end) of the value the key at ``start:end`` names, or None
    where the key is not followed by a value in one of the three forms."""
    before = text[start - 1] if start else ""
    if before in "?&;" and before:
        match = _QUERY_VALUE.match(text, end)
    elif before == '"':
        match = _JSON_VALUE.match(text, end)
    elif before in "/@" and before:
        return None  # a URL's user or host, not a header
    else:
        match = _HEADER_VALUE.match(text, end)
    return match.span(1) if match else None


def _mask_after_scheme(match):
    return "://" + _mask_authority(match.group(1))


def _mask_authority(rest):
    """``user:password@host...`` as ``user:***@host...``; a password in
    the port position (``guest:S3CRET``, no host) as ``guest:***``.

    The userinfo runs to the last ``@`` when a ``:`` comes before it: a
    password may hold a raw ``@``, ``/`` or ``,``.  A transport URL of
    several hosts keeps each host when every entry has its own
    ``user:``; otherwise what lay between is hidden whole.
    """
    at = rest.rfind("@")
    if at > 0 and ":" in rest[:at]:
        return _mask_userinfos(rest[:at]) + _mask_ports(rest[at:])
    return _mask_ports(rest)


def _mask_userinfos(userinfos):
    entries, hosts, done = [], [], 0
    for match in _HOST_THEN_COMMA.finditer(userinfos):
        entries.append(userinfos[done:match.start()])
        hosts.append(match.group())
        done = match.end()
    entries.append(userinfos[done:])
    if not all(":" in entry or entry == HIDDEN for entry in entries):
        entries, hosts = [userinfos], []
    masked = [entry if entry == HIDDEN
              else entry[:entry.index(":")] + ":" + HIDDEN
              for entry in entries]
    return "".join(entry + host for entry, host in zip(masked, hosts + [""]))


def _mask_ports(rest):
    """Every ``host:port`` of an authority whose port is not a number is
    a password in the port position: hidden."""
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    authority, tail = rest[:end], rest[end:]
    if ":" not in authority:
        return rest
    return ",".join(_mask_port(entry)
                    for entry in authority.split(",")) + tail


def _mask_port(entry):
    """``guest:S3CRET`` as ``guest:***``: with no ``@``, what stands in the
    port position and is no number is a password."""
    if "@" in entry:
        return entry
    if entry.startswith("["):
        host, bracket, port = entry.partition("]")
        host += bracket
        if not port.startswith(":"):
            return entry
        port = port[1:]
    else:
        host, colon, port = entry.partition(":")
        if not colon:
            return entry
    if port.isdigit() or port in ("", HIDDEN):
        return entry
    return f"{host}:{HIDDEN}"


def strip_userinfo(url):
    """``url`` without any ``user:password@``: for URLs shown to users."""
    parts = urlparse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlparse.urlunsplit(
        parts._replace(netloc=parts.netloc.rpartition("@")[2]))
