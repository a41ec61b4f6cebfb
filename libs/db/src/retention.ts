import { DateTime } from 'luxon';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  ChatMessageEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  IdentityHintEntity,
  KpiValueEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  SyncRunEntity,
  WorkItemEntity,
} from './entities';

/**
 * The first instant inside a retention window of `months`: midnight, in the engagement's
 * reporting zone, of the day `months` before `now`. Records before it are past the window.
 */
export function retentionCutoff(months: number, zone: string, now: number): number {
  return DateTime.fromMillis(now, { zone }).minus({ months }).startOf('day').toMillis();
}

/**
 * Each table's instant that decides whether a row is past the window: the last time the
 * item changed (PRs, work items), or when it happened. docs/privacy.md lists the same.
 */
const RAW: { table: string; target: EntityTarget<ObjectLiteral>; column: string }[] = [
  { table: 'pull_requests', target: PullRequestEntity, column: 'updated_at' },
  { table: 'reviews', target: ReviewEntity, column: 'submitted_at' },
  { table: 'deployments', target: DeploymentEntity, column: 'created_at' },
  { table: 'releases', target: ReleaseEntity, column: 'published_at' },
  { table: 'coverage_samples', target: CoverageSampleEntity, column: 'committed_at' },
  { table: 'work_items', target: WorkItemEntity, column: 'updated_at' },
  { table: 'sprints', target: SprintEntity, column: 'end_at' },
  { table: 'chat_messages', target: ChatMessageEntity, column: 'at' },
  { table: 'sync_runs', target: SyncRunEntity, column: 'created_at' },
];

export type RetentionReport = Record<string, number>;

/**
 * Deletes an engagement's records past the window (before `cutoff`) and what was derived
 * from them only: weekly KPI values of weeks that ended by the cutoff, and commit-email
 * hints of logins that no kept PR or review names. Weekly values of later weeks and the
 * trailing values stay as computed, so the history on the dashboard does not shift.
 */
export async function applyRetention(
  dataSource: DataSource,
  engagementId: string,
  cutoff: number,
): Promise<RetentionReport> {
  const report: RetentionReport = {};
  await dataSource.transaction(async (tx) => {
    for (const { table, target, column } of RAW) {
      const result = await tx
        .createQueryBuilder()
        .delete()
        .from(target)
        .where(`engagement_id = :engagementId AND ${column} < :cutoff`, { engagementId, cutoff })
        .execute();
      report[table] = result.affected ?? 0;
    }
    const weeks = await tx
      .createQueryBuilder()
      .delete()
      .from(KpiValueEntity)
      .where(`engagement_id = :engagementId AND period = 'week' AND bucket_end <= :cutoff`, {
        engagementId,
        cutoff,
      })
      .execute();
    report.kpi_values = weeks.affected ?? 0;
    const hints = await tx
      .createQueryBuilder()
      .delete()
      .from(IdentityHintEntity)
      .where('engagement_id = :engagementId', { engagementId })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM pull_requests p WHERE p.engagement_id = :engagementId AND p.author_login = identity_hints.external_id)`,
      )
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM reviews r WHERE r.engagement_id = :engagementId AND r.reviewer_login = identity_hints.external_id)`,
      )
      .execute();
    report.identity_hints = hints.affected ?? 0;
  });
  return report;
}
