import { memo, useRef } from 'react';
import { ChartWidthContext, useMeasuredChartWidth } from '../hooks/use-chart-width.hook';
import type { KpiBoard } from '../hooks/use-engagement-kpis.hook';
import { familyLabel } from '../lib/format';
import { KpiCard, type DrillHref } from './kpi-card.component';

/** One section per KPI family, one card per KPI with data; shared by manager and vendor views. */
export const KpiBoardView = memo(function KpiBoardView({
  board,
  zone,
  drillHref,
  onSelectWeek,
  drillLinkTestId,
}: {
  board: KpiBoard;
  zone: string;
  drillHref?: DrillHref;
  onSelectWeek?: (key: string, weekStart: string) => void;
  /** data-testid prefix of the drill-down links (the vendor view has its own). */
  drillLinkTestId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartWidth = useMeasuredChartWidth(ref);
  return (
    <ChartWidthContext.Provider value={chartWidth}>
      <div className="board" ref={ref}>
        {board.map((group) => (
          <section
            key={group.family}
            className="family"
            aria-labelledby={`family-${group.family}`}
            data-testid={`family-${group.family}`}
          >
            <h2 id={`family-${group.family}`} className="family__title">
              {familyLabel(group.family)}
            </h2>
            {group.kpis.length === 0 && <p className="muted">No data for this family yet.</p>}
            <div className="family__grid">
              {group.kpis.map(({ kpi, chart, summary }) => (
                <KpiCard
                  key={kpi.key}
                  kpi={kpi}
                  chart={chart}
                  summary={summary}
                  zone={zone}
                  drillHref={drillHref}
                  onSelectWeek={onSelectWeek}
                  drillLinkTestId={drillLinkTestId}
                />
              ))}
            </div>
            {group.withoutData.length > 0 && (
              <div className="muted small family__empty" data-testid={`family-gaps-${group.family}`}>
                <p>No data yet:</p>
                <ul>
                  {group.withoutData.map((k) => (
                    <li key={k.key} data-testid={`kpi-gap-${k.key}`}>
                      {k.explanation}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
        ))}
      </div>
    </ChartWidthContext.Provider>
  );
});
