#!/usr/bin/env python3
"""A fake LLM judge speaking the real HTTP shapes of the Anthropic Messages
API (POST /v1/messages) and OpenAI-compatible chat completions
(POST /v1/chat/completions), scriptable per request.

Run: python3 fake_judge.py [--port 0]   -> prints "PORT <n>" once listening.

Control (JSON bodies):
  POST /control {"default": B, "script": [B, ...]}  each request takes the next
        scripted behaviour, then the default. B is {"mode": ..., ...}:
    ok            answer with scores ("score": 4 for every dimension, or
                  "scores": {"accuracy": 5, ...}) and "reasoning"
    prose         the JSON inside prose and a ```json fence, as plain text
    malformed     text that holds no valid JSON
    out_of_range  every score 7 (outside 1..5)
    status        HTTP "status" (429, 529, 500, 400...) with optional
                  "retry_after" header value and "body"
    hang          sleep "seconds" (default 30) before answering ok
    drop          close the connection without answering
    obey          5 for everything if the prompt contains "give 5", else "score"
    no_json_schema  (OpenAI) 400 when response_format.type is json_schema,
                  else ok
    latency       answer ok after "seconds"
  GET  /requests   every request received: {"path", "headers", "body"}
  POST /reset      forget requests and script
The dimensions are those the request's schema requires (tool input_schema
or response_format json_schema), else those named in the prompt text.
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"default": {"mode": "ok"}, "script": [], "requests": []}


def next_behaviour():
    with LOCK:
        if STATE["script"]:
            return STATE["script"].pop(0)
        return dict(STATE["default"])


def prompt_text(body: dict) -> str:
    parts = [body.get("system") or ""]
    for m in body.get("messages", []):
        c = m.get("content")
        if isinstance(c, str):
            parts.append(c)
        elif isinstance(c, list):
            parts.extend(b.get("text", "") for b in c if isinstance(b, dict))
    return "\n".join(p for p in parts if isinstance(p, str))


def dimensions(body: dict, text: str) -> list[str]:
    schema = None
    for tool in body.get("tools") or []:
        schema = tool.get("input_schema")
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        schema = rf.get("json_schema", {}).get("schema")
    if schema:
        return [d for d in schema.get("required", []) if d != "reasoning"]
    return [d for d in re.findall(r'"(\w+)": <score>', text)]


def scores_for(b: dict, dims: list[str], text: str) -> dict:
    mode = b.get("mode", "ok")
    if mode == "out_of_range":
        return {d: 7 for d in dims}
    if mode == "obey" and "give 5" in text.lower():
        return {d: 5 for d in dims}
    given = b.get("scores") or {}
    return {d: given.get(d, b.get("score", 4)) for d in dims}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def send_json(self, status: int, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        n = int(self.headers.get("content-length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        if self.path == "/requests":
            with LOCK:
                return self.send_json(200, STATE["requests"])
        self.send_json(404, {"error": "not found"})

    def do_POST(self):
        raw = self.read_body()
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return self.send_json(400, {"error": {"message": "body is not JSON"}})
        if self.path == "/control":
            with LOCK:
                if "default" in body:
                    STATE["default"] = body["default"]
                if "script" in body:
                    STATE["script"] = list(body["script"])
            return self.send_json(200, {"ok": True})
        if self.path == "/reset":
            with LOCK:
                STATE.update(default={"mode": "ok"}, script=[], requests=[])
            return self.send_json(200, {"ok": True})
        if self.path not in ("/v1/messages", "/v1/chat/completions"):
            return self.send_json(404, {"error": {"message": "unknown path " + self.path}})
        with LOCK:
            STATE["requests"].append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
        self.answer(body, next_behaviour())

    def answer(self, body: dict, b: dict):
        mode = b.get("mode", "ok")
        anthropic = self.path == "/v1/messages"
        if mode == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if mode == "status":
            headers = {}
            if "retry_after" in b:
                headers["retry-after"] = str(b["retry_after"])
            return self.send_json(int(b.get("status", 500)), {"error": {"message": b.get("body", "scripted error")}}, headers)
        if mode in ("hang", "latency"):
            time.sleep(float(b.get("seconds", 30)))
        if mode == "no_json_schema" and not anthropic and (body.get("response_format") or {}).get("type") == "json_schema":
            return self.send_json(400, {"error": {"message": "response_format json_schema is not supported"}})
        text = prompt_text(body)
        dims = dimensions(body, text)
        answer = scores_for(b, dims, text)
        answer["reasoning"] = b.get("reasoning", "fake judge reasoning")
        structured = True
        if mode == "malformed":
            content_text, structured = "I think it is good. Scores: accuracy=4, relevance four {broken", False
        elif mode == "prose":
            content_text, structured = "Here is my evaluation:\n```json\n" + json.dumps(answer) + "\n```\nHope that helps!", False
        else:
            content_text = json.dumps(answer)
        usage_in = max(1, len(text) // 4)
        if anthropic:
            tools = body.get("tools") or []
            if structured and tools:
                content = [{"type": "tool_use", "id": "toolu_fake", "name": tools[0]["name"], "input": json.loads(content_text)}]
            else:
                content = [{"type": "text", "text": content_text}]
            return self.send_json(200, {
                "id": "msg_fake", "type": "message", "role": "assistant", "content": content,
                "model": body.get("model", "fake"), "stop_reason": "tool_use" if structured and tools else "end_turn",
                "usage": {"input_tokens": usage_in, "output_tokens": 50}})
        return self.send_json(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content_text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": usage_in, "completion_tokens": 50, "total_tokens": usage_in + 50}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
