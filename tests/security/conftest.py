import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Recorder(BaseHTTPRequestHandler):
    """Answers everything (a stylesheet, a fake password file or an image, by the path's ending) and records it."""

    def do_GET(self):  # noqa: N802 - the http.server API
        self.server.hits.append(self.path)
        if self.path.endswith(".css"):
            body, kind = b"body{background:red}", "text/css"
        elif self.path.endswith(".txt"):
            body, kind = b"root:x:0:0:trap:/root:/bin/sh", "text/plain"
        else:
            body, kind = b"GIF89a", "image/gif"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def trap():
    """A real HTTP server on a free loopback port, in a thread: ``trap.hits`` lists every path asked for,
    ``trap.port`` and ``trap.origin`` say where it is. It is shown to answer before the test starts, so an empty
    ``hits`` afterwards means nobody asked, not that nobody could."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []
    server.port = server.server_address[1]
    server.origin = f"http://127.0.0.1:{server.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"{server.origin}/alive", timeout=5) as response:  # noqa: S310 - loopback
            assert response.status == 200
        assert server.hits == ["/alive"]
        server.hits.clear()
        yield server
    finally:
        server.shutdown()
        server.server_close()
