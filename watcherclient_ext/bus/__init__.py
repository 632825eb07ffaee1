"""Notifications from RabbitMQ (through kombu) or from a file.

kombu and amqp are imported by :mod:`watcherclient_ext.bus.listener` alone,
when a command listens (``notifications tail``) or a ``--wait`` waits on
notifications (:mod:`watcherclient_ext.bus.gate`).
"""

#: The variable a transport URL may come from, after the command line.
URL_ENV = "WATCHER_TRANSPORT_URL"

#: --service presets: (exchange, topic), as each service's defaults send.
SERVICES = {
    "watcher": ("watcher", "notifications"),
    "nova": ("nova", "versioned_notifications"),
    "ironic": ("ironic", "ironic_versioned_notifications"),
}
DEFAULT_SERVICE = "watcher"

#: oslo.messaging's priorities; a notification's routing key is
#: ``<topic>.<priority>``.
PRIORITIES = ("audit", "critical", "debug", "error", "info", "sample", "warn")

#: How a source of notifications ended.
STOPPED = "stopped"  # the handler had what it wanted
TIMED_OUT = "timed out"
EXHAUSTED = "exhausted"  # the end of a file
