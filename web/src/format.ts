// Number formatting for people: money, tokens, durations, times. Pure, so
// it is unit-tested (format.test.ts). A missing value is shown as an em
// dash, never as 0: an unpriced call's cost is unknown, not free.

export const NONE = "—";

const intFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole number with thousands separators: 1234567 -> "1,234,567". */
export function formatInt(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NONE;
  return intFmt.format(Math.round(n));
}

/**
 * US dollars. Large amounts get cents; small ones keep two significant
 * digits so a $0.000012 call does not read as $0.00.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd == null || !Number.isFinite(usd)) return NONE;
  if (usd === 0) return "$0.00";
  const sign = usd < 0 ? "-" : "";
  const a = Math.abs(usd);
  let body: string;
  if (a >= 1) {
    body = a.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } else if (a >= 0.01) {
    body = trimZeros(a.toFixed(4), 2);
  } else {
    // Two significant digits: 0.0045, 0.000012.
    const digits = Math.min(12, 1 - Math.floor(Math.log10(a)));
    body = trimZeros(a.toFixed(digits), 2);
  }
  return `${sign}$${body}`;
}

/** Nano-dollars (integer, 1e-9 USD) as dollars. */
export function formatNanos(nanos: number | null | undefined): string {
  if (nanos == null) return NONE;
  return formatUsd(nanos / 1e9);
}

// "0.0100" -> "0.01" but never fewer than `min` decimals.
function trimZeros(s: string, min: number): string {
  const dot = s.indexOf(".");
  if (dot < 0) return s;
  let end = s.length;
  while (end > dot + 1 + min && s[end - 1] === "0") end--;
  if (end === dot + 1) end = dot; // "2." -> "2"
  return s.slice(0, end);
}

/** Token counts, compact: 950, 1.2k, 12k, 3.4M. */
export function formatTokens(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NONE;
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return compact(n / 1e3) + "k";
  if (a < 1e9) return compact(n / 1e6) + "M";
  return compact(n / 1e9) + "B";
}

function compact(x: number): string {
  const a = Math.abs(x);
  // 1.2k, 12k, 123k: at most three significant digits, no trailing ".0".
  const s = a < 10 ? x.toFixed(1) : x.toFixed(0);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Milliseconds: 450 µs, 812 ms, 1.25 s, 2m 05s, 1h 02m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return NONE;
  if (ms < 0) return "-" + formatDuration(-ms);
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? trimZeros(ms.toFixed(1), 0) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${trimZeros(s.toFixed(2), 0)} s`;
  const totalS = Math.round(s);
  if (totalS < 3600) return `${Math.floor(totalS / 60)}m ${pad2(totalS % 60)}s`;
  const totalM = Math.round(totalS / 60);
  return `${Math.floor(totalM / 60)}h ${pad2(totalM % 60)}m`;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** Relative change of `now` against `before`: "+12%", "-3.5%", "new", "—". */
export function formatChange(now: number | null | undefined, before: number | null | undefined): string {
  if (now == null) return NONE;
  if (before == null || before === 0) return now === 0 ? "0%" : "new";
  const pct = ((now - before) / Math.abs(before)) * 100;
  const a = Math.abs(pct);
  const body = a < 10 ? trimZeros(a.toFixed(1), 0) : Math.round(a).toString();
  if (body === "0") return "0%";
  return `${pct > 0 ? "+" : "-"}${body}%`;
}

/** A share in [0, 1] as a percentage: 0.025 -> "2.5%". */
export function formatPercent(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return NONE;
  const p = x * 100;
  return `${p < 10 ? trimZeros(p.toFixed(1), 0) : Math.round(p)}%`;
}

/** Bytes: 512 B, 1.5 KiB, 20 MiB. */
export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NONE;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${compact(v)} ${units[i]}`;
}

/** A local date and time to the second, sortable: "2025-06-15 17:06:00". */
export function formatTime(unixNanosOrIso: number | string | null | undefined): string {
  if (unixNanosOrIso == null) return NONE;
  const d =
    typeof unixNanosOrIso === "number" ? new Date(unixNanosOrIso / 1e6) : new Date(unixNanosOrIso);
  if (Number.isNaN(d.getTime())) return NONE;
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}
