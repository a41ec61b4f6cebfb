import { randomUUID } from 'node:crypto';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type {
  ChatMessageRecord,
  CoverageSampleRecord,
  DeploymentRecord,
  EpochMs,
  PersonIdentity,
  PersonRecord,
  PullRequestRecord,
  ReleaseRecord,
  ReviewRecord,
  SprintRecord,
  WorkItemRecord,
} from '@pulse/contracts';
import {
  ChatMessageEntity,
  type PersonEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  WorkItemEntity,
} from './entities';
import { upsertRows } from './upsert';

// The one place where a normalized record becomes a table row and back. The worker's
// record writer and the KPI records loader both go through it, so a new column or record
// field is added once and the two directions cannot drift apart.

/** A pull request as a collector hands it over: `updatedAt` orders incremental syncs. */
export type PullRequestInput = PullRequestRecord & { updatedAt?: EpochMs };
/** A review as a collector hands it over: `externalId` is `<kind>:<GitHub id>`. */
export type ReviewInput = ReviewRecord & { externalId: string };
/** A work item as a collector hands it over, with its link for the drill-down. */
export type WorkItemInput = WorkItemRecord & { updatedAt?: EpochMs; url?: string | null };

/** How one record type is stored: its table, natural key, and both directions of the mapping. */
export interface RecordTable<In, Out, Row extends ObjectLiteral> {
  entity: EntityTarget<Row>;
  /** Column names of the per-engagement unique index the upsert conflicts on. */
  naturalKey: string[];
  toRow(engagementId: string, record: In, id: string): Row;
  fromRow(row: Row): Out;
}

/**
 * Upserts records of one type on their natural key in the caller's transaction (a new row
 * gets a fresh id; an existing row keeps its own); resolves with how many were given.
 */
export async function upsertRecords<In, Out, Row extends ObjectLiteral>(
  tx: EntityManager,
  table: RecordTable<In, Out, Row>,
  engagementId: string,
  records: readonly In[] | undefined,
): Promise<number> {
  if (!records?.length) return 0;
  const rows = records.map((r) => table.toRow(engagementId, r, randomUUID()));
  await upsertRows(tx, table.entity, rows, table.naturalKey);
  return rows.length;
}

const prId = (repo: string, number: number) => `${repo}#${number}`;
const splitPrId = (pullRequestId: string) => {
  const hash = pullRequestId.lastIndexOf('#');
  return { repo: pullRequestId.slice(0, hash), number: Number(pullRequestId.slice(hash + 1)) };
};
// Deployment and release ids are `${repo}/${GitHub id}`; only the GitHub id is stored.
const lastSegment = (id: string) => id.slice(id.lastIndexOf('/') + 1);

export const pullRequestTable: RecordTable<PullRequestInput, PullRequestRecord, PullRequestEntity> = {
  entity: PullRequestEntity,
  naturalKey: ['engagement_id', 'repo', 'number'],
  toRow: (engagementId, p, id) => ({
    id,
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
  }),
  fromRow: (p) => ({
    id: prId(p.repo, p.number),
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
  }),
};

