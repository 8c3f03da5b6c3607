// Cost: where the money goes in the chosen period, from /api/v1/stats.
// The range is resolved to absolute times once per load, so the current
// and previous periods line up and every drill-down link shows exactly
// the traces behind the number it came from.
import { useMemo } from "preact/hooks";
import { getJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { StatsAnswer, StatsGroup, UnpricedAnswer } from "../types";
import { formatChange, formatInt, formatUsd } from "../format";
import { chooseStep, iso, previousRange, resolveRange } from "../time_range";
import { ErrorBox, Loading, Panel } from "../components/common";
import { TimeRangePicker } from "../components/time_range_picker";
import { StackedChart } from "../components/stacked_chart";

const num = (g: StatsGroup | undefined, m: string): number | null => {
  const v = g?.[m];
  return typeof v === "number" ? v : null;
};

interface Range {
  since: string;
  until: string;
}

function tracesHref(range: Range, filters: Record<string, string>): string {
  return href("/traces", { since: range.since, until: range.until, ...filters });
}

function Bars({
  groups,
  dim,
  measure,
  range,
  previous,
  testid,
  extra,
}: {
  groups: StatsGroup[];
  dim: string;
  measure: string;
  range: Range;
  previous?: Map<string, number | null>;
  testid: string;
  extra?: (g: StatsGroup) => preact.ComponentChildren;
}) {
  const max = Math.max(0, ...groups.map((g) => num(g, measure) ?? 0));
  if (groups.length === 0) return <p class="muted">No LLM calls in this period.</p>;
  return (
    <table class="bars" data-testid={testid}>
      <tbody>
        {groups.map((g) => {
          const key = g.key[dim] ?? "";
          const v = num(g, measure);
          const link = tracesHref(range, { [dim]: key });
          return (
            <tr key={key} data-key={key} data-value={v ?? ""}>
              <th scope="row">
                <a href={link}>{key || "(none)"}</a>
              </th>
              <td class="bar-cell">
                <a href={link} class="bar" style={{ width: `${max > 0 && v ? (v / max) * 100 : 0}%` }} aria-label={`${key}: ${formatUsd(v)}, show traces`} tabIndex={-1} />
              </td>
              <td class="num value">
                <a href={link}>{formatUsd(v)}</a>
              </td>
              {previous && (
                <td class="num change" title="against the previous period of the same length">
                  {formatChange(v, previous.get(key) ?? null)}
                </td>
              )}
              {extra && <td class="num muted">{extra(g)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Stats({ params, children }: { params: Record<string, string | number>; children: (a: StatsAnswer) => preact.ComponentChildren }) {
  const key = JSON.stringify(params);
  const r = useApi<StatsAnswer>(key, (signal) => getJson<StatsAnswer>("/api/v1/stats", params, signal));
  if (r.error) return <ErrorBox error={r.error} />;
  if (!r.data) return <Loading />;
  return <>{children(r.data)}</>;
}

function SpendOverTime({ range, step }: { range: Range; step: string }) {
  return (
    <Stats params={{ since: range.since, until: range.until, group_by: "model", measures: "cost_usd", step, order_by: "cost_usd", limit: 10 }}>
      {(a) => {
        const groups = a.groups.filter((g) => (num(g, "cost_usd") ?? 0) > 0);
        if (groups.length === 0) return <p class="muted">No priced spend in this period.</p>;
        const xs = (groups[0].series ?? []).map((p) => p.start_time_unix_nano / 1e9);
        // Smallest spender at the bottom of the stack.
        const series = groups
          .slice()
          .reverse()
          .map((g) => ({ label: g.key.model ?? "", values: (g.series ?? []).map((p) => (typeof p.cost_usd === "number" ? p.cost_usd : 0)) }));
        const stepS = a.step_seconds ?? 3600;
        return (
          <>
            <StackedChart
              xs={xs}
              series={series}
              stepSeconds={stepS}
              format={(v) => formatUsd(v)}
              label="Spend over time, stacked by model"
              onPick={(x, model) =>
                navigate(
                  tracesHref({ since: iso(x * 1000), until: iso((x + stepS) * 1000) }, model ? { model } : {}),
                )
              }
            />
            <p class="muted small">Click a band to see its traces. One step is {stepS >= 3600 ? `${stepS / 3600} h` : `${stepS / 60} min`}.</p>
          </>
        );
      }}
    </Stats>
  );
}

function TopBy({ dim, range }: { dim: "user" | "session"; range: Range }) {
  return (
    <Stats params={{ since: range.since, until: range.until, group_by: dim, measures: "cost_usd,requests", order_by: "cost_usd", limit: 10 }}>
      {(a) => <Bars groups={a.groups} dim={dim} measure="cost_usd" range={range} testid={`top-${dim}`} extra={(g) => `${formatInt(num(g, "requests"))} req`} />}
    </Stats>
  );
}

function Unpriced() {
  const r = useApi<UnpricedAnswer>("unpriced", (signal) => getJson<UnpricedAnswer>("/api/v1/pricing/unpriced", {}, signal));
  if (r.error) return <ErrorBox error={r.error} />;
  if (!r.data) return <Loading />;
  if (r.data.models.length === 0) return <p class="muted">Every model seen since this Loupe started has a price.</p>;
  return (
    <>
      <table class="small-table" data-testid="unpriced">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Model</th>
            <th class="num">Calls</th>
            <th class="num">With reported cost</th>
          </tr>
        </thead>
        <tbody>
          {r.data.models.map((m) => (
            <tr key={m.provider + m.model}>
              <td>{m.provider}</td>
              <td>
                <a href={href("/traces", { model: m.model, since: "30d" })}>{m.model}</a>
              </td>
              <td class="num">{formatInt(m.calls)}</td>
              <td class="num">{formatInt(m.reported_cost_calls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        Their cost is unknown (never counted as $0). Add a price in <code>loupe.yaml</code> under{" "}
        <code>pricing.overrides</code>, or import a LiteLLM price file with <code>loupe prices import</code>; check
        what a model string matches in <a href="/settings">Settings → Price lookup</a>.
      </p>
    </>
  );
}

export function CostPage() {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const resolved = useMemo(() => {
    const r = resolveRange(q.since, q.until, Date.now());
    if (!r) return null;
    const p = previousRange(r);
    return {
      cur: { since: iso(r.sinceMs), until: iso(r.untilMs) },
      prev: { since: iso(p.sinceMs), until: iso(p.untilMs) },
      step: chooseStep(r),
    };
  }, [q.since, q.until, loc]);

  const teamMeasures = "cost_usd,requests,unpriced_requests";
  return (
    <div class="page">
      <div class="page-head">
        <h1>Cost</h1>
        <TimeRangePicker since={q.since} until={q.until} onChange={(since, until) => navigate(href("/cost", { ...q, since, until }))} />
      </div>
      {!resolved && <div class="error-box" role="alert">The time range is not valid: since must be before until.</div>}
      {resolved && (
        <div class="cost-grid" data-testid="cost-page" data-since={resolved.cur.since} data-until={resolved.cur.until}>
          <Panel title="Spend by team">
            <Stats params={{ since: resolved.prev.since, until: resolved.prev.until, group_by: "team", measures: "cost_usd", limit: 1000 }}>
              {(prev) => (
                <Stats params={{ since: resolved.cur.since, until: resolved.cur.until, group_by: "team", measures: teamMeasures, order_by: "cost_usd", limit: 1000 }}>
                  {(cur) => {
                    const before = new Map(prev.groups.map((g) => [g.key.team ?? "", num(g, "cost_usd")]));
                    const total = cur.groups.reduce((s, g) => s + (num(g, "cost_usd") ?? 0), 0);
                    const totalPrev = prev.groups.reduce((s, g) => s + (num(g, "cost_usd") ?? 0), 0);
                    const unpriced = cur.groups.reduce((s, g) => s + (num(g, "unpriced_requests") ?? 0), 0);
                    return (
                      <>
                        <p class="headline" data-testid="total-spend" data-value={total}>
                          <a href={tracesHref(resolved.cur, {})}>{formatUsd(total)}</a>{" "}
                          <span class="muted">
                            {formatChange(total, totalPrev)} vs previous period ({formatUsd(totalPrev)})
                          </span>
                          {unpriced > 0 && <span class="warn"> · {formatInt(unpriced)} unpriced calls not included</span>}
                        </p>
                        <Bars groups={cur.groups} dim="team" measure="cost_usd" range={resolved.cur} previous={before} testid="spend-by-team" extra={(g) => `${formatInt(num(g, "requests"))} req`} />
                      </>
                    );
                  }}
                </Stats>
              )}
            </Stats>
          </Panel>
          <Panel title="Cost per request by feature">
            <Stats params={{ since: resolved.cur.since, until: resolved.cur.until, group_by: "feature", measures: "cost_per_request,requests,cost_usd", order_by: "cost_per_request", limit: 50 }}>
              {(a) => <Bars groups={a.groups} dim="feature" measure="cost_per_request" range={resolved.cur} testid="cost-per-request" extra={(g) => `${formatInt(num(g, "requests"))} req · ${formatUsd(num(g, "cost_usd"))}`} />}
            </Stats>
          </Panel>
          <Panel title="Spend over time by model">
            <SpendOverTime range={resolved.cur} step={resolved.step} />
          </Panel>
          <Panel title="Top users by spend">
            <TopBy dim="user" range={resolved.cur} />
          </Panel>
          <Panel title="Top sessions by spend">
            <TopBy dim="session" range={resolved.cur} />
          </Panel>
          <Panel title="Unpriced models">
            <Unpriced />
          </Panel>
        </div>
      )}
    </div>
  );
}
