// Time ranges as the API takes them: `since`/`until` are either an age
// ("24h", "7d") or an absolute RFC 3339 time. The URL keeps what the user
// chose; pages that compare periods resolve it to absolute times once.

export const RELATIVE_CHOICES = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export const DEFAULT_SINCE = "24h";

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "1h30m" -> 5400000; null when `s` is not an age. */
export function parseAge(s: string): number | null {
  if (!/^(\d+[mhdw])+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)([mhdw])/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** A `since`/`until` value at time `nowMs`, as epoch milliseconds; null when unreadable. */
export function resolveTime(value: string | undefined | null, nowMs: number): number | null {
  if (!value || value === "now") return nowMs;
  const age = parseAge(value);
  if (age != null) return nowMs - age;
  if (/^\d{16,}$/.test(value)) return Number(value) / 1e6; // Unix nanoseconds
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

export interface AbsoluteRange {
  sinceMs: number;
  untilMs: number;
}

/** The range [since, until) at `nowMs`; until defaults to now, since to 24h. */
export function resolveRange(since: string | undefined, until: string | undefined, nowMs: number): AbsoluteRange | null {
  const s = resolveTime(since || DEFAULT_SINCE, nowMs);
  const u = resolveTime(until, nowMs);
  if (s == null || u == null || s >= u) return null;
  return { sinceMs: s, untilMs: u };
}

/** The period of the same length just before `r`. */
export function previousRange(r: AbsoluteRange): AbsoluteRange {
  const len = r.untilMs - r.sinceMs;
  return { sinceMs: r.sinceMs - len, untilMs: r.sinceMs };
}

/** Epoch milliseconds as the API's RFC 3339, to the second. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** A time-series step giving at most ~`points` points, in whole minutes the API accepts. */
export function chooseStep(r: AbsoluteRange, points = 60): string {
  const steps: [string, number][] = [
    ["1m", 1], ["5m", 5], ["15m", 15], ["30m", 30], ["1h", 60], ["3h", 180], ["6h", 360],
    ["12h", 720], ["1d", 1440], ["7d", 10080],
  ];
  const minutes = (r.untilMs - r.sinceMs) / 60_000;
  for (const [name, m] of steps) if (minutes / m <= points) return name;
  return "7d";
}

/** A value for <input type="datetime-local"> from epoch ms (local time). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Describes since/until for a label: "last 24h", or "06-15 10:00 → 06-15 12:00". */
export function describeRange(since: string | undefined, until: string | undefined): string {
  const s = since || DEFAULT_SINCE;
  if (parseAge(s) != null && !until) return `last ${s}`;
  const fmt = (v: string | undefined) => {
    if (!v || v === "now") return "now";
    const age = parseAge(v);
    if (age != null) return `${v} ago`;
    const t = resolveTime(v, Date.now());
    return t == null ? v : toLocalInput(t).replace("T", " ");
  };
  return `${fmt(s)} → ${fmt(until)}`;
}
