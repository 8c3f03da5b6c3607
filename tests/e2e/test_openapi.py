"""The OpenAPI document at /api/v1/openapi.json against a real `loupe serve`
with the store, evaluation (judging against tests/fake_judge) and alerting on.

Covers: the document lists every route family the server registers (query
API, evaluation, alerting, the server's own); every $ref resolves; every
documented operation answers (never the router's 404/405) with a status
the document lists; and real answers, good and bad, validate against the
documented response schemas (jsonschema, after turning OpenAPI 3.0's
`nullable` and boolean `exclusiveMinimum` into JSON Schema).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import start_loupe, stop_loupe
from helpers import get, http_request, llm_span, trace_request, wait_for

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed (tests/requirements.txt)")
referencing = pytest.importorskip("referencing")
from referencing.jsonschema import DRAFT7  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FAKE_JUDGE = REPO / "tests" / "fake_judge" / "fake_judge.py"
DOC_URI = "urn:loupe:openapi"

# Every route the server registers on the API port (src/api/query_api.cc,
# src/eval/http_api.cc, src/alerting/http_api.cc, src/server/server.cc).
EXPECTED = {
    ("get", "/api/v1/traces"), ("get", "/api/v1/traces/{trace_id}"), ("get", "/api/v1/sessions"),
    ("get", "/api/v1/sessions/{session_id}"), ("get", "/api/v1/stats"), ("get", "/api/v1/prices"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/scores"), ("get", "/api/v1/scores"), ("get", "/api/v1/evaluations"),
    ("get", "/api/v1/evaluation/status"), ("get", "/api/v1/compare"), ("get", "/api/v1/agreement"),
    ("post", "/api/v1/evaluations/run"), ("get", "/api/v1/evaluations/run"),
    ("get", "/api/v1/alerts"), ("get", "/api/v1/alert-rules"), ("post", "/api/v1/alert-rules/reload"),
    ("get", "/api/v1/silences"), ("post", "/api/v1/silences"), ("delete", "/api/v1/silences/{silence_id}"),
    ("get", "/api/v1/alert-notifiers"),
    ("get", "/healthz"), ("get", "/readyz"), ("get", "/metrics"), ("get", "/api/v1/llm-calls/recent"),
    ("get", "/api/v1/pricing/unpriced"), ("post", "/api/v1/admin/backup"), ("delete", "/api/v1/users/{user_id}"),
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


# --- OpenAPI 3.0 -> JSON Schema --------------------------------------------
def to_json_schema(node):
    """OpenAPI 3.0 schema objects differ from JSON Schema draft 7 in
    `nullable` and the boolean exclusiveMinimum/exclusiveMaximum."""
    if isinstance(node, list):
        return [to_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items()}
    for excl, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if out.get(excl) is True and bound in out:
            out[excl] = out.pop(bound)
        elif out.get(excl) is False:
            del out[excl]
    if out.get("nullable") is True:
        del out["nullable"]
        if "type" in out and "$ref" not in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def pointer(*parts) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def deref(doc, node):
    """Follows one local "$ref" (responses, parameters)."""
    if isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target
    return node


def all_refs(node, where="#"):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v, where
            else:
                yield from all_refs(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from all_refs(v, f"{where}/{i}")


class Contract:
    def __init__(self, doc):
        self.doc = doc
        converted = to_json_schema(doc)
        resource = referencing.Resource.from_contents(converted, default_specification=DRAFT7)
        self.registry = referencing.Registry().with_resource(DOC_URI, resource)

    def operations(self):
        for path, item in self.doc["paths"].items():
            for method in item:
                if method in METHODS:
                    yield method, path

    def check(self, method, path, reply) -> list[str]:
        """What is wrong with `reply` as an answer of (method, path)."""
        op = self.doc["paths"][path][method]
        code = str(reply.status)
        if code not in op["responses"]:
            return [f"{method.upper()} {path}: status {code} is not documented ({sorted(op['responses'])}): {reply.body[:300]!r}"]
        response = deref(self.doc, op["responses"][code])
        content = response.get("content")
        if not content:
            return []
        # Media types match without their parameters (charset, version).
        got = reply.headers.get("content-type", "")
        ctype = next((k for k in content if k.split(";")[0].strip() == got.split(";")[0].strip()), None)
        if ctype is None:
            return [f"{method.upper()} {path} {code}: content-type {got!r} not documented ({sorted(content)})"]
        body = reply.body.decode()
        if ctype.startswith("application/json"):
            try:
                body = json.loads(body)
            except ValueError as e:
                return [f"{method.upper()} {path} {code}: not JSON: {e}"]
        # A response may itself be a $ref to components/responses.
        ref = op["responses"][code].get("$ref")
        base = ref[1:] if ref else pointer("paths", path, method, "responses", code)[1:]
        schema = {"$ref": DOC_URI + "#" + base + "/content/" + ctype.replace("~", "~0").replace("/", "~1") + "/schema"}
        validator = jsonschema.Draft7Validator(schema, registry=self.registry)
        return [f"{method.upper()} {path} {code}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
                for e in validator.iter_errors(body)]


# --- the server --------------------------------------------------------------
@pytest.fixture(scope="module")
def judge():
    proc = subprocess.Popen([sys.executable, str(FAKE_JUDGE), "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("PORT "), f"fake judge did not start: {line!r}"
    addr = f"127.0.0.1:{int(line.split()[1])}"
    r = http_request(addr, "POST", "/control",
                     json.dumps({"default": {"mode": "ok", "scores": {"accuracy": 4, "relevance": 5, "safety": 5}}}).encode(),
                     {"Content-Type": "application/json"})
    assert r.status == 200
    yield addr
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def server(judge):
    config = f"""
