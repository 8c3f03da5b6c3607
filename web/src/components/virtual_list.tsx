// A windowed list: only the rows in view (plus a margin) are in the DOM,
// so 10,000 trace rows or 5,000 spans scroll smoothly. Rows have one fixed
// height, which keeps the arithmetic exact and cheap. (Preact 11 no longer
// adds "px" to numbers in styles: every length here is a string.)
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";

interface Props<T> {
  items: T[];
  rowHeight: number;
  height: number | string; // CSS height of the scrolling box
  render: (item: T, index: number) => ComponentChildren;
  overscan?: number;
  onNearEnd?: () => void; // called when the last rows come into view
  label: string;
  role?: "list" | "rowgroup";
  scrollToIndex?: number | null;
}

export function VirtualList<T>({ items, rowHeight, height, render, overscan = 8, onNearEnd, label, role = "list", scrollToIndex }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const ro = typeof ResizeObserver !== "undefined" ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  // Keep a keyboard-selected row visible.
  useEffect(() => {
    const el = box.current;
    if (!el || scrollToIndex == null || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [scrollToIndex, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);

  useEffect(() => {
    if (onNearEnd && items.length > 0 && last >= items.length - 2) onNearEnd();
  }, [last, items.length]);

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} class="vrow" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }} role={role === "list" ? "listitem" : "row"} aria-rowindex={i + 1}>
        {render(items[i], i)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      class="vlist"
      style={{ height: typeof height === "number" ? `${height}px` : height }}
      role={role}
      aria-label={label}
      aria-rowcount={items.length}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div style={{ height: `${items.length * rowHeight}px`, position: "relative" }}>{rows}</div>
    </div>
  );
}
