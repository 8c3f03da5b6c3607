// Shapes of the API's answers (docs/api.md), as far as the UI reads them.

/** A trace row's per-dimension summary (latest version of each score). */
export interface Score {
  evaluator: string;
  dimension: string;
  mean: number;
  count: number;
}

/** One stored score (GET /api/v1/scores, trace detail "scores"). */
export interface ScoreRecord {
  trace_id: string;
  span_id: string | null;
  evaluator: string; // "judge/<rubric>", "builtin/<name>", "human", "external/<name>"
  dimension: string;
  value: number;
  label: string | null;
  reasoning: string | null; // a human score's comment is stored here
  author: string | null;
  source: "judge" | "builtin" | "human" | string;
  judge_model: string | null;
  judge_cost_usd: number | null;
  created: string;
  version: number;
  [k: string]: unknown;
}

export interface ScoresAnswer {
  scores: ScoreRecord[];
  next_cursor: string | null;
}

export interface CompareVersion {
  prompt_version: string;
  count: number;
  mean: number | null;
  stddev: number | null;
  ci95: [number, number] | null;
  requests: number;
  cost_per_request_usd: number | null;
  tokens_per_request: number | null;
  unpriced_requests: number;
}

export interface CompareAnswer {
  feature: string;
  dimension: string;
  evaluator: string;
  since: string;
  until: string;
  versions: CompareVersion[];
  difference: {
    mean_b_minus_a: number | null;
    test: string;
    t: number | null;
    df: number | null;
    p_value: number | null;
    alpha: number;
    significant: boolean;
  };
  verdict: string;
}

export interface EvaluationTask {
  id: number;
  trace_id: string;
  span_id: string;
  evaluator: string;
  run: string;
  state: "pending" | "done" | "failed" | "skipped" | string;
  attempts: number;
  reason: string;
  error: string;
  raw_answer: string;
  due: string;
  enqueued: string;
  finished: string;
}

export interface EvalQueue {
  pending: number;
  done: number;
  failed: number;
  skipped: number;
  oldest_pending_due?: string;
}

export interface EvaluationsAnswer {
  queue: EvalQueue;
  evaluations: EvaluationTask[];
}

export interface EvalStatus {
  enabled: boolean;
  started?: boolean;
  paused?: boolean;
  paused_reason?: string;
  resumes_at?: string;
  budget?: { day: string; daily_usd: number; spent_today_usd: number; remaining_usd: number };
  queue?: EvalQueue;
  intake_buffered?: number;
  skipped?: { backlog: number; budget: number };
  workers?: { busy: number; concurrency: number };
  judge?: { provider: string; model: string; base_url: string };
  canary?: { ran: boolean; passed: boolean; detail: string };
  last_error?: string;
}

export interface Alert {
  fingerprint: string;
  rule: string;
  state: "inactive" | "pending" | "firing" | "resolved" | string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  summary: string;
  value: number;
  baseline: number;
  threshold: number;
  activeAt: string | null;
  firedAt: string | null;
  resolvedAt: string | null;
  lastActiveAt?: string | null;
  lastEvaluation: string | null;
  generatorURL: string;
  examples: { slowest: string; mostExpensive: string; lowestScored: string };
  silenced: boolean;
}

export interface AlertsAnswer {
  alerts: Alert[];
  history: Alert[];
  historyError?: string;
}

export interface AlertRule {
  name: string;
  kind: string;
  group_by: string[];
  filters: Record<string, string>;
  window_seconds: number;
  baseline: string;
  for_seconds: number;
  min_samples: number;
  severity: string;
  health: "ok" | "err" | "unknown" | string;
  lastError: string;
  lastEvaluation: string | null;
  evaluationTime: number;
  groups: number;
  pending: number;
  firing: number;
  [k: string]: unknown;
}

export interface Silence {
  id: string;
  matchers: string[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: "pending" | "active" | "expired" | string };
}

export interface TraceRow {
  trace_id: string;
  root_name: string;
  service: string;
  start: string;
  start_time_unix_nano: number;
  duration_ms: number;
  spans: number;
  llm_calls: number;
  tokens: number;
  cost_nanos: number;
  cost_usd: number;
  status: "ok" | "error";
  scores: Score[];
}

export interface TracePage {
  traces: TraceRow[];
  next_cursor: string | null;
}

export interface Part {
  type: string;
  content?: string;
  id?: string;
  name?: string;
  arguments?: string;
  response?: string;
  mime_type?: string;
  // Some instrumentations send structured values; the UI shows them as JSON.
  [k: string]: unknown;
}

