// Shapes of the API's answers (docs/api.md), as far as the UI reads them.

export interface Score {
  name?: string;
  value?: number | string;
  [k: string]: unknown;
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
  scores: Score[];
}

export interface StatsPoint {
  start: string;
  start_time_unix_nano: number;
  [measure: string]: number | string | null;
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
