import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import {
  ChatMessageEntity,
  IdentityHintEntity,
  PersonEntity,
  PullRequestEntity,
  ReviewEntity,
  WorkItemEntity,
} from '@pulse/db';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_ROLLUP_ENGAGEMENT,
  QUEUE_ROLLUP,
  rollupJobId,
  type ErasureResultDto,
  type IdentitySource,
  type RollupJobPayload,
} from '@pulse/contracts';
import { RedisGate } from '../queue/redis-gate.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import {
  idsOf,
  identityKey,
  isSubject,
  resolveSubject,
  type Subject,
  type SubjectQuery,
} from './identity-subject';

/** Tables an erasure may change: VACUUMed afterwards so old row versions leave the files. */
const TOUCHED = ['people', 'pull_requests', 'reviews', 'work_items', 'chat_messages', 'identity_hints'];

const ERASED_NAME = 'Erased person';

/**
 * Right to erasure (docs/privacy.md). Every record that identifies the person, in every
 * engagement, is irreversibly pseudonymised: each of their identities becomes a random
 * `erased-…` id kept nowhere else, their roster entries lose name and email (they keep
 * their side, so team- and side-level KPIs stay right), and commit-email hints are deleted.
 * The affected engagements' KPIs are then recomputed and the database files cleaned.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Privacy');

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollupQueue: Queue,
    private readonly gate: RedisGate,
    private readonly audit: AuditService,
  ) {}

  async erase(actor: AuditActor, query: SubjectQuery): Promise<ErasureResultDto> {
    const erasureId = randomUUID();
    const rows: Record<string, number> = {};
    const engagements = new Set<string>();
    await this.dataSource.transaction(async (tx) => {
      const subject = await resolveSubject(tx, query);
      // Random, per identity: the same person stays one (anonymous) contributor in the
      // KPIs, and nothing maps the pseudonym back.
      const pseudonym = new Map(
        [...subject.identities.keys()].map((key) => [key, `erased-${randomBytes(8).toString('hex')}`]),
      );
      const replace = (id: string | null): string | null => {
        if (id === null) return null;
        for (const source of ['github', 'jira', 'slack'] as IdentitySource[]) {
          const p = pseudonym.get(identityKey(source, id));
          if (p) return p;
        }
        return id;
      };
      rows.people = await this.erasePeople(tx, subject, replace, engagements);
      rows.pull_requests = await this.rewriteColumn(
        tx,
        PullRequestEntity,
        'author_login',
        'authorLogin',
        subject,
        replace,
        engagements,
      );
      rows.reviews = await this.rewriteColumn(
        tx,
        ReviewEntity,
        'reviewer_login',
        'reviewerLogin',
        subject,
        replace,
        engagements,
      );
      rows.chat_messages = await this.rewriteColumn(
        tx,
        ChatMessageEntity,
        'author_id',
        'authorId',
        subject,
        replace,
        engagements,
      );
      rows.work_items = await this.eraseWorkItems(tx, subject, replace, engagements);
      rows.identity_hints = await this.eraseHints(tx, subject, engagements);
    });
    const rollupJobs: string[] = [];
    for (const engagementId of engagements) {
      const jobId = rollupJobId(engagementId, `erasure-${erasureId}`);
      const data: RollupJobPayload = { engagementId, weeks: [] };
      await this.gate.run(this.rollupQueue, 'queueing the KPI recomputation', () =>
        this.rollupQueue.add(JOB_ROLLUP_ENGAGEMENT, data, { ...DEFAULT_JOB_OPTIONS, jobId }),
      );
      rollupJobs.push(jobId);
    }
    const filesCleaned = await this.cleanFiles().then(
      () => true,
      (e: unknown) => {
        // The rows are already pseudonymised: a busy database only delays the compaction.
        this.logger.warn(
          `erasure ${erasureId}: database files not compacted yet (${e instanceof Error ? e.message : String(e)}); retrying in the background`,
        );
        this.retryCleanFiles(erasureId, 1);
        return false;
      },
    );
    const result: ErasureResultDto = {
      erasureId,
      engagements: [...engagements].sort(),
      rows,
      rollupJobs,
      filesCleaned,
    };
    await this.recordAudit(actor, result);
    return result;
  }

  /**
   * The one place an erasure is recorded, in the audit trail and the log. It says that an
   * erasure happened, by whom and how much it changed — never who was erased.
   */
  private async recordAudit(actor: AuditActor, result: ErasureResultDto): Promise<void> {
    const changed = Object.values(result.rows).reduce((a, b) => a + b, 0);
    this.logger.log(
      `erasure ${result.erasureId} by user ${actor.id}: ${changed} row(s) in ${result.engagements.length} engagement(s) pseudonymised or deleted`,
    );
    await this.audit.record(actor, {
      action: 'privacy.erasure',
      target: { type: 'erasure', id: result.erasureId },
      summary: { rows: changed, engagements: result.engagements.length },
    });
  }

  private async erasePeople(
    tx: EntityManager,
    subject: Subject,
    replace: (id: string | null) => string | null,
    engagements: Set<string>,
  ): Promise<number> {
    const repo = tx.getRepository(PersonEntity);
    for (const person of subject.people) {
      engagements.add(person.engagementId);
      await repo.update(
        { id: person.id },
        {
          displayName: ERASED_NAME,
          email: null,
          identities: {
            github: (person.identities.github ?? []).map((x) => replace(x)!),
            jira: (person.identities.jira ?? []).map((x) => replace(x)!),
            slack: (person.identities.slack ?? []).map((x) => replace(x)!),
          },
        },
      );
    }
    return subject.people.length;
  }

  /** One identity column of a record table: matched case-insensitively, then checked exactly. */
  private async rewriteColumn<T extends PullRequestEntity | ReviewEntity | ChatMessageEntity>(
    tx: EntityManager,
    target: new () => T,
    column: string,
    field: keyof T & string,
    subject: Subject,
    replace: (id: string | null) => string | null,
    engagements: Set<string>,
  ): Promise<number> {
    const lowered = [...subject.identities.values()].map((i) => i.externalId.toLowerCase());
    if (lowered.length === 0) return 0;
    const repo = tx.getRepository(target);
    const candidates = await repo
      .createQueryBuilder('r')
      .select(['r.id', `r.engagementId`, `r.${field}`])
      .where(`LOWER(r.${column}) IN (:...lowered)`, { lowered })
      .getMany();
    let changed = 0;
    for (const row of candidates) {
      const value = row[field] as unknown as string | null;
      if (!isSubject(subject, value)) continue;
      await repo.update({ id: (row as { id: string }).id } as never, { [field]: replace(value) } as never);
      engagements.add((row as { engagementId: string }).engagementId);
      changed++;
    }
    return changed;
  }

  /** Reporter, assignee, and the authors inside transitions and comments (JSON columns). */
  private async eraseWorkItems(
    tx: EntityManager,
    subject: Subject,
    replace: (id: string | null) => string | null,
    engagements: Set<string>,
  ): Promise<number> {
    const ids = [...subject.identities.values()].map((i) => i.externalId.toLowerCase());
    if (ids.length === 0) return 0;
    const repo = tx.getRepository(WorkItemEntity);
    const like = (id: string) => `%${id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const candidates = await repo
      .createQueryBuilder('w')
      .where(
        new Brackets((q) => {
          q.where('LOWER(w.reporter_id) IN (:...ids)', { ids }).orWhere('LOWER(w.assignee_id) IN (:...ids)', {
            ids,
          });
          ids.forEach((id, i) => {
            q.orWhere(`LOWER(w.comments) LIKE :p${i} ESCAPE '\\'`, { [`p${i}`]: like(id) });
            q.orWhere(`LOWER(w.transitions) LIKE :p${i} ESCAPE '\\'`, { [`p${i}`]: like(id) });
          });
        }),
      )
      .getMany();
    let changed = 0;
    for (const item of candidates) {
      const before = JSON.stringify([item.reporterId, item.assigneeId, item.comments, item.transitions]);
      const update = {
        reporterId: replace(item.reporterId),
        assigneeId: replace(item.assigneeId),
        comments: item.comments.map((c) => ({ ...c, authorId: replace(c.authorId)! })),
        transitions: item.transitions.map((t) => ({ ...t, authorId: replace(t.authorId) })),
      };
      if (
        JSON.stringify([update.reporterId, update.assigneeId, update.comments, update.transitions]) === before
      )
        continue;
      await repo.update({ id: item.id }, update);
      engagements.add(item.engagementId);
      changed++;
    }
    return changed;
  }

  private async eraseHints(tx: EntityManager, subject: Subject, engagements: Set<string>): Promise<number> {
    const logins = idsOf(subject, 'github').map((l) => l.toLowerCase());
    const hashes = [...subject.emailHashes];
    if (logins.length === 0 && hashes.length === 0) return 0;
    const repo = tx.getRepository(IdentityHintEntity);
    const query = repo.createQueryBuilder('h').select(['h.id', 'h.engagementId']);
    if (logins.length) query.orWhere('LOWER(h.external_id) IN (:...logins)', { logins });
    if (hashes.length) query.orWhere('h.email_hash IN (:...hashes)', { hashes });
    const hints = await query.getMany();
    for (let i = 0; i < hints.length; i += 500)
      await repo.delete({ id: In(hints.slice(i, i + 500).map((h) => h.id)) });
    for (const hint of hints) engagements.add(hint.engagementId);
    return hints.length;
  }

  private retryCleanFiles(erasureId: string, attempt: number): void {
    if (attempt > 10) {
      this.logger.error(`erasure ${erasureId}: database files still not compacted; run VACUUM by hand`);
      return;
    }
    setTimeout(() => {
      this.cleanFiles().catch(() => this.retryCleanFiles(erasureId, attempt + 1));
    }, 2_000 * attempt).unref();
  }

  /**
   * Erased means gone from the files: SQLite already zeroes deleted content
   * (`secure_delete`); VACUUM rebuilds the file and a TRUNCATE checkpoint empties the WAL,
   * which still holds the old pages. PostgreSQL: VACUUM FULL rewrites the touched tables
   * into new files, so old row versions leave the disk (it locks them for a moment).
   */
  private async cleanFiles(): Promise<void> {
    if (this.dataSource.options.type === 'postgres') {
      await this.dataSource.query(`VACUUM FULL ${TOUCHED.join(', ')}`);
    } else {
      await this.dataSource.query('VACUUM');
      // A reader (the worker) may hold the WAL for a moment: try again briefly.
      for (let attempt = 0; attempt < 50; attempt++) {
        const [result] = (await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)')) as {
          busy: number;
        }[];
        if (!result || Number(result.busy) === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      this.logger.warn(
        'the SQLite WAL could not be truncated after an erasure; it is on the next checkpoint',
      );
    }
  }
}
