import { Link, useNavigate } from 'react-router';
import type { KpiSeriesDto } from '@pulse/contracts';
import type { KpiChartModel, KpiSummary } from '../lib/prepare-kpi-chart';
import type { KpiMeta } from '../lib/kpi-registry';
import { labelFromKey } from '../lib/kpi-registry';
import { KpiChart } from './kpi-chart.component';
import { InfoTip } from './info-tip.component';
import { StatusBadge } from './status-badge.component';

/** The element id of a KPI's card, for in-page links from the health explanation. */
export function kpiAnchorId(key: string): string {
  return `kpi-card-${key.replace(/\W/g, '-')}`;
}

const TREND_TEXT = { better: 'better', worse: 'worse', same: 'unchanged', neutral: '' } as const;

export function KpiCard({
  kpi,
  chart,
  summary,
  meta,
  drillHref,
  drillLinkTestId = 'drill-link',
}: {
  kpi: KpiSeriesDto;
  chart: KpiChartModel;
  summary: KpiSummary;
  meta: KpiMeta | undefined;
  /** Where the items behind the KPI (optionally of one week) are listed; none = no drill-down. */
  drillHref?: (weekStart?: string) => string;
  drillLinkTestId?: string;
}) {
  const navigate = useNavigate();
  const label = meta?.label ?? labelFromKey(kpi.key);
  const headingId = `kpi-${kpi.key.replace(/\W/g, '-')}`;
  const wow = summary.weekOverWeek;
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
        <InfoTip label={`Definition of ${label}`}>{meta?.description || kpi.description}</InfoTip>
        <StatusBadge status={summary.status} />
      </header>
      <div className="kpi-card__numbers">
        <span className="kpi-card__value" data-testid="kpi-value">
          {summary.valueText}
        </span>
        <span className="kpi-card__meta">
          {summary.basis === 'trailing'
            ? 'last 28 days'
            : summary.basis === 'latest week'
              ? 'latest week'
              : ''}
          {summary.basis !== 'none' && <> · n = {summary.n}</>}
          {summary.dropped > 0 && <> · {summary.dropped} dropped</>}
        </span>
      </div>
      <p className="kpi-card__threshold small">
        {summary.thresholdText}
        {wow && (
          <span className={`wow wow--${wow.trend}`} title="Change from the previous week">
            {' · '}
            <span aria-hidden="true">{wow.delta > 0 ? '▲' : wow.delta < 0 ? '▼' : '■'} </span>
            {wow.text} week over week{TREND_TEXT[wow.trend] ? ` (${TREND_TEXT[wow.trend]})` : ''}
          </span>
        )}
      </p>
      <KpiChart
        model={chart}
        title={`${label}, weekly`}
        onSelectWeek={drillHref ? (week) => navigate(drillHref(week)) : undefined}
      />
      {!chart.hasData && <p className="muted small">No weekly data in this range.</p>}
      {drillHref && (
        <p className="kpi-card__actions">
          <Link to={drillHref()} data-testid={`${drillLinkTestId}-${kpi.key}`}>
            Show items behind this KPI →
          </Link>
        </p>
      )}
    </article>
  );
}
