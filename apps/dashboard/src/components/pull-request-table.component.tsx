import type { PullRequestDrillDownDto } from '@pulse/contracts';
import { dateTime, formatHours } from '../lib/format';
import type { PrStage } from '../lib/prepare-drill-down';

const STAGE_LABEL: Record<PrStage, string> = {
  codingHours: 'Coding',
  pickupHours: 'Pickup',
  reviewHours: 'Review',
  cycleHours: 'Cycle',
};

const STAGES: PrStage[] = ['codingHours', 'pickupHours', 'reviewHours', 'cycleHours'];

/** The PRs behind a delivery KPI, sorted by the caller; shared by the manager and vendor drill-downs. */
export function PullRequestTable({ rows, stage }: { rows: PullRequestDrillDownDto[]; stage: PrStage }) {
  return (
    <table data-testid="drill-table-pull-requests">
      <caption className="sr-only">Pull requests, slowest {STAGE_LABEL[stage].toLowerCase()} first</caption>
      <thead>
        <tr>
          <th scope="col">Pull request</th>
          <th scope="col">Author</th>
          <th scope="col">Merged</th>
          {STAGES.map((s) => (
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
            {STAGES.map((s) => (
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
