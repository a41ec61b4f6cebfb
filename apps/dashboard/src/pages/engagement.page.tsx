import { useCallback } from 'react';
import { Link, Outlet, useParams } from 'react-router';
import { FreshnessList } from '../components/freshness-list.component';
import { HealthExplanationView } from '../components/health-explanation.component';
import { KpiBoardView } from '../components/kpi-board.component';
import { kpiAnchorId } from '../components/kpi-card.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { RangePicker } from '../components/range-picker.component';
import { StatusBadge } from '../components/status-badge.component';
import { SyncButton, SyncRunsTable } from '../components/sync-panel.component';
import { useConnections, useEngagement, useEngagementHealth } from '../hooks/use-engagements.hook';
import { useEngagementKpis } from '../hooks/use-engagement-kpis.hook';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';
import { useNow } from '../hooks/use-now.hook';
import { useRangeParams } from '../hooks/use-range-params.hook';
import { relativeTime } from '../lib/format';
import { connectionFreshness } from '../lib/prepare-portfolio-card';
import { drillDownFor } from '../lib/prepare-drill-down';

export function EngagementPage() {
  const { id = '' } = useParams();
  const now = useNow();
  const engagement = useEngagement(id);
  const health = useEngagementHealth(id);
  const connections = useConnections(id);
  const registry = useKpiRegistry();
  const { preset, range, setRange, rangeQuery } = useRangeParams(engagement.data?.reportingTimeZone, now);
  const kpis = useEngagementKpis(id, range);

  const drillHref = useCallback(
    (key: string, week?: string) => {
      if (!drillDownFor(key)) return null;
      const q = new URLSearchParams(rangeQuery);
      if (week) q.set('week', week);
      const s = q.toString();
      return `/engagements/${id}/kpi/${encodeURIComponent(key)}${s ? `?${s}` : ''}`;
    },
    [id, rangeQuery],
  );

  if (engagement.isPending) return <Loading />;
  if (engagement.error) return <ErrorNote error={engagement.error} />;
  const e = engagement.data;
  const settingsHref = `/engagements/${id}/settings`;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="crumbs small">
        <Link to="/">Engagements</Link> / <span aria-current="page">{e.name}</span>
      </nav>
      <div className="page__head">
        <div>
          <h1 data-testid="engagement-name">{e.name}</h1>
          <p className="muted">
            {e.vendorName} · weeks in {e.reportingTimeZone}
            {kpis.data?.computedAt && <> · KPIs computed {relativeTime(kpis.data.computedAt, now)}</>}
          </p>
        </div>
        <div className="page__actions">
          {health.data && (
            <div className="headline" data-testid="engagement-health">
              <StatusBadge status={health.data.status} size="lg" />
              <span className="headline__score">
                <strong data-testid="engagement-score">{health.data.score ?? '—'}</strong>
                <span className="muted small"> / 100</span>
              </span>
            </div>
          )}
          <SyncButton engagementId={id} />
          <Link to={settingsHref} className="button button--ghost" data-testid="settings-link">
            Settings
          </Link>
        </div>
      </div>
      {connections.data && (
        <FreshnessList
          items={connections.data.map((c) => connectionFreshness(c, now))}
          settingsHref={`${settingsHref}/connections`}
        />
      )}
      {health.error && <ErrorNote error={health.error} />}
      {health.data && (
        <HealthExplanationView
          health={health.data}
          registry={registry}
          anchorFor={(key) => `#${kpiAnchorId(key)}`}
          settingsHref={`${settingsHref}/thresholds`}
        />
      )}
      <div className="toolbar">
        <h2 className="toolbar__title">Weekly KPIs</h2>
        <RangePicker preset={preset} range={range} onChange={setRange} />
        <span className="muted small">
          {range.from} → {range.to}
          {kpis.isFetching && ' · updating…'}
        </span>
      </div>
      {kpis.error && <ErrorNote error={kpis.error} />}
      {kpis.isPending && <Loading label="Loading KPIs…" />}
      {kpis.board && <KpiBoardView board={kpis.board} registry={registry} drillHref={drillHref} />}
      <SyncRunsTable engagementId={id} now={now} />
      <Outlet />
    </div>
  );
}
