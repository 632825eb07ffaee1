"""Request paths built from percent-encoded segments, never concatenated."""

from urllib import parse as urlparse


def path(*segments):
    """``/seg1/seg2/...``, each segment percent-encoded whole, so that no
    name can address another resource."""
    return "".join("/" + urlparse.quote(str(segment), safe="")
                   for segment in segments)
