import { memo, useCallback } from 'react';
import { Link } from 'react-router';
import type { KpiSeriesDto } from '@pulse/contracts';
import { instant } from '../lib/format';
import type { KpiChartModel, KpiSummary } from '../lib/prepare-kpi-chart';
import { KpiChart } from './kpi-chart.component';
import { InfoTip } from './info-tip.component';
import { StatusBadge } from './status-badge.component';

/** The element id of a KPI's card, for in-page links from the health explanation. */
export function kpiAnchorId(key: string): string {
  return `kpi-card-${key.replace(/\W/g, '-')}`;
}

const ARROW = { better: '▲', worse: '▼', flat: '■', up: '▲', down: '▼' } as const;

/** Where the items behind a KPI (optionally of one week) are listed; null = no drill-down. */
export type DrillHref = (key: string, weekStart?: string) => string | null;

/**
 * One KPI: the API's rated headline value for its window, the complete-week change, its
 * weekly chart. Memoised so a page re-render (a query resolving, the drawer opening) does
 * not redraw every chart; all props are stable between renders.
 */
export const KpiCard = memo(function KpiCard({
  kpi,
  chart,
  summary,
  zone,
  drillHref,
  onSelectWeek,
  drillLinkTestId = 'drill-link',
}: {
  kpi: KpiSeriesDto;
  chart: KpiChartModel;
  summary: KpiSummary;
  /** The engagement's reporting zone, for "stale since …". */
  zone: string;
  drillHref?: DrillHref;
  /** Opens one week's items (a click on a chart point). */
  onSelectWeek?: (key: string, weekStart: string) => void;
  drillLinkTestId?: string;
}) {
  // No router hook here: they re-render their component on every route change (the drawer
  // opening), and this card must not redraw its chart for that.
  const key = kpi.key;
  const selectWeek = useCallback((week: string) => onSelectWeek?.(key, week), [onSelectWeek, key]);
  const label = kpi.label;
  const headingId = `kpi-${kpi.key.replace(/\W/g, '-')}`;
  const wow = summary.weekOverWeek;
  const href = kpi.drillDown && drillHref ? drillHref(kpi.key) : null;
  return (
    <article
      id={kpiAnchorId(kpi.key)}
      className={`kpi-card kpi-card--${summary.status}`}
      aria-labelledby={headingId}
      data-testid={`kpi-card-${kpi.key}`}
      data-status={summary.status}
    >
      <header className="kpi-card__head">
        <h3 id={headingId} className="kpi-card__title">
          {label}
        </h3>
        <InfoTip label={`Definition of ${label}`}>{kpi.description}</InfoTip>
        <StatusBadge status={summary.status} />
      </header>
      <div className="kpi-card__numbers">
        <span className="kpi-card__value" data-testid="kpi-value">
          {summary.valueText}
        </span>
        <span className="kpi-card__meta" data-testid="kpi-n" data-n={summary.n}>
          {summary.windowLabel} · n = {summary.n} {summary.nLabel}
          {summary.dropped > 0 && <> · {summary.dropped} dropped</>}
        </span>
      </div>
      {summary.status === 'low_sample' && (
        <p className="small muted" data-testid="kpi-low-sample">
          Low sample: at least {summary.minN} {summary.nLabel} are needed to rate this value.
        </p>
      )}
      {summary.staleSince && (
        <p className="small stale-text" data-testid="kpi-stale">
          Stale since {instant(summary.staleSince, zone)}
        </p>
      )}
      <p className="kpi-card__threshold small">
        {summary.thresholdText}
        {wow && (
          <span className={`wow wow--${wow.trend}`} title={wow.title} data-testid="kpi-wow">
            {' · '}
            <span aria-hidden="true">{ARROW[wow.trend]} </span>
            {wow.text}, last complete week
          </span>
        )}
      </p>
      <p className="kpi-card__why small muted" data-testid="kpi-explanation">
        {summary.explanation}
      </p>
      {chart.hasData ? (
        <KpiChart
          model={chart}
          title={`${label}, weekly`}
          onSelectWeek={href && onSelectWeek ? selectWeek : undefined}
        />
      ) : (
        <p className="muted small kpi-chart__empty">No weekly data in this range.</p>
      )}
      {href && (
        <p className="kpi-card__actions">
          <Link to={href} data-testid={`${drillLinkTestId}-${kpi.key}`}>
            Show the {summary.n} {summary.nLabel} behind this value ({summary.windowLabel}) →
          </Link>
        </p>
      )}
    </article>
  );
});
