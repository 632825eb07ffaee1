"""Notifications from RabbitMQ (through kombu) or from a file.

This package's ``__init__`` and its light modules (transport, envelope,
filters, replay) use the standard library only; kombu is imported by
:mod:`watcherclient_ext.bus.listener`, when a command listens.
"""

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
