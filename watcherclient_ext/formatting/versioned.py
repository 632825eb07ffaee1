"""Versioned-object payloads (oslo.versionedobjects) -> plain data.

Watcher, Nova and Ironic send payloads as ``{"<ns>_object.name": ...,
"<ns>_object.namespace": ..., "<ns>_object.version": ...,
"<ns>_object.data": {...}}``, nested objects wrapped the same way. Readers
want the data, and the payload object's name and version on the side
(nested objects' versions follow from it).

Unwrapping happens while the JSON is parsed, in ``object_hook``: a tail
decodes every message, and a second walk over each payload would cost
about as much as parsing it.
"""

import json

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


class Decoder:
    """Parses JSON text with every versioned object, at any depth,
    replaced by its data. One parse at a time per Decoder."""

    def __init__(self):
        self._wrappers = {}
        self._decode = json.JSONDecoder(object_hook=self._unwrap).decode

    def _unwrap(self, value):
        # Called for every JSON object, so _prefix() is inlined here.
        for key in value:
            cut = key.find(_MARK)
            if cut <= 0:
                return value
            data_key = key[:cut + _MARK_END] + "data"
            if data_key not in value:
                return value
            data = value[data_key]
            if type(data) is dict:  # ids of None or numbers are shared
                self._wrappers[id(data)] = value
            return data
        return value

    def loads(self, text):
        """``(value, objects)``: ``objects`` maps ``id(data)`` to the
        wrapper of each object found, for :meth:`metadata_of`."""
        if type(text) is not str:
            text = text.decode("utf-8")
        self._wrappers = {}
        return self._decode(text), self._wrappers


def metadata_of(data, objects):
    """The metadata of the object whose data ``data`` is, or None."""
    wrapper = objects.get(id(data))
    return None if wrapper is None else metadata(wrapper)

