import { createContext, useContext, useLayoutEffect, useState, type RefObject } from 'react';

/**
 * The pixel width of a KPI chart on the board. Every chart slot of the board's grid is as
 * wide as every other, so the board measures one slot once (and again on resize) instead of
 * each of 20+ charts measuring itself: one layout read rather than one per chart, and each
 * chart draws once at its real size rather than twice.
 */
export const ChartWidthContext = createContext<number | null>(null);

export function useChartWidth(): number | null {
  return useContext(ChartWidthContext);
}

/** Measures the first `.kpi-chart` slot inside `ref`, before paint and whenever the board resizes. */
export function useMeasuredChartWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const board = ref.current;
    if (!board) return;
    const measure = () => {
      const slot = board.querySelector<HTMLElement>('.kpi-chart');
      const w = slot ? Math.floor(slot.clientWidth) : 0;
      if (w > 0) setWidth((old) => (old === w ? old : w));
    };
    measure();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    });
    observer.observe(board);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [ref]);
  return width;
}
