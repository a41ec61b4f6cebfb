import type { KpiBoard } from '../hooks/use-engagement-kpis.hook';
import { familyLabel } from '../lib/format';
import { kpiLabel, type KpiMeta } from '../lib/kpi-registry';
import { KpiCard } from './kpi-card.component';

/** One section per KPI family, one card per KPI with data; shared by manager and vendor views. */
export function KpiBoardView({
  board,
  registry,
  drillHref,
  drillLinkTestId,
}: {
  board: KpiBoard;
  registry: ReadonlyMap<string, KpiMeta>;
  drillHref?: (key: string, weekStart?: string) => string | null;
  /** data-testid prefix of the drill-down links (the vendor view has its own). */
  drillLinkTestId?: string;
}) {
  return (
    <div className="board">
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
            {group.kpis.map(({ kpi, chart, summary }) => {
              const href = drillHref?.(kpi.key) ?? null;
              return (
                <KpiCard
                  key={kpi.key}
                  kpi={kpi}
                  chart={chart}
                  summary={summary}
                  meta={registry.get(kpi.key)}
                  drillHref={href && drillHref ? (week) => drillHref(kpi.key, week) ?? href : undefined}
                  drillLinkTestId={drillLinkTestId}
                />
              );
            })}
          </div>
          {group.withoutData.length > 0 && (
            <p className="muted small family__empty">
              No data yet: {group.withoutData.map((k) => kpiLabel(registry, k)).join(', ')}.
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
