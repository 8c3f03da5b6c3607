"""End-to-end alerting (issue 7): a real `loupe serve` fed over OTLP with a
baseline and then a latency regression (past timestamps), a real
Alertmanager (Debian's prometheus-alertmanager) receiving the alert with
team / feature / model labels and then its resolution, Loupe's direct
webhook, Slack and PagerDuty payloads checked by local receivers, and a
notifier target that is down (retries, then counted as failed; the server
stays healthy).

The store's rollups are per minute, so the rule judges a 60 s window: the
regression is injected into the current minute and resolves once the
minute has passed (no data in the new window: `no_data: resolve`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import free_port, start_loupe, stop_loupe
from helpers import REPO, get, http_request, kvs, llm_span, new_ids, prom_samples, trace_request, wait_for

ALERTMANAGER = shutil.which("prometheus-alertmanager")
AMTOOL = shutil.which("amtool")
PROMTOOL = shutil.which("promtool")
LABELS = {"team": "search", "feature": "chat", "model": "gpt-4o"}


# --- local receivers ---------------------------------------------------------
class Receiver:
    """A local HTTP server that records every JSON body POSTed to it."""

    def __init__(self):
        self.bodies: list[tuple[str, object]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
                with outer.lock:
                    outer.bodies.append((self.path, body))
                self.send_response(202 if self.path.startswith("/v2/enqueue") else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "success"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, path_prefix=""):
        with self.lock:
            return [b for p, b in self.bodies if p.startswith(path_prefix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def alertmanager(receiver):
    if not ALERTMANAGER:
        pytest.skip("prometheus-alertmanager is not installed")
    workdir = Path(tempfile.mkdtemp(prefix="loupe-am-"))
    config = workdir / "alertmanager.yml"
    config.write_text(f"""
route:
  receiver: hook
  group_by: [alertname, team, feature, model]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {receiver.url}/from-alertmanager
        send_resolved: true
""")
    port = free_port()
    log = open(workdir / "alertmanager.log", "wb")
    proc = subprocess.Popen([ALERTMANAGER, "--cluster.listen-address=", f"--web.listen-address=127.0.0.1:{port}",
                             f"--storage.path={workdir}", f"--config.file={config}"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return get(f"127.0.0.1:{port}", "/-/ready", timeout=1).status == 200
        except OSError:
            return False
    try:
        wait_for(ready, 20, "alertmanager /-/ready")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def loupe_config(am_url: str, receiver_url: str, down_url: str) -> str:
    return f"""
alerting:
  interval: 1s
  lag: 0
  rules:
    - name: ChatLatencyRegression
      kind: latency_regression
      group_by: [team, feature, model]
      window: 60
      baseline: previous
      baseline_window: 300
      percentile: 0.95
      ratio: 1.5
      min_samples: 10
      severity: page
  notifiers:
    - {{name: am, kind: alertmanager, url: "{am_url}", resend_interval: 2s}}
    - {{name: hook, kind: webhook, url: "{receiver_url}/hook", group_by: [alertname, team]}}
    - {{name: slack, kind: slack, url: "{receiver_url}/slack"}}
    - {{name: pagerduty, kind: pagerduty, url: "{receiver_url}", routing_key: "e2e-routing-key"}}
    - {{name: down, kind: webhook, url: "{down_url}", max_attempts: 3, initial_backoff: 0.05, max_backoff: 0.1}}
