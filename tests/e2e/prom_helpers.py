"""A real Prometheus for the end-to-end tests: started on a free port of
127.0.0.1 with its own temp dir, scraping given targets every second,
stopped by pid. Plus promtool's format check. Both skip cleanly when the
Debian `prometheus` package is not installed."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
READY_TIMEOUT_S = 30


def require_prometheus():
    if not os.access(PROMETHEUS, os.X_OK):
        pytest.skip(f"{PROMETHEUS} not installed (apt-get install prometheus)")


class Prometheus:
    """`with Prometheus(["127.0.0.1:8889"], free_port()) as prom: prom.query(...)`"""

    def __init__(self, targets, port: int):
        require_prometheus()
        self.addr = f"127.0.0.1:{port}"
        self.dir = Path(tempfile.mkdtemp(prefix="loupe-prom-"))
        targets_yaml = ", ".join(f'"{t}"' for t in targets)
        (self.dir / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n  - job_name: loupe\n"
            f"    static_configs:\n      - targets: [{targets_yaml}]\n")
        self.proc = None

    def __enter__(self):
        log = open(self.dir / "prometheus.log", "wb")
        self.proc = subprocess.Popen(
            [PROMETHEUS, f"--config.file={self.dir / 'prometheus.yml'}",
             f"--storage.tsdb.path={self.dir / 'data'}", f"--web.listen-address={self.addr}"],
            stdout=log, stderr=subprocess.STDOUT, cwd=str(self.dir))
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"prometheus exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://{self.addr}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"prometheus was not ready within {READY_TIMEOUT_S}s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log_tail(self, n=3000) -> str:
        try:
            return (self.dir / "prometheus.log").read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def query(self, promql: str) -> dict:
        """Instant query: {tuple(sorted(labels.items())): float}."""
        url = f"http://{self.addr}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.loads(r.read())
        assert body["status"] == "success", f"{promql}: {body}"
        return {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in body["data"]["result"]}

    def query_by(self, promql: str, label: str) -> dict:
        """Instant query whose result has one series per value of `label`."""
        return {dict(k).get(label): v for k, v in self.query(promql).items()}

    def targets_up(self) -> bool:
        return all(v == 1 for v in self.query("up").values()) and bool(self.query("up"))


def promtool_problems(exposition: str, allow=("_milliseconds",)) -> list[str]:
    """`promtool check metrics` findings, minus the base-unit lint on the
    families named in `allow` (the Collector-compatible _milliseconds one)."""
    if not os.access(PROMTOOL, os.X_OK):
        pytest.skip(f"{PROMTOOL} not installed (apt-get install prometheus)")
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=exposition.encode(), capture_output=True, timeout=30)
    lines = (r.stdout + r.stderr).decode(errors="replace").splitlines()
    return [l for l in lines if l.strip() and not ("base unit" in l and any(a in l for a in allow))]
