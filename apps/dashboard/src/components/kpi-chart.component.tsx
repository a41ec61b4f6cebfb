import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartPoint, KpiChartModel } from '../lib/prepare-kpi-chart';
import { formatValue } from '../lib/format';

// The one place recharts is styled: every KPI chart in the app goes through here.
const BAND_FILL = { ok: 'var(--band-ok)', warn: 'var(--band-warn)', breach: 'var(--band-breach)' } as const;
const DOT_FILL = {
  ok: 'var(--good)',
  warn: 'var(--warn-strong)',
  breach: 'var(--bad)',
  no_data: 'transparent',
} as const;

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
      <strong>Week of {p.label}</strong>
      <div>{p.value === null ? 'No data (gap)' : formatValue(p.value, unit)}</div>
      <div className="muted">
        n = {p.n}
        {p.dropped ? ` · ${p.dropped} dropped` : ''}
      </div>
    </div>
  );
}

export function KpiChart({
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
  const fmt = (v: number) => formatValue(v, model.unit);
  const renderDot = (props: DotProps) => {
    const { cx, cy, payload, index } = props;
    const key = `dot-${index ?? 0}`;
    if (cx === undefined || cy === undefined || !payload || payload.value === null) return <g key={key} />;
    const isolated = model.isolated.includes(payload.weekStart);
    return (
      <circle
        key={key}
        cx={cx}
        cy={cy}
        r={isolated ? 4 : 3}
        fill={DOT_FILL[payload.status]}
        stroke="var(--surface)"
        strokeWidth={1}
      />
    );
  };
  return (
    <div className="kpi-chart" data-testid={`kpi-chart-${model.key}`}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
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
            dataKey="label"
            tick={{ fontSize: 11 }}
            tickLine={false}
            minTickGap={16}
            interval="preserveStartEnd"
          />
          <YAxis
            domain={model.domain}
            tick={{ fontSize: 11 }}
            width={44}
            tickLine={false}
            axisLine={false}
            allowDataOverflow
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
          <Tooltip
            content={<TooltipBody unit={model.unit} />}
            cursor={{ stroke: 'var(--muted)', strokeDasharray: '2 2' }}
          />
          <Line
            type="linear"
            dataKey="value"
            stroke="var(--line)"
            strokeWidth={2}
            connectNulls={false}
            isAnimationActive={false}
            dot={renderDot}
            activeDot={{ r: 5 }}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
