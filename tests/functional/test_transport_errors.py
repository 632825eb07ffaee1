"""Failures that never get an HTTP answer, against local misbehaving peers."""

import socket
import ssl
import subprocess
import threading

import pytest

from tests.functional.conftest import run
from tests.functional.test_foundation import UNKNOWN_PLAN
from tests.functional.test_foundation import assert_one_line_error


@pytest.fixture
def listener():
    """A loopback TCP socket; the test decides what it does with clients."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server
    server.close()


def serve(server, handle):
    def loop():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(client,),
                             daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    return f"127.0.0.1:{server.getsockname()[1]}"


def test_silent_server_times_out(listener):
    held = []
    address = serve(listener, held.append)  # accept, never answer
    result = run("watcher-ext", "--os-api-timeout", "1", "actionplan", "show",
                 UNKNOWN_PLAN, env={"OS_ENDPOINT": f"http://{address}"})
    assert_one_line_error(result, rf"Timed out waiting for http://{address}/")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-subj", "/CN=127.0.0.1", "-days", "1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


def test_untrusted_certificate_is_a_tls_failure(cli, listener, self_signed):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)

    def handshake(client):
        try:
            context.wrap_socket(client, server_side=True).close()
        except (ssl.SSLError, OSError):
            client.close()

    address = serve(listener, handshake)
    result = cli("actionplan", "show", UNKNOWN_PLAN,
                 env={"OS_ENDPOINT": f"https://{address}"})
    assert_one_line_error(result, rf"TLS failure talking to https://{address}/"
                                  r".*--os-cacert")
