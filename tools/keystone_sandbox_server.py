"""Serve Keystone on 127.0.0.1 for tools/sandbox, with the standard library.

Keystone ships a WSGI application and no server.  The standard library's
WSGI server, one thread per request, is enough for a sandbox and needs no
package beyond Keystone.  Every request is logged to stderr as one line in
the common log format (``"POST /v3/auth/tokens HTTP/1.1" 201 ...``), which
shows how many tokens clients asked for.

Usage: OS_KEYSTONE_CONFIG_FILES=keystone.conf \\
       <keystone venv>/bin/python keystone_sandbox_server.py PORT
"""

import socketserver
import sys
from wsgiref import simple_server


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    daemon_threads = True


def main(port):
    # Keystone's oslo.config would parse our command line as its own.
    del sys.argv[1:]
    from keystone.server import wsgi

    application = wsgi.initialize_public_application()
    server = simple_server.make_server(
        "127.0.0.1", port, application, server_class=ThreadingWSGIServer)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
