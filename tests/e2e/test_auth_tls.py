"""Access and transport (issue 5): bearer tokens and TLS on a real `loupe serve`.

Auth on: one server with ingest tokens (from an environment variable), API
tokens (read inline, admin from a file) and TLS on both OTLP receivers, with a
CA, server certificates and a renewal made by this test with the openssl CLI.
The OpenTelemetry Python SDK's own exporters (OTLP/HTTP and OTLP/gRPC) send
with headers and trust the test CA; requests without a token, or with a wrong
one, are refused with the documented answers and counted. SIGHUP reloads the
certificates without a restart.

Auth off: the session's default server takes everything without a token.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import grpc
import pytest
import requests
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conftest import start_loupe, stop_loupe
from helpers import get, llm_span, prom_value, trace_request, wait_for

INGEST_TOKEN = "e2e-ingest-" + secrets.token_hex(16)
READ_TOKEN = "e2e-read-" + secrets.token_hex(16)
ADMIN_TOKEN = "e2e-admin-" + secrets.token_hex(16)
ENV_VAR = "LOUPE_E2E_INGEST_TOKEN"


# --- certificates, made here -----------------------------------------------
def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def issue(d: Path, name: str, cn: str):
    """A P-256 key and a certificate for localhost / 127.0.0.1 signed by d/ca."""
    (d / f"{name}.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={cn}",
            "-keyout", str(d / f"{name}.key"), "-out", str(d / f"{name}.csr"))
    openssl("x509", "-req", "-days", "2", "-in", str(d / f"{name}.csr"), "-CA", str(d / "ca.pem"),
            "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-CAserial", str(d / "ca.srl"),
            "-extfile", str(d / f"{name}.ext"), "-out", str(d / f"{name}.pem"))


def make_certs() -> Path:
    d = Path(tempfile.mkdtemp(prefix="loupe-e2e-tls-"))
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=loupe-e2e-ca", "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"))
    issue(d, "server", "loupe-e2e-one")
    return d


def peer_cn(addr: str, ca: Path, alpn=None) -> str:
    """The CN of the certificate a fresh TLS connection to addr is shown."""
    host, port = addr.rsplit(":", 1)
    ctx = ssl.create_default_context(cafile=str(ca))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            subject = dict(x[0] for x in s.getpeercert()["subject"])
            return subject["commonName"]


@pytest.fixture(autouse=True)
def no_ca_bundle_override(monkeypatch):
    """requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE win over a session's
    own `verify` (psf/requests#3829), which would hide the exporter's
    certificate_file behind the system bundle. Test as a clean environment."""
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


# --- the server with auth and TLS ---------------------------------------------
@pytest.fixture(scope="module")
def secured():
    certs = make_certs()
    admin_file = certs / "admin.token"
    admin_file.write_text(ADMIN_TOKEN + "\n")
    os.environ[ENV_VAR] = INGEST_TOKEN
    config = f"""
auth:
  ingest_tokens:
    - {{token_env: {ENV_VAR}, name: e2e-app}}
  api_tokens:
    - {{token: {READ_TOKEN}, role: read, name: e2e-read}}
    - {{token_file: {admin_file}, role: admin, name: e2e-admin}}
receivers:
  otlp_grpc:
    tls: {{cert_file: {certs / 'server.pem'}, key_file: {certs / 'server.key'}}}
  otlp_http:
    tls: {{cert_file: {certs / 'server.pem'}, key_file: {certs / 'server.key'}}}
"""
    try:
        server = start_loupe(config_text=config)
    finally:
        del os.environ[ENV_VAR]
    server.certs = certs
    yield server
    stop_loupe(server)
    shutil.rmtree(certs, ignore_errors=True)


def finished_spans(n=1, model="gpt-4o-mini"):
    """Real SDK spans (ReadableSpan), ready to hand to an exporter."""
    memory = InMemorySpanExporter()
    tp = TracerProvider(resource=Resource.create({"service.name": "e2e-auth"}))
    tp.add_span_processor(SimpleSpanProcessor(memory))
    tracer = tp.get_tracer("e2e.auth", "1.0")
    for i in range(n):
        with tracer.start_as_current_span(f"chat {model}", attributes={
                "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
                "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 40 + i,
                "gen_ai.usage.output_tokens": 2}):
            pass
    return memory.get_finished_spans()


def http_exporter(loupe, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else None
    return HttpExporter(endpoint=f"https://{loupe.http}/v1/traces", headers=headers, timeout=10,
                        certificate_file=str(loupe.certs / "ca.pem"))


def grpc_exporter(loupe, token=None):
    port = loupe.grpc.rsplit(":", 1)[1]
    creds = grpc.ssl_channel_credentials(root_certificates=(loupe.certs / "ca.pem").read_bytes())
    headers = {"authorization": f"Bearer {token}"} if token else None
    return GrpcExporter(endpoint=f"https://localhost:{port}", credentials=creds, headers=headers, timeout=10)


def api(loupe, method, path, token=None, body=None):
    """One API request; returns (status, headers, parsed JSON or text)."""
    req = urllib.request.Request(f"http://{loupe.api}{path}", method=method, data=body)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, headers, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, e.headers, e.read()
    try:
        return status, headers, json.loads(raw)
    except ValueError:
        return status, headers, raw.decode(errors="replace")


def wait_call(loupe, span_id_hex):
    def find():
        status, _, body = api(loupe, "GET", "/api/v1/llm-calls/recent?limit=1000", READ_TOKEN)
        assert status == 200, body
        return next((c for c in body["calls"] if c["span_id"] == span_id_hex), None)
    return wait_for(find, what=f"LLM call for span {span_id_hex}")


def failures(loupe, listener, reason) -> float:
    return prom_value(loupe.metrics_text(), "loupe_auth_failures_total", listener=listener, reason=reason)


# --- auth on ---------------------------------------------------------------------
def test_sdk_http_exporter_with_token_over_tls(secured):
    spans = finished_spans(2)
    assert http_exporter(secured, INGEST_TOKEN).export(spans) == SpanExportResult.SUCCESS
    for s in spans:
        call = wait_call(secured, format(s.context.span_id, "016x"))
        assert call["service"] == "e2e-auth"


def test_sdk_http_exporter_without_or_with_a_wrong_token_is_refused(secured):
    missing, invalid = failures(secured, "otlp_http", "missing"), failures(secured, "otlp_http", "invalid")
    assert http_exporter(secured).export(finished_spans()) == SpanExportResult.FAILURE
    assert http_exporter(secured, "not-" + INGEST_TOKEN).export(finished_spans()) == SpanExportResult.FAILURE
    # An API token is no ingest token.
    assert http_exporter(secured, ADMIN_TOKEN).export(finished_spans()) == SpanExportResult.FAILURE
    assert failures(secured, "otlp_http", "missing") == missing + 1
    assert failures(secured, "otlp_http", "invalid") == invalid + 2


def test_raw_http_refusal_names_the_problem(secured):
    body = json.dumps({"resourceSpans": []})
    url = f"https://{secured.http}/v1/traces"
    ca = str(secured.certs / "ca.pem")
    r = requests.post(url, data=body, headers={"Content-Type": "application/json"}, verify=ca, timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    status = r.json()  # google.rpc.Status in the request's encoding
    assert status["code"] == 16 and status["message"].startswith("missing bearer token"), status
    r = requests.post(url, data=body, verify=ca, timeout=10,
                      headers={"Content-Type": "application/json", "Authorization": "Bearer nope-nope-nope-nope"})
    assert r.status_code == 401 and r.json()["message"].startswith("unknown token"), r.text
    # The SDK's default trust store does not know the test CA: the handshake fails.
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=10)


def test_sdk_grpc_exporter_with_token_over_tls(secured):
    spans = finished_spans(1, model="gpt-4o")
    assert grpc_exporter(secured, INGEST_TOKEN).export(spans) == SpanExportResult.SUCCESS
    wait_call(secured, format(spans[0].context.span_id, "016x"))


def test_grpc_without_token_is_unauthenticated(secured):
    before = failures(secured, "otlp_grpc", "missing")
    assert grpc_exporter(secured).export(finished_spans()) == SpanExportResult.FAILURE
    assert failures(secured, "otlp_grpc", "missing") == before + 1
    # The status code and message, as a raw gRPC client sees them.
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc
    creds = grpc.ssl_channel_credentials(root_certificates=(secured.certs / "ca.pem").read_bytes())
    port = secured.grpc.rsplit(":", 1)[1]
    with grpc.secure_channel(f"localhost:{port}", creds) as channel:
        stub = trace_service_pb2_grpc.TraceServiceStub(channel)
        with pytest.raises(grpc.RpcError) as err:
            stub.Export(trace_request([llm_span()]), timeout=10,
                        metadata=[("authorization", "Bearer wrong-wrong-wrong-wrong")])
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert err.value.details().startswith("unknown token"), err.value.details()


def test_api_tokens_and_roles(secured):
    status, headers, body = api(secured, "GET", "/api/v1/llm-calls/recent")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), body
    assert body["error"]["message"].startswith("missing bearer token"), body
    status, _, body = api(secured, "GET", "/api/v1/llm-calls/recent", "wrong-token-wrong-token")
    assert status == 401 and body["error"]["message"].startswith("unknown token"), body
    assert api(secured, "GET", "/api/v1/llm-calls/recent", READ_TOKEN)[0] == 200
    assert api(secured, "GET", "/api/v1/llm-calls/recent", ADMIN_TOKEN)[0] == 200
    # A read token may not run admin operations; an admin token may (the
    # request is then judged on its own merits, never 401/403).
    status, _, body = api(secured, "POST", "/api/v1/admin/backup", READ_TOKEN, body=b"{}")
    assert status == 403 and "admin" in body["error"]["message"], body
    status, _, _ = api(secured, "POST", "/api/v1/admin/backup", ADMIN_TOKEN, body=b"{}")
    assert status not in (401, 403)
    # Probes and /metrics stay open, so orchestrators and Prometheus need no secret.
    assert get(secured.api, "/healthz").status == 200
    assert get(secured.api, "/readyz").status == 200
    assert get(secured.api, "/metrics").status == 200
    assert failures(secured, "api", "forbidden") >= 1


def test_sighup_reloads_certificates_without_restart(secured):
    ca = secured.certs / "ca.pem"
    assert peer_cn(secured.http, ca) == "loupe-e2e-one"
    issue(secured.certs, "renewed", "loupe-e2e-two")
    # A broken renewal first: the reload fails, the old certificate stays.
    (secured.certs / "server.key").write_text("not a key\n")
    secured.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: "SIGHUP" in secured.log_tail(20000), what="the SIGHUP log line")
    assert "server.key" in secured.log_tail(20000)
    assert peer_cn(secured.http, ca) == "loupe-e2e-one"
    # Then the real one.
    (secured.certs / "server.key").write_bytes((secured.certs / "renewed.key").read_bytes())
    (secured.certs / "server.pem").write_bytes((secured.certs / "renewed.pem").read_bytes())
    secured.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: peer_cn(secured.http, ca) == "loupe-e2e-two", what="OTLP/HTTP serving the renewed certificate")
    wait_for(lambda: peer_cn(secured.grpc, ca, alpn=["h2"]) == "loupe-e2e-two",
             what="OTLP/gRPC serving the renewed certificate")
    # Same listeners, same process: exporters still get through.
    assert secured.proc.poll() is None
    assert http_exporter(secured, INGEST_TOKEN).export(finished_spans()) == SpanExportResult.SUCCESS
    assert grpc_exporter(secured, INGEST_TOKEN).export(finished_spans()) == SpanExportResult.SUCCESS


# --- auth off (the default) --------------------------------------------------------
def test_auth_off_takes_everything_without_tokens(loupe):
    # OTLP/HTTP and OTLP/gRPC, plain text, no headers.
    spans = finished_spans(1)
    exporter = HttpExporter(endpoint=f"http://{loupe.http}/v1/traces", timeout=10)
    assert exporter.export(spans) == SpanExportResult.SUCCESS
    loupe.wait_call(format(spans[0].context.span_id, "016x"))
    spans = finished_spans(1)
    exporter = GrpcExporter(endpoint=f"http://{loupe.grpc}", insecure=True, timeout=10)
    assert exporter.export(spans) == SpanExportResult.SUCCESS
    loupe.wait_call(format(spans[0].context.span_id, "016x"))
    # A token sent to a server that has none is not an error.
    exporter = HttpExporter(endpoint=f"http://{loupe.http}/v1/traces", timeout=10,
                            headers={"authorization": "Bearer anything-at-all-0000"})
    assert exporter.export(finished_spans()) == SpanExportResult.SUCCESS
    # The API answers without a token.
    assert get(loupe.api, "/api/v1/llm-calls/recent?limit=1").status == 200
    assert prom_value(loupe.metrics_text(), "loupe_auth_failures_total") == 0
