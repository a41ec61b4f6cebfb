import { randomUUID } from 'node:crypto';
import { Between, IsNull, Not, type EntityManager } from 'typeorm';
import {
  ChatMessageEntity,
  chatMessageTable,
  coverageSampleTable,
  deploymentTable,
  hashEmail,
  IdentityHintEntity,
  pullRequestTable,
  releaseTable,
  reviewTable,
  sprintTable,
  upsertRecords,
  upsertRows,
  WorkItemEntity,
  workItemTable,
} from '@pulse/db';
import {
  compareSlackTs,
  isMembershipRecord,
  MEMBERSHIP_MATCH_WINDOW_MS,
  MEMBERSHIP_SUBTYPES,
  slackTsToMs,
  type ChatReconcileScope,
  type ConnectorPage,
} from '@pulse/connectors';

/** A page of normalized records as a collector hands it over (the connector contract's page). */
export type RecordBatch = ConnectorPage;

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
 * Marks the engagement's stored chat messages of `scope` that the source no longer has as
 * deleted (rows are kept: the flag stops them asking or answering, and a later event or pull
 * that sees the message again clears it). Joins and leaves are never touched: an event's join
 * carries its own stamp, not a history ts.
 */
export async function markChatDeleted(
  tx: EntityManager,
  engagementId: string,
  scope: ChatReconcileScope,
  present: readonly string[],
): Promise<number> {
  const repo = tx.getRepository(ChatMessageEntity);
  const kept = new Set(present);
  const stored =
    scope.kind === 'thread'
      ? await repo.find({
          where: { engagementId, channel: scope.channel, threadTs: scope.threadTs, deleted: false },
          select: { id: true, ts: true, subtype: true },
        })
      : (
          await repo.find({
            where: {
              engagementId,
              channel: scope.channel,
              threadTs: IsNull(),
              deleted: false,
              // `at` is the ts rounded to the ms: a 1 ms margin, then the exact ts comparison
              at: Between(slackTsToMs(scope.afterTs) - 1, slackTsToMs(scope.upToTs) + 1),
            },
            select: { id: true, ts: true, subtype: true },
          })
        ).filter((r) => compareSlackTs(r.ts, scope.afterTs) > 0 && compareSlackTs(r.ts, scope.upToTs) <= 0);
  const gone = stored
    .filter((r) => !kept.has(r.ts) && !(r.subtype !== null && MEMBERSHIP_SUBTYPES.includes(r.subtype)))
    .map((r) => r.id);
  for (let i = 0; i < gone.length; i += 500) await repo.update(gone.slice(i, i + 500), { deleted: true });
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
  let written = 0;
  written += await upsertRecords(tx, pullRequestTable, engagementId, batch.pullRequests);
  written += await upsertRecords(tx, reviewTable, engagementId, batch.reviews);
  written += await upsertRecords(tx, deploymentTable, engagementId, batch.deployments);
  written += await upsertRecords(tx, releaseTable, engagementId, batch.releases);
  written += await upsertRecords(tx, coverageSampleTable, engagementId, batch.coverageSamples);
  written += await upsertRecords(tx, workItemTable, engagementId, batch.workItems);
  written += await upsertRecords(tx, sprintTable, engagementId, batch.sprints);

  // Identity hints are suggestions for the roster, not records: not counted as written.
  // Commit emails are stored only as hashes (docs/privacy.md): the clear address never
  // reaches the database.
  const hints = [
    ...new Map(
      (batch.identityHints ?? []).map((h) => {
        const emailHash = hashEmail(h.email);
        return [`${h.login}\n${emailHash}`, { login: h.login, emailHash }];
      }),
    ).values(),
  ].map((h): IdentityHintEntity => ({
    id: randomUUID(),
    engagementId,
    source: 'github',
    externalId: h.login,
    emailHash: h.emailHash,
  }));
  await upsertRows(tx, IdentityHintEntity, hints, ['engagement_id', 'source', 'external_id', 'email_hash']);
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
  const messages = [...new Map((batch.chatMessages ?? []).map((m) => [`${m.channel}\n${m.ts}`, m])).values()];
  const written = await upsertRecords(tx, chatMessageTable, engagementId, messages);
  // A join or leave an event brought under its event_ts is the same change as the history
  // message near it: the history's record supersedes it (libs/connectors/src/slack/membership.ts).
  for (const m of messages.filter(isMembershipRecord))
    await tx.getRepository(ChatMessageEntity).delete({
      engagementId,
      channel: m.channel,
      authorId: m.authorId!,
      subtype: m.subtype!,
      at: Between(m.at - MEMBERSHIP_MATCH_WINDOW_MS, m.at + MEMBERSHIP_MATCH_WINDOW_MS),
      ts: Not(m.ts),
    });
  // Slack profile e-mails, like commit e-mails, are kept only as hashes (docs/privacy.md).
  const hints = [
    ...new Map(
      (batch.chatUsers ?? [])
        .filter((u) => u.email && !u.isBot)
        .map((u) => {
          const emailHash = hashEmail(u.email!);
          return [`${u.id}\n${emailHash}`, { id: u.id, emailHash }];
        }),
    ).values(),
  ].map((u): IdentityHintEntity => ({
    id: randomUUID(),
    engagementId,
    source: 'slack',
    externalId: u.id,
    emailHash: u.emailHash,
  }));
  await upsertRows(tx, IdentityHintEntity, hints, ['engagement_id', 'source', 'external_id', 'email_hash']);
  return written;
}
