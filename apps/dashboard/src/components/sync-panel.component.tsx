import type { SyncRunDto } from '@pulse/contracts';
import { useSync } from '../hooks/use-sync.hook';
import { dateTime, relativeTime } from '../lib/format';
import { countsText, durationText, progressPercent, progressText } from '../lib/sync-progress';
import { ErrorNote } from './query-state.component';

const RUN_STATUS: Record<SyncRunDto['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly succeeded',
  skipped: 'Skipped',
  failed: 'Failed',
};

export function SyncButton({ engagementId }: { engagementId: string }) {
  const { start, active, latest } = useSync(engagementId);
  return (
    <div className="sync-now">
      <button
        type="button"
        className="button"
        data-testid="sync-now"
        onClick={() => start.mutate()}
        disabled={active || start.isPending}
      >
        {active ? 'Syncing…' : 'Sync now'}
      </button>
      {active && latest && (
        <div className="sync-now__progress" data-testid="sync-progress">
          {/* A queued run has no progress yet: an indeterminate bar, not a frozen "0 %". */}
          <progress
            max={100}
            value={latest.status === 'queued' ? undefined : progressPercent(latest)}
            aria-label="Sync progress"
          >
            {progressPercent(latest)} %
          </progress>
          <span className="small" aria-live="polite">
            {progressText(latest)}
          </span>
        </div>
      )}
      {start.data && !start.data.created && start.data.reason && (
        <p className="small muted" role="status" data-testid="sync-not-started">
          {start.data.reason}
        </p>
      )}
      {start.error && <ErrorNote error={start.error} />}
    </div>
  );
}

export function SyncRunsTable({ engagementId, now }: { engagementId: string; now: number }) {
  const { runs } = useSync(engagementId);
  if (runs.error) return <ErrorNote error={runs.error} />;
  const rows = runs.data ?? [];
  return (
    <details className="panel runs" data-testid="sync-runs">
      <summary>
        Last sync runs
        {rows[0]
          ? ` · latest ${RUN_STATUS[rows[0].status].toLowerCase()} ${relativeTime(rows[0].createdAt, now)}`
          : ''}
      </summary>
      {rows.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Records</th>
                <th scope="col">API calls</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{dateTime(r.startedAt ?? r.createdAt)}</td>
                  <td>{r.trigger}</td>
                  <td>
                    {RUN_STATUS[r.status]}
                    {(r.status === 'running' || r.status === 'queued') && ` (${progressPercent(r)} %)`}
                  </td>
                  <td>{durationText(r)}</td>
                  <td>{countsText(r.counts)}</td>
                  <td>
                    {r.apiCalls}
                    {r.apiCallsNotModified ? ` (${r.apiCallsNotModified} not modified)` : ''}
                  </td>
                  <td className="runs__error">{r.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
