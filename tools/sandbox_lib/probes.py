"""Is it up? Checks over TCP and HTTP, on 127.0.0.1 only."""

import contextlib
import datetime
import json
import os
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

from sandbox_lib.report import SandboxError


def port_taken(port):
    """True when something listens on the port on 127.0.0.1 or any address."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def listener(port):
    """'pid N (name)' of the process listening on a TCP port, if visible."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in list(f)[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1],
                                             16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{entry}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{entry}/fd/{fd}") in inodes:
                        name = Path(f"/proc/{entry}/comm").read_text().strip()
                        return f"pid {entry} ({name})"
    return None


def epmd_names(port):
    """Node names registered with the epmd on this port; None if no epmd."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"\x00\x01n")  # NAMES_REQ
            data = b""
            while chunk := s.recv(4096):
                data += chunk
    except OSError:
        return None
    if len(data) < 4:
        return None
    text = data[4:].decode(errors="replace")
    return re.findall(r"^name (\S+) at port", text, re.MULTILINE)


def accepts(port):
    """True when something accepts TCP connections on 127.0.0.1:port.

    Said nothing to: RabbitMQ logs a warning for every AMQP handshake
    left unfinished, but nothing for a bare connection.
    """
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


# Loopback only: never through a proxy from the user's environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get_json(url, headers=None):
    """(status, body) of a GET; (None, None) when nothing answers."""
    try:
        with _http.open(urllib.request.Request(url, headers=headers or {}),
                        timeout=3) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, ValueError):
        return None, None


def call_json(method, url, body=None, token=None):
    """(response headers, JSON body) of a request that must succeed."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Auth-Token"] = token
    request = urllib.request.Request(
        url, method=method, headers=headers,
        data=None if body is None else json.dumps(body).encode())
    try:
        with _http.open(request, timeout=30) as response:
            payload = response.read()
            return response.headers, json.loads(payload) if payload else None
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:300]
        raise SandboxError(f"{method} {url} answered HTTP {exc.code}: "
                           f"{detail}") from None
    except (OSError, ValueError) as exc:
        raise SandboxError(f"{method} {url} failed: {exc}") from None


def utc(timestamp):
    """Watcher's naive UTC timestamps as seconds since the epoch."""
    if not timestamp:
        return 0.0
    moment = datetime.datetime.fromisoformat(timestamp.replace("Z", ""))
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()
