"""One notification, from any of the shapes users have it in.

On the wire, oslo.messaging (messagingv2) sends ``{"oslo.version": "2.0",
"oslo.message": "<the message as a JSON string>"}``; the older messaging
driver sends the message itself. The message carries the request context
in ``_context_*`` keys, among them ``_context_auth_token``: a Notification
keeps its message to itself and gives out none of them.
"""

from watcherclient_ext.bus import versioned
from watcherclient_ext.formatting import display
from watcherclient_ext.formatting import jsontext

CONTEXT_PREFIX = "_context_"
ENVELOPE_VERSION = "2.0"
#: Where a record keeps the payload object's name, namespace and version.
OBJECT_KEY = "payload_object"
PAYLOAD = "payload"


class Notification:
    """A message, its payload plain data unless read with ``unwrap=False``.
    """

    __slots__ = ("_message", "payload_object")

    def __init__(self, message, payload_object=None):
        self._message = message
        # A record this command wrote has it among its fields.
        self.payload_object = payload_object or message.get(OBJECT_KEY)

    def get(self, key):
        """A field of the message; never one of the ``_*`` ones."""
        return None if key[:1] == "_" else self._message.get(key)

    @property
    def payload(self):
        return self._message.get(PAYLOAD)

    # The header fields as text, whatever their JSON type: filters match
    # them and tables show them.

    @property
    def event_type(self):
        return display.render(self._message.get("event_type"))

    @property
    def priority(self):
        return display.render(self._message.get("priority")).upper()

    @property
    def publisher_id(self):
        return display.render(self._message.get("publisher_id"))

    @property
    def timestamp(self):
        return display.render(self._message.get("timestamp"))

    def record(self):
        """The message's own fields and the payload object's metadata."""
        record = {key: value for key, value in self._message.items()
                  if key[:1] != "_"}
        record[OBJECT_KEY] = self.payload_object
        return record

    def wire_body(self):
        """The message as oslo.messaging sends it, without its context."""
        message = {key: value for key, value in self._message.items()
                   if not key.startswith(CONTEXT_PREFIX)}
        return {"oslo.version": ENVELOPE_VERSION,
                "oslo.message": jsontext.dumps(message)}


class Reader:
    """Makes Notifications of wire bodies, bare messages, or records this
    command wrote with ``-f json`` (bytes or str); payloads unwrapped
    unless ``unwrap`` is false."""

    def __init__(self, unwrap=True):
        self._unwrap = unwrap

    def __call__(self, body):
        """The Notification in ``body``; ValueError, with a reason, if
        there is none."""
        # Integers beyond 64 bits are looked for once: in the message, be
        # it in an envelope (which holds no number of its own) or not.
        message = jsontext.loads(body, exact=False)
        if type(message) is dict and "oslo.message" in message:
            inner = message["oslo.message"]
            if type(inner) is not str:
                raise ValueError("oslo.message is not a JSON string")
            message = jsontext.loads(inner)
        elif jsontext.may_hold_a_long_integer(body):
            message = jsontext.loads(body)
        if type(message) is not dict:
            raise ValueError("not a JSON object")
        if "event_type" not in message:
            raise ValueError("not a notification: it has no event_type")
        if not self._unwrap or PAYLOAD not in message:
            return Notification(message)
        # Only the payload holds versioned objects.
        message[PAYLOAD], payload_object = versioned.unwrap(message[PAYLOAD])
        return Notification(message, payload_object)
