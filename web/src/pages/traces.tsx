// Traces: search with every filter in the URL, a sortable virtualized
// table, and paging through next_cursor (more rows load as you scroll).
// Filters the API does not support yet are still sent, so its 400 says so.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, getJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { TracePage, TraceRow } from "../types";
import { formatDuration, formatTime, formatTokens, formatUsd } from "../format";
import { formatScore, isLow, rowScores, scoreText } from "../scores";
import type { Score } from "../types";

function RowScores({ scores }: { scores: Score[] }) {
  const { shown, passedChecks } = rowScores(scores);
  return (
    <>
      {shown.map((s) => (
        <span
          key={s.evaluator + s.dimension}
          class={`score-chip${s.evaluator === "human" ? " human" : ""}${isLow({ evaluator: s.evaluator, dimension: s.dimension, value: s.mean }) ? " low" : ""}`}
          title={`${s.evaluator}: ${s.dimension} ${formatScore(s.mean)} (${s.count} score${s.count === 1 ? "" : "s"})`}
        >
          {scoreText(s)}
        </span>
      ))}
      {passedChecks > 0 && <span class="score-chip check">{passedChecks} checks ✓</span>}
    </>
  );
}
import { DEFAULT_SINCE, describeRange } from "../time_range";
import { EmptyState, ErrorBox, Loading } from "../components/common";
import { TimeRangePicker } from "../components/time_range_picker";
import { VirtualList } from "../components/virtual_list";

/** Filter fields, in form order: [URL/API parameter, label, placeholder]. */
export const TRACE_FILTERS: [string, string, string][] = [
  ["q", "Search", 'words, "a phrase", pre*'],
  ["service", "Service", ""],
  ["team", "Team", ""],
  ["feature", "Feature", ""],
  ["model", "Model", ""],
  ["prompt_version", "Prompt version", ""],
  ["user", "User", ""],
  ["session", "Session", ""],
  ["min_cost_usd", "Min cost (USD)", "0.01"],
  ["min_duration_ms", "Min duration (ms)", "1000"],
  ["score_below", "Score below", "accuracy:3"],
];
const API_KEYS = ["since", "until", "status", ...TRACE_FILTERS.map((f) => f[0])];
const PAGE = 200; // first page: shown fast
const NEXT_PAGE = 1000; // later pages, fetched while scrolling: fewer round trips

type SortKey = "start" | "root_name" | "duration_ms" | "llm_calls" | "tokens" | "cost_usd" | "status";
const COLUMNS: [SortKey | null, string, string][] = [
  ["start", "Start", "c-start"],
  ["root_name", "Root span", "c-name"],
  ["duration_ms", "Duration", "c-num"],
  ["llm_calls", "LLM calls", "c-num"],
  ["tokens", "Tokens", "c-num"],
  ["cost_usd", "Cost", "c-num"],
  [null, "Scores", "c-scores"],
  ["status", "Status", "c-status"],
];

export function apiParams(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of API_KEYS) if (query[k]) out[k] = query[k];
  if (!out.since) out.since = DEFAULT_SINCE;
  return out;
}

