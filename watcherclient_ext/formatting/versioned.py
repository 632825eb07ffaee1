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


def _unwrap(value, objects):
    """``value`` (a dict or list) with every object in it replaced by its
    data, in place; each data dict's wrapper goes into ``objects``."""
    if type(value) is list:
        for index, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                value[index] = _unwrap(item, objects)
        return value
    wrapper = None
    while (prefix := _prefix(value)) is not None:
        wrapper = wrapper or value  # the outermost names the object
        value = value[prefix + "data"]
        if type(value) is not dict:  # None, or not an object's data
            return _unwrap(value, objects) if type(value) is list else value
    if wrapper is not None:
        objects[id(value)] = wrapper
    for key, item in value.items():
        if type(item) is dict or type(item) is list:
            value[key] = _unwrap(item, objects)
    return value


def unwrap(value):
    """``(plain, objects)``: ``value`` with every versioned object in it, at
    any depth, replaced by its data (in place: the value is changed), and
    ``objects`` for :func:`metadata_of`."""
    objects = {}
    if type(value) is dict or type(value) is list:
        value = _unwrap(value, objects)
    return value, objects


def metadata_of(data, objects):
    """The metadata of the object whose data ``data`` is, or None."""
    wrapper = objects.get(id(data))
    return None if wrapper is None else metadata(wrapper)
