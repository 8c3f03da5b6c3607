"""Feeds a running Loupe with realistic LLM traffic through the real
OpenTelemetry Python SDK (OTLP/HTTP protobuf), for the UI's end-to-end
tests and for trying the UI by hand:

    .venv/bin/python web/e2e/feed.py --endpoint http://127.0.0.1:4318 [--traces 60] [--big-trace 5000]

Every trace is a small agent: a root span, sometimes a retrieval span, and
one or two chat calls with gen_ai.* attributes (the conventions' message
JSON, tool calls and reasoning included), attributed to a team, feature,
prompt version, user and session. Some calls fail; one model has no price.
Prints a JSON summary (trace ids by kind) on stdout for the tests.
"""
from __future__ import annotations

import argparse
import json
import random
import time

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, StatusCode

TEAMS = {
    "search": ["answer", "rerank"],
    "support": ["refund-bot", "triage"],
    "growth": ["email-writer"],
}
MODELS = [("gpt-4o", "openai"), ("gpt-4o-mini", "openai"), ("claude-sonnet-4-5-20250929", "anthropic")]
UNPRICED = ("acme-private-llm-7", "acme")
USERS = ["alice", "bob", "carol", "dave"]
QUESTIONS = [
    "What is your refund policy for damaged items?",
    "Summarize the quarterly report in three bullets.",
    "Which plan includes SSO?",
    "Write a friendly follow-up email to a churned customer.",
]
NS = 1_000_000


def messages(question: str, with_tool: bool) -> tuple[str, str, str]:
    system = json.dumps([{"type": "text", "content": "You are Loupe's demo assistant. Answer briefly."}])
    inp = [{"role": "user", "parts": [{"type": "text", "content": question}]}]
    if with_tool:
        inp += [
            {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_1", "name": "search_docs",
                                              "arguments": {"query": question[:30]}}]},
            {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1",
                                         "response": {"hits": 2, "top": "policy.md"}}]},
        ]
    out = [{"role": "assistant", "finish_reason": "stop", "parts": [
        {"type": "reasoning", "content": "The user asks: " + question + " Check the docs first."},
        {"type": "text", "content": "Here is the answer to: " + question},
    ]}]
    return system, json.dumps(inp), json.dumps(out)


def one_trace(tracer, rng, base_ns, i, unpriced=False):
    from opentelemetry import trace as api
    team = rng.choice(list(TEAMS))
    feature = rng.choice(TEAMS[team])
    model, provider = UNPRICED if unpriced else rng.choice(MODELS)
    user = USERS[i % len(USERS)]
    session = f"sess-{user}-{i % 3}"
    version = rng.choice(["v1", "v2"])
    question = rng.choice(QUESTIONS)
    error = i % 9 == 4
    start = base_ns + i * 2000 * NS
    total_ms = rng.randint(300, 4000) if i % 17 else 25_000  # a slow outlier now and then
    root = tracer.start_span(f"POST /{feature}", kind=SpanKind.SERVER, start_time=start,
                             attributes={"http.route": f"/{feature}", "user.id": user})
    ctx = api.set_span_in_context(root)
    t = start + 5 * NS
    if feature in ("answer", "refund-bot"):
        r = tracer.start_span("retrieve docs", context=ctx, start_time=t, attributes={
            "gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": "kb"})
        r.end(end_time=t + 40 * NS)
        t += 45 * NS
    calls = 2 if i % 5 == 0 else 1
    for c in range(calls):
        big = i % 23 == 0
        with_ctx_chat(tracer, ctx, t, model, provider, team, feature, version, user, session, question,
                      c == 0 and calls == 2, error and c == calls - 1,
                      rng.randint(200, 3000) * (20 if big else 1), rng.randint(50, 600),
                      max(50, total_ms // (calls + 1)))
        t += (total_ms // (calls + 1)) * NS
    if error:
        root.set_status(StatusCode.ERROR, "upstream LLM failed")
    root.end(end_time=start + total_ms * NS)
    return format(root.get_span_context().trace_id, "032x"), {"team": team, "feature": feature, "model": model,
                                                             "user": user, "session": session, "error": error}


def with_ctx_chat(tracer, ctx, t, model, provider, team, feature, version, user, session, question, with_tool,
                  error, input_tokens, output_tokens, duration_ms):
    system, inp, out = messages(question, with_tool)
    attrs = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": provider,
        "gen_ai.request.model": model,
        "gen_ai.response.model": model,
        "gen_ai.usage.input_tokens": input_tokens,
        "gen_ai.usage.output_tokens": output_tokens,
        "gen_ai.usage.reasoning.output_tokens": output_tokens // 4,
        "gen_ai.system_instructions": system,
        "gen_ai.input.messages": inp,
        "gen_ai.output.messages": out,
        "gen_ai.response.finish_reasons": ["stop"],
        "ai.team": team,
        "ai.feature": feature,
        "ai.prompt_version": version,
        "user.id": user,
        "session.id": session,
    }
    span = tracer.start_span(f"chat {model}", context=ctx, kind=SpanKind.CLIENT, attributes=attrs, start_time=t)
    span.add_event("gen_ai.content.note", {"note": "demo event"}, timestamp=t + NS)
    if error:
        span.set_attribute("error.type", "rate_limit_exceeded")
        span.set_status(StatusCode.ERROR, "429 Too Many Requests")
    span.end(end_time=t + duration_ms * NS)


def big_trace(tracer, base_ns, spans):
    """One agent run with `spans` spans, for the waterfall's virtualization."""
    from opentelemetry import trace as api
    root = tracer.start_span("agent run (big)", kind=SpanKind.SERVER, start_time=base_ns)
    ctx = api.set_span_in_context(root)
    parent_ctx = ctx
    for i in range(spans - 1):
        t = base_ns + i * NS
        if i % 10 == 0:
            step = tracer.start_span(f"step {i // 10}", context=ctx, start_time=t)
            step.end(end_time=t + 10 * NS)
            parent_ctx = api.set_span_in_context(step)
            continue
        if i % 10 == 5:
            with_ctx_chat(tracer, parent_ctx, t, "gpt-4o-mini", "openai", "search", "agent", "v1", "alice",
                          "sess-big", QUESTIONS[0], False, False, 100, 20, 1)
        else:
            s = tracer.start_span(f"execute_tool tool_{i % 7}", context=parent_ctx, start_time=t,
                                  attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": f"tool_{i % 7}"})
            s.end(end_time=t + NS // 2)
    root.end(end_time=base_ns + spans * NS)
    return format(root.get_span_context().trace_id, "032x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", default="http://127.0.0.1:4318")
    ap.add_argument("--traces", type=int, default=60)
    ap.add_argument("--big-trace", type=int, default=0, help="also send one trace with this many spans")
    ap.add_argument("--minutes-ago", type=float, default=30, help="where the first trace starts")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tp = TracerProvider(resource=Resource.create({"service.name": "demo-chat", "deployment.environment.name": "e2e"}))
    tp.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{a.endpoint}/v1/traces"),
                                             max_queue_size=100_000, max_export_batch_size=2000))
    tracer = tp.get_tracer("loupe.web.e2e", "1.0")
    base = time.time_ns() - int(a.minutes_ago * 60e9)
    summary = {"traces": [], "big": None}
    for i in range(a.traces):
        tid, meta = one_trace(tracer, rng, base, i, unpriced=(i == 3))
        summary["traces"].append({"trace_id": tid, **meta})
    if a.big_trace:
        summary["big"] = big_trace(tracer, base + 5 * 60 * 10**9, a.big_trace)
    tp.force_flush()
    tp.shutdown()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
