import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  ChatMessageEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  IdentityHintEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  upsertRows,
  WorkItemEntity,
} from '@pulse/db';
import type { ConnectorPage } from '@pulse/connectors';

/** A page of normalized records as a collector hands it over (the connector contract's page). */
export type RecordBatch = ConnectorPage;

const lastSegment = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const prKey = (pullRequestId: string) => {
  const hash = pullRequestId.lastIndexOf('#');
  return { repo: pullRequestId.slice(0, hash), number: Number(pullRequestId.slice(hash + 1)) };
};

/**
 * Deletes the engagement's work items of one source whose keys are not in `keep` (issues
 * deleted or moved away upstream), in the caller's transaction; returns how many.
 */
export async function retainWorkItems(
  tx: EntityManager,
  engagementId: string,
  source: 'jira' | 'github',
  keep: readonly string[],
): Promise<number> {
  const repo = tx.getRepository(WorkItemEntity);
  const kept = new Set(keep);
  const stored = await repo.find({ where: { engagementId, source }, select: { id: true, key: true } });
  const gone = stored.filter((w) => !kept.has(w.key)).map((w) => w.id);
  for (let i = 0; i < gone.length; i += 500) await repo.delete(gone.slice(i, i + 500));
  return gone.length;
}

/**
 * Upserts one page of records on their natural keys inside the caller's transaction, so a
 * page is written whole or not at all and re-syncing it changes nothing.
 */
export async function writeRecordBatch(
  tx: EntityManager,
  engagementId: string,
  batch: RecordBatch,
): Promise<number> {
  const id = () => randomUUID();
  let written = 0;
  const prs = (batch.pullRequests ?? []).map((p): PullRequestEntity => ({
    id: id(),
    engagementId,
    repo: p.repo,
    number: p.number,
    authorLogin: p.authorLogin,
    authorIsBot: p.authorIsBot,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt ?? p.mergedAt ?? p.closedAt ?? p.createdAt,
    firstCommitAt: p.firstCommitAt,
    readyAt: p.readyAt,
    mergedAt: p.mergedAt,
    closedAt: p.closedAt,
    draft: p.draft,
    additions: p.additions,
    deletions: p.deletions,
    mergeCommitSha: p.mergeCommitSha,
    url: p.url,
  }));
  await upsertRows(tx, PullRequestEntity, prs, ['engagement_id', 'repo', 'number']);
  written += prs.length;

  const reviews = (batch.reviews ?? []).map((r): ReviewEntity => {
    const { repo, number } = prKey(r.pullRequestId);
    return {
      id: id(),
      engagementId,
      kind: r.kind,
      sourceId: r.externalId.slice(r.externalId.indexOf(':') + 1),
      repo,
      pullNumber: number,
      reviewerLogin: r.reviewerLogin,
      reviewerIsBot: r.reviewerIsBot,
      submittedAt: r.submittedAt,
      state: r.state,
    };
  });
  await upsertRows(tx, ReviewEntity, reviews, ['engagement_id', 'kind', 'source_id']);
  written += reviews.length;

  const deployments = (batch.deployments ?? []).map((d): DeploymentEntity => ({
    id: id(),
    engagementId,
    repo: d.repo,
    sourceId: lastSegment(d.id),
    environment: d.environment,
    sha: d.sha,
    createdAt: d.createdAt,
    state: d.state,
    finishedAt: d.finishedAt,
  }));
  await upsertRows(tx, DeploymentEntity, deployments, ['engagement_id', 'repo', 'source_id']);
  written += deployments.length;

  const releases = (batch.releases ?? []).map((r): ReleaseEntity => ({
    id: id(),
    engagementId,
    repo: r.repo,
    sourceId: lastSegment(r.id),
    tagName: r.tagName,
    publishedAt: r.publishedAt,
    draft: r.draft,
    prerelease: r.prerelease,
    targetSha: r.targetSha ?? null,
  }));
  await upsertRows(tx, ReleaseEntity, releases, ['engagement_id', 'repo', 'source_id']);
  written += releases.length;

  const coverage = (batch.coverageSamples ?? []).map((c): CoverageSampleEntity => ({
    id: id(),
    engagementId,
    repo: c.repo,
    branch: c.branch,
    isDefaultBranch: c.isDefaultBranch,
    sha: c.sha,
    committedAt: c.committedAt,
    linesCovered: c.linesCovered,
    linesValid: c.linesValid,
    branchesCovered: c.branchesCovered,
    branchesValid: c.branchesValid,
    source: c.source ?? 'artifact',
  }));
  await upsertRows(tx, CoverageSampleEntity, coverage, ['engagement_id', 'repo', 'sha', 'source']);
  written += coverage.length;

  const items = (batch.workItems ?? []).map((w): WorkItemEntity => ({
    id: id(),
    engagementId,
    key: w.key,
    source: w.source,
    type: w.type,
    isSubtask: w.isSubtask,
    priority: w.priority,
    statusCategory: w.statusCategory,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt ?? w.resolvedAt ?? w.createdAt,
    resolvedAt: w.resolvedAt,
    resolution: w.resolution,
    reporterId: w.reporterId,
    assigneeId: w.assigneeId,
    storyPoints: w.storyPoints,
    labels: w.labels,
    environment: w.environment ?? null,
    isBug: w.isBug ?? null,
    isEscaped: w.isEscaped ?? null,
    transitions: w.transitions,
    comments: w.comments,
    reopenedAt: w.reopenedAt ?? null,
    url: w.url ?? null,
  }));
  await upsertRows(tx, WorkItemEntity, items, ['engagement_id', 'key']);
  written += items.length;

  const sprints = (batch.sprints ?? []).map((s): SprintEntity => ({
    id: id(),
    engagementId,
    sourceId: s.id,
    name: s.name ?? null,
    startAt: s.startAt,
    endAt: s.endAt,
    completedAt: s.completedAt,
    issueKeysAtStart: s.issueKeysAtStart,
    issueKeysAddedAfterStart: s.issueKeysAddedAfterStart,
  }));
  await upsertRows(tx, SprintEntity, sprints, ['engagement_id', 'source_id']);
  written += sprints.length;

  const hints = [
    ...new Map((batch.identityHints ?? []).map((h) => [`${h.login}\n${h.email}`, h])).values(),
  ].map((h): IdentityHintEntity => ({
    id: id(),
    engagementId,
    source: 'github',
    externalId: h.login,
    email: h.email,
  }));
  await upsertRows(tx, IdentityHintEntity, hints, ['engagement_id', 'source', 'external_id', 'email']);
  return written + (await writeChatRecords(tx, engagementId, batch));
}

