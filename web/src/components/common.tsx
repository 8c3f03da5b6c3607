// Small shared pieces: error and loading panels, copy buttons, the empty
// state with an exporter snippet.
import { useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { ApiError } from "../api";

export function ErrorBox({ error, title }: { error: ApiError; title?: string }) {
  const what =
    error.status === 0 ? "Loupe did not answer" : error.status === 401 ? "Not authorised" : `API error ${error.status}`;
  return (
    <div class="error-box" role="alert">
      <strong>{title ? `${title}: ${what}` : what}</strong>
      {error.parameter && (
        <span>
          {" "}
          (parameter <code>{error.parameter}</code>)
        </span>
      )}
      <div class="error-message">{error.message}</div>
      {error.path && <div class="muted small">GET {error.path}</div>}
    </div>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      {what}…
    </div>
  );
}

export function Panel({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="panel" aria-label={title}>
      <header class="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API needs a secure context; fall back to a selection copy.
      const ta = document.createElement("textarea");
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand("copy");
      ta.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 1200);
  };
  return (
    <button type="button" class="copy" onClick={copy} aria-label={`${label} ${text}`} title={`Copy ${text}`}>
      {done ? "Copied" : label}
    </button>
  );
}

/** Shown when Loupe has no traces at all: how to send some. */
export function EmptyState() {
  const host = typeof window !== "undefined" ? window.location.hostname || "localhost" : "localhost";
  const endpoint = `http://${host}:4318`;
  const snippet = `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
export OTEL_SERVICE_NAME=my-llm-app
# Python: pip install opentelemetry-sdk opentelemetry-exporter-otlp
#         then instrument your LLM client (OpenLLMetry, OpenInference, ...)
# or try it with generated traffic:
loupe demo --otlp-endpoint ${endpoint}`;
  return (
    <div class="empty-state" data-testid="empty-state">
      <h2>No traces yet — point an OTel exporter at {endpoint}</h2>
      <p>
        Loupe receives OpenTelemetry traces over OTLP/HTTP on port 4318 and OTLP/gRPC on 4317 (the defaults;
        see <code>--otlp-http-addr</code>). Spans with <code>gen_ai.*</code> attributes show up here as LLM calls,
        priced and attributed to teams and features.
      </p>
      <pre class="snippet">{snippet}</pre>
      <CopyButton text={snippet} label="Copy snippet" />
    </div>
  );
}
