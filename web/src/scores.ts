// Scores for people: which scale a score is on, whether it is low, and how
// a trace row's per-dimension means read in one short cell. Pure, so it is
// unit-tested (scores.test.ts).
import type { Score, ScoreRecord } from "./types";

/** Built-in evaluators score 1 = pass, 0 = flagged; judges and people 1..5. */
export function isBuiltin(evaluator: string): boolean {
  return evaluator.startsWith("builtin/") || evaluator.startsWith("external/");
}

/** The dimensions the built-in evaluators use (docs/evaluation.md). */
export const BUILTIN_DIMENSIONS = new Set(["json_valid", "json_schema", "policy", "completeness", "refusal", "pii"]);

/**
 * Low enough to catch the eye: a built-in flag (below 1), a judge's mean
 * below the scale's midpoint (3 of 1..5), a human thumbs-down.
 */
export function isLow(s: { evaluator: string; dimension: string; value: number }): boolean {
  if (s.dimension === "thumbs") return s.value < 0.5;
  if (isBuiltin(s.evaluator) || BUILTIN_DIMENSIONS.has(s.dimension)) return s.value < 1;
  return s.value < 3;
}

/** A mean with at most one decimal: 4 -> "4", 4.25 -> "4.3". */
export function formatScore(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return "—";
  const r = Math.round(v * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/** Order for display: people first, then judges, then built-in checks; by dimension within. */
function rank(evaluator: string): number {
  if (evaluator === "human") return 0;
  if (evaluator.startsWith("judge/")) return 1;
  return 2;
}

/** A trace row's scores, most telling first. */
export function sortScores<T extends { evaluator: string; dimension: string }>(scores: T[]): T[] {
  return scores.slice().sort((a, b) => rank(a.evaluator) - rank(b.evaluator) || a.dimension.localeCompare(b.dimension));
}

/**
 * What a trace row shows: judge and human scores, and built-in checks only
 * when they flagged something; passing checks are counted, not listed.
 */
export function rowScores(scores: Score[]): { shown: Score[]; passedChecks: number } {
  const shown: Score[] = [];
  let passedChecks = 0;
  for (const s of sortScores(scores)) {
    const check = isBuiltin(s.evaluator) || (BUILTIN_DIMENSIONS.has(s.dimension) && !s.evaluator.startsWith("judge/") && s.evaluator !== "human");
    if (check && !isLow({ evaluator: s.evaluator, dimension: s.dimension, value: s.mean })) passedChecks++;
    else shown.push(s);
  }
  return { shown, passedChecks };
}

/** One score of a row as "accuracy 4.5", a thumbs mean as "thumbs ▲ 100%". */
export function scoreText(s: Score): string {
  if (s.dimension === "thumbs") return `thumbs ${s.mean >= 0.5 ? "▲" : "▼"} ${Math.round(s.mean * 100)}%`;
  return `${s.dimension} ${formatScore(s.mean)}`;
}

/** How a stored score's value reads: a label, a thumb, or the number. */
export function valueText(s: ScoreRecord): string {
  if (s.dimension === "thumbs" && (s.label === "true" || s.label === "false")) return s.label === "true" ? "▲ up" : "▼ down";
  if (s.label && s.label !== "true" && s.label !== "false") return s.label;
  return formatScore(s.value);
}

/** Who gave the score: "judge claude-haiku-4-5", "human ana", "builtin/pii". */
export function scoreSourceText(s: ScoreRecord): string {
  if (s.source === "human") return s.author ? `human · ${s.author}` : "human";
  if (s.source === "judge") return [s.evaluator, s.judge_model].filter(Boolean).join(" · ");
  return s.evaluator;
}

/**
 * The latest version of each (span, evaluator, dimension) — the trace
 * detail carries every version so a forced re-run can be compared — with
 * the older versions attached.
 */
export function latestScores(scores: ScoreRecord[]): { latest: ScoreRecord; older: ScoreRecord[] }[] {
  const groups = new Map<string, ScoreRecord[]>();
  for (const s of scores) {
    const k = `${s.span_id ?? ""}|${s.evaluator}|${s.dimension}|${s.source === "human" ? s.created : ""}`;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const out: { latest: ScoreRecord; older: ScoreRecord[] }[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => b.version - a.version);
    out.push({ latest: g[0], older: g.slice(1) });
  }
  return out.sort(
    (a, b) =>
      rank(a.latest.evaluator) - rank(b.latest.evaluator) ||
      a.latest.dimension.localeCompare(b.latest.dimension) ||
      b.latest.created.localeCompare(a.latest.created),
  );
}

/** Label suggestions for the annotate form; a typed label is added to them. */
export const LABEL_SUGGESTIONS = ["correct", "partially_correct", "incorrect", "hallucination", "off_topic", "unsafe"];

export type HumanScoreKind = "thumbs" | "rating" | "label";

export interface HumanScoreInput {
  traceId: string;
  spanId?: string | null;
  kind: HumanScoreKind;
  name: string; // dimension; "thumbs" for thumbs
  thumbsUp?: boolean;
  rating?: number;
  label?: string;
  comment?: string;
  author?: string;
}

/**
 * The body for POST /api/v1/scores, or an error message naming what is
 * missing. Labels are categorical: the API stores the position in
 * `categories`, so the list is sent with the label in it.
 */
export function humanScoreBody(i: HumanScoreInput): { body: Record<string, unknown> } | { error: string } {
  const name = (i.kind === "thumbs" ? "thumbs" : i.name.trim()) || "";
  if (!/^[A-Za-z0-9_.\-/]{1,64}$/.test(name)) return { error: "The dimension needs 1-64 letters, digits or _ . - /" };
  const body: Record<string, unknown> = { trace_id: i.traceId, name, source: "human" };
  if (i.spanId) body.span_id = i.spanId;
  if (i.kind === "thumbs") {
    if (i.thumbsUp == null) return { error: "Choose thumbs up or down" };
    body.value = i.thumbsUp;
  } else if (i.kind === "rating") {
    if (i.rating == null || !Number.isInteger(i.rating) || i.rating < 1 || i.rating > 5) return { error: "Choose a rating from 1 to 5" };
    body.value = i.rating;
  } else {
    const label = (i.label ?? "").trim();
    if (!label) return { error: "Type or choose a label" };
    body.value = label;
    body.categories = LABEL_SUGGESTIONS.includes(label) ? LABEL_SUGGESTIONS : [...LABEL_SUGGESTIONS, label];
  }
  if (i.comment?.trim()) body.comment = i.comment.trim();
  if (i.author?.trim()) body.author = i.author.trim();
  return { body };
}
