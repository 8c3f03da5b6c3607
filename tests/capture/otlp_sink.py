"""A tiny OTLP/HTTP receiver for capturing: it keeps the exact request bodies
(after gzip, if the exporter compressed) and answers an empty success.

The first path segment names the capture, so one sink serves every scenario:
an exporter pointed at http://127.0.0.1:PORT/<name>/v1/traces files its
bodies under (<name>, "traces").
"""
from __future__ import annotations

import gzip
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def read_body(handler) -> bytes:
    """The request body, by Content-Length or chunked transfer encoding."""
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        out = bytearray()
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(out)
            out += handler.rfile.read(size)
            handler.rfile.readline()  # CRLF after each chunk
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = read_body(self)
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        parts = self.path.strip("/").split("/")
        # <name>/v1/<signal>
        if len(parts) != 3 or parts[1] != "v1" or parts[2] not in ("traces", "logs", "metrics"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        self.server.sink.add(parts[0], parts[2], ctype, body)
        reply = b"{}" if ctype == "application/json" else b""
        self.send_response(200)
        self.send_header("Content-Type", ctype or "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


class OtlpSink:
    def __init__(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.sink = self
        self._lock = threading.Lock()
        self._bodies = defaultdict(list)  # (name, signal) -> [(content_type, bytes)]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add(self, name, signal, ctype, body):
        with self._lock:
            self._bodies[(name, signal)].append((ctype, body))

    def bodies(self, name, signal):
        with self._lock:
            return list(self._bodies.get((name, signal), []))

    def start(self):
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
