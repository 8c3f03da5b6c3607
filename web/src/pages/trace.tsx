// One trace: totals, a virtualized waterfall that is also the span tree
// (collapsible, LLM calls highlighted), and the selected span's details:
// for an LLM call its conversation, tokens, cost and price source.
import { useMemo, useState } from "preact/hooks";
import { getJson } from "../api";
import { href, navigate, useLocation } from "../router";
import { useApi } from "../use_api";
import type { SpanJson, TraceDetail } from "../types";
import { formatDuration, formatInt, formatTime, formatUsd } from "../format";
import { CopyButton, ErrorBox, Loading } from "../components/common";
import { VirtualList } from "../components/virtual_list";
import { SpanDetails } from "./span_details";
import { AnnotateForm, ScoreList } from "../components/annotate";
import { formatScore, isLow, latestScores } from "../scores";

const ROW = 26;

/** Spans to show: tree order, minus the descendants of collapsed spans. */
export function visibleSpans(spans: SpanJson[], collapsed: Set<string>): SpanJson[] {
  const out: SpanJson[] = [];
  let hideBelow = -1; // depth of a collapsed ancestor, -1 when none
  for (const s of spans) {
    if (hideBelow >= 0 && s.depth > hideBelow) continue;
    hideBelow = -1;
    out.push(s);
    if (collapsed.has(s.span_id)) hideBelow = s.depth;
  }
  return out;
}

