"""configure(): the one-liner that points the global tracer provider at
Loupe. Imports the OpenTelemetry SDK and OTLP exporter lazily, so the
package itself needs only opentelemetry-api."""
from __future__ import annotations

from typing import Mapping, Optional


def configure(endpoint: str = "http://localhost:4318", headers: Optional[Mapping[str, str]] = None,
              service_name: Optional[str] = None, protocol: str = "http/protobuf",
              resource_attributes: Optional[Mapping[str, str]] = None, set_global: bool = True):
    """Creates a TracerProvider exporting over OTLP with a batch processor,
    sets it as the global provider (unless set_global=False) and returns it;
    call .shutdown() on it at exit to flush (the SDK also does at exit).

    endpoint: http://host:4318 for http/protobuf (/v1/traces is appended when
    the URL has no path), http://host:4317 for grpc.
    Needs `pip install loupe-otel[otlp]` (or [grpc]): opentelemetry-sdk and
    an OTLP exporter.
    """
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("loupe_otel.configure() needs opentelemetry-sdk: pip install 'loupe-otel[otlp]'") from e
    if protocol == "http/protobuf":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError as e:  # pragma: no cover
            raise ImportError("protocol http/protobuf needs opentelemetry-exporter-otlp-proto-http: "
                              "pip install 'loupe-otel[otlp]'") from e
        url = endpoint.rstrip("/")
        if url.count("/") <= 2:  # scheme://host:port, no path
            url += "/v1/traces"
        exporter = OTLPSpanExporter(endpoint=url, headers=dict(headers or {}))
    elif protocol == "grpc":
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        except ImportError as e:  # pragma: no cover
            raise ImportError("protocol grpc needs opentelemetry-exporter-otlp-proto-grpc: "
                              "pip install 'loupe-otel[grpc]'") from e
        exporter = OTLPSpanExporter(endpoint=endpoint, headers=tuple((headers or {}).items()),
                                    insecure=endpoint.startswith("http://"))
    else:
        raise ValueError(f"protocol must be 'http/protobuf' or 'grpc', not {protocol!r}")

    attrs = dict(resource_attributes or {})
    if service_name:
        attrs["service.name"] = service_name
    provider = TracerProvider(resource=Resource.create(attrs))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    if set_global:
        trace.set_tracer_provider(provider)
    return provider