"""


# --- traffic -------------------------------------------------------------------
def span_at(start_ns: int, duration_s: float):
    trace_id, span_id = new_ids()
    span = llm_span(trace_id, span_id, model=LABELS["model"],
                    extra={"ai.team": LABELS["team"], "ai.feature": LABELS["feature"]})
    span.start_time_unix_nano = start_ns
    span.end_time_unix_nano = start_ns + int(duration_s * 1e9)
    return span


def post(loupe, spans):
    r = loupe.post_traces(trace_request(spans, service="e2e-alerting").SerializeToString())
    assert r.status == 200, r.body[:300]


def feed_baseline_then_regression(loupe):
    """Fast calls in the five previous minutes, then slow calls in the
    current minute. Returns the current minute's start (ns)."""
    # Leave the regression at least 25 s of the current minute to be seen.
    if time.time() % 60 > 30:
        time.sleep(61 - time.time() % 60)
    now = time.time_ns()
    minute = now - now % 60_000_000_000
    baseline = [span_at(minute - m * 60_000_000_000 + i * 5_000_000_000, 0.2) for m in range(1, 6) for i in range(8)]
    post(loupe, baseline)
    step = max((now - minute) // 20, 1)
    post(loupe, [span_at(minute + i * step, 2.5) for i in range(15)])
    return minute


def alert_labels_match(labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in LABELS.items()) and labels.get("alertname") == "ChatLatencyRegression"


# --- the test ------------------------------------------------------------------
def test_latency_regression_reaches_alertmanager_and_resolves(alertmanager, receiver):
    down_url = f"http://127.0.0.1:{free_port()}/nobody-home"
    loupe = start_loupe(config_text=loupe_config(alertmanager, receiver.url, down_url))
    try:
        minute = feed_baseline_then_regression(loupe)
        host = alertmanager.removeprefix("http://")

        # 1. Alertmanager holds the alert, with team / feature / model.
        def am_alert():
            r = get(host, "/api/v2/alerts")
            return [a for a in r.json() if alert_labels_match(a["labels"])] if r.status == 200 else None
        alerts = wait_for(am_alert, 20, "the alert in Alertmanager")
        a = alerts[0]
        assert a["labels"]["severity"] == "page"
        assert "p95 latency of feature=chat model=gpt-4o team=search" in a["annotations"]["summary"]
        assert a["generatorURL"].split("?")[0].endswith("/traces")
        assert "feature=chat" in a["generatorURL"] and "team=search" in a["generatorURL"]

        # Loupe's own view agrees.
        body = get(loupe.api, "/api/v1/alerts").json()
        firing = [x for x in body["alerts"] if x["state"] == "firing"]
        assert firing and alert_labels_match(firing[0]["labels"])
        assert float(firing[0]["value"]) > 1.5 * float(firing[0]["baseline"])
        rules = get(loupe.api, "/api/v1/alert-rules").json()["rules"]
        assert rules[0]["name"] == "ChatLatencyRegression" and rules[0]["health"] == "ok"

        # 2. Alertmanager notified its webhook receiver.
        wait_for(lambda: [b for b in receiver.received("/from-alertmanager") if b["status"] == "firing"], 20,
                 "Alertmanager's webhook notification")

        # 3. Loupe's direct notifiers: webhook (v4), Slack, PagerDuty.
        hook = wait_for(lambda: receiver.received("/hook"), 10, "the webhook payload")[0]
        assert hook["version"] == "4" and hook["status"] == "firing" and hook["receiver"] == "hook"
        assert alert_labels_match(hook["alerts"][0]["labels"])
        assert hook["groupLabels"] == {"alertname": "ChatLatencyRegression", "team": "search"}
        slack = wait_for(lambda: receiver.received("/slack"), 10, "the Slack payload")[0]
        assert slack["text"].startswith("[FIRING:1] ChatLatencyRegression")
        assert "feature=chat" in slack["text"]
        pd = wait_for(lambda: receiver.received("/v2/enqueue"), 10, "the PagerDuty event")[0]
        assert pd["event_action"] == "trigger" and pd["routing_key"] == "e2e-routing-key"
        assert pd["payload"]["severity"] == "critical" and pd["payload"]["component"] == "chat"
        dedup_key = pd["dedup_key"]

        # 4. The down target: retried, then failed and counted; the server is fine.
        def down_failed():
            for n in get(loupe.api, "/api/v1/alert-notifiers").json()["notifiers"]:
                if n["name"] == "down" and n["failed"] >= 1:
                    return n
        down = wait_for(down_failed, 15, "the down notifier to give up")
        assert down["retries"] >= 2 and down["sent"] == 0
        samples = prom_samples(loupe.metrics_text())
        failed = [v for name, labels, v in samples if name == "loupe_alert_notifications_total"
                  and labels.get("notifier") == "down" and labels.get("result") == "failed"]
        assert failed and failed[0] >= 1
        assert loupe.ready()
        loupe.assert_good_span_flows()

        # 5. The minute passes: the window is empty, the alert resolves everywhere.
        wait_for(lambda: time.time_ns() > minute + 61_000_000_000, 70, "the next minute")
        wait_for(lambda: [b for b in receiver.received("/from-alertmanager") if b["status"] == "resolved"], 30,
                 "Alertmanager's resolved notification")
        wait_for(lambda: not am_alert(), 10, "the alert to leave Alertmanager's active list")
        resolve = wait_for(lambda: [b for b in receiver.received("/v2/enqueue") if b["event_action"] == "resolve"],
                           10, "the PagerDuty resolve")[0]
        assert resolve["dedup_key"] == dedup_key
        wait_for(lambda: [b for b in receiver.received("/hook") if b["status"] == "resolved"], 10,
                 "the webhook resolution")
        history = get(loupe.api, "/api/v1/alerts").json()["history"]
        assert {h["state"] for h in history} >= {"firing", "resolved"}
    finally:
        code = stop_loupe(loupe)
        assert code in (0, -15), f"loupe exited with {code}:\n{loupe.log_tail()}"


def test_silence_api_validates(alertmanager, receiver):
    loupe = start_loupe(config_text=loupe_config(alertmanager, receiver.url, receiver.url + "/unused"))
    try:
        r = http_request(loupe.api, "POST", "/api/v1/silences",
                         json.dumps({"matchers": ["feature=chat"], "endsAt": "2999-01-01T00:00:00Z"}).encode(),
                         {"Content-Type": "application/json"})
        assert r.status == 200, r.body
        sid = r.json()["silenceID"]
        listed = get(loupe.api, "/api/v1/silences").json()["silences"]
        assert [s["id"] for s in listed] == [sid]
        r = http_request(loupe.api, "POST", "/api/v1/silences", b'{"matchers": ["feature=~("]}',
                         {"Content-Type": "application/json"})
        assert r.status == 400, r.body
        assert http_request(loupe.api, "DELETE", f"/api/v1/silences/{sid}").status == 200
        assert http_request(loupe.api, "DELETE", "/api/v1/silences/nope").status == 404
    finally:
        stop_loupe(loupe)


# --- configs checked by their own tools ---------------------------------------------
@pytest.mark.skipif(not AMTOOL, reason="amtool is not installed")
def test_example_alertmanager_config_is_valid():
    r = subprocess.run([AMTOOL, "check-config", str(REPO / "deploy/alertmanager/alertmanager.yml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not PROMTOOL, reason="promtool is not installed")
def test_prometheus_export_passes_promtool():
    folder = REPO / "deploy/prometheus"
    r = subprocess.run([PROMTOOL, "check", "rules", "loupe-alerts.yml"], cwd=folder, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([PROMTOOL, "test", "rules", "loupe-alerts.test.yml"], cwd=folder, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_rules_export_cli_matches_committed_file():
    binary = os.environ.get("LOUPE_BIN")
    if not binary:
        pytest.skip("LOUPE_BIN is not set (run through tests/run_e2e.sh)")
    r = subprocess.run([binary, "rules", "export", "--format", "prometheus"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (REPO / "deploy/prometheus/loupe-alerts.yml").read_text()
