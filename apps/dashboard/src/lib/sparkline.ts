export interface SparklineGeometry {
  /** SVG path; a gap (null) starts a new sub-path, so nothing is drawn across it. */
  d: string;
  /** Isolated points (a value with gaps on both sides) to draw as dots. */
  dots: { x: number; y: number }[];
  last: { x: number; y: number } | null;
}

/** Lays values out on a width × height box; y grows downwards; domain defaults to 0..100. */
export function sparklineGeometry(
  values: readonly (number | null)[],
  width: number,
  height: number,
  domain: [number, number] = [0, 100],
  pad = 2,
): SparklineGeometry {
  const [lo, hi] = domain;
  const span = hi - lo || 1;
  const stepX = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const toPoint = (v: number, i: number) => ({
    x: Math.round((pad + i * stepX) * 10) / 10,
    y: Math.round((pad + (1 - (Math.min(Math.max(v, lo), hi) - lo) / span) * (height - 2 * pad)) * 10) / 10,
  });
  const parts: string[] = [];
  const dots: { x: number; y: number }[] = [];
  let last: { x: number; y: number } | null = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const p = toPoint(v, i);
    const prevIsGap = i === 0 || values[i - 1] === null;
    const nextIsGap = i === values.length - 1 || values[i + 1] === null;
    parts.push(`${prevIsGap ? 'M' : 'L'}${p.x} ${p.y}`);
    if (prevIsGap && nextIsGap) dots.push(p);
    last = p;
  });
  return { d: parts.join(' '), dots, last };
}
