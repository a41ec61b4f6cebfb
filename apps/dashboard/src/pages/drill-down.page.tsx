import { useEffect, useMemo, useRef } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/http';
import type { PullRequestItemDto, UnansweredRequestDto, WorkItemDto } from '../api/types';
import { ErrorNote, Loading } from '../components/query-state.component';
import { useEngagement } from '../hooks/use-engagements.hook';
import { useDrillDown } from '../hooks/use-drill-down.hook';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';
import { useNow } from '../hooks/use-now.hook';
import { useRangeParams } from '../hooks/use-range-params.hook';
import { dateTime, formatHours, formatMinutes, roundForDisplay, shortDate } from '../lib/format';
import { kpiLabel } from '../lib/kpi-registry';
import { drillDownFor, SLA_TEXT, weekRange, type DrillDown, type PrStage } from '../lib/prepare-drill-down';
import { isIsoDate } from '../lib/date-range';

const STAGE_LABEL: Record<PrStage, string> = {
  codingHours: 'Coding',
  pickupHours: 'Pickup',
  reviewHours: 'Review',
  cycleHours: 'Cycle',
};

function PullRequestTable({ rows, stage }: { rows: PullRequestItemDto[]; stage: PrStage }) {
  const stages: PrStage[] = ['codingHours', 'pickupHours', 'reviewHours', 'cycleHours'];
  return (
    <table data-testid="drill-table-pull-requests">
      <caption className="sr-only">Pull requests, slowest {STAGE_LABEL[stage].toLowerCase()} first</caption>
      <thead>
        <tr>
          <th scope="col">Pull request</th>
          <th scope="col">Author</th>
          <th scope="col">Merged</th>
          {stages.map((s) => (
            <th
              key={s}
              scope="col"
              className={`num${s === stage ? ' is-sorted' : ''}`}
              aria-sort={s === stage ? 'descending' : undefined}
            >
              {STAGE_LABEL[s]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((pr) => (
          <tr key={`${pr.repo}#${pr.number}`} data-testid="drill-row">
            <td>
              <a href={pr.url} target="_blank" rel="noreferrer noopener">
                {pr.repo}#{pr.number}
              </a>
            </td>
            <td>
              {pr.authorLogin}
              {pr.authorSide && <span className="muted small"> ({pr.authorSide})</span>}
            </td>
            <td>{dateTime(pr.mergedAt)}</td>
            {stages.map((s) => (
              <td key={s} className={`num${s === stage ? ' is-sorted' : ''}`}>
                {formatHours(pr.stages[s])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WorkItemTable({ rows }: { rows: WorkItemDto[] }) {
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
              <a href={w.url} target="_blank" rel="noreferrer noopener">
                {w.key}
              </a>
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
  const dialog = useRef<HTMLDialogElement>(null);
  const back = `/engagements/${id}${rangeQuery.toString() ? `?${rangeQuery}` : ''}`;
  const { from, to } = isIsoDate(week) ? weekRange(week) : range;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const label = kpiLabel(registry, key);
  return (
    <dialog
      ref={dialog}
      className="drawer"
      aria-labelledby="drill-title"
      data-testid="drill-down"
      onCancel={(e) => {
        e.preventDefault();
        navigate(back, { replace: true, preventScrollReset: true });
      }}
      onClick={(e) => {
        if (e.target === dialog.current) navigate(back, { replace: true, preventScrollReset: true });
      }}
    >
      <div className="drawer__inner">
        <header className="drawer__head">
          <div>
            <h2 id="drill-title">{label}</h2>
            <p className="muted small">
              {isIsoDate(week) ? `Week of ${shortDate(week)} (${from} → ${to})` : `${from} → ${to}`}
            </p>
          </div>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => navigate(back, { replace: true, preventScrollReset: true })}
            data-testid="drill-close"
            autoFocus
          >
            Close
          </button>
        </header>
        {drill ? (
          <DrillBody id={id} drill={drill} from={from} to={to} />
        ) : (
          <p className="muted">This KPI has no item list.</p>
        )}
      </div>
    </dialog>
  );
}
