// Pure helpers of the Quality and Alerts pages: ordering prompt versions,
// choosing what to compare by default, turning /stats series into chart
// lines, and reading silence matchers. Unit-tested in quality.test.ts.
import type { StatsAnswer, StatsGroup } from "./types";
import { BUILTIN_DIMENSIONS } from "./scores";

/** "v2" < "v10" < "v10b": numbers inside names compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });
}

/** The versions to compare by default: the newest (b) against the one before it (a). */
export function defaultPair(versions: string[]): { a: string; b: string } | null {
  const v = versions.filter(Boolean).slice().sort(naturalCompare);
  if (v.length < 2) return null;
  return { a: v[v.length - 2], b: v[v.length - 1] };
}

/** Judge dimensions first (they are what the A/B view compares), built-in checks last. */
export function orderDimensions(dims: Iterable<string>): string[] {
  return [...new Set(dims)].sort((x, y) => Number(BUILTIN_DIMENSIONS.has(x)) - Number(BUILTIN_DIMENSIONS.has(y)) || x.localeCompare(y));
}

/** Every dimension with at least one score in an answer of /stats (score_count). */
export function dimensionsOf(groups: StatsGroup[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const c = g.score_count;
    if (c && typeof c === "object") for (const [d, n] of Object.entries(c as Record<string, number>)) if (n > 0) out.push(d);
  }
  return orderDimensions(out);
}

export interface Line {
  label: string;
  values: (number | null)[];
}

/**
 * One line per group of a stepped /stats answer: the mean score of
 * `dimension` at each step, null (a gap) where nothing was scored.
 */
export function scoreLines(answer: StatsAnswer, dim: string, keyOf: (g: StatsGroup) => string): { xs: number[]; lines: Line[] } {
  const withSeries = answer.groups.filter((g) => g.series && g.series.length > 0);
  const xs = (withSeries[0]?.series ?? []).map((p) => p.start_time_unix_nano / 1e9);
  const lines: Line[] = [];
  for (const g of withSeries) {
    const values = (g.series ?? []).map((p) => {
      const avg = p.score_avg as Record<string, number | null> | undefined;
      const v = avg && typeof avg === "object" ? avg[dim] : undefined;
      return typeof v === "number" ? v : null;
    });
    if (values.some((v) => v != null)) lines.push({ label: keyOf(g), values });
  }
  return { xs, lines };
}

/** A matcher the API accepts: name=value, name!=value, name=~regex, name!~regex. */
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** Silence matchers from a text box (one per line or comma-separated); errors name the bad line. */
export function parseMatchers(text: string): { matchers: string[] } | { error: string } {
  const parts = text
    .split(/\n|,(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=))/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: "A silence needs at least one matcher, e.g. alertname=LlmQualityRegression" };
  const out: string[] = [];
  for (const p of parts) {
    const m = MATCHER.exec(p);
    if (!m) return { error: `"${p}" is not a matcher: use name=value, name!=value, name=~regex or name!~regex` };
    let value = m[3];
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out.push(`${m[1]}${m[2]}${value}`);
  }
  return { matchers: out };
}

/** The matchers that silence exactly one alert's series, from its labels. */
export function matchersFor(labels: Record<string, string>): string[] {
  const keys = ["alertname", "team", "feature", "model", "prompt_version", "service", "environment", "user", "provider"];
  return keys.filter((k) => labels[k]).map((k) => `${k}=${labels[k]}`);
}

/**
 * An alert's generatorURL points at `server.external_url`; when it is this
 * Loupe's own traces page, the path is enough to open it here.
 */
export function localLink(url: string, origin: string): string {
  try {
    const u = new URL(url, origin);
    if (u.origin === origin || u.pathname.startsWith("/traces")) return u.pathname + u.search;
  } catch {
    // not a URL: shown as given
  }
  return url;
}

/** The value of a rule's kind as a person reads it: latency in seconds, cost in dollars, rates in percent. */
export function alertValueText(kind: string, v: number | null | undefined, format: { usd: (x: number) => string; s: (x: number) => string; pct: (x: number) => string }): string {
  if (v == null || !Number.isFinite(v)) return "—";
  if (/latency/.test(kind)) return format.s(v);
  if (/cost|budget/.test(kind)) return format.usd(v);
  if (/error/.test(kind)) return format.pct(v);
  return (Math.round(v * 100) / 100).toString();
}
