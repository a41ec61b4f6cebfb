import { useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/http';
import { DrillDrawer } from '../components/drill-drawer.component';
import { PullRequestTable } from '../components/pull-request-table.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';
import { useSharedView, useSharePullRequests } from '../hooks/use-share.hook';
import { isIsoDate, type DateRange } from '../lib/date-range';
import { shortDate } from '../lib/format';
import { kpiLabel } from '../lib/kpi-registry';
import { shareDrillDownFor, weekRange, type PrStage } from '../lib/prepare-drill-down';

function SharePullRequests({ token, stage, range }: { token: string; stage: PrStage; range: DateRange }) {
  const q = useSharePullRequests(token, stage, range);
  if (q.isPending) return <Loading label="Loading pull requests…" />;
  if (q.error) {
    // 404: the link no longer shares item lists; 410: it was revoked or expired meanwhile.
    if (isApiError(q.error, 404) || isApiError(q.error, 410) || isApiError(q.error, 401))
      return <p className="notice">The pull requests behind this KPI are not shared on this link.</p>;
    return <ErrorNote error={q.error} />;
  }
  if (!q.data || q.data.length === 0) return <p className="muted">No pull requests in this period.</p>;
  return (
    <div className="table-wrap">
      <p className="muted small">{q.data.length} pull requests</p>
      <PullRequestTable rows={q.data} stage={stage} />
    </div>
  );
}

/** The PRs behind a delivery KPI of a share link, read-only, over the vendor's page. */
export function ShareDrillDownPage() {
  const { token = '', key = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const registry = useKpiRegistry();
  // Already loaded by the share page this route is nested in; gives the range and the rights.
  const shared = useSharedView(token);
  const week = params.get('week');
  const view = shared.data;
  const drill = useMemo(() => (view ? shareDrillDownFor(key, view) : null), [key, view]);
  const range = useMemo<DateRange | null>(() => {
    if (isIsoDate(week)) return weekRange(week);
    return view ? { from: view.kpis.from, to: view.kpis.to } : null;
  }, [week, view]);
  const close = () =>
    navigate(`/share/${encodeURIComponent(token)}`, { replace: true, preventScrollReset: true });

  const subtitle = !range
    ? ''
    : isIsoDate(week)
      ? `Week of ${shortDate(week)} (${range.from} → ${range.to})`
      : `${range.from} → ${range.to}`;
  return (
    <DrillDrawer title={kpiLabel(registry, key)} subtitle={subtitle} onClose={close}>
      {shared.isPending ? (
        <Loading />
      ) : drill && range ? (
        <SharePullRequests token={token} stage={drill.stage} range={range} />
      ) : (
        <p className="muted">This link does not share the items behind this KPI.</p>
      )}
    </DrillDrawer>
  );
}
