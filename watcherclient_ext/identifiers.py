"""UUIDs as users type them: one rule for every command and filter."""

import uuid

from watcherclient_ext import errors


def canonical_uuid(text):
    """``text`` in the canonical UUID form, or None if it is not a UUID
    (32 hexadecimal digits, with or without dashes)."""
    try:
        return str(uuid.UUID(text))
    except (TypeError, ValueError, AttributeError):
        return None


def is_uuid(text):
    return canonical_uuid(text) is not None


def require_uuid(text, what):
    """``text`` as a canonical UUID; a usage error naming ``what`` (an
    option or a kind of resource) if it is not one, before any request."""
    value = canonical_uuid(text)
    if value is None:
        raise errors.UsageError(
            f"{what} {text!r} is not a UUID: expected 32 hexadecimal digits "
            "such as 0f3c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a13")
    return value
