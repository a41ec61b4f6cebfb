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
import type { EngagementRecords, KpiSource, PersonIdentity } from '@pulse/contracts';

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
  const prKey = (repo: string, number: number) => `${repo}#${number}`;
  return {
    people: people.map((p) => ({
      id: p.id,
      side: p.side,
      displayName: p.displayName,
      isBot: p.isBot,
      leftAt: p.leftAt,
      identities: (['github', 'jira', 'slack'] as const).flatMap((source) =>
        (p.identities[source] ?? []).map((externalId): PersonIdentity => ({ source, externalId })),
      ),
    })),
    pullRequests: prs.map((p) => ({
      id: prKey(p.repo, p.number),
      repo: p.repo,
      number: p.number,
      authorLogin: p.authorLogin,
      authorIsBot: p.authorIsBot,
      createdAt: p.createdAt,
      firstCommitAt: p.firstCommitAt,
      readyAt: p.readyAt,
      mergedAt: p.mergedAt,
      closedAt: p.closedAt,
      draft: p.draft,
      additions: p.additions,
      deletions: p.deletions,
      mergeCommitSha: p.mergeCommitSha,
      url: p.url,
    })),
    reviews: reviews.map((r) => ({
      pullRequestId: prKey(r.repo, r.pullNumber),
      kind: r.kind,
      reviewerLogin: r.reviewerLogin,
      reviewerIsBot: r.reviewerIsBot,
      submittedAt: r.submittedAt,
      state: r.state,
    })),
    deployments: deployments.map((d) => ({
      id: `${d.repo}/${d.sourceId}`,
      repo: d.repo,
      environment: d.environment,
      sha: d.sha,
      createdAt: d.createdAt,
      state: d.state,
      finishedAt: d.finishedAt,
    })),
    releases: releases.map((r) => ({
      id: `${r.repo}/${r.sourceId}`,
      repo: r.repo,
      tagName: r.tagName,
      publishedAt: r.publishedAt,
      draft: r.draft,
      prerelease: r.prerelease,
      targetSha: r.targetSha,
    })),
    coverageSamples: coverage.map((c) => ({
      repo: c.repo,
      branch: c.branch,
      isDefaultBranch: c.isDefaultBranch,
      sha: c.sha,
      committedAt: c.committedAt,
      linesCovered: c.linesCovered,
      linesValid: c.linesValid,
      branchesCovered: c.branchesCovered,
      branchesValid: c.branchesValid,
      source: c.source,
    })),
    workItems: workItems.map((w) => ({
      key: w.key,
      source: w.source,
      type: w.type,
      isSubtask: w.isSubtask,
      priority: w.priority,
      statusCategory: w.statusCategory,
      createdAt: w.createdAt,
      resolvedAt: w.resolvedAt,
      resolution: w.resolution,
      reporterId: w.reporterId,
      assigneeId: w.assigneeId,
      storyPoints: w.storyPoints,
      labels: w.labels,
      environment: w.environment,
      ...(w.isBug === null ? {} : { isBug: w.isBug }),
      ...(w.isEscaped === null ? {} : { isEscaped: w.isEscaped }),
      transitions: w.transitions,
      comments: w.comments,
      ...(w.reopenedAt === null ? {} : { reopenedAt: w.reopenedAt }),
    })),
    sprints: sprints.map((s) => ({
      id: s.sourceId,
      name: s.name ?? undefined,
      startAt: s.startAt,
      endAt: s.endAt,
      completedAt: s.completedAt,
      issueKeysAtStart: s.issueKeysAtStart,
      issueKeysAddedAfterStart: s.issueKeysAddedAfterStart,
    })),
    chatMessages: messages.map((m) => ({
      channel: m.channel,
      ts: m.ts,
      at: m.at,
      threadTs: m.threadTs,
      authorId: m.authorId,
      subtype: m.subtype,
      botId: m.botId,
      ...(m.edited ? { edited: true } : {}),
      ...(m.deleted ? { deleted: true } : {}),
    })),
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
