// Quality: did the last prompt change help? Score trends per feature and
// dimension (/stats with score_avg), the A/B view of two prompt versions
// (/compare: mean, 95% CI, cost and tokens per request, Welch's t-test),
// failed evaluations with the judge's raw answer, the judge's spend and
// budget, and how often the judge agrees with people.
import { useMemo } from "preact/hooks";
import { getJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { CompareAnswer, CompareVersion, EvalStatus, EvaluationsAnswer, StatsAnswer, StatsGroup } from "../types";
import { formatInt, formatPercent, formatTime, formatTokens, formatUsd } from "../format";
import { chooseStep, iso, resolveRange } from "../time_range";
import { defaultPair, dimensionsOf, naturalCompare, scoreLines } from "../quality";
import { BUILTIN_DIMENSIONS, formatScore } from "../scores";
import { ErrorBox, Loading, Panel } from "../components/common";
import { TimeRangePicker } from "../components/time_range_picker";
import { LineChart } from "../components/line_chart";

const DEFAULT_SINCE = "7d";

interface Range {
  since: string;
  until: string;
}

type Query = Record<string, string>;

function setQuery(q: Query, changes: Query) {
  navigate(href("/quality", { ...q, ...changes }), true);
}

function Select({ label, name, value, options, onChange }: { label: string; name: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <label class="inline-field">
      {label}
      <select name={name} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o || "(none)"}
          </option>
        ))}
      </select>
    </label>
  );
}

const scoreAvg = (g: StatsGroup | undefined, dim: string): number | null => {
  const v = (g?.score_avg as Record<string, number | null> | undefined)?.[dim];
  return typeof v === "number" ? v : null;
};
const scoreCount = (g: StatsGroup | undefined, dim: string): number => {
  const v = (g?.score_count as Record<string, number> | undefined)?.[dim];
  return typeof v === "number" ? v : 0;
};

/** The score below which a call reads as bad on this dimension's scale. */
const lowBar = (dim: string) => (BUILTIN_DIMENSIONS.has(dim) ? 1 : 3);
/** A mean worth a second look: any flag, or below the default quality alert's 3.5. */
const warnBelow = (dim: string) => (BUILTIN_DIMENSIONS.has(dim) ? 1 : 3.5);