function Waterfall({ trace, selected, onSelect }: { trace: TraceDetail; selected: string; onSelect: (id: string) => void }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const hasChildren = useMemo(() => {
    const s = new Set<string>();
    for (const sp of trace.spans) if (sp.parent_span_id) s.add(sp.parent_span_id);
    return s;
  }, [trace]);
  const rows = useMemo(() => visibleSpans(trace.spans, collapsed), [trace, collapsed]);
  const t0 = Math.min(...trace.spans.map((s) => s.start_time_unix_nano));
  const total = Math.max(1, ...trace.spans.map((s) => s.end_time_unix_nano - t0));
  const selIndex = rows.findIndex((s) => s.span_id === selected);

  const toggle = (id: string) =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const onKey = (e: KeyboardEvent) => {
    if (rows.length === 0) return;
    let i = selIndex;
    if (e.key === "ArrowDown" || e.key === "j") i = Math.min(rows.length - 1, i + 1);
    else if (e.key === "ArrowUp" || e.key === "k") i = Math.max(0, i - 1);
    else if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && selIndex >= 0) {
      const id = rows[selIndex].span_id;
      if (hasChildren.has(id) && collapsed.has(id) === (e.key === "ArrowRight")) toggle(id);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    onSelect(rows[i].span_id);
    (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-span-id="${rows[i].span_id}"]`)?.focus();
  };

  return (
    <div class="waterfall" onKeyDown={onKey} data-testid="waterfall">
      <div class="wf-head">
        <span>Span</span>
        <span class="wf-scale">
          <span>0</span>
          <span>{formatDuration(total / 2e6)}</span>
          <span>{formatDuration(total / 1e6)}</span>
        </span>
      </div>
      <VirtualList
        items={rows}
        rowHeight={ROW}
        height={`min(60vh, 640px, ${rows.length * ROW + 4}px)`}
        label={`Waterfall, ${rows.length} spans shown`}
        scrollToIndex={selIndex}
        render={(s) => {
          const left = ((s.start_time_unix_nano - t0) / total) * 100;
          const width = Math.max(0.2, ((s.end_time_unix_nano - s.start_time_unix_nano) / total) * 100);
          const llm = !!s.llm_call;
          const err = s.status.code === "ERROR" || !!s.llm_call?.error_type;
          const kids = hasChildren.has(s.span_id);
          return (
            <div class={`wf-row${s.span_id === selected ? " selected" : ""}${llm ? " llm" : ""}${err ? " is-error" : ""}`}>
              <span class="wf-name" style={{ paddingLeft: `${4 + Math.min(s.depth, 30) * 14}px` }}>
                {kids ? (
                  <button
                    type="button"
                    class="twisty"
                    tabIndex={-1}
                    aria-label={collapsed.has(s.span_id) ? "Expand" : "Collapse"}
                    onClick={() => toggle(s.span_id)}
                  >
                    {collapsed.has(s.span_id) ? "▸" : "▾"}
                  </button>
                ) : (
                  <span class="twisty" />
                )}
                <button
                  type="button"
                  class="wf-label"
                  data-span-id={s.span_id}
                  aria-pressed={s.span_id === selected}
                  onClick={() => onSelect(s.span_id)}
                  title={s.name}
                >
                  {llm && <span class="llm-badge">LLM</span>}
                  {s.name}
                </button>
              </span>
              <span class="wf-track" aria-hidden="true">
                <span class="wf-bar" style={{ left: `${left}%`, width: `${width}%` }} />
                <span class="wf-dur" style={{ left: `min(${left + width}%, calc(100% - 60px))` }}>
                  {formatDuration(s.duration_ms)}
                </span>
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}

export function TracePage({ id }: { id: string }) {
  const loc = useLocation();
  // Bumped after an annotation is saved, so the trace (and its scores) reloads.
  const [version, setVersion] = useState(0);
  const trace = useApi<TraceDetail>(`${id}#${version}`, (signal) => getJson<TraceDetail>(`/api/v1/traces/${encodeURIComponent(id)}`, {}, signal));
  const t = trace.data;
  const wanted = loc.query.get("span");
  const selected = useMemo(() => {
    if (!t || t.spans.length === 0) return "";
    if (wanted && t.spans.some((s) => s.span_id === wanted)) return wanted;
    return (t.spans.find((s) => s.llm_call && s.llm_call.output_messages.length > 0) ?? t.spans.find((s) => s.llm_call) ?? t.spans[0]).span_id;
  }, [t, wanted]);
  const span = t?.spans.find((s) => s.span_id === selected);
  const scoreGroups = useMemo(() => (t ? latestScores(t.scores) : []), [t]);
  const low = scoreGroups.filter((g) => isLow(g.latest));

  return (
    <div class="page">
      <div class="page-head">
        <h1>
          Trace <code class="id">{id}</code> <CopyButton text={id} label="Copy id" />
        </h1>
        <a href="/traces" class="button ghost">
          ← Traces
        </a>
      </div>
      {trace.loading && !t && <Loading what="Loading trace" />}
      {trace.error && <ErrorBox error={trace.error} title="Trace" />}
      {t && (
        <>
          <dl class="totals" data-testid="trace-totals">
            <div><dt>Start</dt><dd>{formatTime(t.start)}</dd></div>
            <div><dt>Duration</dt><dd>{formatDuration(t.duration_ms)}</dd></div>
            <div><dt>Spans</dt><dd>{formatInt(t.totals.spans)}</dd></div>
            <div><dt>LLM calls</dt><dd>{formatInt(t.totals.llm_calls)}</dd></div>
            <div><dt>Tokens</dt><dd>{formatInt(t.totals.tokens)}</dd></div>
            <div>
              <dt>Cost</dt>
              <dd>
                {formatUsd(t.totals.cost_usd)}
                {t.totals.unpriced_calls > 0 && <span class="warn"> + {t.totals.unpriced_calls} unpriced</span>}
              </dd>
            </div>
            <div><dt>Errors</dt><dd class={t.totals.error_spans ? "warn" : ""}>{t.totals.error_spans}</dd></div>
            <div>
              <dt>Scores</dt>
              <dd>
                {t.scores.length ? (
                  <a href="#scores">
                    {scoreGroups.length} score{scoreGroups.length === 1 ? "" : "s"}
                    {low.length > 0 && <span class="warn"> (low: {low.slice(0, 3).map((g) => `${g.latest.dimension} ${formatScore(g.latest.value)}`).join(", ")})</span>}
                  </a>
                ) : (
                  <span class="muted">none yet</span>
                )}
              </dd>
            </div>
          </dl>
          <div class="trace-layout">
            <Waterfall trace={t} selected={selected} onSelect={(sid) => navigate(href(`/traces/${id}`, { span: sid }), true)} />
            {span && (
              <SpanDetails
                span={span}
                traceId={t.trace_id}
                scores={t.scores.filter((sc) => sc.span_id === span.span_id)}
                onScored={() => setVersion((v) => v + 1)}
              />
            )}
          </div>
          <section class="panel trace-scores" id="scores" aria-label="Scores of this trace">
            <header class="panel-head">
              <h2>Scores of this trace</h2>
              <span class="muted small">judge, built-in checks and people; every version</span>
            </header>
            <div class="trace-scores-grid">
              <ScoreList
                scores={t.scores}
                empty="No score yet. The judge scores sampled LLM calls about 10 s after they end; add yours with the form."
                showSpan={(sid) => href(`/traces/${id}`, { span: sid })}
              />
              <AnnotateForm traceId={t.trace_id} onSaved={() => setVersion((v) => v + 1)} />
            </div>
          </section>
          {t.logs.length > 0 && (
            <details class="panel">
              <summary>{t.logs.length} log records not joined to a span</summary>
              <pre>{JSON.stringify(t.logs, null, 2)}</pre>
            </details>
          )}
        </>
      )}
    </div>
  );
}
