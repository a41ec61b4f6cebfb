import { useCallback, useEffect, useMemo } from 'react';
import { Outlet, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/http';
import { Brand } from '../components/app-shell.component';
import { HealthExplanationView } from '../components/health-explanation.component';
import { HealthHeadline } from '../components/health-headline.component';
import { KpiBoardView } from '../components/kpi-board.component';
import { kpiAnchorId } from '../components/kpi-card.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { prepareBoard } from '../hooks/use-engagement-kpis.hook';
import { useNow } from '../hooks/use-now.hook';
import { useSharedView } from '../hooks/use-share.hook';
import { instant, relativeTime } from '../lib/format';
import { canShareDrillDown } from '../lib/prepare-drill-down';
import { sharedHealth } from '../lib/prepare-shared-view';
import { ShareDrillDownPage } from './lazy-pages';

const anchorFor = (key: string) => `#${kpiAnchorId(key)}`;

function InvalidLink() {
  return (
    <main id="main" className="login">
      <div className="login__card panel" data-testid="share-invalid">
        <h1 className="login__title">
          <Brand />
        </h1>
        <h2>This link is no longer valid</h2>
        <p className="muted">
          It may have expired or been revoked. Ask the person who shared it for a new one.
        </p>
      </div>
    </main>
  );
}

/** The vendor's read-only view of one engagement, reached by a share link. */
export function SharePage() {
  const { token = '' } = useParams();
  const now = useNow();
  const shared = useSharedView(token);
  const board = useMemo(() => (shared.data ? prepareBoard(shared.data.kpis) : null), [shared.data]);
  const health = useMemo(() => (shared.data ? sharedHealth(shared.data) : null), [shared.data]);
  const view = shared.data;
  // A link that lists items: fetch the drawer's code now, so the first click opens it at once.
  const allowDrillDown = !!view?.allowDrillDown;
  useEffect(() => {
    if (allowDrillDown) ShareDrillDownPage.preload().catch(() => undefined);
  }, [allowDrillDown]);
  const drillHref = useCallback(
    (key: string, week?: string) => {
      if (
        !view ||
        !canShareDrillDown(
          view.kpis.kpis.find((k) => k.key === key),
          view,
        )
      )
        return null;
      const base = `/share/${encodeURIComponent(token)}/kpi/${encodeURIComponent(key)}`;
      return week ? `${base}?${new URLSearchParams({ week })}` : base;
    },
    [token, view],
  );
  const navigate = useNavigate();
  const onSelectWeek = useCallback(
    (key: string, week: string) => {
      const href = drillHref(key, week);
      if (href) navigate(href);
    },
    [drillHref, navigate],
  );
  if (shared.isPending) return <Loading />;
  if (shared.error) {
    if (isApiError(shared.error, 404) || isApiError(shared.error, 410) || isApiError(shared.error, 401))
      return <InvalidLink />;
    return (
      <main id="main" className="page">
        <ErrorNote error={shared.error} />
      </main>
    );
  }
  const { engagement, kpis } = shared.data;
  return (
    <>
      <header className="topbar">
        <span className="topbar__home">
          <Brand />
        </span>
        <span className="muted small">Read-only view shared with {engagement.vendorName}</span>
      </header>
      <main id="main" className="page" data-testid="share-view">
        <div className="page__head">
          <div>
            <h1 data-testid="engagement-name">{engagement.name}</h1>
            <p className="muted">
              {engagement.vendorName} · weeks and times in {engagement.reportingTimeZone}
              {kpis.computedAt && <> · KPIs computed {relativeTime(kpis.computedAt, now)}</>}
            </p>
          </div>
          {health && (
            <HealthHeadline
              status={health.status}
              score={health.score}
              quiet={health.qualifiers.quiet}
              staleText={
                health.qualifiers.staleSince
                  ? `stale since ${instant(health.qualifiers.staleSince, engagement.reportingTimeZone)}`
                  : null
              }
            />
          )}
        </div>
        {health && (
          <HealthExplanationView health={health} zone={engagement.reportingTimeZone} anchorFor={anchorFor} />
        )}
        <div className="toolbar">
          <h2 className="toolbar__title">Weekly KPIs</h2>
          <span className="muted small">
            {kpis.from} → {kpis.to}
          </span>
        </div>
        {board && (
          <KpiBoardView
            board={board}
            zone={engagement.reportingTimeZone}
            drillHref={drillHref}
            onSelectWeek={onSelectWeek}
            drillLinkTestId="share-drill-link"
          />
        )}
        <Outlet />
      </main>
    </>
  );
}
