import { useCallback, useEffect, useMemo } from 'react';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { FreshnessList } from '../components/freshness-list.component';
import { HealthExplanationView } from '../components/health-explanation.component';
import { HealthHeadline } from '../components/health-headline.component';
import { KpiBoardView } from '../components/kpi-board.component';
import { kpiAnchorId } from '../components/kpi-card.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { RangePicker } from '../components/range-picker.component';
import { SyncButton, SyncRunsTable } from '../components/sync-panel.component';
import { useEngagement, useEngagementHealth } from '../hooks/use-engagements.hook';
import { useEngagementKpis } from '../hooks/use-engagement-kpis.hook';
import { useNow } from '../hooks/use-now.hook';
import { useMembers } from '../hooks/use-people.hook';
import { useMe } from '../hooks/use-session.hook';
import { canEdit, engagementAccess } from '../lib/engagement-access';
import { useRangeParams } from '../hooks/use-range-params.hook';
import { dateTime, relativeTime } from '../lib/format';
import { preparePortfolioCard } from '../lib/prepare-portfolio-card';
import { DrillDownPage } from './lazy-pages';

const anchorFor = (key: string) => `#${kpiAnchorId(key)}`;

export function EngagementPage() {
  const { id = '' } = useParams();
  const now = useNow();
  const engagement = useEngagement(id);
  const health = useEngagementHealth(id);
  const me = useMe();
  const members = useMembers(id);
  const { preset, range, setRange, rangeQuery } = useRangeParams(engagement.data?.reportingTimeZone, now);
  const kpis = useEngagementKpis(id, range);
  const zone = engagement.data?.reportingTimeZone ?? kpis.data?.reportingTimeZone ?? 'UTC';
  const headline = useMemo(
    () => (health.data ? preparePortfolioCard({ health: health.data, weeks: undefined, zone }) : null),
    [health.data, zone],
  );

  // The drawer's code is small: fetch it with the page, so the first click neither waits for
  // it nor for React's hold on a page that suspended (see lazy-pages).
  useEffect(() => {
    DrillDownPage.preload().catch(() => undefined); // the click loads it again, and shows why
  }, []);

  // Stable while the range stays the same, so opening the drawer re-renders no card or chart.
  const rangeString = rangeQuery.toString();
  const drillHref = useCallback(
    (key: string, week?: string) => {
      const q = new URLSearchParams(rangeString);
      if (week) q.set('week', week);
      const s = q.toString();
      return `/engagements/${id}/kpi/${encodeURIComponent(key)}${s ? `?${s}` : ''}`;
    },
    [id, rangeString],
  );
  const navigate = useNavigate();
  const onSelectWeek = useCallback(
    (key: string, week: string) => navigate(drillHref(key, week), { preventScrollReset: true }),
    [drillHref, navigate],
  );

  if (engagement.isPending) return <Loading />;
  if (engagement.error) return <ErrorNote error={engagement.error} />;
  const e = engagement.data;
  const settingsHref = `/engagements/${id}/settings`;
  // While membership loads, admins and owners still see their controls; others wait for it.
  const editable = !!me.data && canEdit(engagementAccess(me.data, members.data, e.myAccess));

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="crumbs small">
        <Link to="/">Engagements</Link> / <span aria-current="page">{e.name}</span>
      </nav>
      <div className="page__head">
        <div>
          <h1 data-testid="engagement-name">{e.name}</h1>
          <p className="muted">
            {e.vendorName} · weeks and times in {e.reportingTimeZone}
            {kpis.data?.computedAt && <> · KPIs computed {relativeTime(kpis.data.computedAt, now)}</>}
          </p>
          <p className="muted small" data-testid="data-kept-from">
            Data kept from {dateTime(e.dataKeptFrom, e.reportingTimeZone)} ({e.settings.retentionMonths}{' '}
            months)
            {e.settings.teamLevelOnly && <> · team-level only: people are not named</>}
          </p>
        </div>
        <div className="page__actions">
          {headline && (
            <HealthHeadline
              status={headline.status}
              score={headline.score}
              staleText={headline.staleText}
              quiet={headline.quiet}
            />
          )}
          {editable && <SyncButton engagementId={id} />}
          <Link to={settingsHref} className="button button--ghost" data-testid="settings-link">
            {editable ? 'Settings' : 'Members'}
          </Link>
        </div>
      </div>
      {headline && <FreshnessList items={headline.freshness} settingsHref={`${settingsHref}/connections`} />}
      {health.error && <ErrorNote error={health.error} />}
      {health.data && (
        <HealthExplanationView
          health={health.data}
          zone={zone}
          anchorFor={anchorFor}
          settingsHref={`${settingsHref}/thresholds`}
        />
      )}
      <div className="toolbar">
        <h2 className="toolbar__title">Weekly KPIs</h2>
        <RangePicker preset={preset} range={range} onChange={setRange} />
        <span className="muted small">
          {range.from} → {range.to} · headline values: last 28 days · the current week is marked “so far”
          {kpis.isFetching && ' · updating…'}
        </span>
      </div>
      {kpis.error && <ErrorNote error={kpis.error} />}
      {kpis.isPending && <Loading label="Loading KPIs…" />}
      {kpis.board && (
        <KpiBoardView board={kpis.board} zone={zone} drillHref={drillHref} onSelectWeek={onSelectWeek} />
      )}
      <SyncRunsTable engagementId={id} now={now} zone={zone} />
      <Outlet />
    </div>
  );
}
