// Sessions: conversations (traces sharing a session id) with their totals;
// filtered by user, the page also sums that user's spend. One session
// reads forward: each turn's question and answer, oldest first.
import { useState, useEffect } from "preact/hooks";
import { getJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { SessionDetail, SessionsAnswer, TraceDetail, TraceRow } from "../types";
import { formatDuration, formatInt, formatTime, formatTokens, formatUsd } from "../format";
import { DEFAULT_SINCE } from "../time_range";
import { conversation, type ChatEntry } from "../chat";
import { ChatView } from "../components/chat_view";
import { CopyButton, ErrorBox, Loading } from "../components/common";
import { TimeRangePicker } from "../components/time_range_picker";

export function SessionsPage() {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const params = { since: q.since || DEFAULT_SINCE, until: q.until, user: q.user, service: q.service, limit: 200 };
  const r = useApi<SessionsAnswer>(JSON.stringify(params), (signal) => getJson<SessionsAnswer>("/api/v1/sessions", params, signal));
  const [user, setUser] = useState(q.user ?? "");
  useEffect(() => setUser(q.user ?? ""), [q.user]);
  const sessions = r.data?.sessions ?? [];
  const spend = sessions.reduce((s, x) => s + x.cost_usd, 0);
  return (
    <div class="page">
      <div class="page-head">
        <h1>Sessions</h1>
        <TimeRangePicker since={q.since} until={q.until} onChange={(since, until) => navigate(href("/sessions", { ...q, since, until }))} />
      </div>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("/sessions", { ...q, user }));
        }}
      >
        <label>
          User
          <input name="user" value={user} data-search onInput={(e) => setUser((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <div class="filter-actions">
          <button class="primary" type="submit">
            Show
          </button>
        </div>
      </form>
      {r.error && <ErrorBox error={r.error} title="Sessions" />}
      {r.loading && !r.data && <Loading what="Loading sessions" />}
      {r.data && (
        <>
          {q.user && (
            <p class="headline" data-testid="user-summary">
              <strong>{q.user}</strong>: {formatInt(sessions.length)} sessions, {formatUsd(spend)} spent
              {" · "}
              <a href={href("/traces", { user: q.user, since: params.since, until: q.until })}>their traces</a>
            </p>
          )}
          {r.data.complete === false && (
            <p class="muted small">
              Built from the newest {formatInt(r.data.scanned_traces)} traces; older sessions in this range are not listed.
            </p>
          )}
          {sessions.length === 0 ? (
            <p class="muted">No sessions in this range. Sessions come from <code>session.id</code> or <code>gen_ai.conversation.id</code> on your spans.</p>
          ) : (
            <table class="data-table" data-testid="sessions-table">
              <thead>
                <tr>
                  <th>Session</th>
                  <th>Users</th>
                  <th>Last active</th>
                  <th class="num">Traces</th>
                  <th class="num">LLM calls</th>
                  <th class="num">Tokens</th>
                  <th class="num">Cost</th>
                  <th class="num">Errors</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.session_id}>
                    <td>
                      <a href={`/sessions/${encodeURIComponent(s.session_id)}`}>{s.session_id}</a>
                    </td>
                    <td>
                      {(s.users ?? []).map((u) => (
                        <a key={u} class="chip" href={href("/sessions", { ...q, user: u })}>
                          {u}
                        </a>
                      ))}
                    </td>
                    <td>{formatTime(s.end)}</td>
                    <td class="num">{formatInt(s.traces_count)}</td>
                    <td class="num">{formatInt(s.llm_calls)}</td>
                    <td class="num">{formatTokens(s.tokens)}</td>
                    <td class="num">{formatUsd(s.cost_usd)}</td>
                    <td class={`num${s.error_traces ? " warn" : ""}`}>{s.error_traces}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

/** One turn: the last input message and the answer of the trace's main LLM call. */
export function turnEntries(t: TraceDetail): ChatEntry[] {
  const calls = t.spans.filter((s) => s.llm_call && (s.llm_call.input_messages.length || s.llm_call.output_messages.length));
  const last = calls[calls.length - 1]?.llm_call;
  if (!last) return [];
  const all = conversation({ system_instructions: [], input_messages: last.input_messages, output_messages: last.output_messages });
  const firstUser = all.findIndex((e) => !e.output && e.role === "user");
  return all.filter((e, i) => e.output || i === firstUser);
}

function Turn({ row, index }: { row: TraceRow; index: number }) {
  const [open, setOpen] = useState(index < 20);
  const r = useApi<TraceDetail>(open ? row.trace_id : null, (signal) => getJson<TraceDetail>(`/api/v1/traces/${row.trace_id}`, {}, signal));
  return (
    <li class="turn">
      <div class="turn-head">
        <a href={`/traces/${row.trace_id}`}>{formatTime(row.start_time_unix_nano)}</a> <span class="muted">{row.root_name}</span>
        <span class="spacer" />
        <span class="muted small">
          {formatDuration(row.duration_ms)} · {formatTokens(row.tokens)} tok · {formatUsd(row.cost_usd)}
        </span>
        {row.status === "error" && <span class="tag warn">error</span>}
      </div>
      {!open && (
        <button type="button" class="ghost" onClick={() => setOpen(true)}>
          Show conversation
        </button>
      )}
      {r.error && <ErrorBox error={r.error} />}
      {r.data && <ChatView entries={turnEntries(r.data)} />}
    </li>
  );
}

export function SessionPage({ id }: { id: string }) {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const params = { since: q.since, until: q.until };
  const r = useApi<SessionDetail>(id + JSON.stringify(params), (signal) => getJson<SessionDetail>(`/api/v1/sessions/${encodeURIComponent(id)}`, params, signal));
  const s = r.data;
  return (
    <div class="page">
      <div class="page-head">
        <h1>
          Session <code class="id">{id}</code> <CopyButton text={id} label="Copy id" />
        </h1>
        <a href="/sessions" class="button ghost">
          ← Sessions
        </a>
      </div>
      {r.error && <ErrorBox error={r.error} title="Session" />}
      {r.loading && !s && <Loading what="Loading session" />}
      {s && (
        <>
          <dl class="totals">
            <div><dt>Started</dt><dd>{formatTime(s.start)}</dd></div>
            <div><dt>Last active</dt><dd>{formatTime(s.end)}</dd></div>
            <div><dt>Traces</dt><dd>{formatInt(s.traces_count)}</dd></div>
            <div><dt>LLM calls</dt><dd>{formatInt(s.llm_calls)}</dd></div>
            <div><dt>Tokens</dt><dd>{formatInt(s.tokens)}</dd></div>
            <div><dt>Cost</dt><dd>{formatUsd(s.cost_usd)}</dd></div>
            <div><dt>Errors</dt><dd>{formatInt(s.error_traces)}</dd></div>
          </dl>
          <ol class="turns" data-testid="session-turns">
            {s.traces.map((t, i) => (
              <Turn key={t.trace_id} row={t} index={i} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
