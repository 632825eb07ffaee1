"""Watcher's answers checked for the shape the client relies on.

An answer comes from a server that may be compromised, misconfigured or
behind a broken proxy: what the client then indexes is checked here, and
a missing or mistyped field is one line saying what Watcher sent, not a
Python error from deep inside a command.
"""

import json

from watcherclient_ext import errors

#: Characters of a value quoted in a message: enough to recognise it.
_SHOWN = 40


class MalformedAnswer(errors.WatcherClientError):
    """Watcher answered, but not with what its API promises."""


def _describe(value):
    """A JSON value in a few words: its type for a container, else itself."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _SHOWN:
        text = text[:_SHOWN] + "..."
    return text


def _malformed(request, detail):
    return MalformedAnswer(f"Watcher's answer to {request}{detail}")


def _check_fields(item, request, subject, text, optional_text):
    """``subject`` names the item within the answer (None: the answer)."""
    for field in text:
        if field not in item:
            where = f": {subject}" if subject else ""
            raise _malformed(request, f"{where} has no {field!r}")
    for field in (*text, *optional_text):
        value = item.get(field)
        if not isinstance(value, str) and not (
                value is None and field in optional_text):
            where = f" {subject}'s" if subject else ""
            raise _malformed(request, f":{where} {field!r} is "
                                      f"{_describe(value)}, not text")


def one(body, request, text=(), optional_text=()):
    """``body``, Watcher's answer to ``request`` ("GET /v1/..."), checked
    to be an object whose ``text`` fields are strings (``optional_text``
    ones strings or null, when present)."""
    if not isinstance(body, dict):
        raise _malformed(request, f" is {_describe(body)}, not an object")
    _check_fields(body, request, None, text, optional_text)
    return body


def page(body, request, key, text=(), optional_text=()):
    """``(items, next_link)`` of one page of collection ``key``, each item
    checked as :func:`one` checks an object; ``next_link`` is None when
    Watcher sent none."""
    one(body, request, optional_text=("next",))
    items = body.get(key)
    if not isinstance(items, list):
        if key not in body:
            raise _malformed(request, f" has no {key!r}")
        raise _malformed(request, f": {key!r} is {_describe(items)}, "
                                  "not a list")
    for position, item in enumerate(items, 1):
        subject = f"{key} item {position}"
        if not isinstance(item, dict):
            raise _malformed(request, f": {subject} is {_describe(item)}, "
                                      "not an object")
        _check_fields(item, request, subject, text, optional_text)
    return items, body.get("next") or None


class WriteUnconfirmed(errors.WatcherClientError):
    """A write was sent, and its answer lost or unreadable.

    ``accepted`` tells which: True, Watcher accepted it (its answer, not
    what it did, is wrong); False, the answer never came, so the write may
    have taken effect.  Either way the caller must say it was sent, not
    send it again.  ``what`` names the write ("cancel of action plan X"),
    ``target`` the resource (a UUID, or the URL posted to).
    """

    def __init__(self, what, target, cause, *, accepted):
        how = ("and accepted, but" if accepted
               else "and may have taken effect:")
        super().__init__(f"The {what} was sent {how} {cause}")
        self.what = what
        self.target = target
        self.accepted = accepted
        self.exit_code = getattr(cause, "exit_code", errors.EXIT_ERROR)


def refused(error):
    """Whether ``error``, raised by a write, says Watcher refused it: an
    HTTP 4xx answer, given before the write takes effect."""
    return isinstance(error, errors.HTTPError) and 400 <= error.status < 500


def write_once(send, what, target, check=None):
    """``send()``'s answer, passed through ``check``; any failure but
    Watcher's refusal raised as :class:`WriteUnconfirmed`."""
    try:
        body = send()
    except errors.WatcherClientError as exc:
        if refused(exc):
            raise
        raise WriteUnconfirmed(what, target, exc, accepted=False) from exc
    try:
        return body if check is None else check(body)
    except MalformedAnswer as exc:
        raise WriteUnconfirmed(what, target, exc, accepted=True) from exc
