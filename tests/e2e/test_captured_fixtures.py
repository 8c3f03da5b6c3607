"""(c) Replays what real instrumentation libraries emitted (the fixtures in
tests/fixtures/captured, recorded by tests/capture) to a real `loupe serve`
and compares what Loupe understood with each fixture's expected.json, which
was derived from the fake provider's known usage, not from Loupe."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import assert_cost, assert_tokens, wait_for

CAPTURED = Path(__file__).resolve().parents[1] / "fixtures" / "captured"
FIXTURES = sorted(p.name for p in CAPTURED.iterdir() if (p / "expected.json").exists()) if CAPTURED.is_dir() else []
ATTRIBUTION = ("team", "feature", "user", "session", "environment")


def _text_of(messages):
    return " ".join(p.get("content") or "" for m in messages or [] for p in m.get("parts", []))


@pytest.mark.parametrize("name", FIXTURES)
def test_captured_fixture(loupe, name):
    d = CAPTURED / name
    expected = json.loads((d / "expected.json").read_text())
    r = loupe.post_traces((d / "traces.binpb").read_bytes())
    assert r.status == 200, f"traces answered {r.status}: {r.body[:300]!r}"
    if (d / "logs.binpb").exists():
        r = loupe.post_logs((d / "logs.binpb").read_bytes())
        assert r.status == 200, f"logs answered {r.status}: {r.body[:300]!r}"

    problems = []
    groups = {}
    for exp in expected["calls"]:
        label = f"{exp['span_name']} ({exp['span_id']})"
        if not exp["counts_usage"]:
            # an aggregate span may be listed (not counting) or left out
            call = loupe.find_call(exp["span_id"])
        else:
            call = loupe.wait_call(exp["span_id"], what=f"{name}: {label}")
        if exp.get("usage_group"):
            groups.setdefault(exp["usage_group"], []).append((exp, call))
            continue  # checked below: exactly one of the group counts
        if call is None:
            continue
        if not exp["counts_usage"]:
            if call["counts_usage"]:
                problems.append(f"{label}: counts_usage is true for an aggregate span (double count)")
            continue
        problems += _compare(label, exp, call)

    for group, members in groups.items():
        def settled():
            got = [(e, loupe.find_call(e["span_id"])) for e, _ in members]
            return got if sum(1 for _, c in got if c and c["counts_usage"]) >= 1 else None
        members = wait_for(settled, what=f"{name}: a counting call in usage group {group}")
        counting = [(e, c) for e, c in members if c and c["counts_usage"]]
        if len(counting) != 1:
            problems.append(f"group {group}: {len(counting)} spans count usage for one model call, want 1: "
                            f"{[e['span_name'] for e, _ in counting]}")
        for e, c in counting:
            problems += _compare(f"{e['span_name']} ({e['span_id']})", e, c)

    for err in expected.get("errors", []):
        call = loupe.find_call(err["span_id"])
        if call is not None and call["error_type"] != err["error_type"]:
            problems.append(f"{err['span_name']}: error_type {call['error_type']!r}, want {err['error_type']!r}")

    for nc in expected.get("not_counting", []):
        call = loupe.find_call(nc["span_id"])
        if call is not None and call["counts_usage"] and any(call["tokens"].get(k) for k in ("input", "output")):
            problems.append(f"{nc['span_name']}: a non-LLM span counts usage")

    if expected.get("logs"):
        first = expected["calls"][0]
        try:
            wait_for(lambda: "Say hello." in _text_of((loupe.find_call(first["span_id"]) or {}).get("input_messages")),
                     what="prompt content joined from log events")
        except AssertionError as e:
            problems.append(f"{first['span_name']}: input_messages lack the prompt carried by log events ({e})")

    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def _compare(label, exp, call):
    problems = []
    for key in ("provider", "request_model", "response_model", "operation"):
        if call.get(key) != exp[key]:
            problems.append(f"{label}: {key} = {call.get(key)!r}, want {exp[key]!r}")
    if call["counts_usage"] is not True:
        problems.append(f"{label}: counts_usage is {call['counts_usage']!r}, want true")
    for key in ATTRIBUTION:
        if key in exp and call.get(key) != exp[key]:
            problems.append(f"{label}: {key} = {call.get(key)!r}, want {exp[key]!r}")
    if "finish_reasons" in exp and call.get("finish_reasons") != exp["finish_reasons"]:
        problems.append(f"{label}: finish_reasons = {call.get('finish_reasons')!r}, want {exp['finish_reasons']!r}")
    try:
        assert_tokens(call, exp["tokens"])
    except AssertionError as e:
        problems.append(f"{label}: {e}")
        return problems
    if exp["tokens"]["total"]:
        try:
            assert_cost(call, exp["tokens"], exp["price_entry"])
        except AssertionError as e:
            problems.append(f"{label}: {e}")
    return problems