/**
 * Slack message metadata on channel + ts (pull and events write the same rows, so nothing is
 * counted twice), and Slack users' e-mails as identity hints. Never any text: the record
 * type has none.
 */
async function writeChatRecords(
  tx: EntityManager,
  engagementId: string,
  batch: RecordBatch,
): Promise<number> {
  const byKey = new Map((batch.chatMessages ?? []).map((m) => [`${m.channel}\n${m.ts}`, m]));
  const messages = [...byKey.values()].map((m): ChatMessageEntity => ({
    id: randomUUID(),
    engagementId,
    channel: m.channel,
    ts: m.ts,
    at: m.at,
    threadTs: m.threadTs,
    authorId: m.authorId,
    subtype: m.subtype,
    botId: m.botId,
    edited: m.edited ?? false,
    deleted: m.deleted ?? false,
  }));
  await upsertRows(tx, ChatMessageEntity, messages, ['engagement_id', 'channel', 'ts']);
  const hints = [
    ...new Map(
      (batch.chatUsers ?? []).filter((u) => u.email && !u.isBot).map((u) => [`${u.id}\n${u.email}`, u]),
    ).values(),
  ].map((u): IdentityHintEntity => ({
    id: randomUUID(),
    engagementId,
    source: 'slack',
    externalId: u.id,
    email: u.email as string,
  }));
  await upsertRows(tx, IdentityHintEntity, hints, ['engagement_id', 'source', 'external_id', 'email']);
  return messages.length;
}
