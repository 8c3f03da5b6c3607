"""pytest fixtures for the end-to-end tests: one real `loupe serve` process
per test session, on free ports of 127.0.0.1, and helpers to read it back.

LOUPE_BIN (absolute path of the loupe binary) must be set; tests/run_e2e.sh
sets it. Without it, every test that needs the server is skipped.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # fake_provider

from helpers import Loupe  # noqa: E402

READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10


def free_port() -> int:
    """A port the kernel just handed out (bind 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_loupe(extra_args=(), config_text: str | None = None) -> Loupe:
    binary = os.environ.get("LOUPE_BIN")
    if not binary:
        pytest.skip("LOUPE_BIN is not set (run through tests/run_e2e.sh)")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"LOUPE_BIN={binary} is not an executable file")
    addrs = {name: f"127.0.0.1:{free_port()}" for name in ("grpc", "http", "metrics", "api")}
    workdir = Path(tempfile.mkdtemp(prefix="loupe-e2e-"))
    args = [binary, "serve",
            "--otlp-grpc-addr", addrs["grpc"], "--otlp-http-addr", addrs["http"],
            "--metrics-addr", addrs["metrics"], "--api-addr", addrs["api"], *extra_args]
    if config_text is not None:
        cfg = workdir / "loupe.yaml"
        cfg.write_text(config_text)
        args += ["--config", str(cfg)]
    log = open(workdir / "loupe.log", "wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=str(workdir))
    loupe = Loupe(proc=proc, grpc=addrs["grpc"], http=addrs["http"], metrics=addrs["metrics"],
                  api=addrs["api"], log_path=workdir / "loupe.log")
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"loupe serve exited with {proc.returncode} before it was ready:\n{loupe.log_tail()}")
        if loupe.ready():
            return loupe
        time.sleep(0.05)
    stop_loupe(loupe)
    pytest.fail(f"loupe serve did not answer /readyz within {READY_TIMEOUT_S}s:\n{loupe.log_tail()}")


def stop_loupe(loupe: Loupe) -> int | None:
    """SIGTERM by pid, then SIGKILL after a timeout. Returns the exit code."""
    proc = loupe.proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT_S)
    return proc.returncode


@pytest.fixture(scope="session")
def loupe():
    server = start_loupe()
    yield server
    code = stop_loupe(server)
    # A graceful shutdown on SIGTERM exits 0 (or by the signal itself).
    assert code in (0, -signal.SIGTERM), f"loupe exited with {code}:\n{server.log_tail()}"


@pytest.fixture
def still_serving(loupe):
    """Call after a bad request: the server must still be ready and accept a
    good span, which must come out of the API."""
    def check():
        assert loupe.proc.poll() is None, f"loupe died:\n{loupe.log_tail()}"
        assert loupe.ready(), "loupe no longer answers /readyz with 200"
        loupe.assert_good_span_flows()
    return check
