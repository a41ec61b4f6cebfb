import type { RagStatus } from '@pulse/contracts';
import { StatusBadge } from './status-badge.component';

/**
 * The engagement's status and score. "No data yet" has no score at all (never a made-up
 * 0 or 100); a stale status says so next to the colour.
 */
export function HealthHeadline({
  status,
  score,
  staleText,
  quiet,
}: {
  status: RagStatus;
  score: number | null;
  staleText: string | null;
  quiet: boolean;
}) {
  return (
    <div className="headline" data-testid="engagement-health" data-status={status}>
      <StatusBadge status={status} size="lg" label={status === 'unknown' ? 'No data yet' : undefined} />
      {status !== 'unknown' && score !== null && (
        <span className="headline__score">
          <strong data-testid="engagement-score">{score}</strong>
          <span className="muted small"> / 100</span>
        </span>
      )}
      {quiet && <span className="badge badge--warn">Quiet</span>}
      {staleText && (
        <span className="small stale-text" data-testid="engagement-stale">
          {staleText}
        </span>
      )}
    </div>
  );
}
