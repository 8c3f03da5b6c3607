"""The fake provider itself (no loupe needed): its replies follow the real
OpenAI and Anthropic wire formats and carry the fixed usage numbers."""
from __future__ import annotations

import json
import urllib.request

from fake_provider import FakeProvider, usage


def _post(url, body):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers.get("Content-Type"), r.read().decode()


def _sse_data(text):
    return [line[6:] for line in text.splitlines() if line.startswith("data: ")]


def test_openai_chat_and_stream():
    with FakeProvider() as fake:
        ct, body = _post(fake.openai_base_url + "/chat/completions",
                         {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
        reply = json.loads(body)
        assert reply["model"] == "gpt-4o-mini-2024-07-18"
        assert reply["usage"] == usage.OPENAI_CHAT
        assert reply["choices"][0]["message"]["content"] == usage.REPLY_TEXT

        ct, body = _post(fake.openai_base_url + "/chat/completions",
                         {"model": "gpt-4o", "messages": [], "stream": True,
                          "stream_options": {"include_usage": True}})
        assert ct == "text/event-stream"
        data = _sse_data(body)
        assert data[-1] == "[DONE]"
        last = json.loads(data[-2])
        assert last["choices"] == [] and last["usage"] == usage.OPENAI_CHAT
        text = "".join((json.loads(d)["choices"] or [{}])[0].get("delta", {}).get("content") or ""
                       for d in data[:-1])
        assert text == usage.REPLY_TEXT


def test_openai_embeddings():
    with FakeProvider() as fake:
        _, body = _post(fake.openai_base_url + "/embeddings", {"model": "text-embedding-3-small", "input": ["a", "b"]})
        reply = json.loads(body)
        assert len(reply["data"]) == 2 and reply["usage"] == usage.OPENAI_EMBEDDINGS


def test_anthropic_messages_and_stream():
    with FakeProvider() as fake:
        _, body = _post(fake.anthropic_base_url + "/v1/messages",
                        {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": []})
        reply = json.loads(body)
        assert reply["type"] == "message" and reply["model"] == "claude-sonnet-4-5-20250929"
        assert {k: reply["usage"][k] for k in usage.ANTHROPIC} == usage.ANTHROPIC

        _, body = _post(fake.anthropic_base_url + "/v1/messages",
                        {"model": "claude-haiku-4-5", "max_tokens": 10, "messages": [], "stream": True})
        events = [line[7:] for line in body.splitlines() if line.startswith("event: ")]
        assert events[0] == "message_start" and events[-1] == "message_stop"
        assert "content_block_delta" in events and "message_delta" in events
        data = [json.loads(d) for d in _sse_data(body)]
        start = data[0]["message"]["usage"]
        delta = next(d for d in data if d["type"] == "message_delta")["usage"]
        assert start["cache_read_input_tokens"] == usage.ANTHROPIC["cache_read_input_tokens"]
        assert delta["output_tokens"] == usage.ANTHROPIC["output_tokens"]


def test_disjoint_truth_adds_up():
    assert sum(usage.OPENAI_CHAT_DISJOINT.values()) == usage.OPENAI_CHAT["total_tokens"]
    a = usage.ANTHROPIC
    assert sum(usage.ANTHROPIC_DISJOINT.values()) == (a["input_tokens"] + a["cache_read_input_tokens"]
                                                       + a["cache_creation_input_tokens"] + a["output_tokens"])