function Trends({ range, step, q }: { range: Range; step: string; q: Query }) {
  const params = { since: range.since, until: range.until, group_by: "feature", measures: "requests,score_avg,score_count", step, limit: 50 };
  const r = useApi<StatsAnswer>(JSON.stringify(params), (signal) => getJson<StatsAnswer>("/api/v1/stats", params, signal));
  const a = r.data;
  const dims = useMemo(() => (a ? dimensionsOf(a.groups) : []), [a]);
  const dim = q.trend_dim && dims.includes(q.trend_dim) ? q.trend_dim : dims[0] ?? "";
  const chart = useMemo(() => (a && dim ? scoreLines(a, dim, (g) => g.key.feature || "(none)") : null), [a, dim]);
  if (r.error) return <ErrorBox error={r.error} title="Score trends" />;
  if (!a) return <Loading what="Loading scores" />;
  if (dims.length === 0) return <NoScores />;
  const scored = a.groups.filter((g) => dims.some((d) => scoreCount(g, d) > 0));
  return (
    <>
      <div class="controls">
        <Select label="Dimension" name="trend_dim" value={dim} options={dims} onChange={(v) => setQuery(q, { trend_dim: v })} />
        <span class="muted small">One line per feature; one step is {a.step_seconds && a.step_seconds >= 3600 ? `${a.step_seconds / 3600} h` : `${(a.step_seconds ?? 60) / 60} min`}.</span>
      </div>
      {chart && chart.lines.length > 0 && (
        <LineChart
          xs={chart.xs}
          lines={chart.lines}
          format={(v) => formatScore(v)}
          yRange={BUILTIN_DIMENSIONS.has(dim) ? [0, 1] : [1, 5]}
          label={`Mean ${dim} score over time, by feature`}
        />
      )}
      <div class="scroll-x">
        <table class="small-table score-matrix" data-testid="score-matrix">
          <caption>Mean score (count) per feature and dimension over the period; a cell lists the feature's low-scored traces.</caption>
          <thead>
            <tr>
              <th>Feature</th>
              {dims.map((d) => (
                <th key={d} class="num">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {scored.map((g) => {
              const f = g.key.feature ?? "";
              return (
                <tr key={f} data-key={f}>
                  <th scope="row">
                    <a href={href("/quality", { ...q, feature: f, dimension: dim })}>{f || "(none)"}</a>
                  </th>
                  {dims.map((d) => {
                    const v = scoreAvg(g, d);
                    const n = scoreCount(g, d);
                    return (
                      <td key={d} class={`num${v != null && v < warnBelow(d) ? " warn" : ""}`} data-dim={d} data-value={v ?? ""}>
                        {n > 0 ? (
                          <a href={href("/traces", { since: range.since, until: range.until, feature: f, score_below: `${d}:${lowBar(d)}` })} title={`${f} traces with ${d} below ${lowBar(d)}`}>
                            {formatScore(v)} <span class="muted">({formatInt(n)})</span>
                          </a>
                        ) : (
                          <span class="muted">—</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function NoScores() {
  return (
    <div class="empty-state small-empty">
      <h2>No scores in this period</h2>
      <p>
        Scores come from the LLM judge (turn on <code>evaluation.enabled</code>, see docs/evaluation.md), from the free
        built-in checks, and from people (annotate a trace). Only calls that carry prompt and completion content can be
        judged. To try it: <code>loupe demo --backfill 7d --judge-stand-in 127.0.0.1:8090</code> with the judge's{" "}
        <code>base_url</code> pointing at the stand-in.
      </p>
    </div>
  );
}

function CiBar({ v, lo, hi }: { v: CompareVersion; lo: number; hi: number }) {
  if (!v.ci95 || v.mean == null) return <span class="muted">—</span>;
  const pos = (x: number) => `${((Math.min(hi, Math.max(lo, x)) - lo) / (hi - lo)) * 100}%`;
  const [a, b] = v.ci95;
  return (
    <span class="ci-track" title={`95% CI ${formatScore(a)} – ${formatScore(b)}`} aria-hidden="true">
      <span class="ci-range" style={{ left: pos(a), width: `calc(${pos(b)} - ${pos(a)})` }} />
      <span class="ci-mean" style={{ left: pos(v.mean) }} />
    </span>
  );
}

function CompareTable({ c, range }: { c: CompareAnswer; range: Range }) {
  const lows = c.versions.flatMap((v) => (v.ci95 ? [v.ci95[0]] : v.mean != null ? [v.mean] : []));
  const highs = c.versions.flatMap((v) => (v.ci95 ? [v.ci95[1]] : v.mean != null ? [v.mean] : []));
  const binary = BUILTIN_DIMENSIONS.has(c.dimension);
  const lo = binary ? 0 : Math.min(1, ...lows);
  const hi = binary ? 1 : Math.max(5, ...highs);
  const d = c.difference;
  const [va, vb] = c.versions;
  const rel = (x: number | null | undefined, y: number | null | undefined) =>
    x != null && y != null && x !== 0 ? ` (${y >= x ? "+" : ""}${Math.round(((y - x) / x) * 100)}%)` : "";
  return (
    <>
      <table class="small-table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>Prompt version</th>
            <th class="num">Scores</th>
            <th class="num">Mean {c.dimension}</th>
            <th class="num">95% CI</th>
            <th class="ci-col">
              <span class="sr-only">Interval</span>
              <span class="ci-scale" aria-hidden="true">
                <span>{formatScore(lo)}</span>
                <span>{formatScore(hi)}</span>
              </span>
            </th>
            <th class="num">Requests</th>
            <th class="num">Cost / request</th>
            <th class="num">Tokens / request</th>
          </tr>
        </thead>
        <tbody>
          {c.versions.map((v) => (
            <tr
              key={v.prompt_version}
              data-version={v.prompt_version}
              data-mean={v.mean ?? ""}
              data-count={v.count}
              data-cost={v.cost_per_request_usd ?? ""}
              data-tokens={v.tokens_per_request ?? ""}
            >
              <th scope="row">
                <a href={href("/traces", { since: range.since, until: range.until, feature: c.feature, prompt_version: v.prompt_version })}>{v.prompt_version}</a>
              </th>
              <td class="num">{formatInt(v.count)}</td>
              <td class="num mean">
                <strong>{v.mean == null ? "—" : v.mean.toFixed(2)}</strong>
                {v.stddev != null && <span class="muted small"> ± {v.stddev.toFixed(2)} sd</span>}
              </td>
              <td class="num ci">{v.ci95 ? `${v.ci95[0].toFixed(2)} – ${v.ci95[1].toFixed(2)}` : "—"}</td>
              <td class="ci-col">
                <CiBar v={v} lo={lo} hi={hi} />
              </td>
              <td class="num">{formatInt(v.requests)}</td>
              <td class="num cost">
                {formatUsd(v.cost_per_request_usd)}
                {v === vb && <span class="muted small">{rel(va?.cost_per_request_usd, vb?.cost_per_request_usd)}</span>}
                {v.unpriced_requests > 0 && <span class="warn small"> +{formatInt(v.unpriced_requests)} unpriced</span>}
              </td>
              <td class="num tokens">
                {formatTokens(v.tokens_per_request)}
                {v === vb && <span class="muted small">{rel(va?.tokens_per_request, vb?.tokens_per_request)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class={`verdict${d.significant ? " significant" : ""}`} data-testid="verdict" data-significant={String(d.significant)} data-p={d.p_value ?? ""}>
        <strong>{c.verdict}</strong>
        {d.mean_b_minus_a != null && (
          <>
            {" "}· difference {vb?.prompt_version} − {va?.prompt_version} = {d.mean_b_minus_a >= 0 ? "+" : ""}
            {d.mean_b_minus_a.toFixed(2)}
          </>
        )}
        {d.p_value != null && (
          <>
            {" "}· p {d.p_value < 0.0001 ? "< 0.0001" : `= ${d.p_value.toFixed(4)}`} (Welch's t-test
            {d.t != null && <>, t = {d.t.toFixed(2)}</>}
            {d.df != null && <>, df = {d.df.toFixed(1)}</>}; significant when p &lt; {d.alpha})
          </>
        )}
      </p>
      <p class="muted small">
        Scores by <code>{c.evaluator}</code> of calls that started in the period. The interval is Student's t 95% CI of the
        mean; cost per request counts priced requests only.
      </p>
    </>
  );
}

function Compare({ range, q }: { range: Range; q: Query }) {
  // Features with prompt versions, then the chosen feature's versions and dimensions.
  const fp = { since: range.since, until: range.until, group_by: "feature,prompt_version", measures: "requests,score_count", limit: 1000 };
  const fr = useApi<StatsAnswer>(JSON.stringify(fp), (signal) => getJson<StatsAnswer>("/api/v1/stats", fp, signal));
  const byFeature = useMemo(() => {
    const m = new Map<string, StatsGroup[]>();
    for (const g of fr.data?.groups ?? []) {
      if (!g.key.prompt_version) continue;
      const f = g.key.feature ?? "";
      m.set(f, [...(m.get(f) ?? []), g]);
    }
    return m;
  }, [fr.data]);
  // Features with two versions or more first: those can be compared.
  const features = useMemo(
    () => [...byFeature.keys()].sort((x, y) => Number((byFeature.get(y)?.length ?? 0) >= 2) - Number((byFeature.get(x)?.length ?? 0) >= 2) || x.localeCompare(y)),
    [byFeature],
  );
  const feature = q.feature && byFeature.has(q.feature) ? q.feature : features[0] ?? "";
  const groups = byFeature.get(feature) ?? [];
  const versions = groups.map((g) => g.key.prompt_version ?? "").sort(naturalCompare);
  const judged = dimensionsOf(groups);
  const dims = judged.length ? judged : ["accuracy"];
  const dimension = q.dimension && dims.includes(q.dimension) ? q.dimension : dims[0];
  const pair = defaultPair(versions);
  const a = q.a && versions.includes(q.a) ? q.a : pair?.a ?? "";
  const b = q.b && versions.includes(q.b) ? q.b : pair?.b ?? "";
  const cp = feature && a && b && a !== b ? { feature, dimension, a, b, since: range.since, until: range.until } : null;
  const cr = useApi<CompareAnswer>(cp ? JSON.stringify(cp) : null, (signal) => getJson<CompareAnswer>("/api/v1/compare", cp!, signal));

  if (fr.error) return <ErrorBox error={fr.error} title="Prompt versions" />;
  if (!fr.data) return <Loading what="Loading prompt versions" />;
  if (features.length === 0) {
    return (
      <p class="muted">
        No call in this period carries a prompt version. Set <code>gen_ai.prompt.version</code> (or <code>ai.prompt.version</code>)
        on your LLM spans to compare versions.
      </p>
    );
  }
  return (
    <div data-testid="compare">
      <form class="controls" aria-label="What to compare" onSubmit={(e) => e.preventDefault()}>
        <Select label="Feature" name="feature" value={feature} options={features} onChange={(v) => setQuery(q, { feature: v, a: "", b: "", dimension: q.dimension ?? "" })} />
        <Select label="Dimension" name="dimension" value={dimension} options={dims} onChange={(v) => setQuery(q, { dimension: v })} />
        <Select label="Version A" name="a" value={a} options={versions} onChange={(v) => setQuery(q, { a: v, b })} />
        <Select label="Version B" name="b" value={b} options={versions} onChange={(v) => setQuery(q, { a, b: v })} />
      </form>
      {versions.length < 2 && <p class="muted">{feature} has a single prompt version ({versions[0]}) in this period: nothing to compare yet.</p>}
      {a && b && a === b && <p class="muted">Pick two different versions.</p>}
      {cr.error && <ErrorBox error={cr.error} title="Comparison" />}
      {cp && !cr.data && cr.loading && <Loading what="Comparing" />}
      {cr.data && <CompareTable c={cr.data} range={range} />}
    </div>
  );
}

function JudgeStatus() {
  const r = useApi<EvalStatus>("eval-status", (signal) => getJson<EvalStatus>("/api/v1/evaluation/status", {}, signal));
  if (r.error) return <ErrorBox error={r.error} title="Evaluation status" />;
  const s = r.data;
  if (!s) return <Loading />;
  if (!s.enabled) {
    return (
      <p class="muted" data-testid="judge-status">
        The LLM judge is off. Turn it on with <code>evaluation.enabled: true</code> and a <code>judge</code> (docs/evaluation.md).
        {s.queue && <> Queue: {formatInt(s.queue.pending)} pending, {formatInt(s.queue.done)} done.</>}
      </p>
    );
  }
  const b = s.budget;
  const share = b && b.daily_usd > 0 ? Math.min(1, b.spent_today_usd / b.daily_usd) : 0;
  return (
    <div data-testid="judge-status">
      <dl class="kv">
        <div>
          <dt>Judge</dt>
          <dd>
            {s.judge?.provider} <code>{s.judge?.model}</code>
            {s.judge?.base_url && <span class="muted small"> at {s.judge.base_url}</span>}
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd data-testid="judge-state">
            {s.paused ? (
              <span class="warn">
                paused: {s.paused_reason || "budget spent"}
                {s.resumes_at && <>, resumes {formatTime(s.resumes_at)}</>}
              </span>
            ) : (
              <span class="ok">scoring</span>
            )}
            {s.canary?.ran && <span class={s.canary.passed ? "muted small" : "warn small"}> · canary {s.canary.passed ? "passed" : "FAILED"}: {s.canary.detail}</span>}
          </dd>
        </div>
        {b && (
          <div>
            <dt>Judge spend today ({b.day})</dt>
            <dd data-testid="judge-spend" data-spent={b.spent_today_usd} data-daily={b.daily_usd}>
              {formatUsd(b.spent_today_usd)} of {formatUsd(b.daily_usd)} ({formatPercent(share)}), {formatUsd(b.remaining_usd)} left
              <span class="meter" aria-hidden="true">
                <span style={{ width: `${share * 100}%` }} class={share >= 1 ? "full" : ""} />
              </span>
            </dd>
          </div>
        )}
        {s.queue && (
          <div>
            <dt>Queue</dt>
            <dd>
              {formatInt(s.queue.pending)} pending · {formatInt(s.queue.done)} done · {formatInt(s.queue.failed)} failed · {formatInt(s.queue.skipped)} skipped
            </dd>
          </div>
        )}
        {s.workers && (
          <div>
            <dt>Workers</dt>
            <dd>
              {s.workers.busy} of {s.workers.concurrency} busy
            </dd>
          </div>
        )}
        {s.skipped && (s.skipped.backlog > 0 || s.skipped.budget > 0) && (
          <div>
            <dt>Skipped samples</dt>
            <dd class="warn">
              {formatInt(s.skipped.budget)} over budget, {formatInt(s.skipped.backlog)} over the backlog limit
            </dd>
          </div>
        )}
        {s.last_error && (
          <div>
            <dt>Last error</dt>
            <dd class="warn">{s.last_error}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function FailedEvaluations({ range }: { range: Range }) {
  const p = { state: "failed", since: range.since, limit: 50 };
  const r = useApi<EvaluationsAnswer>(JSON.stringify(p), (signal) => getJson<EvaluationsAnswer>("/api/v1/evaluations", p, signal));
  if (r.error) return <ErrorBox error={r.error} title="Failed evaluations" />;
  if (!r.data) return <Loading />;
  const list = r.data.evaluations;
  if (list.length === 0) return <p class="muted" data-testid="failed-evals">No failed evaluation in this period: every judged answer was valid.</p>;
  return (
    <div data-testid="failed-evals">
      <p class="muted small">
        {formatInt(r.data.queue.failed)} failed in all. A failure keeps the judge's raw answer; a score is never made up.
      </p>
      {list.map((e) => (
        <details key={e.id} class="failed-eval">
          <summary>
            <span class="muted">{formatTime(e.finished || e.enqueued)}</span> <code>{e.evaluator}</code>{" "}
            <span class="warn">{e.error || e.reason || "failed"}</span>
          </summary>
          <p>
            <a href={href(`/traces/${e.trace_id}`, { span: e.span_id })}>trace {e.trace_id.slice(0, 12)}… span {e.span_id}</a> · {e.attempts}{" "}
            attempt{e.attempts === 1 ? "" : "s"}
          </p>
          <pre class="raw-answer">{e.raw_answer || "(no answer)"}</pre>
        </details>
      ))}
    </div>
  );
}

interface AgreementAnswer {
  human_scores: number;
  pairs: number;
  exact_agreement: number | null;
  within_tolerance: number | null;
  tolerance: number;
  dimensions: Record<string, { pairs: number; exact_agreement: number | null; within_tolerance: number | null; mean_abs_difference: number | null }>;
}

function Agreement({ range }: { range: Range }) {
  const p = { since: range.since, until: range.until };
  const r = useApi<AgreementAnswer>(`agree${JSON.stringify(p)}`, (signal) => getJson<AgreementAnswer>("/api/v1/agreement", p, signal));
  if (r.error) return <ErrorBox error={r.error} title="Agreement" />;
  if (!r.data) return <Loading />;
  const a = r.data;
  if (a.pairs === 0) {
    return (
      <p class="muted">
        {a.human_scores > 0 ? `${a.human_scores} human scores, none on a call the judge also scored.` : "No human scores yet."} Annotate LLM
        calls on a trace page to see how often the judge agrees with people.
      </p>
    );
  }
  return (
    <table class="small-table">
      <thead>
        <tr>
          <th>Dimension</th>
          <th class="num">Pairs</th>
          <th class="num">Exact</th>
          <th class="num">Within ±{a.tolerance}</th>
          <th class="num">Mean |Δ|</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(a.dimensions).map(([d, v]) => (
          <tr key={d}>
            <td>{d}</td>
            <td class="num">{formatInt(v.pairs)}</td>
            <td class="num">{formatPercent(v.exact_agreement)}</td>
            <td class="num">{formatPercent(v.within_tolerance)}</td>
            <td class="num">{v.mean_abs_difference == null ? "—" : v.mean_abs_difference.toFixed(2)}</td>
          </tr>
        ))}
        <tr class="total">
          <td>All</td>
          <td class="num">{formatInt(a.pairs)}</td>
          <td class="num">{formatPercent(a.exact_agreement)}</td>
          <td class="num">{formatPercent(a.within_tolerance)}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

export function QualityPage() {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const since = q.since || DEFAULT_SINCE;
  const resolved = useMemo(() => {
    const r = resolveRange(since, q.until, Date.now());
    if (!r) return null;
    return { range: { since: iso(r.sinceMs), until: iso(r.untilMs) }, step: chooseStep(r) };
  }, [since, q.until, loc]);
  return (
    <div class="page">
      <div class="page-head">
        <h1>Quality</h1>
        <TimeRangePicker since={since} until={q.until} onChange={(s, u) => navigate(href("/quality", { ...q, since: s, until: u }))} />
      </div>
      {!resolved && <div class="error-box" role="alert">The time range is not valid: since must be before until.</div>}
      {resolved && (
        <div class="quality-grid" data-testid="quality-page" data-since={resolved.range.since} data-until={resolved.range.until}>
          <div class="quality-col">
            <Panel title="Prompt version comparison (A/B)">
              <Compare range={resolved.range} q={{ ...q, since }} />
            </Panel>
            <Panel title="Judge: spend and budget">
              <JudgeStatus />
            </Panel>
            <Panel title="Failed evaluations">
              <FailedEvaluations range={resolved.range} />
            </Panel>
          </div>
          <div class="quality-col">
            <Panel title="Score trends by feature and dimension">
              <Trends range={resolved.range} step={resolved.step} q={{ ...q, since }} />
            </Panel>
            <Panel title="Judge vs people">
              <Agreement range={resolved.range} />
            </Panel>
          </div>
        </div>
      )}
    </div>
  );
}
