"""Request paths built from percent-encoded segments, never concatenated."""

from urllib import parse as urlparse

from watcherclient_ext import errors


def segment(value):
    """``value`` as one path segment: every character but letters, digits
    and ``-_.~`` percent-encoded, and the dot segments ``.`` and ``..``
    written ``%2E``, which no server or proxy may remove or climb with
    (RFC 3986, section 5.2.4)."""
    text = str(value)
    if not text:
        raise errors.InvalidInput("An empty name cannot address a resource")
    if text in (".", ".."):
        return "%2E" * len(text)
    return urlparse.quote(text, safe="")


def path(*segments):
    """``/seg1/seg2/...``, each segment percent-encoded whole, so that no
    name can address another resource."""
    return "".join("/" + segment(value) for value in segments)
