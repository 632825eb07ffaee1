"""An HTTP server on 127.0.0.1 that misbehaves on demand.

Each test scripts answers by path (``server.answer(path, ...)``) and
reads back every request it received, headers included: what a real
Watcher will not do on demand (redirect elsewhere, drip, never end).
"""

import http.server
import json
import threading


class Answer:
    def __init__(self, status=200, body=b"", headers=None, drip=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(
            body).encode()
        self.headers = {"Content-Type": "application/json",
                        "OpenStack-API-Minimum-Version": "1.0",
                        "OpenStack-API-Maximum-Version": "1.7",
                        **(headers or {})}
        #: Seconds between the body's bytes, for one that never ends soon.
        self.drip = drip


class HostileServer:
    def __init__(self):
        self.answers = {}
        self.requests = []
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        daemon=True)
        self._thread.start()

    def answer(self, path, *answers):
        """Answer requests for ``path`` in turn; the last one for ever."""
        self.answers[path] = list(answers)

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    owner = None

    def log_message(self, *args):
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.owner.requests.append(
            (self.command, self.path, dict(self.headers), body))
        path = self.path.split("?", 1)[0]
        queue = self.owner.answers.get(path) or [Answer(404, {})]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.drip is None:
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
            return
        self.end_headers()
        try:
            for byte in answer.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                # Not time.sleep, which the unit tests stub.
                threading.Event().wait(answer.drip)
        except OSError:
            pass

    do_GET = do_POST = do_PATCH = do_DELETE = _serve
