"""Request paths built from percent-encoded segments, never concatenated."""

from urllib import parse as urlparse

from watcherclient_ext import errors

#: Segments that RFC 3986 (section 5.2.4) removes, climbing with ``..``.
#: Written ``%2E`` they would not stay so: requests decodes every escaped
#: unreserved character before sending, and a proxy or server may then
#: normalise the path.  So they cannot name anything.
_DOT_SEGMENTS = (".", "..")


def segment(value):
    """``value`` as one path segment: every character but letters, digits
    and ``-_.~`` percent-encoded, so that a ``/``, ``?``, ``#`` or ``%`` in
    a name stays in the name."""
    text = str(value)
    if not text:
        raise errors.InvalidInput("An empty name cannot address a resource")
    if text in _DOT_SEGMENTS:
        raise errors.InvalidInput(
            f"The name {text!r} cannot address a resource in a URL (it "
            "means a directory of the path); use the UUID")
    try:
        # Bytes a command line could not decode go out as they came in.
        return urlparse.quote(text, safe="", errors="surrogateescape")
    except UnicodeEncodeError:
        raise errors.InvalidInput(
            f"The name {text!r} is not text that a URL can carry (a lone "
            "surrogate)") from None


def path(*segments):
    """``/seg1/seg2/...``, each segment percent-encoded whole, so that no
    name can address another resource."""
    return "".join("/" + segment(value) for value in segments)
