import { useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { WorkItemDrillDownDto } from '@pulse/contracts';
import { isApiError } from '../api/http';
import type { UnansweredRequestDto } from '../api/types';
import { DrillDrawer } from '../components/drill-drawer.component';
import { PullRequestTable } from '../components/pull-request-table.component';
import { ErrorNote, Loading } from '../components/query-state.component';
import { useEngagement } from '../hooks/use-engagements.hook';
import { useDrillDown } from '../hooks/use-drill-down.hook';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';
import { useNow } from '../hooks/use-now.hook';
import { useRangeParams } from '../hooks/use-range-params.hook';
import { dateTime, formatMinutes, roundForDisplay, shortDate } from '../lib/format';
import { kpiLabel } from '../lib/kpi-registry';
import { drillDownFor, SLA_TEXT, weekRange, type DrillDown } from '../lib/prepare-drill-down';
import { isIsoDate } from '../lib/date-range';

function WorkItemTable({ rows }: { rows: WorkItemDrillDownDto[] }) {
  return (
    <table data-testid="drill-table-work-items">
      <caption className="sr-only">Work items, SLA breaches first, then oldest</caption>
      <thead>
        <tr>
          <th scope="col">Issue</th>
          <th scope="col">Type</th>
          <th scope="col">Priority</th>
          <th scope="col">Created</th>
          <th scope="col">Resolved</th>
          <th scope="col" className="num">
            Age
          </th>
          <th scope="col">SLA</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={w.key} data-testid="drill-row">
            <td>
              {w.url ? (
                <a href={w.url} target="_blank" rel="noreferrer noopener">
                  {w.key}
                </a>
              ) : (
                w.key
              )}
            </td>
            <td>{w.type}</td>
            <td>{w.priority ?? '—'}</td>
            <td>{dateTime(w.createdAt)}</td>
            <td>{w.resolvedAt ? dateTime(w.resolvedAt) : 'open'}</td>
            <td className="num">{roundForDisplay(w.ageDays)} d</td>
            <td>
              <span className={`sla sla--${w.slaState}`}>{SLA_TEXT[w.slaState]}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UnansweredTable({ rows }: { rows: UnansweredRequestDto[] }) {
  return (
    <table data-testid="drill-table-unanswered-requests">
      <caption className="sr-only">Unanswered requests, longest waiting first</caption>
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">Asked by</th>
          <th scope="col">Asked</th>
          <th scope="col" className="num">
            Waiting (business time)
          </th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.channel}-${r.askedAt}-${r.author}`} data-testid="drill-row">
            <td>#{r.channelName ?? r.channel}</td>
            <td>
              {r.author}
              {r.side && <span className="muted small"> ({r.side})</span>}
            </td>
            <td>{dateTime(r.askedAt)}</td>
            <td className="num">{formatMinutes(r.waitingBusinessMinutes)}</td>
            <td>
              {r.permalink ? (
                <a href={r.permalink} target="_blank" rel="noreferrer noopener">
                  Open in Slack
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DrillBody({ id, drill, from, to }: { id: string; drill: DrillDown; from: string; to: string }) {
  const range = useMemo(() => ({ from, to }), [from, to]);
  const q = useDrillDown(id, drill, range);
  if (q.isPending) return <Loading label="Loading items…" />;
  if (q.error) {
    if (isApiError(q.error, 404))
      return <p className="notice">The item list for this KPI is not available from this server yet.</p>;
    return <ErrorNote error={q.error} />;
  }
  if (!q.data || q.data.rows.length === 0) return <p className="muted">No items in this period.</p>;
  return (
    <div className="table-wrap">
      <p className="muted small">{q.data.rows.length} items</p>
      {q.data.kind === 'pull-requests' && drill.kind === 'pull-requests' && (
        <PullRequestTable rows={q.data.rows} stage={drill.stage} />
      )}
      {q.data.kind === 'work-items' && <WorkItemTable rows={q.data.rows} />}
      {q.data.kind === 'unanswered-requests' && <UnansweredTable rows={q.data.rows} />}
    </div>
  );
}

/** The items behind a KPI (or one week of it), in a modal dialog over the engagement page. */
export function DrillDownPage() {
  const { id = '', key = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const registry = useKpiRegistry();
  const now = useNow();
  const engagement = useEngagement(id);
  const { range, rangeQuery } = useRangeParams(engagement.data?.reportingTimeZone, now);
  const week = params.get('week');
  const drill = useMemo(() => drillDownFor(key), [key]);
  const back = `/engagements/${id}${rangeQuery.toString() ? `?${rangeQuery}` : ''}`;
  const { from, to } = isIsoDate(week) ? weekRange(week) : range;
  const close = () => navigate(back, { replace: true, preventScrollReset: true });

  return (
    <DrillDrawer
      title={kpiLabel(registry, key)}
      subtitle={isIsoDate(week) ? `Week of ${shortDate(week)} (${from} → ${to})` : `${from} → ${to}`}
      onClose={close}
    >
      {drill ? (
        <DrillBody id={id} drill={drill} from={from} to={to} />
      ) : (
        <p className="muted">This KPI has no item list.</p>
      )}
    </DrillDrawer>
  );
}
