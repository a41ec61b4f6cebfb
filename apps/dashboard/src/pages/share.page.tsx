import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import { api, isApiError } from '../api/http';
import type { SharedEngagementDto } from '../api/types';
import { Brand } from '../components/app-shell.component';
import { HealthExplanationView } from '../components/health-explanation.component';
import { KpiBoardView } from '../components/kpi-board.component';
import { kpiAnchorId } from '../components/kpi-card.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { StatusBadge } from '../components/status-badge.component';
import { prepareBoard } from '../hooks/use-engagement-kpis.hook';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';
import { useNow } from '../hooks/use-now.hook';
import { queryKeys } from '../hooks/query-keys';
import { relativeTime } from '../lib/format';

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
  const registry = useKpiRegistry();
  const shared = useQuery({
    queryKey: queryKeys.share(token),
    queryFn: () => api<SharedEngagementDto>(`/api/share/${encodeURIComponent(token)}`, { quiet401: true }),
    retry: false,
  });
  const board = useMemo(() => (shared.data ? prepareBoard(shared.data.kpis) : null), [shared.data]);
  // Belt and braces: explain only with the families the link shares, whatever the API sends.
  const health = useMemo(() => {
    if (!shared.data) return null;
    const families = new Set(shared.data.kpis.kpis.map((k) => k.family));
    const h = shared.data.health;
    const keep = <T extends { family: string }>(xs: T[]) => xs.filter((x) => families.has(x.family));
    return {
      ...h,
      breaches: keep(h.breaches),
      warnings: keep(h.warnings),
      entries: keep(h.entries),
      families: keep(h.families),
    };
  }, [shared.data]);
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
  if (!health) return null;
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
              {engagement.vendorName} · weeks in {engagement.reportingTimeZone}
              {kpis.computedAt && <> · KPIs computed {relativeTime(kpis.computedAt, now)}</>}
            </p>
          </div>
          <div className="headline" data-testid="engagement-health">
            <StatusBadge status={health.status} size="lg" />
            <span className="headline__score">
              <strong data-testid="engagement-score">{health.score ?? '—'}</strong>
              <span className="muted small"> / 100</span>
            </span>
          </div>
        </div>
        <HealthExplanationView
          health={health}
          registry={registry}
          anchorFor={(key) => `#${kpiAnchorId(key)}`}
        />
        <div className="toolbar">
          <h2 className="toolbar__title">Weekly KPIs</h2>
          <span className="muted small">
            {kpis.from} → {kpis.to}
          </span>
        </div>
        {board && <KpiBoardView board={board} registry={registry} />}
      </main>
    </>
  );
}
