// Alerts: what is firing and what fired recently (labels, value against
// baseline and threshold, the sentence, example traces, the link to the
// matching traces), the rules with their health and last error, silences
// (list, create, expire) and the notifiers' delivery counts.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, getJson, sendJson } from "../api";
import { href, navigate, queryRecord, useLocation } from "../router";
import { useApi } from "../use_api";
import type { Alert, AlertRule, AlertsAnswer, Silence } from "../types";
import { formatDuration, formatInt, formatPercent, formatTime, formatUsd } from "../format";
import { alertValueText, localLink, matchersFor, parseMatchers } from "../quality";
import { toLocalInput } from "../time_range";
import { getAuthor, setAuthor } from "../prefs";
import { ErrorBox, Loading, Panel } from "../components/common";

const REFRESH_MS = 10_000;

/** Re-renders every `ms` so the page follows the engine without a reload. */
function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}

const fmt = { usd: (x: number) => formatUsd(x), s: (x: number) => formatDuration(x * 1000), pct: (x: number) => formatPercent(x) };

function Labels({ labels, skip = [] }: { labels: Record<string, string>; skip?: string[] }) {
  return (
    <span class="labels">
      {Object.entries(labels)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]) => (
          <span key={k} class="label-chip">
            {k}=<strong>{v}</strong>
          </span>
        ))}
    </span>
  );
}

function Examples({ a }: { a: Alert }) {
  const ex: [string, string][] = [
    ["slowest", a.examples.slowest],
    ["most expensive", a.examples.mostExpensive],
    ["lowest scored", a.examples.lowestScored],
  ];
  const shown = ex.filter(([, id]) => id);
  if (shown.length === 0) return null;
  return (
    <span class="examples">
      Example traces:{" "}
      {shown.map(([what, id], i) => (
        <span key={what}>
          {i > 0 && ", "}
          <a href={`/traces/${id}`} data-example={what}>
            {what}
          </a>
        </span>
      ))}
    </span>
  );
}