function sortRows(rows: TraceRow[], key: SortKey, desc: boolean): TraceRow[] {
  const val = (r: TraceRow): number | string => (key === "start" ? r.start_time_unix_nano : (r[key] as number | string));
  const out = rows.slice();
  out.sort((a, b) => {
    const x = val(a);
    const y = val(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
  return out;
}

function FilterForm({ query }: { query: Record<string, string> }) {
  const [draft, setDraft] = useState<Record<string, string>>(query);
  useEffect(() => setDraft(query), [JSON.stringify(query)]);
  const submit = (e: Event) => {
    e.preventDefault();
    navigate(href("/traces", { ...query, ...draft }));
  };
  const set = (k: string, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  return (
    <form class="filters" onSubmit={submit} aria-label="Trace filters">
      {TRACE_FILTERS.map(([k, label, ph]) => (
        <label key={k} class={k === "q" ? "wide" : ""}>
          {label}
          <input
            name={k}
            value={draft[k] ?? ""}
            placeholder={ph}
            data-search={k === "q" ? "" : undefined}
            inputMode={k.startsWith("min_") ? "decimal" : undefined}
            onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      ))}
      <label>
        Status
        <select name="status" value={draft.status ?? ""} onChange={(e) => set("status", (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
        </select>
      </label>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Search
        </button>
        <a class="button ghost" href={href("/traces", { since: query.since, until: query.until })}>
          Clear
        </a>
      </div>
    </form>
  );
}

export function TracesPage() {
  const loc = useLocation();
  const query = queryRecord(loc.query);
  const params = apiParams(query);
  const key = JSON.stringify(params);
  const first = useApi<TracePage>(key, (signal) => getJson<TracePage>("/api/v1/traces", { ...params, limit: PAGE }, signal));
  const [rows, setRows] = useState<TraceRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ loading: boolean; error: ApiError | null }>({ loading: false, error: null });
  const loadingMore = useRef(false);

  useEffect(() => {
    setRows(first.data?.traces ?? []);
    setCursor(first.data?.next_cursor ?? null);
    setMore({ loading: false, error: null });
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    setMore({ loading: true, error: null });
    try {
      const page = await getJson<TracePage>("/api/v1/traces", { ...params, limit: NEXT_PAGE, cursor });
      setRows((r) => r.concat(page.traces));
      setCursor(page.next_cursor);
      setMore({ loading: false, error: null });
    } catch (e) {
      setMore({ loading: false, error: e as ApiError });
    } finally {
      loadingMore.current = false;
    }
  };

  const sort = (query.sort as SortKey) || "start";
  const desc = query.dir !== "asc";
  const sorted = sort === "start" && desc ? rows : sortRows(rows, sort, desc);
  const filtered = Object.keys(params).some((k) => k !== "since" && k !== "until");

  const sortHref = (k: SortKey) => href("/traces", { ...query, sort: k, dir: sort === k && desc ? "asc" : "desc" });

  return (
    <div class="page">
      <div class="page-head">
        <h1>Traces</h1>
        <TimeRangePicker
          since={query.since}
          until={query.until}
          onChange={(since, until) => navigate(href("/traces", { ...query, since, until }))}
        />
      </div>
      <FilterForm query={query} />
      {first.error && <ErrorBox error={first.error} title="Trace search" />}
      {first.loading && rows.length === 0 && <Loading what="Searching traces" />}
      {first.data && rows.length === 0 && !first.loading && (filtered ? (
        <p class="muted" data-testid="no-match">
          No trace in {describeRange(params.since, params.until)} matches these filters.
        </p>
      ) : <EmptyState />)}
      {rows.length > 0 && (
        <div class="table traces-table" data-testid="traces-table">
          <div class="thead" role="row">
            {COLUMNS.map(([k, label, cls]) => (
              <div key={label} class={cls} role="columnheader" aria-sort={k && sort === k ? (desc ? "descending" : "ascending") : undefined}>
                {k ? (
                  <a href={sortHref(k)}>
                    {label}
                    {sort === k ? (desc ? " ▾" : " ▴") : ""}
                  </a>
                ) : (
                  label
                )}
              </div>
            ))}
          </div>
          <VirtualList
            items={sorted}
            rowHeight={34}
            height="calc(100vh - 330px)"
            label="Traces"
            role="rowgroup"
            onNearEnd={cursor ? loadMore : undefined}
            render={(t) => (
              <a class={`trow${t.status === "error" ? " is-error" : ""}`} href={`/traces/${t.trace_id}`} data-trace-id={t.trace_id}>
                <span class="c-start">{formatTime(t.start_time_unix_nano)}</span>
                <span class="c-name" title={`${t.service} · ${t.root_name}`}>
                  <span class="muted">{t.service}</span> {t.root_name}
                </span>
                <span class="c-num">{formatDuration(t.duration_ms)}</span>
                <span class="c-num">{t.llm_calls}</span>
                <span class="c-num">{formatTokens(t.tokens)}</span>
                <span class="c-num">{t.llm_calls > 0 ? formatUsd(t.cost_usd) : "—"}</span>
                <span class="c-scores" title={t.scores?.map((s) => `${s.evaluator} ${s.dimension}: ${formatScore(s.mean)} (${s.count})`).join("\n")}>
                  <RowScores scores={t.scores ?? []} />
                </span>
                <span class={`c-status status-${t.status}`}>{t.status}</span>
              </a>
            )}
          />
          <div class="table-foot muted">
            {rows.length.toLocaleString("en-US")} traces loaded{cursor ? "; scroll for more" : ", all of them"}
            {cursor && (
              <button type="button" class="ghost" onClick={loadMore} disabled={more.loading}>
                {more.loading ? "Loading…" : "Load more"}
              </button>
            )}
          </div>
          {more.error && <ErrorBox error={more.error} title="Next page" />}
        </div>
      )}
    </div>
  );
}
