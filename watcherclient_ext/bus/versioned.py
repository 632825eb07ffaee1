"""Versioned-object payloads (oslo.versionedobjects) -> plain data.

Watcher, Nova and Ironic send payloads as ``{"<ns>_object.name": ...,
"<ns>_object.namespace": ..., "<ns>_object.version": ...,
"<ns>_object.data": {...}}``, nested objects wrapped the same way. Readers
want the data, and the payload object's name and version on the side
(nested objects' versions follow from it).
"""

_MARK = "_object."
_MARK_END = len(_MARK)


def metadata(wrapper):
    """``{"name", "namespace", "version"}`` of a wrapped object."""
    prefix = _prefix(wrapper)
    return {"name": wrapper.get(prefix + "name"),
            "namespace": wrapper.get(prefix + "namespace"),
            "version": wrapper.get(prefix + "version")}


def _prefix(value):
    """``"nova_object."`` for a Nova object, None for a plain dict.

    oslo.versionedobjects writes only ``<ns>_object.*`` keys, so the first
    key tells; any namespace is accepted.
    """
    for key in value:
        cut = key.find(_MARK)
        if cut <= 0:
            return None
        prefix = key[:cut + _MARK_END]
        return prefix if prefix + "data" in value else None
    return None


def _unwrap(value):
    """``value`` (a dict or list) with every object in it replaced by its
    data, in place."""
    if type(value) is list:
        for index, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                value[index] = _unwrap(item)
        return value
    while (prefix := _prefix(value)) is not None:
        value = value[prefix + "data"]
        if type(value) is not dict:  # None, or not an object's data
            return _unwrap(value) if type(value) is list else value
    for key, item in value.items():
        if type(item) is dict or type(item) is list:
            value[key] = _unwrap(item)
    return value


def unwrap(value):
    """``(plain, metadata)``: ``value`` with every versioned object in it,
    at any depth, replaced by its data (in place: the value is changed),
    and the :func:`metadata` of ``value`` if it is an object itself, else
    None."""
    if type(value) is list:
        return _unwrap(value), None
    if type(value) is not dict:
        return value, None
    wrapper = value if _prefix(value) is not None else None
    return _unwrap(value), None if wrapper is None else metadata(wrapper)