export interface Message {
  role: string;
  parts: Part[];
  name?: string;
  finish_reason?: string;
}

export interface Tokens {
  input: number | null;
  cache_read: number | null;
  cache_write: number | null;
  output: number | null;
  reasoning: number | null;
  total: number | null;
}

export interface Cost {
  source: "catalog" | "reported" | "unknown" | string;
  total_nanos: number | null;
  total_usd: number | null;
  catalog_nanos: number | null;
  reported_nanos: number | null;
  input_nanos: number;
  cache_read_nanos: number;
  cache_write_nanos: number;
  output_nanos: number;
  reasoning_nanos: number;
  price_entry: string;
  price_match: string;
  price_tier: string;
}

export interface Rates {
  input?: number;
  output?: number;
  cache_read?: number;
  cache_write_5m?: number;
  cache_write_1h?: number;
  reasoning?: number;
}

export interface PriceVersion {
  effective_from?: string;
  usd_per_mtok: Rates;
  above: { above_tokens: number; usd_per_mtok: Rates }[];
  service_tiers?: Record<string, { usd_per_mtok: Rates }>;
}

export interface PriceUsed {
  key: string;
  provider?: string;
  model?: string;
  origin?: string;
  match?: string;
  tier?: string;
  in_catalog: boolean;
  version?: PriceVersion | null;
}

export interface LlmCall {
  provider: string;
  request_model: string;
  response_model: string;
  operation: string;
  dialect: string;
  service_tier?: string;
  counts_usage: boolean;
  tokens: Tokens;
  cost: Cost;
  team: string;
  feature: string;
  user: string;
  session: string;
  prompt_name: string;
  prompt_version: string;
  environment: string;
  finish_reasons: string[];
  error_type: string;
  time_to_first_token_ms: number | null;
  system_instructions: Part[];
  input_messages: Message[];
  output_messages: Message[];
  price?: PriceUsed | null;
}

export type AttrValue = string | number | boolean | null | AttrValue[] | { [k: string]: AttrValue };

export interface SpanEvent {
  time_unix_nano: number;
  name: string;
  attributes: Record<string, AttrValue>;
}

export interface SpanJson {
  span_id: string;
  parent_span_id: string | null;
  depth: number;
  name: string;
  kind: string;
  service: string;
  start: string;
  start_time_unix_nano: number;
  end_time_unix_nano: number;
  duration_ms: number;
  status: { code: string; message: string };
  attributes: Record<string, AttrValue>;
  resource: Record<string, AttrValue>;
  scope: { name: string; version: string };
  events: SpanEvent[];
  links: { trace_id: string; span_id: string; attributes: Record<string, AttrValue> }[];
  llm_call: LlmCall | null;
}

export interface TraceDetail {
  trace_id: string;
  start: string;
  duration_ms: number;
  totals: {
    spans: number;
    llm_calls: number;
    tokens: number;
    cost_nanos: number;
    cost_usd: number;
    unpriced_calls: number;
    error_spans: number;
  };
  spans: SpanJson[];
  logs: { time_unix_nano: number; event_name: string; severity_text: string; span_id: string | null; body: AttrValue; attributes: Record<string, AttrValue> }[];
  scores: ScoreRecord[];
}

export interface StatsPoint {
  start: string;
  start_time_unix_nano: number;
  // score_avg / score_count are objects keyed by dimension.
  [measure: string]: number | string | null | Record<string, number | null>;
}

export interface StatsGroup {
  key: Record<string, string>;
  series?: StatsPoint[];
  [measure: string]: unknown;
}

export interface StatsAnswer {
  since: string;
  until: string | null;
  step_seconds?: number;
  groups: StatsGroup[];
}

export interface SessionRow {
  session_id: string;
  users?: string[];
  traces_count: number;
  llm_calls: number;
  tokens: number;
  cost_nanos: number;
  cost_usd: number;
  error_traces: number;
  start: string;
  end: string;
  [k: string]: unknown;
}

export interface SessionsAnswer {
  sessions: SessionRow[];
  scanned_traces?: number;
  complete?: boolean;
}

export interface SessionDetail extends Partial<SessionRow> {
  traces: TraceRow[];
  complete?: boolean;
}

export interface UnpricedAnswer {
  models: { provider: string; model: string; calls: number; reported_cost_calls: number }[];
  overflow: number;
}
