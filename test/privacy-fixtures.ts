// People and activity for the data-protection tests (integration and end to end): Ana
// (vendor) and Ben (client), with every kind of identifier Pulse may hold about them.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type request from 'supertest';
import type { DataSource } from 'typeorm';
import { ChatMessageEntity, ConnectionEntity, hashEmail } from '@pulse/db';
import type { ConnectionKind } from '@pulse/contracts';
import { RollupService } from '../apps/worker/src/rollup/rollup.service';
import { writeRecordBatch, type RecordBatch } from '../apps/worker/src/collectors/record-writer';
import { anEngagementBody } from './api-harness';
import { syncedConnectionRow } from './connection-rows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Someone {
  name: string;
  email: string;
  github: string;
  jira: string;
  slack: string;
  side: 'vendor' | 'client';
}
export const ANA: Someone = {
  name: 'Ana Example',
  email: 'ana.example@vendor.example',
  github: 'Ana-Dev',
  jira: 'acc-ana-5f1c',
  slack: 'UANA0001',
  side: 'vendor',
};
export const BEN: Someone = {
  name: 'Ben Sample',
  email: 'ben.sample@client.example',
  github: 'ben-dev',
  jira: 'acc-ben-77a2',
  slack: 'UBEN0002',
  side: 'client',
};
/** Everything that identifies Ana, lower-cased for case-insensitive scans. */
export const anaMarks = (): string[] =>
  [ANA.name, ANA.email, ANA.github, ANA.jira, ANA.slack, hashEmail(ANA.email)].map((s) => s.toLowerCase());

export const personBody = (p: Someone) => ({
  displayName: p.name,
  email: p.email,
  side: p.side,
  identities: { github: [p.github], jira: [p.jira], slack: [p.slack] },
});

/** A week of activity between Ana and Ben ending `now`: PRs, reviews, an issue, a chat thread. */
export function activity(
  now: number,
  tag: string,
): { batch: RecordBatch; chat: Omit<ChatMessageEntity, 'id' | 'engagementId'>[] } {
  const pr = (n: number, author: Someone) => {
    const createdAt = now - (3 + n) * DAY;
    return {
      id: `acme/${tag}#${n}`,
      repo: `acme/${tag}`,
      number: n,
      authorLogin: author.github,
      authorIsBot: false,
      createdAt,
      updatedAt: createdAt + 2 * DAY,
      firstCommitAt: createdAt - HOUR,
      readyAt: null,
      mergedAt: createdAt + 2 * DAY,
      closedAt: createdAt + 2 * DAY,
      draft: false,
      additions: 10 * n,
      deletions: n,
      mergeCommitSha: `sha${n}`,
      url: `https://github.com/acme/${tag}/pull/${n}`,
    };
  };
  const prs = [pr(1, ANA), pr(2, ANA), pr(3, BEN), pr(4, BEN)];
  const review = (n: number, reviewer: Someone) => ({
    externalId: `review:${tag}${n}`,
    pullRequestId: `acme/${tag}#${n}`,
    kind: 'review' as const,
    reviewerLogin: reviewer.github,
    reviewerIsBot: false,
    submittedAt: prs[n - 1]!.createdAt + 3 * HOUR,
    state: 'approved' as const,
  });
  const created = now - 5 * DAY;
  return {
    batch: {
      pullRequests: prs,
      reviews: [review(1, BEN), review(2, BEN), review(3, ANA), review(4, ANA)],
      workItems: [
        {
          key: `${tag.toUpperCase()}-1`,
          source: 'jira',
          type: 'Bug',
          isSubtask: false,
          priority: 'High',
          statusCategory: 'done',
          createdAt: created,
          updatedAt: created + 2 * DAY,
          resolvedAt: created + 2 * DAY,
          resolution: 'Done',
          reporterId: BEN.jira,
          assigneeId: ANA.jira,
          storyPoints: null,
          labels: [],
          transitions: [
            { at: created + DAY, from: 'todo', to: 'in_progress', authorId: ANA.jira },
            { at: created + 2 * DAY, from: 'in_progress', to: 'done', authorId: BEN.jira },
          ],
          comments: [
            { authorId: ANA.jira, at: created + HOUR },
            { authorId: BEN.jira, at: created + 2 * HOUR },
          ],
        },
      ],
      identityHints: [
        { login: ANA.github, email: ANA.email },
        { login: BEN.github, email: BEN.email },
      ],
    },
    chat: [
      {
        channel: 'C1',
        ts: `${(now - 2 * DAY) / 1000}.000100`,
        at: now - 2 * DAY,
        threadTs: null,
        authorId: BEN.slack,
        subtype: null,
        botId: null,
        edited: false,
        deleted: false,
      },
      {
        channel: 'C1',
        ts: `${(now - 2 * DAY + HOUR) / 1000}.000200`,
        at: now - 2 * DAY + HOUR,
        threadTs: `${(now - 2 * DAY) / 1000}.000100`,
        authorId: ANA.slack,
        subtype: null,
        botId: null,
        edited: false,
        deleted: false,
      },
    ],
  };
}

/** An engagement owned by `as`, with Ana and Ben on the roster, a week of their activity and synced sources, rolled up. */
export async function seedEngagement(
  db: DataSource,
  worker: INestApplicationContext,
  as: ReturnType<typeof request.agent>,
  tag: string,
): Promise<string> {
  const id = (
    await as
      .post('/api/engagements')
      .send(anEngagementBody({ name: tag }))
      .expect(201)
  ).body.id;
  await as
    .put(`/api/engagements/${id}/people`)
    .send({ people: [personBody(ANA), personBody(BEN)] })
    .expect(200);
  const now = Date.now();
  const { batch, chat } = activity(now, tag);
  await db.transaction((tx) => writeRecordBatch(tx, id, batch));
  await db
    .getRepository(ChatMessageEntity)
    .insert(chat.map((c) => ({ ...c, id: randomUUID(), engagementId: id })));
  // Synced sources, so the KPIs are delivered (honest status) and drill-downs list items.
  await db
    .getRepository(ConnectionEntity)
    .insert((['github', 'jira', 'slack'] as ConnectionKind[]).map((k) => syncedConnectionRow(id, k, now)));
  await worker.get(RollupService).run(id, [], now);
  return id;
}
