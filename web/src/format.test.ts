import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatChange,
  formatDuration,
  formatInt,
  formatNanos,
  formatPercent,
  formatTokens,
  formatUsd,
  NONE,
} from "./format";

describe("formatUsd", () => {
  it("shows unknown cost as a dash, not $0", () => {
    expect(formatUsd(null)).toBe(NONE);
    expect(formatUsd(undefined)).toBe(NONE);
    expect(formatUsd(Number.NaN)).toBe(NONE);
  });
  it("shows zero as $0.00", () => expect(formatUsd(0)).toBe("$0.00"));
  it("rounds dollars to cents with separators", () => {
    expect(formatUsd(15)).toBe("$15.00");
    expect(formatUsd(1234.567)).toBe("$1,234.57");
  });
  it("keeps cents and sub-cents readable", () => {
    expect(formatUsd(0.5)).toBe("$0.50");
    expect(formatUsd(0.0123)).toBe("$0.0123");
    expect(formatUsd(0.0075)).toBe("$0.0075");
    expect(formatUsd(0.0045)).toBe("$0.0045");
    expect(formatUsd(0.000012)).toBe("$0.000012");
    expect(formatUsd(0.00001234)).toBe("$0.000012");
  });
  it("keeps the sign", () => expect(formatUsd(-2.5)).toBe("-$2.50"));
  it("reads nano-dollars", () => {
    expect(formatNanos(4_500_000)).toBe("$0.0045");
    expect(formatNanos(15_000_000_000)).toBe("$15.00");
    expect(formatNanos(null)).toBe(NONE);
  });
});

describe("formatTokens", () => {
  it("is exact below a thousand", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(999)).toBe("999");
  });
  it("is compact above", () => {
    expect(formatTokens(1000)).toBe("1k");
    expect(formatTokens(1830)).toBe("1.8k");
    expect(formatTokens(12_345)).toBe("12k");
    expect(formatTokens(3_400_000)).toBe("3.4M");
    expect(formatTokens(2_000_000_000)).toBe("2B");
  });
  it("shows a missing count as a dash", () => expect(formatTokens(null)).toBe(NONE));
  it("formats whole numbers with separators", () => expect(formatInt(1234567)).toBe("1,234,567"));
});

describe("formatDuration", () => {
  it("uses microseconds below a millisecond", () => expect(formatDuration(0.45)).toBe("450 µs"));
  it("uses milliseconds below a second", () => {
    expect(formatDuration(812.5)).toBe("813 ms");
    expect(formatDuration(2.25)).toBe("2.3 ms");
    expect(formatDuration(5)).toBe("5 ms");
  });
  it("uses seconds below a minute", () => {
    expect(formatDuration(1250)).toBe("1.25 s");
    expect(formatDuration(2000)).toBe("2 s");
  });
  it("uses minutes and hours above", () => {
    expect(formatDuration(125_000)).toBe("2m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
  });
  it("shows a missing duration as a dash", () => expect(formatDuration(null)).toBe(NONE));
});

describe("formatChange and formatPercent", () => {
  it("compares against the previous period", () => {
    expect(formatChange(120, 100)).toBe("+20%");
    expect(formatChange(96.5, 100)).toBe("-3.5%");
    expect(formatChange(100, 100)).toBe("0%");
    expect(formatChange(5, 0)).toBe("new");
    expect(formatChange(5, null)).toBe("new");
    expect(formatChange(null, 5)).toBe(NONE);
  });
  it("formats shares", () => {
    expect(formatPercent(0.025)).toBe("2.5%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(null)).toBe(NONE);
  });
  it("formats bytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MiB");
  });
});
