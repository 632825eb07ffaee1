"""A tail: messages from the bus or a file, the selected ones written as
they come, and how it ended, as the exit code that ending means."""

import time

from watcherclient_ext import bus
from watcherclient_ext import errors
from watcherclient_ext.bus import filters
from watcherclient_ext.bus import notification
from watcherclient_ext.bus import replay
from watcherclient_ext.bus import transport


def source(path, transport_url, config_files, service, exchange, topic,
           priorities, say):
    """The file ``path`` if given, else a listener on ``service``'s
    exchange and topic (or those given) that connects when it runs; the
    transport is read and checked either way."""
    from watcherclient_ext.bus import listener as bus_listener

    if path and not (transport_url or config_files):
        return path
    url, where = transport.resolve(transport_url, config_files)
    if path:
        return path
    service_exchange, service_topic = bus.SERVICES[service]
    return bus_listener.Listener(
        url, exchange or service_exchange, topic or service_topic,
        priorities or bus.PRIORITIES, say, where)


def handler(selection, writer, say, count=None, until=None, raw=False):
    """What takes each message; ``raw`` shows payloads as they came."""
    return filters.TailHandler(notification.Reader(unwrap=not raw),
                               selection, writer, say, count, until)


def run(tail, say, source, timeout=None, stdin=None):
    """Feed ``tail`` from ``source`` (a listener, or a file's path) until
    it is done or ``timeout`` seconds pass; the exit code of that end."""
    deadline = time.monotonic() + timeout if timeout else None
    try:
        if isinstance(source, str):
            ending = replay.replay(source, tail, stdin, deadline)
        else:
            ending = source.run(tail, deadline)
    finally:
        if tail.skipped:
            say(f"Skipped {tail.skipped} message"
                f"{'s' if tail.skipped > 1 else ''} that could not be read "
                "or shown")
    if tail.done or tail.goal is None:
        return errors.EXIT_OK
    if ending == bus.TIMED_OUT:
        say(f"Timed out before {tail.goal} ({tail.written} shown)")
        return errors.EXIT_TIMED_OUT
    say(f"{replay.source_name(source)} ended before {tail.goal} "
        f"({tail.written} shown)")
    return errors.EXIT_OTHER_END