function AlertCard({ a, kind, onSilence }: { a: Alert; kind: string; onSilence: (m: string[]) => void }) {
  const since = a.state === "resolved" ? a.resolvedAt : a.firedAt || a.activeAt;
  const traces = a.generatorURL ? localLink(a.generatorURL, window.location.origin) : "";
  return (
    <article class={`alert-card state-${a.state}`} data-testid="alert" data-alertname={a.labels.alertname ?? a.rule} data-state={a.state}>
      <header>
        <span class={`state-badge state-${a.state}`}>{a.state}</span>
        <strong class="alertname">{a.labels.alertname ?? a.rule}</strong>
        {a.labels.severity && <span class="tag">{a.labels.severity}</span>}
        {a.silenced && <span class="tag">silenced</span>}
        <span class="spacer" />
        <span class="muted small">
          {a.state === "resolved" ? "resolved" : a.state === "firing" ? "firing since" : "pending since"} {formatTime(since)}
        </span>
      </header>
      <p class="summary">{a.summary || a.annotations.summary || a.annotations.description}</p>
      <dl class="alert-numbers">
        <div>
          <dt>Value</dt>
          <dd data-testid="alert-value">{alertValueText(kind, a.value, fmt)}</dd>
        </div>
        <div>
          <dt>Baseline</dt>
          <dd>{a.baseline ? alertValueText(kind, a.baseline, fmt) : <span class="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd>{alertValueText(kind, a.threshold, fmt)}</dd>
        </div>
      </dl>
      <Labels labels={a.labels} skip={["alertname", "severity"]} />
      <footer>
        <Examples a={a} />
        {traces && (
          <a href={traces} class="button ghost small-button" data-testid="alert-traces">
            Matching traces
          </a>
        )}
        {a.state !== "resolved" && (
          <button type="button" class="ghost small-button" onClick={() => onSilence(matchersFor(a.labels))}>
            Silence…
          </button>
        )}
      </footer>
      {Object.keys(a.annotations).length > 0 && (
        <details class="annotations">
          <summary>Annotations</summary>
          <Labels labels={a.annotations} />
        </details>
      )}
    </article>
  );
}

function History({ history }: { history: Alert[] }) {
  if (history.length === 0) return <p class="muted">Nothing has fired yet.</p>;
  return (
    <table class="small-table" data-testid="alert-history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>Alert</th>
          <th>Labels</th>
          <th class="num">Value</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h, i) => (
          <tr key={i}>
            <td>{formatTime(h.state === "resolved" ? h.resolvedAt : h.firedAt)}</td>
            <td>
              <span class={`state-badge state-${h.state}`}>{h.state}</span>
            </td>
            <td>{h.labels.alertname ?? h.rule}</td>
            <td>
              <Labels labels={h.labels} skip={["alertname", "severity"]} />
            </td>
            <td class="num">{Math.round(h.value * 1000) / 1000}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ruleCondition(r: AlertRule): string {
  const n = (k: string) => (typeof r[k] === "number" ? (r[k] as number) : null);
  switch (r.kind) {
    case "latency_regression":
      return `p${Math.round((n("percentile") ?? 0.95) * 100)} > ${n("ratio")}× baseline`;
    case "quality_regression":
      return r.baseline === "none" ? `mean ${r.dimension || "score"} < ${n("threshold")}` : `mean < baseline − ${n("max_drop")}`;
    case "cost_spike":
      return `spend > ${n("factor")}× baseline (≥ ${formatUsd(n("min_usd"))})`;
    case "error_rate":
      return `error rate > ${formatPercent(n("threshold"))}`;
    case "budget":
      return `${r.period} spend > ${formatUsd(n("amount_usd"))}`;
    default:
      return r.kind;
  }
}

function Rules({ rules, onReloaded }: { rules: AlertRule[]; onReloaded: () => void }) {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const reload = async () => {
    try {
      const r = await sendJson<{ rules: number }>("POST", "/api/v1/alert-rules/reload");
      setMsg({ ok: true, text: `Reloaded: ${r.rules} rules.` });
      onReloaded();
    } catch (e) {
      setMsg({ ok: false, text: (e as ApiError).message });
    }
  };
  return (
    <>
      <div class="controls">
        <button type="button" class="ghost" onClick={reload}>
          Reload rules file
        </button>
        {msg && <span class={msg.ok ? "muted" : "warn"}>{msg.text}</span>}
      </div>
      {rules.length === 0 ? (
        <p class="muted">No rules: set alerting.rules, or leave alerting.default_rules on (docs/alerting.md).</p>
      ) : (
        <div class="scroll-x">
          <table class="small-table" data-testid="alert-rules">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Health</th>
                <th>Condition</th>
                <th>Window</th>
                <th>Baseline</th>
                <th>Group by</th>
                <th class="num">Groups</th>
                <th class="num">Pending</th>
                <th class="num">Firing</th>
                <th>Last evaluation</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <Fragment key={r.name}>
                  <tr data-rule={r.name} data-health={r.health}>
                    <td>
                      <strong>{r.name}</strong> <span class="muted small">{r.kind}</span>
                    </td>
                    <td>
                      <span class={`health health-${r.health}`}>{r.health}</span>
                    </td>
                    <td>{ruleCondition(r)}</td>
                    <td>{formatDuration(r.window_seconds * 1000)}</td>
                    <td>{r.baseline}</td>
                    <td>{r.group_by.join(", ") || <span class="muted">—</span>}</td>
                    <td class="num">{formatInt(r.groups)}</td>
                    <td class="num">{formatInt(r.pending)}</td>
                    <td class={`num${r.firing ? " warn" : ""}`}>{formatInt(r.firing)}</td>
                    <td class="small">
                      {formatTime(r.lastEvaluation)} <span class="muted">({formatDuration(r.evaluationTime * 1000)})</span>
                    </td>
                  </tr>
                  {r.lastError && (
                    <tr class="rule-error">
                      <td colSpan={10}>
                        <span class="warn">Last error:</span> <code>{r.lastError}</code>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function SilenceForm({ initial, onCreated }: { initial: string[]; onCreated: () => void }) {
  const [matchers, setMatchers] = useState(initial.join("\n"));
  const [ends, setEnds] = useState(() => toLocalInput(Date.now() + 2 * 3_600_000));
  const [by, setBy] = useState(getAuthor);
  const [comment, setComment] = useState("");
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: string | null }>({ busy: false, error: null, done: null });
  useEffect(() => setMatchers(initial.join("\n")), [initial.join("\n")]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = parseMatchers(matchers);
    if ("error" in parsed) return setState({ busy: false, error: parsed.error, done: null });
    const end = new Date(ends);
    if (Number.isNaN(end.getTime()) || end.getTime() <= Date.now()) return setState({ busy: false, error: "The end time must be in the future.", done: null });
    setState({ busy: true, error: null, done: null });
    try {
      setAuthor(by);
      const r = await sendJson<{ silenceID: string }>("POST", "/api/v1/silences", {
        matchers: parsed.matchers,
        endsAt: end.toISOString(),
        createdBy: by,
        comment,
      });
      setState({ busy: false, error: null, done: `Silence ${r.silenceID} created.` });
      setComment("");
      onCreated();
    } catch (err) {
      setState({ busy: false, error: (err as ApiError).message, done: null });
    }
  };
  return (
    <form class="silence-form" onSubmit={submit} aria-label="New silence" data-testid="silence-form">
      <label>
        Matchers <span class="muted small">(one per line: name=value, !=, =~regex, !~regex)</span>
        <textarea name="matchers" rows={3} value={matchers} placeholder="alertname=LlmQualityRegression&#10;feature=support_chat" onInput={(e) => setMatchers((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <div class="row">
        <label>
          Ends at
          <input type="datetime-local" name="endsAt" value={ends} onInput={(e) => setEnds((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Created by
          <input name="createdBy" value={by} onInput={(e) => setBy((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label class="grow">
          Comment
          <input name="comment" value={comment} onInput={(e) => setComment((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" disabled={state.busy}>
          Create silence
        </button>
      </div>
      {state.error && (
        <div class="error-box" role="alert">
          {state.error}
        </div>
      )}
      {state.done && <p class="muted" role="status">{state.done}</p>}
    </form>
  );
}

function Silences({ silences, prefill, onChanged }: { silences: Silence[]; prefill: string[]; onChanged: () => void }) {
  const [err, setErr] = useState<string | null>(null);
  const [showExpired, setShowExpired] = useState(false);
  const expire = async (id: string) => {
    try {
      await sendJson("DELETE", `/api/v1/silences/${encodeURIComponent(id)}`);
      setErr(null);
      onChanged();
    } catch (e) {
      setErr((e as ApiError).message);
    }
  };
  const shown = silences.filter((s) => showExpired || s.status.state !== "expired");
  const expired = silences.length - silences.filter((s) => s.status.state !== "expired").length;
  return (
    <>
      <SilenceForm initial={prefill} onCreated={onChanged} />
      {err && <div class="error-box" role="alert">{err}</div>}
      {shown.length === 0 ? (
        <p class="muted">No active silence.</p>
      ) : (
        <table class="small-table" data-testid="silences">
          <thead>
            <tr>
              <th>Id</th>
              <th>State</th>
              <th>Matchers</th>
              <th>Starts</th>
              <th>Ends</th>
              <th>By</th>
              <th>Comment</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-silence={s.id} data-state={s.status.state}>
                <td>
                  <code>{s.id}</code>
                </td>
                <td>{s.status.state}</td>
                <td>
                  {s.matchers.map((m) => (
                    <code key={m} class="label-chip">
                      {m}
                    </code>
                  ))}
                </td>
                <td>{formatTime(s.startsAt)}</td>
                <td>{formatTime(s.endsAt)}</td>
                <td>{s.createdBy}</td>
                <td>{s.comment}</td>
                <td>
                  {s.status.state !== "expired" && (
                    <button type="button" class="ghost small-button" onClick={() => expire(s.id)} aria-label={`Expire silence ${s.id}`}>
                      Expire
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {expired > 0 && (
        <label class="muted small">
          <input type="checkbox" checked={showExpired} onChange={(e) => setShowExpired((e.currentTarget as HTMLInputElement).checked)} /> show{" "}
          {expired} expired
        </label>
      )}
    </>
  );
}

interface NotifiersAnswer {
  notifiers: { name: string; kind: string; sent: number; failed: number; dropped: number; retries: number; queued: number; lastError: string }[];
}

function Notifiers({ tick }: { tick: number }) {
  const r = useApi<NotifiersAnswer>(`notifiers${tick}`, (signal) => getJson<NotifiersAnswer>("/api/v1/alert-notifiers", {}, signal));
  if (r.error) return <ErrorBox error={r.error} title="Notifiers" />;
  if (!r.data) return <Loading />;
  if (r.data.notifiers.length === 0) {
    return <p class="muted">No notifier: alerts show here only. Add Alertmanager, a webhook, Slack or PagerDuty under alerting.notifiers.</p>;
  }
  return (
    <table class="small-table">
      <thead>
        <tr>
          <th>Notifier</th>
          <th class="num">Sent</th>
          <th class="num">Failed</th>
          <th class="num">Dropped</th>
          <th class="num">Retries</th>
          <th class="num">Queued</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {r.data.notifiers.map((n) => (
          <tr key={n.name}>
            <td>
              {n.name} <span class="muted small">{n.kind}</span>
            </td>
            <td class="num">{formatInt(n.sent)}</td>
            <td class={`num${n.failed ? " warn" : ""}`}>{formatInt(n.failed)}</td>
            <td class="num">{formatInt(n.dropped)}</td>
            <td class="num">{formatInt(n.retries)}</td>
            <td class="num">{formatInt(n.queued)}</td>
            <td class="warn small">{n.lastError}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AlertsPage() {
  const loc = useLocation();
  const q = queryRecord(loc.query);
  const tick = useTick(REFRESH_MS);
  const [bump, setBump] = useState(0);
  const [prefill, setPrefill] = useState<string[]>(q.silence ? q.silence.split(",") : []);
  const k = `${tick}.${bump}`;
  const alerts = useApi<AlertsAnswer>(`alerts${k}`, (signal) => getJson<AlertsAnswer>("/api/v1/alerts", {}, signal));
  const rules = useApi<{ rules: AlertRule[] }>(`rules${k}`, (signal) => getJson<{ rules: AlertRule[] }>("/api/v1/alert-rules", {}, signal));
  const silences = useApi<{ silences: Silence[] }>(`silences${k}`, (signal) => getJson<{ silences: Silence[] }>("/api/v1/silences", {}, signal));
  const kindOf = new Map((rules.data?.rules ?? []).map((r) => [r.name, r.kind]));
  const list = (alerts.data?.alerts ?? []).slice().sort((a, b) => {
    const order = (s: string) => (s === "firing" ? 0 : s === "pending" ? 1 : 2);
    return order(a.state) - order(b.state) || (b.firedAt ?? b.activeAt ?? "").localeCompare(a.firedAt ?? a.activeAt ?? "");
  });
  const firing = list.filter((a) => a.state === "firing").length;
  const refresh = () => setBump((b) => b + 1);
  const silence = (m: string[]) => {
    setPrefill(m);
    navigate(href("/alerts", { ...q, silence: m.join(",") }), true);
    document.getElementById("silences")?.scrollIntoView({ behavior: "smooth" });
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>
          Alerts {alerts.data && <span class={`count-badge${firing ? " firing" : ""}`}>{firing} firing</span>}
        </h1>
        <span class="muted small">Refreshes every {REFRESH_MS / 1000} s · times are local</span>
      </div>
      <Panel title="Firing, pending and recently resolved">
        {alerts.error && <ErrorBox error={alerts.error} title="Alerts" />}
        {!alerts.data && !alerts.error && <Loading what="Loading alerts" />}
        {alerts.data && list.length === 0 && (
          <p class="muted" data-testid="no-alerts">
            Nothing is firing. Loupe evaluates its rules every <code>alerting.interval</code> (30 s) against the rollups and scores.
          </p>
        )}
        <div class="alert-list">
          {list.map((a) => (
            <AlertCard key={a.fingerprint} a={a} kind={kindOf.get(a.rule) ?? ""} onSilence={silence} />
          ))}
        </div>
      </Panel>
      <Panel title="Rules">
        {rules.error && <ErrorBox error={rules.error} title="Rules" />}
        {rules.data ? <Rules rules={rules.data.rules} onReloaded={refresh} /> : !rules.error && <Loading />}
      </Panel>
      <section id="silences">
        <Panel title="Silences">
          {silences.error && <ErrorBox error={silences.error} title="Silences" />}
          {silences.data ? <Silences silences={silences.data.silences} prefill={prefill} onChanged={refresh} /> : !silences.error && <Loading />}
        </Panel>
      </section>
      <Panel title="History (last 100 firing and resolved events)">
        {alerts.data?.historyError && <div class="error-box">{alerts.data.historyError}</div>}
        {alerts.data && <History history={alerts.data.history} />}
      </Panel>
      <Panel title="Notifiers">
        <Notifiers tick={tick} />
      </Panel>
    </div>
  );
}
