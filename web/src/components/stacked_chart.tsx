// Spend over time, stacked by series, drawn with uPlot (canvas: fast for
// long series, about 20 KB gzipped). Stacking is done here: each series is
// drawn as the running total up to it, largest first, so the bands sit on
// top of each other; the legend shows each series' own value.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface StackedSeries {
  label: string;
  values: number[]; // one per x
}

interface Props {
  xs: number[]; // epoch seconds
  series: StackedSeries[];
  format: (v: number) => string;
  stepSeconds: number;
  onPick?: (x: number, seriesLabel: string | null) => void;
  height?: number;
  label: string;
}

const PALETTE = ["#4f7cff", "#f59e0b", "#10b981", "#ef4444", "#a855f7", "#06b6d4", "#84cc16", "#ec4899", "#64748b", "#eab308"];

export function StackedChart({ xs, series, format, stepSeconds, onPick, height = 260, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const fg = css.getPropertyValue("--muted").trim() || "#888";
    const grid = css.getPropertyValue("--border").trim() || "#ddd";
    // Running totals, bottom series first.
    const stacked: number[][] = [];
    let acc = xs.map(() => 0);
    for (const s of series) {
      acc = acc.map((a, i) => a + (s.values[i] ?? 0));
      stacked.push(acc);
    }
    // uPlot draws in order: the tallest band first, each smaller one over it.
    const order = series.map((_, i) => i).reverse();
    const data: uPlot.AlignedData = [xs, ...order.map((i) => stacked[i])];
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, vals) => vals.map((v) => format(v)), size: 70 },
      ],
      series: [
        {},
        ...order.map((i) => ({
          label: series[i].label,
          stroke: PALETTE[i % PALETTE.length],
          fill: PALETTE[i % PALETTE.length] + "cc",
          width: 1,
          points: { show: false },
          paths: stepped,
          value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
            idx == null ? "" : format(series[i].values[idx] ?? 0),
        })),
      ],
    };
    const plot = new uPlot(opts, data, el);
    const click = () => {
      const idx = plot.cursor.idx;
      if (idx == null || !onPick) return;
      // Which band is under the cursor: the lowest running total above it.
      const top = plot.cursor.top ?? -1;
      const yVal = plot.posToVal(top, "y");
      let picked: string | null = null;
      for (let i = 0; i < series.length; i++) {
        if (yVal <= stacked[i][idx] && yVal >= (i === 0 ? 0 : stacked[i - 1][idx])) {
          picked = series[i].label;
          break;
        }
      }
      onPick(xs[idx], picked);
    };
    plot.over.addEventListener("click", click);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 600, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [xs, series, stepSeconds]);
  return <div ref={host} class="chart" role="img" aria-label={label} />;
}
