"""The shipped Grafana dashboards and Prometheus files against the real
tools: promtool checks deploy/prometheus, then a real Prometheus (Debian
`prometheus`) loaded with the shipped recording rules scrapes a real
`loupe serve` fed by the real OTel Python SDK, and EVERY panel query of
deploy/grafana/dashboards must run without error and return at least one
finite value. Panels comparing with yesterday (`offset 1d`) read history
backfilled a day back with `promtool tsdb create-blocks-from openmetrics`.

Skips when /usr/bin/prometheus is missing or LOUPE_BIN is not set."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import StatusCode

from conftest import free_port, start_loupe, stop_loupe
from helpers import prom_samples, prom_value, wait_for
from prom_helpers import PROMTOOL, Prometheus, require_prometheus

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROM_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
RULE_FILES = sorted((DEPLOY / "prometheus" / "rules").glob("*.yml"))
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
DATASOURCE_YAML = DEPLOY / "grafana" / "provisioning" / "datasources" / "loupe.yaml"

SERVICE = "e2e-dashboards"
ENVIRONMENT = "e2e-dash"
TEMPLATE_VARS = ("environment", "service", "team", "feature", "model")

# (model, team, feature, prompt_version, input, output, ttft seconds or None, error.type or None)
# "acme-internal-llm" is in no price catalog: it feeds the unpriced panel.
CALLS = [
    ("gpt-4o-mini", "growth", "support-chat", "v1", 1200, 300, 0.4, None),
    ("gpt-4o-mini", "growth", "summarize", "v2", 5000, 800, None, None),
    ("claude-haiku-4-5", "search", "support-chat", "v1", 3000, 150, 0.8, None),
    ("claude-haiku-4-5", "search", "summarize", "v2", 700, 90, None, "RateLimitError"),
    ("gpt-4o", "search", "summarize", "v2", 100, 50, None, "timeout"),
    ("acme-internal-llm", "growth", "support-chat", "v3", 400, 40, 1.5, None),
]


def _send_calls(loupe):
    tp = TracerProvider(resource=Resource.create({
        "service.name": SERVICE, "deployment.environment.name": ENVIRONMENT}))
    tp.add_span_processor(SimpleSpanProcessor(GrpcExporter(endpoint=f"http://{loupe.grpc}", insecure=True)))
    tracer = tp.get_tracer("e2e.dashboards", "1.0")
    for model, team, feature, version, inp, out, ttft, error in CALLS:
        attrs = {"gen_ai.operation.name": "chat", "gen_ai.request.model": model,
                 "ai.team": team, "ai.feature": feature, "ai.prompt_version": version,
                 "gen_ai.usage.input_tokens": inp, "gen_ai.usage.output_tokens": out}
        if ttft is not None:
            attrs["gen_ai.response.time_to_first_chunk"] = ttft
        if error is not None:
            attrs["error.type"] = error
        with tracer.start_as_current_span(f"chat {model}", kind=trace.SpanKind.CLIENT, attributes=attrs) as span:
            span.set_status(StatusCode.ERROR if error else StatusCode.OK)
    tp.shutdown()


# --- the files ---------------------------------------------------------------
def _panels():
    """[(dashboard file, panel title, refId, expr)] of every panel target."""
    out = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            for t in panel["targets"]:
                out.append((path.name, panel["title"], t["refId"], t["expr"]))
    return out


def _datasource_uid() -> str:
    m = re.search(r"^\s*uid:\s*(\S+)\s*$", DATASOURCE_YAML.read_text(), re.M)
    assert m, f"{DATASOURCE_YAML} has no uid"
    return m.group(1)


def _promtool(*args) -> str:
    require_prometheus()
    r = subprocess.run([PROMTOOL, *map(str, args)], capture_output=True, timeout=30)
    out = (r.stdout + r.stderr).decode(errors="replace")
    assert r.returncode == 0, f"promtool {' '.join(map(str, args))} failed:\n{out}"
    return out


def test_promtool_passes_on_every_prometheus_file():
    assert RULE_FILES, "no recording rules under deploy/prometheus/rules"
    out = _promtool("check", "config", PROM_CONFIG)
    # prometheus.yml loads every rule file shipped (check config reads them too).
    assert f"SUCCESS: {len(RULE_FILES)} rule files found" in out, out
    for f in RULE_FILES:
        assert "SUCCESS" in _promtool("check", "rules", f)
    # The rules' unit tests (paths in them are relative to deploy/prometheus).
    for t in sorted((DEPLOY / "prometheus" / "tests").glob("*.yml")):
        r = subprocess.run([PROMTOOL, "test", "rules", str(t.relative_to(DEPLOY / "prometheus"))],
                           cwd=DEPLOY / "prometheus", capture_output=True, timeout=30)
        assert r.returncode == 0, (r.stdout + r.stderr).decode(errors="replace")


def test_dashboards_are_what_the_generator_writes(tmp_path):
    """The JSON is generated (one datasource uid, one filter): a hand edit
    that drifts from deploy/grafana/generate_dashboards.py fails here."""
    subprocess.run([sys.executable, str(DEPLOY / "grafana" / "generate_dashboards.py"), str(tmp_path)], check=True,
                   timeout=30)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [p.name for p in DASHBOARDS]
    for path in DASHBOARDS:
        assert json.loads((tmp_path / path.name).read_text()) == json.loads(path.read_text()), path.name


def test_dashboards_are_well_formed_and_use_the_provisioned_datasource():
    assert len(DASHBOARDS) >= 2
    uid = _datasource_uid()
    uids = set()
    for path in DASHBOARDS:
        d = json.loads(path.read_text())
        for key in ("uid", "title", "schemaVersion", "time", "refresh", "templating", "panels"):
            assert key in d, f"{path.name}: no {key}"
        assert d["uid"] not in uids, f"{path.name}: uid {d['uid']} repeated"
        uids.add(d["uid"])
        names = [v["name"] for v in d["templating"]["list"]]
        assert set(TEMPLATE_VARS) <= set(names), f"{path.name}: variables {names}"
        for v in d["templating"]["list"]:
            assert v["datasource"] == {"type": "prometheus", "uid": uid}
            assert re.fullmatch(r"label_values\(.+, \w+\)", v["query"]["query"]), v["query"]
        for p in d["panels"]:
            assert p["datasource"] == {"type": "prometheus", "uid": uid}, f"{path.name}: {p['title']}"
            assert set(p["gridPos"]) == {"h", "w", "x", "y"} and p["gridPos"]["x"] + p["gridPos"]["w"] <= 24
            assert p["targets"] and all(t["refId"] and t["expr"] for t in p["targets"]), p["title"]
            for t in p["targets"]:
                # Every template variable filters every query.
                for var in TEMPLATE_VARS:
                    assert f"${var}" in t["expr"], f"{p['title']} {t['refId']}: no ${var}"


# --- against a real Prometheus ------------------------------------------------
def _substitute(expr: str, values: dict) -> str:
    """What Grafana would send: template variables and $__range filled in."""
    expr = expr.replace("$__range", "1h").replace("$__rate_interval", "1m")
    for var in TEMPLATE_VARS:
        expr = expr.replace(f"${var}", values.get(var, ".*"))
    assert "$" not in expr, f"unsubstituted variable in {expr}"
    return expr


def _query(addr: str, promql: str) -> list:
    url = f"http://{addr}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise AssertionError(f"Prometheus rejected {promql}: {e.read().decode(errors='replace')}") from None
    assert body["status"] == "success", f"{promql}: {body}"
    return body["data"]["result"]


def _finite(result: list) -> list:
    return [s for s in result if math.isfinite(float(s["value"][1]))]


def _backfill_yesterday(text: str, data_dir: Path):
    """Writes a TSDB block holding, around this time yesterday, every
    ai_request_duration_seconds_bucket series Loupe exposes now, growing
    (value x step) so that rate() over it is positive. The same labels as
    today; no job/instance, which the dashboards sum away."""
    series = [(labels_raw, v) for n, labels_raw, v in _raw_samples(text)
              if n == "ai_request_duration_seconds_bucket"]
    assert series, "Loupe exposes no ai_request_duration_seconds_bucket to backfill"
    start = int(time.time()) - 86400 - 20 * 60
    lines = ["# TYPE ai_request_duration_seconds_bucket gauge"]
    for labels_raw, v in series:
        for i in range(0, 161):  # 40 minutes every 15 s, centred on now - 1d
            lines.append(f"ai_request_duration_seconds_bucket{{{labels_raw}}} {v * (i + 1)} {start + 15 * i}")
    lines.append("# EOF")
    om = data_dir.parent / "yesterday.om"
    om.write_text("\n".join(lines) + "\n")
    data_dir.mkdir(parents=True, exist_ok=True)
    _promtool("tsdb", "create-blocks-from", "openmetrics", om, data_dir)


_RAW = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s+(\S+)$')


def _raw_samples(text: str):
    """[(name, label text as exposed, value)]: labels kept escaped, for re-export."""
    out = []
    for line in text.splitlines():
        m = _RAW.match(line)
        if m:
            out.append((m.group(1), m.group(2), float(m.group(3))))
    return out


def _test_config(targets: str, rule_files) -> str:
    """deploy/prometheus/prometheus.yml with the e2e's 1 s intervals and
    target; the shipped rule files by absolute path."""
    rules = "".join(f'  - "{f}"\n' for f in rule_files)
    return ("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"rule_files:\n{rules}"
            "scrape_configs:\n  - job_name: loupe\n    metrics_path: /metrics\n"
            f"    static_configs:\n      - targets: [\"{targets}\"]\n")


@pytest.fixture(scope="module")
def prom_with_loupe():
    require_prometheus()
    loupe = start_loupe()
    try:
        _send_calls(loupe)
        wait_for(lambda: prom_value(loupe.metrics_text("metrics"), "ai_requests_total",
                                    service_name=SERVICE) >= len(CALLS), what="ai_requests_total on /metrics")
        prom = Prometheus([loupe.metrics], free_port())
        try:
            # Before __enter__ starts it: the shipped rules, and yesterday's block.
            (prom.dir / "prometheus.yml").write_text(_test_config(loupe.metrics, RULE_FILES))
            _backfill_yesterday(loupe.metrics_text("metrics"), prom.dir / "data")
        except BaseException:
            shutil.rmtree(prom.dir, ignore_errors=True)
            raise
        with prom:
            wait_for(prom.targets_up, timeout=20, what="Prometheus scraping loupe")
            time.sleep(2)  # a few scrapes of the first wave
            _send_calls(loupe)  # the second wave makes every rate positive
            wait_for(lambda: prom_value(loupe.metrics_text("metrics"), "ai_requests_total",
                                        service_name=SERVICE) >= 2 * len(CALLS), what="the second wave")
            # The recording rules have seen the second wave.
            for rec in ("llm:ai_cost_usd:rate5m", "llm:ai_time_to_first_token_seconds_bucket:rate5m",
                        'llm:ai_requests:rate5m{error_type!=""}', "llm:ai_unpriced_calls:rate5m"):
                wait_for(lambda: _finite(_query(prom.addr, f"sum({rec}) > 0")), timeout=20, what=f"{rec} > 0")
            yield prom
    finally:
        stop_loupe(loupe)


_METRIC = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")


def test_panels_name_only_metrics_loupe_exports_or_the_rules_record(prom_with_loupe):
    """Names Prometheus holds: scraped from Loupe, or recorded by the shipped
    rules. A panel naming anything else (a typo, a family Loupe does not
    export) is reported by name, before the data check below."""
    with urllib.request.urlopen(f"http://{prom_with_loupe.addr}/api/v1/label/__name__/values", timeout=10) as r:
        known = set(json.loads(r.read())["data"])
    recorded = {m for f in RULE_FILES for m in re.findall(r"^\s*- record:\s*(\S+)", f.read_text(), re.M)}
    assert recorded <= known, f"recorded but absent: {recorded - known}"
    unknown = {(board, title, name) for board, title, _, expr in _panels() for name in _METRIC.findall(expr)
               if name not in known}
    assert not unknown, f"panels name metrics nobody exports: {sorted(unknown)}"


def test_template_variables_list_the_fed_values(prom_with_loupe):
    want = {"environment": {ENVIRONMENT}, "service": {SERVICE}, "team": {c[1] for c in CALLS},
            "feature": {c[2] for c in CALLS}, "model": {c[0] for c in CALLS}}
    for path in DASHBOARDS:
        for v in json.loads(path.read_text())["templating"]["list"]:
            m = re.fullmatch(r"label_values\((.+), (\w+)\)", v["query"]["query"])
            selector, label = _substitute(m.group(1), {}), m.group(2)
            url = (f"http://{prom_with_loupe.addr}/api/v1/label/{label}/values?"
                   + urllib.parse.urlencode({"match[]": selector}))
            with urllib.request.urlopen(url, timeout=10) as r:
                got = set(json.loads(r.read())["data"])
            assert want[v["name"]] <= got, f"{path.name} ${v['name']}: {got}"


@pytest.mark.parametrize("values", [{}, {"environment": ENVIRONMENT, "service": SERVICE}],
                         ids=["all", "one-environment"])
def test_every_panel_query_returns_data(prom_with_loupe, values):
    panels = _panels()
    assert panels
    empty = []
    for board, title, ref, expr in panels:
        result = _query(prom_with_loupe.addr, _substitute(expr, values))
        if not _finite(result):
            empty.append(f"{board} / {title} / {ref}: {result}")
    assert not empty, "panels without data:\n" + "\n".join(empty)


def test_yesterday_targets_read_the_backfilled_history(prom_with_loupe):
    """The offset 1d targets are answered by the backfilled block (nothing
    else is a day old): a quantile for every model and feature sent."""
    yday = [(t, e) for _, t, _, e in _panels() if "offset 1d" in e]
    assert len(yday) >= 3, "p50/p95/p99 each compare with yesterday"
    for title, expr in yday:
        got = _finite(_query(prom_with_loupe.addr, _substitute(expr, {})))
        assert {(s["metric"]["gen_ai_request_model"], s["metric"]["ai_feature"]) for s in got} >= \
            {(c[0], c[2]) for c in CALLS}, f"{title}: {got}"
