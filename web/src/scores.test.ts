import { describe, expect, it } from "vitest";
import { formatScore, humanScoreBody, isLow, latestScores, rowScores, scoreText, valueText } from "./scores";
import type { ScoreRecord } from "./types";

const rec = (o: Partial<ScoreRecord>): ScoreRecord => ({
  trace_id: "t".repeat(32), span_id: "s1", evaluator: "judge/default", dimension: "accuracy", value: 4, label: null,
  reasoning: null, author: null, source: "judge", judge_model: null, judge_cost_usd: null, created: "2026-01-01T00:00:00Z", version: 1, ...o,
});

describe("scores", () => {
  it("knows each scale's low values", () => {
    expect(isLow({ evaluator: "judge/default", dimension: "accuracy", value: 2.9 })).toBe(true);
    expect(isLow({ evaluator: "judge/default", dimension: "accuracy", value: 3 })).toBe(false);
    expect(isLow({ evaluator: "builtin/pii", dimension: "pii", value: 0 })).toBe(true);
    expect(isLow({ evaluator: "builtin/pii", dimension: "pii", value: 1 })).toBe(false);
    expect(isLow({ evaluator: "completeness", dimension: "completeness", value: 0.5 })).toBe(true); // built-ins as the API names them
    expect(isLow({ evaluator: "human", dimension: "thumbs", value: 0 })).toBe(true);
    expect(isLow({ evaluator: "human", dimension: "thumbs", value: 1 })).toBe(false);
  });

  it("formats means with one decimal at most", () => {
    expect(formatScore(4)).toBe("4");
    expect(formatScore(4.25)).toBe("4.3");
    expect(formatScore(null)).toBe("—");
    expect(scoreText({ evaluator: "human", dimension: "thumbs", mean: 0.5, count: 2 })).toBe("thumbs ▲ 50%");
    expect(scoreText({ evaluator: "judge/default", dimension: "accuracy", mean: 1.8036, count: 56 })).toBe("accuracy 1.8");
  });

  it("rows list judge and human scores and only the checks that flagged", () => {
    const { shown, passedChecks } = rowScores([
      { evaluator: "pii", dimension: "pii", mean: 1, count: 1 },
      { evaluator: "builtin/completeness", dimension: "completeness", mean: 0, count: 1 },
      { evaluator: "judge/default", dimension: "relevance", mean: 4, count: 1 },
      { evaluator: "human", dimension: "quality", mean: 2, count: 1 },
    ]);
    expect(shown.map((s) => s.dimension)).toEqual(["quality", "relevance", "completeness"]);
    expect(passedChecks).toBe(1);
  });

  it("keeps the latest version of each score and the older ones beside it", () => {
    const g = latestScores([
      rec({ version: 1, value: 2 }),
      rec({ version: 2, value: 5 }),
      rec({ dimension: "safety", value: 5 }),
      rec({ source: "human", evaluator: "human", dimension: "thumbs", value: 1, label: "true", created: "2026-01-02T00:00:00Z" }),
    ]);
    expect(g.map((x) => [x.latest.dimension, x.latest.version, x.older.length])).toEqual([
      ["thumbs", 1, 0],
      ["accuracy", 2, 1],
      ["safety", 1, 0],
    ]);
    expect(valueText(g[0].latest)).toBe("▲ up");
    expect(valueText(rec({ label: "hallucination", value: 3 }))).toBe("hallucination");
  });

  it("builds the scores API body for each kind, or says what is missing", () => {
    const base = { traceId: "ab".repeat(16), spanId: "cd".repeat(8), name: "quality", comment: " too long ", author: "ana" };
    expect(humanScoreBody({ ...base, kind: "thumbs", thumbsUp: false })).toEqual({
      body: { trace_id: base.traceId, span_id: base.spanId, name: "thumbs", source: "human", value: false, comment: "too long", author: "ana" },
    });
    expect(humanScoreBody({ ...base, kind: "rating", rating: 4 })).toMatchObject({ body: { name: "quality", value: 4 } });
    expect(humanScoreBody({ ...base, kind: "rating" })).toEqual({ error: "Choose a rating from 1 to 5" });
    expect(humanScoreBody({ ...base, kind: "rating", rating: 6 })).toHaveProperty("error");
    expect(humanScoreBody({ ...base, kind: "thumbs" })).toHaveProperty("error");
    const label = humanScoreBody({ ...base, spanId: null, kind: "label", name: "category", label: "rude" });
    expect(label).toMatchObject({ body: { name: "category", value: "rude" } });
    expect("body" in label && label.body.categories).toContain("rude");
    expect("body" in label && "span_id" in label.body).toBe(false);
    expect(humanScoreBody({ ...base, kind: "label", label: "  " })).toHaveProperty("error");
    expect(humanScoreBody({ ...base, kind: "rating", rating: 3, name: "bad name!" })).toHaveProperty("error");
  });
});