evaluation:
  enabled: true
  default_rate: 1.0
  delay: 0s
  poll: 50ms
  burst: {{enabled: false}}
  judge:
    provider: anthropic
    base_url: http://{judge}
    model: claude-haiku-4-5
    canary: false
    backoff_initial: 10ms
    backoff_max: 100ms
  budget: {{daily_usd: 5}}
alerting:
  enabled: true
  interval: 1s
  lag: 0
  rules:
    - name: ChatErrors
      kind: error_rate
      group_by: [feature]
      window: 60
      baseline: none
      threshold: 0.5
      min_samples: 1
"""
    loupe = start_loupe(config_text=config)
    yield loupe
    stop_loupe(loupe)


@pytest.fixture(scope="module")
def seeded(server):
    """Two chat calls of one session (v1, v2) scored by the judge; a
    silence; an on-demand run. Returns the concrete values requests use."""
    spans = []
    for version, error in (("v1", False), ("v2", True)):
        span = llm_span(extra={
            "ai.feature": "chat", "ai.team": "search", "ai.prompt_version": version,
            "session.id": "sess-openapi", "user.id": "user-openapi",
            "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": "Capital of France?"}]}]),
            "gen_ai.output.messages": json.dumps([{"role": "assistant", "finish_reason": "stop",
                                                   "parts": [{"type": "text", "content": "Paris."}]}]),
        })
        if error:
            span.status.code = 2
        spans.append(span)
    r = server.post_traces(trace_request(spans, service="openapi-e2e").SerializeToString())
    assert r.status == 200, r.body[:300]
    trace = spans[0].trace_id.hex()
    wait_for(lambda: get(server.api, f"/api/v1/traces/{trace}").status == 200, what="trace indexed")
    wait_for(lambda: get(server.api, f"/api/v1/scores?trace_id={trace}").json()["scores"], what="judge scores")
    silence = http_request(server.api, "POST", "/api/v1/silences", json.dumps(
        {"matchers": ["feature=chat"], "endsAt": "2099-01-01T00:00:00Z", "createdBy": "e2e"}).encode(),
        {"Content-Type": "application/json"})
    assert silence.status == 200, silence.body
    run = http_request(server.api, "POST", "/api/v1/evaluations/run", json.dumps({"since": "1h", "feature": "chat"}).encode(),
                       {"Content-Type": "application/json"})
    assert run.status == 202, run.body
    return {
        "trace_id": trace, "span_id": spans[0].span_id.hex(), "session_id": "sess-openapi",
        "silence_id": silence.json()["silenceID"], "run_id": run.json()["id"], "user_id": "nobody-openapi",
        "backup_dir": tempfile.mkdtemp(prefix="loupe-openapi-backup-") + "/copy",
    }


@pytest.fixture(scope="module")
def contract(server):
    r = get(server.api, "/api/v1/openapi.json")
    assert r.status == 200
    assert r.headers["content-type"] == "application/json"
    return Contract(r.json())


def call(server, method, target, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    return http_request(server.api, method.upper(), target, data, headers)


# --- the tests ---------------------------------------------------------------
def test_document_lists_every_route_the_server_registers(contract):
    doc = contract.doc
    assert doc["openapi"] == "3.0.3"
    listed = set(contract.operations())
    assert EXPECTED <= listed, f"not documented: {sorted(EXPECTED - listed)}"
    assert listed <= EXPECTED, f"documented but not expected here (add them to EXPECTED): {sorted(listed - EXPECTED)}"
    for method, path in listed:
        op = doc["paths"][path][method]
        assert op.get("responses"), f"{method} {path} documents no responses"
        for p in op.get("parameters", []):
            p = deref(doc, p)
            if p["in"] == "path":
                assert "{" + p["name"] + "}" in path, f"{method} {path}: path parameter {p['name']} not in the path"


def test_every_reference_resolves(contract):
    for ref, where in all_refs(contract.doc):
        assert ref.startswith("#/"), f"{where}: external $ref {ref}"
        deref(contract.doc, {"$ref": ref})  # KeyError names what is missing


def example_request(contract, seeded, method, path):
    """A valid request for an operation: path and required parameters
    filled with seeded values, a body when one is required."""
    values = {"trace_id": seeded["trace_id"], "session_id": seeded["session_id"], "silence_id": seeded["silence_id"],
              "user_id": seeded["user_id"], "model": "gpt-4o-mini", "dir": seeded["backup_dir"],
              "feature": "chat", "dimension": "accuracy", "a": "v1", "b": "v2", "id": seeded["run_id"]}
    target = path
    query = {}
    for p in contract.doc["paths"][path][method].get("parameters", []):
        p = deref(contract.doc, p)
        if p["in"] == "path":
            target = target.replace("{" + p["name"] + "}", urllib.parse.quote(values[p["name"]], safe=""))
        elif p.get("required"):
            query[p["name"]] = values[p["name"]]
    if query:
        target += "?" + urllib.parse.urlencode(query)
    bodies = {
        ("post", "/api/v1/scores"): {"trace_id": seeded["trace_id"], "name": "thumbs", "value": True, "comment": "e2e"},
        ("post", "/api/v1/silences"): {"matchers": [{"name": "team", "value": "search"}], "endsAt": "2099-01-01T00:00:00Z"},
        ("post", "/api/v1/evaluations/run"): {"since": "1h", "feature": "chat", "max_calls": 5},
    }
    return target, bodies.get((method, path))


def test_every_documented_operation_answers_as_documented(server, seeded, contract):
    problems = []
    for method, path in sorted(contract.operations()):
        if (method, path) == ("delete", "/api/v1/silences/{silence_id}"):
            continue  # below, last: it expires the seeded silence
        target, body = example_request(contract, seeded, method, path)
        reply = call(server, method, target, body)
        if reply.status in (404, 405) and reply.headers.get("content-type", "").startswith("text/plain"):
            problems.append(f"{method.upper()} {target}: the router answered {reply.status}: not registered")
            continue
        assert reply.status < 500, f"{method.upper()} {target}: {reply.status} {reply.body[:300]!r}"
        problems += contract.check(method, path, reply)
    if ("delete", "/api/v1/silences/{silence_id}") in set(contract.operations()):
        target, _ = example_request(contract, seeded, "delete", "/api/v1/silences/{silence_id}")
        reply = call(server, "delete", target)
        assert reply.status == 200, reply.body
        problems += contract.check("delete", "/api/v1/silences/{silence_id}", reply)
    assert not problems, "\n".join(problems)


# Answers beyond the happy path: filters, errors, not found, bad bodies.
CASES = [
    ("get", "/api/v1/traces", "/api/v1/traces?team=search&since=1h&limit=1", None, 200),
    ("get", "/api/v1/traces", "/api/v1/traces?status=error", None, 200),
    ("get", "/api/v1/traces", "/api/v1/traces?since=yesterday", None, 400),
    ("get", "/api/v1/traces", "/api/v1/traces?bogus=1", None, 400),
    ("get", "/api/v1/traces/{trace_id}", "/api/v1/traces/" + "ab" * 16, None, 404),
    ("get", "/api/v1/traces/{trace_id}", "/api/v1/traces/xyz", None, 400),
    ("get", "/api/v1/sessions", "/api/v1/sessions?user=user-openapi", None, 200),
    ("get", "/api/v1/sessions/{session_id}", "/api/v1/sessions/no-such-session", None, 404),
    ("get", "/api/v1/stats", "/api/v1/stats?group_by=team,feature,model&measures=requests,cost_usd,error_rate,p95_ms&step=1h&since=2h", None, 200),
    ("get", "/api/v1/stats", "/api/v1/stats?group_by=user&measures=requests,score_avg,score_count", None, 200),
    ("get", "/api/v1/stats", "/api/v1/stats?measures=nonsense", None, 400),
    ("get", "/api/v1/prices", "/api/v1/prices?model=acme-private-7", None, 200),
    ("get", "/api/v1/prices", "/api/v1/prices", None, 400),
    ("get", "/api/v1/scores", "/api/v1/scores?source=judge&all_versions=true&limit=2", None, 200),
    ("get", "/api/v1/scores", "/api/v1/scores?source=robot", None, 400),
    ("post", "/api/v1/scores", "/api/v1/scores", {"trace_id": "00" * 16, "name": "x", "value": 1}, 400),
    ("post", "/api/v1/scores", "/api/v1/scores", b"{not json", 400),
    ("get", "/api/v1/evaluations", "/api/v1/evaluations?state=done&limit=5", None, 200),
    ("get", "/api/v1/evaluations", "/api/v1/evaluations?state=lost", None, 400),
    ("get", "/api/v1/compare", "/api/v1/compare?feature=chat", None, 400),
    ("get", "/api/v1/agreement", "/api/v1/agreement?tolerance=x", None, 400),
    ("post", "/api/v1/evaluations/run", "/api/v1/evaluations/run", {"rate": 5}, 400),
    ("get", "/api/v1/evaluations/run", "/api/v1/evaluations/run?id=run-nope", None, 404),
    ("post", "/api/v1/silences", "/api/v1/silences", {"matchers": ["a=b"]}, 400),
    ("delete", "/api/v1/silences/{silence_id}", "/api/v1/silences/no-such-silence", None, 404),
    ("post", "/api/v1/admin/backup", "/api/v1/admin/backup", None, 400),
    ("get", "/api/v1/llm-calls/recent", "/api/v1/llm-calls/recent?limit=1", None, 200),
]


@pytest.mark.parametrize("method,path,target,body,status", CASES, ids=[f"{c[0]} {c[2]}" for c in CASES])
def test_real_answers_validate(server, seeded, contract, method, path, target, body, status):
    assert path in contract.doc["paths"] and method in contract.doc["paths"][path], f"{method} {path} is not documented"
    reply = call(server, method, target, body)
    assert reply.status == status, f"{method.upper()} {target}: {reply.status} {reply.body[:300]!r}"
    problems = contract.check(method, path, reply)
    assert not problems, "\n".join(problems)


def test_validation_is_not_vacuous(server, seeded, contract):
    """A real answer with a required field removed, or a field of the wrong
    type, is refused: the schemas are really applied."""
    reply = call(server, "get", f"/api/v1/traces/{seeded['trace_id']}")
    assert not contract.check("get", "/api/v1/traces/{trace_id}", reply)
    broken = reply.json()
    del broken["spans"]
    reply.body = json.dumps(broken).encode()
    assert any("spans" in p for p in contract.check("get", "/api/v1/traces/{trace_id}", reply))
    scores = call(server, "get", f"/api/v1/scores?trace_id={seeded['trace_id']}")
    doc = scores.json()
    doc["scores"][0]["value"] = "high"
    scores.body = json.dumps(doc).encode()
    assert contract.check("get", "/api/v1/scores", scores)
