"""A fake LLM provider: the OpenAI chat completions / embeddings API and the
Anthropic Messages API, with their real wire formats (JSON replies and SSE
streams), answering every call with the fixed usage numbers in usage.py.

Python standard library only, so that any test can start it in-process:

    with FakeProvider() as fake:
        client = openai.OpenAI(base_url=fake.openai_base_url, api_key="x")

or as a process (prints one JSON line with its URLs, serves until killed):

    python tests/fake_provider/server.py
"""
from __future__ import annotations

import base64
import json
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from . import usage
except ImportError:  # run as a script
    import usage  # type: ignore

CREATED = 1767225600  # a fixed timestamp, so replies are deterministic


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
    server_version = "fake-provider/1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    # -- plumbing ---------------------------------------------------------
    def _read_json(self):
        raw = read_body(self)
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def _send_json(self, status, obj, extra_headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _start_sse(self, extra_headers=None):
        # The stream's end is the connection's end: no length, no chunking.
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.close_connection = True

    def _sse(self, data, event=None):
        text = ""
        if event:
            text += f"event: {event}\n"
        text += "data: " + (data if isinstance(data, str) else json.dumps(data)) + "\n\n"
        self.wfile.write(text.encode())
        self.wfile.flush()

    def do_GET(self):
        if self.path in ("/healthz", "/"):
            self._send_json(200, {"ok": True})
        elif self.path == "/_requests":
            self._send_json(200, {"requests": self.server.fake.requests})
        else:
            self._send_json(404, {"error": {"message": "not found", "type": "not_found"}})

    def do_POST(self):
        body = self._read_json()
        path = self.path.split("?", 1)[0]
        if path.startswith("/v1/"):
            path = path[3:]
        self.server.fake.record(path, dict(self.headers), body)
        if body is None:
            return self._send_json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
        if path == "/chat/completions":
            return self._openai_chat(body)
        if path == "/embeddings":
            return self._openai_embeddings(body)
        if path == "/messages":
            return self._anthropic_messages(body)
        self._send_json(404, {"error": {"message": f"unknown path {self.path}", "type": "not_found"}})

    # -- OpenAI -----------------------------------------------------------
    def _openai_error(self, model):
        self._send_json(400, {"error": {
            "message": f"The model `{model}` does not exist (fake error).",
            "type": "invalid_request_error", "param": "model", "code": "model_not_found"}})

    def _openai_chat(self, req):
        model = req.get("model", "")
        if model.startswith("fake-error"):
            return self._openai_error(model)
        resp_model = usage.response_model(model)
        cid = "chatcmpl-fake0001"
        tools = req.get("tools") or []
        messages = req.get("messages") or []
        wants_tool = bool(tools) and req.get("tool_choice") != "none" and messages and messages[-1].get("role") == "user"
        if req.get("stream"):
            return self._openai_chat_stream(req, cid, resp_model)
        if wants_tool:
            fn = tools[0].get("function", {})
            message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [{
                "id": "call_fake_0001", "type": "function",
                "function": {"name": fn.get("name", "tool"), "arguments": json.dumps({"city": "Paris"})}}]}
            finish = "tool_calls"
        else:
            message = {"role": "assistant", "content": usage.REPLY_TEXT, "refusal": None, "annotations": []}
            finish = "stop"
        self._send_json(200, {
            "id": cid, "object": "chat.completion", "created": CREATED, "model": resp_model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "usage": usage.OPENAI_CHAT, "service_tier": "default", "system_fingerprint": "fp_fake",
        }, {"x-request-id": "req_fake_openai"})

    def _openai_chat_stream(self, req, cid, resp_model):
        include_usage = bool((req.get("stream_options") or {}).get("include_usage"))
        self._start_sse({"x-request-id": "req_fake_openai"})

        def chunk(delta, finish=None):
            return {"id": cid, "object": "chat.completion.chunk", "created": CREATED, "model": resp_model,
                    "service_tier": "default", "system_fingerprint": "fp_fake",
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
                    **({"usage": None} if include_usage else {})}

        self._sse(chunk({"role": "assistant", "content": "", "refusal": None}))
        for piece in usage.REPLY_CHUNKS:
            self._sse(chunk({"content": piece}))
        self._sse(chunk({}, "stop"))
        if include_usage:
            self._sse({"id": cid, "object": "chat.completion.chunk", "created": CREATED, "model": resp_model,
                       "service_tier": "default", "system_fingerprint": "fp_fake", "choices": [],
                       "usage": usage.OPENAI_CHAT})
        self._sse("[DONE]")

    def _openai_embeddings(self, req):
        model = req.get("model", "")
        if model.startswith("fake-error"):
            return self._openai_error(model)
        inputs = req.get("input")
        if not isinstance(inputs, list) or (inputs and isinstance(inputs[0], int)):
            inputs = [inputs]
        vector = [0.125, -0.25, 0.5, -0.75, 1.0, 0.0, 0.0625, -0.5]
        if req.get("encoding_format") == "base64":
            embedding = base64.b64encode(struct.pack("<%df" % len(vector), *vector)).decode()
        else:
            embedding = vector
        self._send_json(200, {
            "object": "list", "model": usage.response_model(model),
            "data": [{"object": "embedding", "index": i, "embedding": embedding} for i in range(len(inputs))],
            "usage": usage.OPENAI_EMBEDDINGS,
        })

    # -- Anthropic --------------------------------------------------------
    def _anthropic_messages(self, req):
        model = req.get("model", "")
        if model.startswith("fake-error"):
            return self._send_json(400, {"type": "error", "error": {
                "type": "invalid_request_error", "message": f"model: {model} (fake error)"}},
                {"request-id": "req_fake_anthropic"})
        resp_model = usage.response_model(model)
        mid = "msg_fake0001"
        tools = req.get("tools") or []
        messages = req.get("messages") or []
        wants_tool = bool(tools) and messages and messages[-1].get("role") == "user"
        if req.get("stream"):
            return self._anthropic_stream(mid, resp_model)
        if wants_tool:
            content = [{"type": "tool_use", "id": "toolu_fake_0001", "name": tools[0].get("name", "tool"),
                        "input": {"city": "Paris"}}]
            stop = "tool_use"
        else:
            content = [{"type": "text", "text": usage.REPLY_TEXT}]
            stop = "end_turn"
        self._send_json(200, {
            "id": mid, "type": "message", "role": "assistant", "model": resp_model, "content": content,
            "stop_reason": stop, "stop_sequence": None,
            "usage": {**usage.ANTHROPIC, "service_tier": "standard"},
        }, {"request-id": "req_fake_anthropic"})

    def _anthropic_stream(self, mid, resp_model):
        self._start_sse({"request-id": "req_fake_anthropic"})
        start_usage = {k: usage.ANTHROPIC[k] for k in
                       ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")}
        start_usage["output_tokens"] = 1
        self._sse({"type": "message_start", "message": {
            "id": mid, "type": "message", "role": "assistant", "model": resp_model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": start_usage}}, "message_start")
        self._sse({"type": "content_block_start", "index": 0,
                   "content_block": {"type": "text", "text": ""}}, "content_block_start")
        self._sse({"type": "ping"}, "ping")
        for piece in usage.REPLY_CHUNKS:
            self._sse({"type": "content_block_delta", "index": 0,
                       "delta": {"type": "text_delta", "text": piece}}, "content_block_delta")
        self._sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
        self._sse({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                   "usage": {"output_tokens": usage.ANTHROPIC["output_tokens"]}}, "message_delta")
        self._sse({"type": "message_stop"}, "message_stop")


class FakeProvider:
    """An in-process fake provider on 127.0.0.1 and a free port.

    Thread-safe; start() / stop() or use as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self
        self._thread = None
        self._lock = threading.Lock()
        self.requests: list[dict] = []

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:  # the OpenAI SDKs want the /v1 in it
        return self.base_url + "/v1"

    @property
    def anthropic_base_url(self) -> str:  # the Anthropic SDKs add /v1 themselves
        return self.base_url

    def record(self, path, headers, body):
        with self._lock:
            self.requests.append({"path": path, "body": body, "time": time.time()})

    def start(self) -> "FakeProvider":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main() -> int:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    fake = FakeProvider(port=port)
    print(json.dumps({"base_url": fake.base_url, "openai_base_url": fake.openai_base_url,
                      "anthropic_base_url": fake.anthropic_base_url}), flush=True)
    try:
        fake._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
