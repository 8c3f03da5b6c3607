// Scores on a trace or an LLM call: the judge's (with its reasoning), the
// built-in checks', and people's; and the form a person uses to add one
// (thumbs, 1-5, a label, a comment) through POST /api/v1/scores.
import { useState } from "preact/hooks";
import { ApiError, sendJson } from "../api";
import type { ScoreRecord } from "../types";
import { HumanScoreKind, LABEL_SUGGESTIONS, humanScoreBody, isLow, latestScores, scoreSourceText, valueText } from "../scores";
import { formatTime, formatUsd } from "../format";
import { getAuthor, setAuthor } from "../prefs";

export function ScoreList({ scores, empty, showSpan }: { scores: ScoreRecord[]; empty: string; showSpan?: (spanId: string) => string }) {
  const groups = latestScores(scores);
  if (groups.length === 0) return <p class="muted small">{empty}</p>;
  return (
    <ul class="score-list" data-testid="score-list">
      {groups.map(({ latest: s, older }) => (
        <li
          key={`${s.span_id}|${s.evaluator}|${s.dimension}|${s.created}`}
          class={`score-item source-${s.source}${isLow(s) ? " low" : ""}`}
          data-source={s.source}
          data-dimension={s.dimension}
          data-value={s.value}
        >
          <div class="score-head">
            <span class="score-dim">{s.dimension}</span>
            <span class="score-value">{valueText(s)}</span>
            <span class="muted small">{scoreSourceText(s)}</span>
            {s.judge_cost_usd != null && <span class="muted small">· {formatUsd(s.judge_cost_usd)}</span>}
            {s.version > 1 && <span class="tag">v{s.version}</span>}
            {showSpan && s.span_id && (
              <a class="small" href={showSpan(s.span_id)}>
                span {s.span_id.slice(0, 8)}
              </a>
            )}
            <span class="spacer" />
            <span class="muted small">{formatTime(s.created)}</span>
          </div>
          {s.reasoning && <p class="score-reasoning">{s.reasoning}</p>}
          {older.length > 0 && (
            <details class="small">
              <summary>{older.length} earlier version{older.length > 1 ? "s" : ""}</summary>
              {older.map((o) => (
                <div key={o.version}>
                  v{o.version}: {valueText(o)} <span class="muted">({formatTime(o.created)})</span> {o.reasoning}
                </div>
              ))}
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The annotate form for a whole trace (no spanId) or one LLM call. */
export function AnnotateForm({ traceId, spanId, onSaved }: { traceId: string; spanId?: string | null; onSaved: () => void }) {
  const [kind, setKind] = useState<HumanScoreKind>("rating");
  const [name, setName] = useState("quality");
  const [thumbs, setThumbs] = useState<boolean | null>(null);
  const [rating, setRating] = useState<number | null>(null);
  const [label, setLabel] = useState("");
  const [comment, setComment] = useState("");
  const [author, setAuthorState] = useState(getAuthor);
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const what = spanId ? "this LLM call" : "this trace";
  const id = `annotate-${spanId ?? "trace"}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = humanScoreBody({ traceId, spanId, kind, name, thumbsUp: thumbs ?? undefined, rating: rating ?? undefined, label, comment, author });
    if ("error" in r) return setState({ busy: false, error: r.error, done: false });
    setState({ busy: true, error: null, done: false });
    try {
      setAuthor(author);
      await sendJson("POST", "/api/v1/scores", r.body);
      setState({ busy: false, error: null, done: true });
      setComment("");
      setThumbs(null);
      setRating(null);
      setLabel("");
      onSaved();
    } catch (err) {
      const ae = err as ApiError;
      setState({ busy: false, error: ae.parameter ? `${ae.parameter}: ${ae.message}` : ae.message, done: false });
    }
  };

  return (
    <form class="annotate" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid={spanId ? "annotate-span" : "annotate-trace"}>
      <h4 id={`${id}-title`}>Add a score to {what}</h4>
      <div class="seg" role="radiogroup" aria-label="Kind of score">
        {(
          [
            ["thumbs", "Thumbs"],
            ["rating", "1–5"],
            ["label", "Label"],
          ] as const
        ).map(([k, text]) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} class={kind === k ? "on" : ""} onClick={() => setKind(k)} data-kind={k}>
            {text}
          </button>
        ))}
      </div>
      {kind === "thumbs" && (
        <div class="row" role="radiogroup" aria-label="Thumbs">
          <button type="button" role="radio" aria-checked={thumbs === true} class={`thumb${thumbs === true ? " on" : ""}`} onClick={() => setThumbs(true)} aria-label="Thumbs up">
            ▲ Up
          </button>
          <button type="button" role="radio" aria-checked={thumbs === false} class={`thumb${thumbs === false ? " on" : ""}`} onClick={() => setThumbs(false)} aria-label="Thumbs down">
            ▼ Down
          </button>
        </div>
      )}
      {kind !== "thumbs" && (
        <label>
          Dimension
          <input name="dimension" value={name} list="loupe-dimensions" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          <datalist id="loupe-dimensions">
            {["quality", "accuracy", "relevance", "groundedness", "safety", "helpfulness", "category"].map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
      )}
      {kind === "rating" && (
        <div class="row rating" role="radiogroup" aria-label="Rating from 1 to 5">
          {[1, 2, 3, 4, 5].map((n) => (
            <button key={n} type="button" role="radio" aria-checked={rating === n} class={rating === n ? "on" : ""} onClick={() => setRating(n)} data-rating={n}>
              {n}
            </button>
          ))}
        </div>
      )}
      {kind === "label" && (
        <label>
          Label
          <input name="label" value={label} list="loupe-labels" placeholder="e.g. hallucination" onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)} />
          <datalist id="loupe-labels">
            {LABEL_SUGGESTIONS.map((l) => (
              <option key={l} value={l} />
            ))}
          </datalist>
        </label>
      )}
      <label>
        Comment
        <textarea name="comment" rows={2} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <div class="row">
        <label class="grow">
          Your name
          <input name="author" value={author} autoComplete="name" onInput={(e) => setAuthorState((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" disabled={state.busy}>
          Save score
        </button>
      </div>
      {state.error && (
        <div class="error-box" role="alert">
          {state.error}
        </div>
      )}
      {state.done && (
        <p class="muted small" role="status">
          Saved beside the judge's scores.
        </p>
      )}
    </form>
  );
}
