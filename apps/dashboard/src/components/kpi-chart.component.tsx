import { memo, useRef } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { KpiStatus } from '@pulse/contracts';
import { useChartWidth } from '../hooks/use-chart-width.hook';
import { useSeenOnce } from '../hooks/use-in-view.hook';
import type { ChartPoint, KpiChartModel } from '../lib/prepare-kpi-chart';
import { formatValue, shortDate } from '../lib/format';

// The one place recharts is styled: every KPI chart in the app goes through here.
const BAND_FILL = { ok: 'var(--band-ok)', warn: 'var(--band-warn)', breach: 'var(--band-breach)' } as const;
const DOT_FILL: Record<KpiStatus, string> = {
  ok: 'var(--good)',
  warn: 'var(--warn-strong)',
  breach: 'var(--bad)',
  no_data: 'transparent',
  // Not rated: neutral, never green.
  low_sample: 'var(--muted)',
  no_threshold: 'var(--line)',
};
const STATUS_WORDS: Partial<Record<KpiStatus, string>> = {
  low_sample: 'low sample, not rated',
  no_threshold: 'no threshold',
};
// Charts never animate: 20+ charts animating on one page is what made it slow to settle.
const NO_ANIMATION = false;

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: ChartPoint;
}

function TooltipBody({
  active,
  payload,
  unit,
}: {
  active?: boolean;
  payload?: readonly { payload?: ChartPoint }[];
  unit: string;
}) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="chart-tooltip">
      <strong>{p.windowLabel.charAt(0).toUpperCase() + p.windowLabel.slice(1)}</strong>
      <div>{p.value === null ? 'No data (gap)' : formatValue(p.value, unit)}</div>
      <div className="muted">
        n = {p.n}
        {p.dropped ? ` · ${p.dropped} dropped` : ''}
        {STATUS_WORDS[p.status] ? ` · ${STATUS_WORDS[p.status]}` : ''}
      </div>
    </div>
  );
}

/**
 * One KPI's weekly line with its threshold bands. Memoised: the page around it re-renders on
 * every query and route change (opening the drill-down), and redrawing 20+ charts each time
 * was most of the time the drawer took to open.
 */
export const KpiChart = memo(function KpiChart({
  model,
  height = 150,
  onSelectWeek,
  title,
}: {
  model: KpiChartModel;
  height?: number;
  onSelectWeek?: (weekStart: string) => void;
  title: string;
}) {
  const width = useChartWidth();
  // Drawn when it first comes near the viewport: each recharts chart costs ~100 ms of main
  // thread, and drawing all 20+ up front kept the page from being usable for seconds. Until
  // then the slot keeps the chart's size, so nothing moves when it is drawn.
  const slot = useRef<HTMLDivElement>(null);
  const seen = useSeenOnce(slot);
  const fmt = (v: number) => formatValue(v, model.unit);
  // Fixed tick intervals: recharts' "preserveStartEnd" measures every tick label in the DOM
  // (a forced layout each), which across 20+ charts cost more than drawing them.
  const xInterval = Math.max(0, Math.ceil(model.points.length / 6) - 1);
  const renderDot = (props: DotProps) => {
    const { cx, cy, payload, index } = props;
    const key = `dot-${index ?? 0}`;
    if (cx === undefined || cy === undefined || !payload || payload.value === null) return <g key={key} />;
    const isolated = model.isolated.includes(payload.weekStart);
    return (
      <circle
        key={key}
        data-week={payload.weekStart}
        // A click on a point opens exactly that week (the chart's own click goes by the
        // tooltip's position, which can lag behind the pointer).
        onClick={
          onSelectWeek
            ? (e) => {
                e.stopPropagation();
                onSelectWeek(payload.weekStart);
              }
            : undefined
        }
        cx={cx}
        cy={cy}
        r={isolated || payload.partial ? 4 : 3}
        // The partial week is hollow: its value is "so far", not a week's result.
        fill={payload.partial ? 'var(--surface)' : DOT_FILL[payload.status]}
        stroke={payload.partial ? DOT_FILL[payload.status] : 'var(--surface)'}
        strokeWidth={payload.partial ? 2 : 1}
      />
    );
  };
  return (
    <div
      ref={slot}
      className="kpi-chart"
      data-testid={`kpi-chart-${model.key}`}
      data-partial-week={model.partialWeek ?? undefined}
      data-drawn={seen && width !== null ? 'true' : 'false'}
      style={{ height }}
    >
      {width !== null && seen && (
        <LineChart
          width={width}
          height={height}
          data={model.points}
          margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
          title={title}
          onClick={(state) => {
            const i = Number(state?.activeIndex ?? state?.activeTooltipIndex);
            const point = Number.isInteger(i) ? model.points[i] : undefined;
            if (point && onSelectWeek) onSelectWeek(point.weekStart);
          }}
          style={onSelectWeek ? { cursor: 'pointer' } : undefined}
        >
          {model.bands.map((b) => (
            <ReferenceArea
              key={b.tone}
              y1={b.y1}
              y2={b.y2}
              fill={BAND_FILL[b.tone]}
              fillOpacity={1}
              stroke="none"
              ifOverflow="hidden"
            />
          ))}
          <CartesianGrid vertical={false} stroke="var(--grid)" />
          <XAxis
            dataKey="weekStart"
            tickFormatter={shortDate}
            tick={{ fontSize: 11 }}
            tickLine={false}
            interval={xInterval}
          />
          <YAxis
            domain={model.domain}
            tick={{ fontSize: 11 }}
            width={44}
            tickLine={false}
            axisLine={false}
            allowDataOverflow
            interval={0}
          />
          {model.warn !== null && (
            <ReferenceLine
              y={model.warn}
              stroke="var(--warn-strong)"
              strokeDasharray="4 3"
              ifOverflow="hidden"
              label={{
                value: `warn ${fmt(model.warn)}`,
                position: 'insideTopRight',
                fontSize: 10,
                fill: 'var(--muted)',
              }}
            />
          )}
          {model.breach !== null && model.breach !== model.warn && (
            <ReferenceLine
              y={model.breach}
              stroke="var(--bad)"
              strokeDasharray="4 3"
              ifOverflow="hidden"
              label={{
                value: `breach ${fmt(model.breach)}`,
                position: 'insideTopRight',
                fontSize: 10,
                fill: 'var(--muted)',
              }}
            />
          )}
          {model.partialWeek !== null && (
            <ReferenceLine
              x={model.partialWeek}
              stroke="var(--muted)"
              strokeDasharray="2 2"
              className="kpi-chart__partial"
              label={{ value: 'so far', position: 'insideTopLeft', fontSize: 10, fill: 'var(--muted)' }}
            />
          )}
          <Tooltip
            content={<TooltipBody unit={model.unit} />}
            cursor={{ stroke: 'var(--muted)', strokeDasharray: '2 2' }}
            isAnimationActive={NO_ANIMATION}
          />
          <Line
            type="linear"
            dataKey="value"
            stroke="var(--line)"
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={NO_ANIMATION}
            dot={renderDot}
            activeDot={{ r: 5 }}
          />
        </LineChart>
      )}
    </div>
  );
});
