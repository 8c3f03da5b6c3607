// Lines over time with uPlot (score trends): gaps where a step has no
// value, a fixed y range when the scale is known (judge scores 1..5).
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Line } from "../quality";

const PALETTE = ["#4f7cff", "#f59e0b", "#10b981", "#ef4444", "#a855f7", "#06b6d4", "#84cc16", "#ec4899", "#64748b", "#eab308"];

interface Props {
  xs: number[]; // epoch seconds
  lines: Line[];
  format: (v: number) => string;
  yRange?: [number, number];
  height?: number;
  label: string;
}

export function LineChart({ xs, lines, format, yRange, height = 240, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const fg = css.getPropertyValue("--muted").trim() || "#888";
    const grid = css.getPropertyValue("--border").trim() || "#ddd";
    const data = [xs, ...lines.map((l) => l.values)] as unknown as uPlot.AlignedData;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: yRange ? { range: () => yRange } : {} },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, vals) => vals.map((v) => format(v)), size: 50 },
      ],
      series: [
        {},
        ...lines.map((l, i) => ({
          label: l.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: false,
          points: { show: true, size: 5 },
          value: (_u: uPlot, v: number | null) => (v == null ? "—" : format(v)),
        })),
      ],
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 600, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [xs, lines, yRange?.[0], yRange?.[1]]);
  return <div ref={host} class="chart" role="img" aria-label={label} />;
}
