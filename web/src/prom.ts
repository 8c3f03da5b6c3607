// Reads Prometheus text exposition (Loupe's own /metrics) into samples,
// enough for the health panel: names, labels, values. Pure; tested in
// prom.test.ts.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseProm(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) {
      for (const l of m[3].matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    const v = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    out.push({ name: m[1], labels, value: v });
  }
  return out;
}

/** The sum of every sample called `name` (over all label sets); null when there is none. */
export function sumOf(samples: Sample[], name: string, where: Record<string, string> = {}): number | null {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(where).some(([k, v]) => s.labels[k] !== v)) continue;
    found = true;
    total += s.value;
  }
  return found ? total : null;
}

/** Per-second increase of a counter between two scrapes `seconds` apart. */
export function ratePerSecond(before: number | null, after: number | null, seconds: number): number | null {
  if (before == null || after == null || seconds <= 0) return null;
  if (after < before) return null; // restarted
  return (after - before) / seconds;
}
