// Relative ("last 24h") or absolute (from/to) time range. The values are
// the API's own `since`/`until`, so they go straight into the URL.
import { useState } from "preact/hooks";
import { DEFAULT_SINCE, RELATIVE_CHOICES, parseAge, resolveTime, toLocalInput } from "../time_range";

interface Props {
  since?: string;
  until?: string;
  onChange: (since: string, until: string | undefined) => void;
}

export function TimeRangePicker({ since, until, onChange }: Props) {
  const s = since || DEFAULT_SINCE;
  const isRelative = parseAge(s) != null && !until;
  const [custom, setCustom] = useState(!isRelative);
  const now = Date.now();
  const [from, setFrom] = useState(() => toLocalInput(resolveTime(s, now) ?? now - 86_400_000));
  const [to, setTo] = useState(() => toLocalInput(resolveTime(until, now) ?? now));

  const apply = (e: Event) => {
    e.preventDefault();
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return;
    onChange(f.toISOString().replace(".000Z", "Z"), t.toISOString().replace(".000Z", "Z"));
  };

  return (
    <div class="range-picker" role="group" aria-label="Time range">
      <label>
        <span class="sr-only">Time range</span>
        <select
          value={custom ? "custom" : s}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            if (v === "custom") setCustom(true);
            else {
              setCustom(false);
              onChange(v, undefined);
            }
          }}
        >
          {RELATIVE_CHOICES.map((c) => (
            <option value={c} key={c}>
              Last {c}
            </option>
          ))}
          {isRelative && !RELATIVE_CHOICES.includes(s as (typeof RELATIVE_CHOICES)[number]) && <option value={s}>Last {s}</option>}
          <option value="custom">Custom range…</option>
        </select>
      </label>
      {custom && (
        <form class="range-abs" onSubmit={apply}>
          <label>
            From <input type="datetime-local" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            To <input type="datetime-local" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit">Apply</button>
        </form>
      )}
    </div>
  );
}
