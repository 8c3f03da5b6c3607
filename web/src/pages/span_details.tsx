// The selected span: ids, status, and for an LLM call the conversation,
// model, token and cost breakdown with the price it came from; then every
// attribute, resource attribute and event, searchable.
import { useMemo, useState } from "preact/hooks";
import type { AttrValue, LlmCall, ScoreRecord, SpanJson } from "../types";
import { AnnotateForm, ScoreList } from "../components/annotate";
import { conversation } from "../chat";
import { ChatView } from "../components/chat_view";
import { CopyButton } from "../components/common";
import { formatDuration, formatInt, formatNanos, formatTime, formatUsd } from "../format";
import { href } from "../router";

function attrText(v: AttrValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function Kv({ k, v }: { k: string; v: preact.ComponentChildren }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v === "" || v == null ? <span class="muted">—</span> : v}</dd>
    </div>
  );
}

function CallSummary({ call }: { call: LlmCall }) {
  const model = call.response_model && call.response_model !== call.request_model ? `${call.request_model} → ${call.response_model}` : call.request_model || call.response_model;
  const attr = (k: string, v: string) => (v ? <a href={href("/traces", { [k]: v })}>{v}</a> : "");
  return (
    <dl class="kv">
      <Kv k="Model" v={model} />
      <Kv k="Provider" v={call.provider} />
      <Kv k="Operation" v={call.operation} />
      <Kv k="Finish reason" v={call.finish_reasons.join(", ")} />
      <Kv k="Error type" v={call.error_type ? <span class="warn">{call.error_type}</span> : ""} />
      <Kv k="Time to first token" v={call.time_to_first_token_ms != null ? formatDuration(call.time_to_first_token_ms) : ""} />
      <Kv k="Team" v={attr("team", call.team)} />
      <Kv k="Feature" v={attr("feature", call.feature)} />
      <Kv k="Prompt" v={[call.prompt_name, call.prompt_version].filter(Boolean).join(" ")} />
      <Kv k="User" v={attr("user", call.user)} />
      <Kv k="Session" v={call.session ? <a href={`/sessions/${encodeURIComponent(call.session)}`}>{call.session}</a> : ""} />
      <Kv k="Environment" v={call.environment} />
      <Kv k="Instrumentation" v={call.dialect} />
    </dl>
  );
}

function TokensAndCost({ call }: { call: LlmCall }) {
  const t = call.tokens;
  const c = call.cost;
  const rates = call.price?.version?.usd_per_mtok ?? {};
  const rows: [string, number | null, number, number | undefined][] = [
    ["Input (uncached)", t.input, c.input_nanos, rates.input],
    ["Cache read", t.cache_read, c.cache_read_nanos, rates.cache_read],
    ["Cache write", t.cache_write, c.cache_write_nanos, rates.cache_write_5m],
    ["Output", t.output, c.output_nanos, rates.output],
    ["Reasoning (in output)", t.reasoning, c.reasoning_nanos, rates.reasoning ?? rates.output],
  ];
  return (
    <div class="cost-block">
      <table class="small-table" data-testid="token-table">
        <thead>
          <tr>
            <th>Tokens</th>
            <th class="num">Count</th>
            <th class="num">$/Mtok</th>
            <th class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, n, nanos, rate]) => (
            <tr key={name}>
              <td>{name}</td>
              <td class="num">{formatInt(n)}</td>
              <td class="num">{rate != null ? formatUsd(rate) : "—"}</td>
              <td class="num">{c.source === "catalog" ? formatNanos(nanos) : "—"}</td>
            </tr>
          ))}
          <tr class="total">
            <td>Total</td>
            <td class="num">{formatInt(t.total)}</td>
            <td />
            <td class="num">{formatUsd(c.total_usd)}</td>
          </tr>
        </tbody>
      </table>
      <p class="price-source" data-testid="price-source">
        {c.source === "catalog" && (
          <>
            Priced from the catalog entry <code>{c.price_entry}</code>
            {call.price?.origin && <> ({call.price.origin})</>}
            {c.price_match && <>, matched {c.price_match}</>}
            {c.price_tier && <>, tier {c.price_tier}</>}
            {call.price?.version?.effective_from && <>, prices from {call.price.version.effective_from}</>}.
            {c.reported_nanos != null && <> The app reported {formatNanos(c.reported_nanos)}.</>}
          </>
        )}
        {c.source === "reported" && <>Cost as reported by the instrumentation: Loupe has no price for this model.</>}
        {c.source === "unknown" && (
          <span class="warn">
            Unknown cost: no price for <code>{call.response_model || call.request_model}</code>.{" "}
            <a href={href("/settings", { model: call.response_model || call.request_model })}>Look it up</a> and add a price
            override (see docs/configuration.md, <code>pricing.overrides</code>).
          </span>
        )}
        {!call.counts_usage && <> This span repeats its children's usage, so totals leave it out.</>}
      </p>
    </div>
  );
}

