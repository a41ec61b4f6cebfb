import { Injectable } from '@nestjs/common';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import {
  ChatMessageEntity,
  ConnectionEntity,
  CoverageSampleEntity,
  DeploymentEntity,
  EngagementEntity,
  IdentityHintEntity,
  KpiValueEntity,
  PersonEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  ShareLinkEntity,
  SprintEntity,
  SyncRunEntity,
  ThresholdEntity,
  WorkItemEntity,
} from '@pulse/db';
import { badRequest } from '../common/validation';
import { isSubject, resolveSubject, type SubjectQuery } from './identity-subject';

export type ExportTables = Record<string, Record<string, unknown>[]>;

export interface ExportDocument {
  kind: 'identity' | 'engagement';
  generatedAt: string;
  tables: ExportTables;
}

const iso = (t: unknown): unknown => (typeof t === 'number' ? new Date(t).toISOString() : t);

/** Entities as plain rows: instants (…At columns) as ISO text, everything else as stored. */
function plain<T extends ObjectLiteral>(rows: T[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, /At$|Start$|End$/.test(k) ? iso(v) : v])),
  );
}

/** The tables of an engagement export, each read with the engagement's id. */
const ENGAGEMENT_TABLES: [string, EntityTarget<ObjectLiteral>][] = [
  ['people', PersonEntity],
  ['thresholds', ThresholdEntity],
  ['pull_requests', PullRequestEntity],
  ['reviews', ReviewEntity],
  ['deployments', DeploymentEntity],
  ['releases', ReleaseEntity],
  ['coverage_samples', CoverageSampleEntity],
  ['work_items', WorkItemEntity],
  ['sprints', SprintEntity],
  ['chat_messages', ChatMessageEntity],
  ['kpi_values', KpiValueEntity],
  ['sync_runs', SyncRunEntity],
  ['identity_hints', IdentityHintEntity],
];

/**
 * Right of access and portability (docs/privacy.md): everything Pulse holds about one
 * identity — and nothing about anyone else — or everything about one engagement.
 */
@Injectable()
export class ExportService {
  constructor(private readonly dataSource: DataSource) {}

  async identity(query: SubjectQuery, now = Date.now()): Promise<ExportDocument> {
    return this.dataSource.transaction(async (tx) => {
      const subject = await resolveSubject(tx, query);
      const lowered = [...subject.identities.values()].map((i) => i.externalId.toLowerCase());
      const mine = <T extends ObjectLiteral>(target: EntityTarget<T>, column: string, field: keyof T) =>
        lowered.length === 0
          ? Promise.resolve([] as T[])
          : tx
              .getRepository(target)
              .createQueryBuilder('r')
              .where(`LOWER(r.${column}) IN (:...lowered)`, { lowered })
              .getMany()
              .then((rows) => rows.filter((r) => isSubject(subject, r[field] as string | null)));
      // One after another: a transaction is one connection (PostgreSQL runs one query at a time on it).
      const pullRequests = await mine(PullRequestEntity, 'author_login', 'authorLogin');
      const reviews = await mine(ReviewEntity, 'reviewer_login', 'reviewerLogin');
      const chatMessages = await mine(ChatMessageEntity, 'author_id', 'authorId');
      const hints = await tx.getRepository(IdentityHintEntity).find();
      const workItems = await tx.getRepository(WorkItemEntity).find();
      // Work items are shared: only the subject's part of each, other people's ids removed.
      const items = workItems.flatMap((w) => {
        const comments = w.comments.filter((c) => isSubject(subject, c.authorId));
        const transitions = w.transitions.filter((t) => isSubject(subject, t.authorId));
        const reporter = isSubject(subject, w.reporterId);
        const assignee = isSubject(subject, w.assigneeId);
        if (!reporter && !assignee && comments.length === 0 && transitions.length === 0) return [];
        return [
          {
            ...w,
            reporterId: reporter ? w.reporterId : null,
            assigneeId: assignee ? w.assigneeId : null,
            comments,
            transitions,
          },
        ];
      });
      const identityHints = hints
        .filter((h) => isSubject(subject, h.externalId) || subject.emailHashes.has(h.emailHash))
        .map(({ id: _id, ...h }) => h);
      return {
        kind: 'identity' as const,
        generatedAt: new Date(now).toISOString(),
        tables: {
          identities: [...subject.identities.values()],
          people: plain(subject.people),
          pull_requests: plain(pullRequests),
          reviews: plain(reviews),
          work_items: plain(items),
          chat_messages: plain(chatMessages),
          identity_hints: identityHints,
        },
      };
    });
  }

  async engagement(engagement: EngagementEntity, now = Date.now()): Promise<ExportDocument> {
    const engagementId = engagement.id;
    const tables: ExportTables = { engagement: plain([engagement]) };
    // Connection secrets are never exported (nor is the cursor, Pulse's own bookkeeping).
    const connections = await this.dataSource.getRepository(ConnectionEntity).findBy({ engagementId });
    tables.connections = plain(connections.map(({ secretCiphertext: _s, cursor: _c, ...c }) => c));
    // Share links: who made them and what they show, never the token's hash.
    const links = await this.dataSource.getRepository(ShareLinkEntity).findBy({ engagementId });
    tables.share_links = plain(links.map(({ tokenHash: _t, ...l }) => l));
    for (const [name, target] of ENGAGEMENT_TABLES)
      tables[name] = plain(await this.dataSource.getRepository(target).findBy({ engagementId }));
    return { kind: 'engagement', generatedAt: new Date(now).toISOString(), tables };
  }
}

/** One table of an export, for `format=csv`; a 400 that lists the tables otherwise. */
export function exportTable(doc: ExportDocument, table: string | undefined): Record<string, unknown>[] {
  const names = Object.keys(doc.tables);
  if (table === undefined || !(table in doc.tables))
    throw badRequest([
      {
        field: 'table',
        message: `${table === undefined ? 'is required with format=csv' : 'is not a table of this export'}: use one of ${names.join(', ')}`,
      },
    ]);
  return doc.tables[table]!;
}
