"""Checks on resource identifiers made before any request is sent."""

import re

from watcherclient_ext import errors

_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?"
                   r"[0-9a-f]{12}$", re.I)


def is_uuid(value):
    return bool(_UUID.match(value or ""))


def require_uuid(value, kind):
    """Return ``value`` if it is a UUID, else raise a helpful InvalidInput."""
    if not is_uuid(value):
        raise errors.InvalidInput(
            f"{value!r} is not a valid {kind} UUID: expected 32 hexadecimal "
            "digits such as 0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13")
    return value