export const reviewTable: RecordTable<ReviewInput, ReviewRecord, ReviewEntity> = {
  entity: ReviewEntity,
  naturalKey: ['engagement_id', 'kind', 'source_id'],
  toRow: (engagementId, r, id) => {
    const { repo, number } = splitPrId(r.pullRequestId);
    return {
      id,
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
  },
  fromRow: (r) => ({
    pullRequestId: prId(r.repo, r.pullNumber),
    kind: r.kind,
    reviewerLogin: r.reviewerLogin,
    reviewerIsBot: r.reviewerIsBot,
    submittedAt: r.submittedAt,
    state: r.state,
  }),
};

export const deploymentTable: RecordTable<DeploymentRecord, DeploymentRecord, DeploymentEntity> = {
  entity: DeploymentEntity,
  naturalKey: ['engagement_id', 'repo', 'source_id'],
  toRow: (engagementId, d, id) => ({
    id,
    engagementId,
    repo: d.repo,
    sourceId: lastSegment(d.id),
    environment: d.environment,
    sha: d.sha,
    createdAt: d.createdAt,
    state: d.state,
    finishedAt: d.finishedAt,
  }),
  fromRow: (d) => ({
    id: `${d.repo}/${d.sourceId}`,
    repo: d.repo,
    environment: d.environment,
    sha: d.sha,
    createdAt: d.createdAt,
    state: d.state,
    finishedAt: d.finishedAt,
  }),
};

export const releaseTable: RecordTable<ReleaseRecord, ReleaseRecord, ReleaseEntity> = {
  entity: ReleaseEntity,
  naturalKey: ['engagement_id', 'repo', 'source_id'],
  toRow: (engagementId, r, id) => ({
    id,
    engagementId,
    repo: r.repo,
    sourceId: lastSegment(r.id),
    tagName: r.tagName,
    publishedAt: r.publishedAt,
    draft: r.draft,
    prerelease: r.prerelease,
    targetSha: r.targetSha ?? null,
  }),
  fromRow: (r) => ({
    id: `${r.repo}/${r.sourceId}`,
    repo: r.repo,
    tagName: r.tagName,
    publishedAt: r.publishedAt,
    draft: r.draft,
    prerelease: r.prerelease,
    targetSha: r.targetSha,
  }),
};

export const coverageSampleTable: RecordTable<
  CoverageSampleRecord,
  CoverageSampleRecord,
  CoverageSampleEntity
> = {
  entity: CoverageSampleEntity,
  naturalKey: ['engagement_id', 'repo', 'sha', 'source'],
  toRow: (engagementId, c, id) => ({
    id,
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
    // Samples from before the column existed came from workflow artifacts.
    source: c.source ?? 'artifact',
  }),
  fromRow: (c) => ({
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
  }),
};

export const workItemTable: RecordTable<WorkItemInput, WorkItemRecord, WorkItemEntity> = {
  entity: WorkItemEntity,
  naturalKey: ['engagement_id', 'key'],
  toRow: (engagementId, w, id) => ({
    id,
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
  }),
  // Absent optional fields stay absent (null would mean "the collector decided").
  fromRow: (w) => ({
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
  }),
};

export const sprintTable: RecordTable<SprintRecord, SprintRecord, SprintEntity> = {
  entity: SprintEntity,
  naturalKey: ['engagement_id', 'source_id'],
  toRow: (engagementId, s, id) => ({
    id,
    engagementId,
    sourceId: s.id,
    name: s.name ?? null,
    startAt: s.startAt,
    endAt: s.endAt,
    completedAt: s.completedAt,
    issueKeysAtStart: s.issueKeysAtStart,
    issueKeysAddedAfterStart: s.issueKeysAddedAfterStart,
  }),
  fromRow: (s) => ({
    id: s.sourceId,
    ...(s.name === null ? {} : { name: s.name }),
    startAt: s.startAt,
    endAt: s.endAt,
    completedAt: s.completedAt,
    issueKeysAtStart: s.issueKeysAtStart,
    issueKeysAddedAfterStart: s.issueKeysAddedAfterStart,
  }),
};

export const chatMessageTable: RecordTable<ChatMessageRecord, ChatMessageRecord, ChatMessageEntity> = {
  entity: ChatMessageEntity,
  naturalKey: ['engagement_id', 'channel', 'ts'],
  toRow: (engagementId, m, id) => ({
    id,
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
  }),
  fromRow: (m) => ({
    channel: m.channel,
    ts: m.ts,
    at: m.at,
    threadTs: m.threadTs,
    authorId: m.authorId,
    subtype: m.subtype,
    botId: m.botId,
    ...(m.edited ? { edited: true } : {}),
    ...(m.deleted ? { deleted: true } : {}),
  }),
};

/** A roster row as the KPI engine sees it: identities flattened to (source, id) pairs. */
export function personFromRow(p: PersonEntity): PersonRecord {
  return {
    id: p.id,
    side: p.side,
    displayName: p.displayName,
    isBot: p.isBot,
    leftAt: p.leftAt,
    identities: (['github', 'jira', 'slack'] as const).flatMap((source) =>
      (p.identities[source] ?? []).map((externalId): PersonIdentity => ({ source, externalId })),
    ),
  };
}
