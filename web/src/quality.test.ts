import { describe, expect, it } from "vitest";
import { alertValueText, defaultPair, dimensionsOf, localLink, matchersFor, parseMatchers, scoreLines } from "./quality";
import type { StatsAnswer } from "./types";

describe("quality helpers", () => {
  it("compares the newest prompt version with the one before it, numbers as numbers", () => {
    expect(defaultPair(["v10", "v9", "v2"])).toEqual({ a: "v9", b: "v10" });
    expect(defaultPair(["v3", "v4"])).toEqual({ a: "v3", b: "v4" });
    expect(defaultPair(["v1"])).toBeNull();
  });

  it("lists judge dimensions before built-in checks", () => {
    const groups = [
      { key: { feature: "a" }, score_count: { pii: 3, accuracy: 2, relevance: 0 } },
      { key: { feature: "b" }, score_count: { safety: 1 } },
    ];
    expect(dimensionsOf(groups)).toEqual(["accuracy", "safety", "pii"]);
  });

  it("turns a stepped /stats answer into lines with gaps", () => {
    const a: StatsAnswer = {
      since: "", until: null, step_seconds: 3600,
      groups: [
        { key: { feature: "chat" }, series: [
          { start: "", start_time_unix_nano: 3600e9, score_avg: { accuracy: 4.5 } },
          { start: "", start_time_unix_nano: 7200e9, score_avg: {} },
        ] },
        { key: { feature: "idle" }, series: [
          { start: "", start_time_unix_nano: 3600e9, score_avg: {} },
          { start: "", start_time_unix_nano: 7200e9, score_avg: { safety: 5 } },
        ] },
      ],
    };
    expect(scoreLines(a, "accuracy", (g) => g.key.feature)).toEqual({ xs: [3600, 7200], lines: [{ label: "chat", values: [4.5, null] }] });
  });

  it("reads silence matchers and names a bad one", () => {
    expect(parseMatchers("alertname=LlmQualityRegression\nfeature = support_chat, model=~gpt-4o.*")).toEqual({
      matchers: ["alertname=LlmQualityRegression", "feature=support_chat", "model=~gpt-4o.*"],
    });
    expect(parseMatchers('team!="search"')).toEqual({ matchers: ["team!=search"] });
    expect(parseMatchers("")).toHaveProperty("error");
    const bad = parseMatchers("feature=chat\njust words");
    expect("error" in bad && bad.error).toMatch(/"just words" is not a matcher/);
  });

  it("silences one alert by its identifying labels", () => {
    expect(matchersFor({ alertname: "X", team: "t", severity: "page", feature: "f" })).toEqual(["alertname=X", "team=t", "feature=f"]);
  });

  it("opens this Loupe's own trace links in place", () => {
    expect(localLink("http://127.0.0.1:8080/traces?feature=a", "http://127.0.0.1:8080")).toBe("/traces?feature=a");
    expect(localLink("https://loupe.example.com/traces?feature=a", "http://127.0.0.1:8080")).toBe("/traces?feature=a");
    expect(localLink("https://grafana.example.com/d/x", "http://127.0.0.1:8080")).toBe("https://grafana.example.com/d/x");
  });

  it("shows an alert's value in its rule's unit", () => {
    const f = { usd: (x: number) => `$${x}`, s: (x: number) => `${x}s`, pct: (x: number) => `${x * 100}%` };
    expect(alertValueText("latency_regression", 4.2, f)).toBe("4.2s");
    expect(alertValueText("cost_spike", 3, f)).toBe("$3");
    expect(alertValueText("error_rate", 0.25, f)).toBe("25%");
    expect(alertValueText("quality_regression", 1.7567, f)).toBe("1.76");
    expect(alertValueText("", null, f)).toBe("—");
  });
});
