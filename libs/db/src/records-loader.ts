import type { DataSource } from 'typeorm';
import {
  ChatMessageEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  PersonEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  WorkItemEntity,
} from './entities';
import type { EngagementRecords, KpiSource } from '@pulse/contracts';
import {
  chatMessageTable,
  coverageSampleTable,
  deploymentTable,
  personFromRow,
  pullRequestTable,
  releaseTable,
  reviewTable,
  sprintTable,
  workItemTable,
} from './record-mapping';

/**
 * Everything the KPI engine reads for one engagement, from the normalized tables: the
 * rollup computes values from it and the API's drill-down lists the items behind them.
 * With `sources`, only the tables those sources fill are read (a PR list does not need a
 * million chat messages); the others come back empty.
 */
export async function loadEngagementRecords(
  dataSource: DataSource,
  engagementId: string,
  sources?: readonly KpiSource[],
): Promise<EngagementRecords> {
  const where = { engagementId };
  const want = (...from: KpiSource[]): boolean => !sources || from.some((s) => sources.includes(s));
  const none = Promise.resolve([]);
  const [people, prs, reviews, deployments, releases, coverage, workItems, sprints, messages] =
    await Promise.all([
      dataSource.getRepository(PersonEntity).findBy(where),
      want('github') ? dataSource.getRepository(PullRequestEntity).findBy(where) : none,
      want('github') ? dataSource.getRepository(ReviewEntity).findBy(where) : none,
      want('github') ? dataSource.getRepository(DeploymentEntity).findBy(where) : none,
      want('github') ? dataSource.getRepository(ReleaseEntity).findBy(where) : none,
      want('coverage') ? dataSource.getRepository(CoverageSampleEntity).findBy(where) : none,
      // GitHub issues are work items too (bugs).
      want('jira', 'github') ? dataSource.getRepository(WorkItemEntity).findBy(where) : none,
      want('jira') ? dataSource.getRepository(SprintEntity).findBy(where) : none,
      want('slack')
        ? dataSource.getRepository(ChatMessageEntity).find({ where, order: { at: 'ASC' } })
        : none,
    ]);
  return {
    people: people.map(personFromRow),
    pullRequests: prs.map(pullRequestTable.fromRow),
    reviews: reviews.map(reviewTable.fromRow),
    deployments: deployments.map(deploymentTable.fromRow),
    releases: releases.map(releaseTable.fromRow),
    coverageSamples: coverage.map(coverageSampleTable.fromRow),
    workItems: workItems.map(workItemTable.fromRow),
    sprints: sprints.map(sprintTable.fromRow),
    chatMessages: messages.map(chatMessageTable.fromRow),
  };
}

/** The earliest instant any record of the engagement refers to (for a full rollup). */
export function earliestRecordAt(records: EngagementRecords): number | null {
  let min = Infinity;
  const see = (t: number | null | undefined) => {
    if (typeof t === 'number' && t < min) min = t;
  };
  for (const p of records.pullRequests) see(p.firstCommitAt ?? p.createdAt);
  for (const w of records.workItems) see(w.createdAt);
  for (const m of records.chatMessages) see(m.at);
  for (const c of records.coverageSamples) see(c.committedAt);
  for (const d of records.deployments) see(d.createdAt);
  for (const s of records.sprints) see(s.startAt);
  return Number.isFinite(min) ? min : null;
}
