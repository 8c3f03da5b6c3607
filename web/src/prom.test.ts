import { describe, expect, it } from "vitest";
import { parseProm, ratePerSecond, sumOf } from "./prom";

const TEXT = `# HELP loupe_pipeline_accepted_spans_total Spans accepted.
# TYPE loupe_pipeline_accepted_spans_total counter
loupe_pipeline_accepted_spans_total 5156
loupe_store_disk_bytes{kind="days"} 1048576
loupe_store_disk_bytes{kind="wal"} 2048
loupe_http_responses_total{server="api",code="200"} 12
loupe_http_responses_total{server="api",code="404"} 3
weird{label="a \\"quoted\\" value"} +Inf
`;

describe("parseProm", () => {
  const s = parseProm(TEXT);
  it("reads names, labels and values and skips comments", () => {
    expect(s).toHaveLength(6);
    expect(s[0]).toEqual({ name: "loupe_pipeline_accepted_spans_total", labels: {}, value: 5156 });
    expect(s[1].labels).toEqual({ kind: "days" });
    expect(s[5].labels.label).toBe('a "quoted" value');
    expect(s[5].value).toBe(Infinity);
  });
  it("sums over label sets, optionally filtered", () => {
    expect(sumOf(s, "loupe_store_disk_bytes")).toBe(1050624);
    expect(sumOf(s, "loupe_http_responses_total", { code: "404" })).toBe(3);
    expect(sumOf(s, "absent")).toBeNull();
  });
  it("computes a rate and refuses a counter reset", () => {
    expect(ratePerSecond(100, 160, 2)).toBe(30);
    expect(ratePerSecond(160, 10, 2)).toBeNull();
    expect(ratePerSecond(null, 10, 2)).toBeNull();
  });
});
