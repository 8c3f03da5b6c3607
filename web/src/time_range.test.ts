import { describe, expect, it } from "vitest";
import { chooseStep, iso, parseAge, previousRange, resolveRange, resolveTime } from "./time_range";

const NOW = Date.parse("2025-06-15T12:00:00Z");

describe("time ranges", () => {
  it("parses ages like the API does", () => {
    expect(parseAge("90m")).toBe(90 * 60_000);
    expect(parseAge("1h30m")).toBe(90 * 60_000);
    expect(parseAge("2w")).toBe(14 * 86_400_000);
    expect(parseAge("soon")).toBeNull();
  });
  it("resolves relative and absolute times", () => {
    expect(resolveTime("24h", NOW)).toBe(NOW - 86_400_000);
    expect(resolveTime("2025-06-15T10:00:00Z", NOW)).toBe(Date.parse("2025-06-15T10:00:00Z"));
    expect(resolveTime(undefined, NOW)).toBe(NOW);
    expect(resolveTime("garbage", NOW)).toBeNull();
  });
  it("defaults to the last 24 hours and finds the previous period", () => {
    const r = resolveRange(undefined, undefined, NOW)!;
    expect(iso(r.sinceMs)).toBe("2025-06-14T12:00:00Z");
    const p = previousRange(r);
    expect(iso(p.sinceMs)).toBe("2025-06-13T12:00:00Z");
    expect(p.untilMs).toBe(r.sinceMs);
    expect(resolveRange("1h", "2h", NOW)).toBeNull();
  });
  it("picks a step the API accepts", () => {
    expect(chooseStep({ sinceMs: NOW - 3_600_000, untilMs: NOW })).toBe("1m");
    expect(chooseStep({ sinceMs: NOW - 86_400_000, untilMs: NOW })).toBe("30m");
    expect(chooseStep({ sinceMs: NOW - 7 * 86_400_000, untilMs: NOW })).toBe("3h");
  });
});