function Attributes({ span }: { span: SpanJson }) {
  const [filter, setFilter] = useState("");
  const f = filter.trim().toLowerCase();
  const match = (k: string, v: string) => !f || k.toLowerCase().includes(f) || v.toLowerCase().includes(f);
  const section = (title: string, attrs: Record<string, AttrValue>) => {
    const rows = Object.entries(attrs)
      .map(([k, v]) => [k, attrText(v)] as const)
      .filter(([k, v]) => match(k, v))
      .sort((a, b) => a[0].localeCompare(b[0]));
    return (
      <>
        <h4>
          {title} <span class="muted">({rows.length})</span>
        </h4>
        {rows.length > 0 && (
          <table class="attr-table">
            <tbody>
              {rows.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <pre>{v}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  };
  const events = span.events.filter((e) => match(e.name, JSON.stringify(e.attributes)));
  return (
    <section class="attrs" aria-label="Attributes and events">
      <label class="attr-search">
        <span class="sr-only">Search attributes and events</span>
        <input type="search" placeholder="Filter attributes and events" value={filter} onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {section("Span attributes", span.attributes)}
      {section("Resource", span.resource)}
      <h4>
        Events <span class="muted">({events.length})</span>
      </h4>
      {events.map((e, i) => (
        <div key={i} class="event">
          <div>
            <strong>{e.name}</strong> <span class="muted">{formatTime(e.time_unix_nano)}</span>
          </div>
          {Object.keys(e.attributes).length > 0 && <pre>{JSON.stringify(e.attributes, null, 2)}</pre>}
        </div>
      ))}
      {span.links.length > 0 && (
        <>
          <h4>Links</h4>
          {span.links.map((l) => (
            <div key={l.span_id}>
              <a href={`/traces/${l.trace_id}?span=${l.span_id}`}>{l.trace_id}</a> span {l.span_id}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

export function SpanDetails({ span, traceId, scores, onScored }: { span: SpanJson; traceId: string; scores: ScoreRecord[]; onScored: () => void }) {
  const call = span.llm_call;
  const entries = useMemo(() => (call ? conversation(call) : []), [call]);
  return (
    <aside class="span-details" aria-label="Selected span" data-testid="span-details">
      <h2>
        {call && <span class="llm-badge">LLM</span>} {span.name}
      </h2>
      <dl class="kv">
        <Kv
          k="Span id"
          v={
            <>
              <code>{span.span_id}</code> <CopyButton text={span.span_id} />
            </>
          }
        />
        <Kv
          k="Trace id"
          v={
            <>
              <code>{traceId}</code> <CopyButton text={traceId} />
            </>
          }
        />
        <Kv k="Parent" v={span.parent_span_id ? <code>{span.parent_span_id}</code> : "root"} />
        <Kv k="Service" v={span.service} />
        <Kv k="Kind" v={span.kind} />
        <Kv k="Start" v={formatTime(span.start_time_unix_nano)} />
        <Kv k="Duration" v={formatDuration(span.duration_ms)} />
        <Kv
          k="Status"
          v={<span class={span.status.code === "ERROR" ? "warn" : ""}>{span.status.code}{span.status.message ? `: ${span.status.message}` : ""}</span>}
        />
        <Kv k="Scope" v={[span.scope.name, span.scope.version].filter(Boolean).join(" ")} />
      </dl>
      {call && (
        <>
          <h3>LLM call</h3>
          <CallSummary call={call} />
          <TokensAndCost call={call} />
          <h3>Conversation</h3>
          <ChatView entries={entries} />
          <h3 id="call-scores">Scores of this call</h3>
          <ScoreList scores={scores} empty="Not scored yet: the judge samples calls that carry content (docs/evaluation.md)." />
          <AnnotateForm key={span.span_id} traceId={traceId} spanId={span.span_id} onSaved={onScored} />
        </>
      )}
      {!call && scores.length > 0 && (
        <>
          <h3>Scores of this span</h3>
          <ScoreList scores={scores} empty="" />
        </>
      )}
      <h3>Attributes and events</h3>
      <Attributes span={span} />
    </aside>
  );
}
