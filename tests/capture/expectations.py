"""What Loupe should understand from each captured fixture: expected.json.

The numbers come from the fake provider (tests/fake_provider/usage.py), not
from Loupe. Where a library does not pass on what the provider said (drops
the cached or reasoning split, counts streamed tokens itself, ...), the spec
below says so, and the expectation is what the span itself can tell; each
such deviation is written down in the call's "notes", checked by hand
against traces.json.

Every expected call names its span by span id, read from the capture.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fake_provider import usage  # noqa: E402

TOKEN_KEYS = ("input", "cache_read", "cache_write", "output", "reasoning")

PROFILES = {
    "openai_chat": usage.OPENAI_CHAT_DISJOINT,
    "openai_embeddings": usage.OPENAI_EMBEDDINGS_DISJOINT,
    "anthropic": usage.ANTHROPIC_DISJOINT,
}


def tokens_for(profile, quirks):
    """Disjoint tokens as the span can tell them. None = the span does not say."""
    t = dict(PROFILES[profile])
    if "no_usage" in quirks:
        return {k: None for k in TOKEN_KEYS + ("total",)}
    if profile == "openai_embeddings":
        t.update(cache_read=None, cache_write=None, output=None, reasoning=None)
    if profile == "openai_chat":
        t["cache_write"] = None  # OpenAI has no cache writes
    if profile == "anthropic":
        t["reasoning"] = None  # Anthropic does not split thinking tokens out
    if "drops_cache_read" in quirks and t["cache_read"] is not None:  # stays inside input, unseen
        t["input"] += t["cache_read"]
        t["cache_read"] = None
    if "drops_reasoning" in quirks and t["reasoning"] is not None:  # stays inside output, unseen
        t["output"] += t["reasoning"]
        t["reasoning"] = None
    t.update(quirks.get("tokens", {}))
    t["total"] = sum(v for k, v in t.items() if k in TOKEN_KEYS and v)
    return t


# One call spec: span name, its occurrence among spans of that name (export
# order), and what it is.
def call(name, nth, profile, request_model, response_model, operation="chat", counts_usage=True,
         price_entry=None, notes=(), group=None, **quirks):
    return {"span_name": name, "nth": nth, "profile": profile, "request_model": request_model,
            "response_model": response_model, "operation": operation, "counts_usage": counts_usage,
            "price_entry": price_entry if price_entry is not None else request_model,
            "notes": list(notes), "group": group, "quirks": quirks}


def openai_four(names, request_models=None, response_models=None, stream=None, tools=None, emb=None):
    """The four OpenAI calls every OpenAI scenario makes, in order."""
    names = names if isinstance(names, (list, tuple)) else [names] * 3 + [None]
    n0, n1, n2, n3 = names
    idx = {}

    def nth(name):
        idx[name] = idx.get(name, -1) + 1
        return idx[name]
    rm = request_models or ["gpt-4o-mini", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small"]
    resp = response_models or ["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18",
                               "text-embedding-3-small"]
    out = [
        call(n0, nth(n0), "openai_chat", rm[0], resp[0], price_entry="gpt-4o-mini", finish_reasons=["stop"]),
        call(n1, nth(n1), "openai_chat", rm[1], resp[1], price_entry="gpt-4o", **(stream or {})),
        call(n2, nth(n2), "openai_chat", rm[2], resp[2], price_entry="gpt-4o-mini", **(tools or {})),
        call(n3, nth(n3), "openai_embeddings", rm[3], resp[3], operation="embeddings",
             price_entry="text-embedding-3-small", **(emb or {})),
    ]
    return out


DROPS_BOTH = {"drops_cache_read": True, "drops_reasoning": True}
DROP_NOTE = "the library passes on prompt_tokens/completion_tokens only: cached_tokens and reasoning_tokens are lost"

SPECS = {
    "js-otel-instrumentation-openai": {
        "library": {"name": "@opentelemetry/instrumentation-openai", "version": "0.21.0", "language": "js"},
        "attribution": {"team": "capture-js", "feature": "capture-js-otel-openai", "user": "", "session": "",
                        "environment": "capture"},
        "calls": [dict(c, quirks={**c["quirks"], **DROPS_BOTH}, notes=[DROP_NOTE])
                  for c in openai_four(["chat gpt-4o-mini", "chat gpt-4o", "chat gpt-4o-mini",
                                        "embeddings text-embedding-3-small"])],
        "logs": "message content as log records whose event name is in the `event.name` ATTRIBUTE "
                "(gen_ai.system.message / gen_ai.user.message / gen_ai.choice), joined by span id",
    },
    "js-openinference-openai": {
        "library": {"name": "@arizeai/openinference-instrumentation-openai", "version": "4.2.7", "language": "js"},
        "attribution": {"team": "capture-js", "feature": "capture-js-openinference-openai", "user": "",
                        "session": "", "environment": "capture"},
        "calls": openai_four(
            ["OpenAI Chat Completions", "OpenAI Chat Completions", "OpenAI Chat Completions", "OpenAI Embeddings"],
            # OpenInference's llm.model_name is the response model (on streams, the requested one); the
            # requested model is in llm.invocation_parameters.model, which Loupe reads.
            request_models=["gpt-4o-mini", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small"],
            response_models=["gpt-4o-mini-2024-07-18", "gpt-4o", "gpt-4o-mini-2024-07-18", "text-embedding-3-small"],
            stream={"no_usage": True,
                    "notes_": ["streamed call: the library records no token counts although the stream "
                               "carried usage (stream_options.include_usage)"]},
            emb={"no_usage": True, "notes_": ["embeddings: the library records no token counts"]}),
    },
    "js-traceloop": {
        "library": {"name": "@traceloop/node-server-sdk", "version": "0.27.0", "language": "js",
                    "also": "@anthropic-ai/sdk 0.137.0 emits its own spans (scope com.anthropic.sdk.typescript)"},
        "attribution": {"feature": "support_flow", "user": "u-42", "session": "s-7", "environment": ""},
        "calls": [
            call("chat gpt-4o-mini", 0, "openai_chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
                 price_entry="gpt-4o-mini", notes=[DROP_NOTE], **DROPS_BOTH),
            call("chat gpt-4o", 0, "openai_chat", "gpt-4o", "gpt-4o-2024-08-06", price_entry="gpt-4o",
                 notes=["streamed call: the library counts tokens itself (tiktoken) and ignores the "
                        "provider's usage chunk: 5 in, 6 out, not 1500/300"],
                 tokens={"input": 5, "cache_read": None, "output": 6, "reasoning": None}),
            # Traceloop's span and the Anthropic SDK's own child span describe the same call: exactly
            # one of them may count. By the 'descendant carries usage' rule it is the child.
            call("chat claude-sonnet-4-5", 0, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                 counts_usage=False, group="sonnet",
                 notes=["input_tokens=200 EXCLUDES cache (unlike Python OpenLLMetry); cache write key "
                        "gen_ai.usage.cache_creation.input_tokens"]),
            call("anthropic.messages.create", 0, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                 group="sonnet",
                 notes=["Anthropic SDK's own span, child of Traceloop's: input_tokens=1500 INCLUDES cache; "
                        "cache write key gen_ai.usage.cache_write.input_tokens"]),
            call("chat claude-haiku-4-5", 0, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
                 counts_usage=False, group="haiku"),
            call("anthropic.messages.create", 1, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
                 group="haiku"),
        ],
        "not_counting": ["support_flow.workflow"],
    },
    "js-ai-sdk": {
        "library": {"name": "ai", "version": "6.0.325", "language": "js",
                    "providers": "@ai-sdk/openai 3.0.141, @ai-sdk/anthropic 3.0.140"},
        "attribution": {"feature": "support-chat", "user": "u-42", "session": "s-7", "environment": "capture"},
        "calls": [
            call("ai.generateText.doGenerate", 0, "openai_chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
                 price_entry="gpt-4o-mini"),
            call("ai.generateText", 0, "openai_chat", "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
                 price_entry="gpt-4o-mini", counts_usage=False,
                 notes=["root span repeats its doGenerate child's usage: must not count"]),
            call("ai.generateText.doGenerate", 1, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
            call("ai.generateText", 1, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                 counts_usage=False),
            call("ai.streamText.doStream", 0, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001"),
            call("ai.streamText", 0, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
                 counts_usage=False),
        ],
    },
    "py-otel-openai-v2": {
        "library": {"name": "opentelemetry-instrumentation-openai-v2", "version": "2.4b0", "language": "python",
                    "also": "opentelemetry-util-genai 1.1b0 (newest GenAI conventions, always)"},
        "attribution": {"team": "default", "feature": "capture-py-otel-openai-v2", "user": "", "session": "",
                        "environment": "capture"},
        "calls": [dict(c, quirks={**c["quirks"], **DROPS_BOTH}, notes=[DROP_NOTE])
                  for c in openai_four(["chat gpt-4o-mini", "chat gpt-4o", "chat gpt-4o-mini",
                                        "embeddings text-embedding-3-small"])],
        "errors": [{"span_name": "chat fake-error-model", "nth": 0,
                    "error_type": "openai.BadRequestError",
                    "notes": ["the library sends the str() of the exception CLASS, \"<class 'openai.BadRequestError'>\"; "
                              "Loupe reports the class's full name, as the conventions ask"]}],
    },
    "py-otel-openai-v2-2.3-events": {
        "library": {"name": "opentelemetry-instrumentation-openai-v2", "version": "2.3b0", "language": "python"},
        "attribution": {"team": "default", "feature": "capture-py-otel-openai-v2-2.3", "user": "", "session": "",
                        "environment": "capture"},
        "calls": [dict(c, quirks={**c["quirks"], **DROPS_BOTH}, notes=[DROP_NOTE])
                  for c in openai_four(["chat gpt-4o-mini", "chat gpt-4o", "chat gpt-4o-mini",
                                        "embeddings text-embedding-3-small"])],
        "errors": [{"span_name": "chat fake-error-model", "nth": 0, "error_type": "BadRequestError"}],
        "logs": "gen_ai.system.message / gen_ai.user.message / gen_ai.choice log records (LogRecord.event_name), "
                "joined by span id",
    },
    "py-openinference-openai": {
        "library": {"name": "openinference-instrumentation-openai", "version": "0.1.66", "language": "python"},
        "attribution": {"team": "default", "feature": "capture-py-openinference-openai", "user": "",
                        "session": "", "environment": "capture"},
        "calls": openai_four(
            ["ChatCompletion", "ChatCompletion", "ChatCompletion", "CreateEmbeddings"],
            # The requested model comes from llm.invocation_parameters.model.
            request_models=["gpt-4o-mini", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small"],
            response_models=["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18",
                             "text-embedding-3-small"]),
    },
    "py-openllmetry-openai": {
        "library": {"name": "opentelemetry-instrumentation-openai", "version": "0.62.4", "language": "python"},
        "attribution": {"team": "default", "feature": "capture-py-openllmetry-openai", "user": "", "session": "",
                        "environment": "capture"},
        "calls": openai_four(
            ["openai.chat", "openai.chat", "openai.chat", "openai.embeddings"],
            stream={"drops_reasoning": True,
                    "notes_": ["streamed call: reasoning_tokens not recorded (non-streamed calls have "
                               "gen_ai.usage.reasoning_tokens)"]}),
    },
    "py-openllmetry-anthropic": {
        "library": {"name": "opentelemetry-instrumentation-anthropic", "version": "0.62.4", "language": "python"},
        "attribution": {"team": "default", "feature": "capture-py-openllmetry-anthropic", "user": "",
                        "session": "", "environment": "capture"},
        "calls": [
            call("anthropic.chat", 0, "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                 notes=["input_tokens=1500 INCLUDES cache read + write"]),
            call("anthropic.chat", 1, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
                 tokens={"output": 151},
                 notes=["streamed call: the library adds message_start's placeholder output_tokens (1) to "
                        "message_delta's cumulative 150, so the span says 151"]),
            call("anthropic.chat", 2, "anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        ],
    },
}


def _spans(traces_json):
    for rs in traces_json.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            for sp in ss.get("spans", []):
                yield ss.get("scope", {}), sp


def _find(spans, name, nth):
    matches = [(scope, sp) for scope, sp in spans if sp["name"] == name]
    if nth >= len(matches):
        raise LookupError(f"span {name!r} #{nth} not in capture ({len(matches)} found)")
    return matches[nth]


def build(name, traces_json):
    spec = SPECS[name]
    spans = list(_spans(traces_json))
    calls = []
    for c in spec["calls"]:
        scope, sp = _find(spans, c["span_name"], c["nth"])
        quirks = {k: v for k, v in c["quirks"].items() if not k.startswith("notes_") and k != "finish_reasons"}
        notes = c["notes"] + c["quirks"].get("notes_", [])
        entry = {
            "span_name": sp["name"], "trace_id": sp["traceId"], "span_id": sp["spanId"],
            "scope": {"name": scope.get("name", ""), "version": scope.get("version", "")},
            "provider": "anthropic" if c["profile"] == "anthropic" else "openai",
            "request_model": c["request_model"], "response_model": c["response_model"],
            "operation": c["operation"], "counts_usage": c["counts_usage"],
            "tokens": tokens_for(c["profile"], quirks),
            "price_entry": c["price_entry"],
        }
        if c["group"]:
            entry["usage_group"] = c["group"]
        if "finish_reasons" in c["quirks"]:
            entry["finish_reasons"] = c["quirks"]["finish_reasons"]
        entry.update({k: v for k, v in spec.get("attribution", {}).items()})
        if notes:
            entry["notes"] = notes
        calls.append(entry)
    errors = []
    for e in spec.get("errors", []):
        _, sp = _find(spans, e["span_name"], e["nth"])
        errors.append({"span_name": sp["name"], "trace_id": sp["traceId"], "span_id": sp["spanId"],
                       "error_type": e["error_type"], **({"notes": e["notes"]}
                                                                                     if "notes" in e else {})})
    not_counting = []
    for n in spec.get("not_counting", []):
        _, sp = _find(spans, n, 0)
        not_counting.append({"span_name": n, "span_id": sp["spanId"]})
    out = {
        "fixture": name,
        "library": spec["library"],
        "provider_usage": {"openai_chat": usage.OPENAI_CHAT, "openai_embeddings": usage.OPENAI_EMBEDDINGS,
                           "anthropic": usage.ANTHROPIC},
        "conventions": {
            "tokens": "disjoint: input = uncached input, cache_read, cache_write, output excludes reasoning, "
                      "reasoning; null = the span does not say (0 is accepted for null)",
            "cost": "round(tokens * usd_per_token * 1e9) per type from ../shared/data/model_prices.json "
                    "[price_entry]; cache_write at the 5-minute price; reasoning at the output price",
            "usage_group": "spans describing the same model call: exactly one of them counts usage",
        },
        "calls": calls,
    }
    if errors:
        out["errors"] = errors
    if not_counting:
        out["not_counting"] = not_counting
    if spec.get("logs"):
        out["logs"] = spec["logs"]
    return out


def write_all(out_dir: Path, names) -> bool:
    ok = True
    for name in names:
        d = out_dir / name
        if not (d / "traces.json").exists() or name not in SPECS:
            continue
        try:
            exp = build(name, json.loads((d / "traces.json").read_text()))
        except LookupError as e:
            print(f"[{name}] expected.json: {e}", file=sys.stderr)
            ok = False
            continue
        (d / "expected.json").write_text(json.dumps(exp, indent=1) + "\n")
    return ok


if __name__ == "__main__":
    out = HERE.parent / "fixtures" / "captured"
    sys.exit(0 if write_all(out, sys.argv[1:] or list(SPECS)) else 1)
