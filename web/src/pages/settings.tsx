// Settings (read-only): which catalog price a model string matches, and
// Loupe's own health from /readyz and /metrics (ingest rate, queue depth,
// disk use).
import { useEffect, useState } from "preact/hooks";
import { ApiError, fetchText, getJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { PriceVersion, Rates } from "../types";
import { formatBytes, formatInt, formatUsd } from "../format";
import { parseProm, ratePerSecond, sumOf, type Sample } from "../prom";
import { ErrorBox, Loading, Panel } from "../components/common";

interface PriceAnswer {
  model: string;
  provider_hint?: string;
  matched: boolean;
  why: string;
  entry: { key: string; provider: string; model: string; mode?: string; origin: string; prices: PriceVersion[] } | null;
  alternatives?: unknown[];
}

const RATE_NAMES: [keyof Rates, string][] = [
  ["input", "Input"],
  ["output", "Output"],
  ["cache_read", "Cache read"],
  ["cache_write_5m", "Cache write (5 min)"],
  ["cache_write_1h", "Cache write (1 h)"],
  ["reasoning", "Reasoning"],
];

function PriceLookup() {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const [model, setModel] = useState(q.model ?? "");
  const [provider, setProvider] = useState(q.provider ?? "");
  useEffect(() => setModel(q.model ?? ""), [q.model]);
  const params = { model: q.model, provider: q.provider };
  const r = useApi<PriceAnswer>(q.model ? JSON.stringify(params) : null, (signal) => getJson<PriceAnswer>("/api/v1/prices", params, signal));
  const e = r.data?.entry;
  return (
    <>
      <form
        class="filters"
        onSubmit={(ev) => {
          ev.preventDefault();
          navigate(href("/settings", { ...q, model, provider }), true);
        }}
      >
        <label class="wide">
          Model string
          <input name="model" value={model} placeholder="claude-sonnet-4-5-20250929" data-search onInput={(ev) => setModel((ev.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Provider (optional)
          <input name="provider" value={provider} placeholder="azure.ai.openai" onInput={(ev) => setProvider((ev.currentTarget as HTMLInputElement).value)} />
        </label>
        <div class="filter-actions">
          <button class="primary" type="submit">
            Look up
          </button>
        </div>
      </form>
      {r.error && <ErrorBox error={r.error} title="Price lookup" />}
      {r.loading && <Loading />}
      {r.data && (
        <div data-testid="price-result">
          <p>
            {r.data.matched ? (
              <>
                <strong>{r.data.model}</strong> matches <code>{e?.key}</code> ({e?.origin}).
              </>
            ) : (
              <span class="warn">
                No price for <strong>{r.data.model}</strong>.
              </span>
            )}{" "}
            <span class="muted">{r.data.why}</span>
          </p>
          {e &&
            e.prices.map((v, i) => (
              <table class="small-table" key={i}>
                <caption>
                  {v.effective_from ? `From ${v.effective_from}` : "Current prices"} (USD per million tokens)
                </caption>
                <tbody>
                  {RATE_NAMES.filter(([k]) => v.usd_per_mtok[k] != null).map(([k, name]) => (
                    <tr key={k}>
                      <th scope="row">{name}</th>
                      <td class="num">{formatUsd(v.usd_per_mtok[k])}</td>
                    </tr>
                  ))}
                  {v.above.map((t) => (
                    <tr key={t.above_tokens}>
                      <th scope="row">Above {formatInt(t.above_tokens)} tokens</th>
                      <td class="num">
                        in {formatUsd(t.usd_per_mtok.input)} / out {formatUsd(t.usd_per_mtok.output)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          {!r.data.matched && (
            <p class="hint">
              Add it under <code>pricing.overrides</code> in <code>loupe.yaml</code> (see docs/configuration.md) or import a
              LiteLLM price file with <code>loupe prices import</code>.
            </p>
          )}
        </div>
      )}
    </>
  );
}

interface Scrape {
  at: number;
  samples: Sample[];
}

function Health() {
  const [ready, setReady] = useState<{ ok: boolean; text: string } | null>(null);
  const [scrapes, setScrapes] = useState<Scrape[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const text = await fetchText("/readyz");
        if (!stop) setReady({ ok: true, text: text.trim() });
      } catch (e) {
        if (!stop) setReady({ ok: false, text: (e as ApiError).message });
      }
      try {
        const text = await fetchText("/metrics");
        if (!stop) {
          setScrapes((s) => [...s.slice(-1), { at: Date.now(), samples: parseProm(text) }]);
          setError(null);
        }
      } catch (e) {
        if (!stop) setError(e as ApiError);
      }
    };
    tick();
    const t = setInterval(tick, 3000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, []);
  const last = scrapes[scrapes.length - 1]?.samples ?? [];
  const rate = (name: string) =>
    scrapes.length < 2 ? null : ratePerSecond(sumOf(scrapes[0].samples, name), sumOf(last, name), (scrapes[1].at - scrapes[0].at) / 1000);
  const spanRate = rate("loupe_pipeline_accepted_spans_total");
  const rows: [string, string][] = [
    ["Ready", ready ? (ready.ok ? "yes" : `no: ${ready.text}`) : "…"],
    ["Ingest rate", spanRate == null ? "measuring…" : `${spanRate.toFixed(1)} spans/s`],
    ["Spans accepted (total)", formatInt(sumOf(last, "loupe_pipeline_accepted_spans_total"))],
    ["Spans refused (total)", formatInt(sumOf(last, "loupe_pipeline_refused_spans_total"))],
    [
      "Ingest queue",
      `${formatInt(sumOf(last, "loupe_pipeline_queue_batches"))} of ${formatInt(sumOf(last, "loupe_pipeline_queue_capacity_batches"))} batches, ${formatBytes(sumOf(last, "loupe_pipeline_queue_bytes"))}`,
    ],
    ["Store: batches waiting to be indexed", formatInt(sumOf(last, "loupe_store_pending_batches"))],
    ["Store: indexer lag", `${sumOf(last, "loupe_store_indexer_lag_seconds") ?? "—"} s`],
    ["Disk use", formatBytes(sumOf(last, "loupe_store_disk_bytes"))],
    ["Unpriced calls (total)", formatInt(sumOf(last, "ai_unpriced_calls_total"))],
  ];
  return (
    <>
      {error && <ErrorBox error={error} title="/metrics" />}
      <table class="small-table" data-testid="health">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td class="num">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        From <a href="/readyz">/readyz</a> and <a href="/metrics">/metrics</a>, refreshed every 3 s.
      </p>
    </>
  );
}

export function SettingsPage() {
  return (
    <div class="page">
      <div class="page-head">
        <h1>Settings</h1>
      </div>
      <div class="cost-grid">
        <Panel title="Price lookup">
          <PriceLookup />
        </Panel>
        <Panel title="Health">
          <Health />
        </Panel>
      </div>
    </div>
  );
}
