import { sparklineGeometry } from '../lib/sparkline';

/** A tiny SVG line of weekly health scores (no chart library: it sits in the initial bundle). */
export function Sparkline({
  values,
  width = 120,
  height = 32,
  label,
}: {
  values: readonly (number | null)[];
  width?: number;
  height?: number;
  label: string;
}) {
  const g = sparklineGeometry(values, width, height);
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <line x1="0" x2={width} y1={height / 2} y2={height / 2} className="sparkline__mid" />
      <path d={g.d} className="sparkline__line" />
      {g.dots.map((p) => (
        <circle key={`${p.x}-${p.y}`} cx={p.x} cy={p.y} r="1.8" className="sparkline__dot" />
      ))}
      {g.last && <circle cx={g.last.x} cy={g.last.y} r="2.6" className="sparkline__last" />}
    </svg>
  );
}
