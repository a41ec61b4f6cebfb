import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { ConnectionEntity, EngagementEntity, SecretBox, SyncRunEntity } from '@pulse/db';
import type { SyncJobPayload, SyncProgress, SyncRunStatus } from '@pulse/contracts';
import { decideSync } from '@pulse/connectors';
import { COLLECTORS, failedOutcome, type Collector, type CollectorOutcome } from '../collectors/collector';
import { markChatDeleted, retainWorkItems, writeRecordBatch } from '../collectors/record-writer';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';

export type ProgressReporter = (progress: SyncProgress) => Promise<void>;

export class EngagementGoneError extends Error {}

export interface SyncRunOutcome {
  run: SyncRunEntity;
  /** Earliest instant any collector changed, or null when nothing changed. */
  touchedFrom: number | null;
}

const MAX_REASONS_STORED = 20;
/** A connection's status note is a line or two for the settings card, not a log. */
export const MAX_STATUS_NOTE_LENGTH = 1_000;

/**
 * Runs one sync of one engagement: each connection's collector from its cursor, pages
 * written in one transaction each, connection sync state and the sync_run row kept honest.
 * Tested without Redis: the BullMQ processor only parses the payload and calls `run`.
 */
@Injectable()
export class SyncRunnerService {
  private readonly logger = new Logger('SyncRunner');
  private readonly collectors: Map<string, Collector>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(COLLECTORS) collectors: Collector[],
  ) {
    this.collectors = new Map(collectors.map((c) => [c.kind, c]));
  }

  async run(
    jobId: string,
    payload: SyncJobPayload,
    report: ProgressReporter,
    now = () => Date.now(),
  ): Promise<SyncRunOutcome> {
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const engagement = await this.dataSource
      .getRepository(EngagementEntity)
      .findOneBy({ id: payload.engagementId });
    if (!engagement) throw new EngagementGoneError(`engagement ${payload.engagementId} no longer exists`);

    // Manual runs were recorded by the API when queued; scheduled ones start here.
    const run =
      (await runs.findOneBy({ jobId })) ??
      runs.create({
        id: randomUUID(),
        engagementId: engagement.id,
        jobId,
        trigger: payload.trigger,
        createdAt: now(),
        finishedAt: null,
        counts: {},
        apiCalls: 0,
        apiCallsNotModified: 0,
      });
    Object.assign(run, {
      status: 'running',
      progress: 0,
      phase: 'starting',
      startedAt: now(),
      workerId: this.config.WORKER_ID,
      error: null,
    });
    await runs.save(run);

    const connections = await this.dataSource
      .getRepository(ConnectionEntity)
      .createQueryBuilder('c')
      .addSelect('c.secretCiphertext')
      .where('c.engagement_id = :id', { id: engagement.id })
      .orderBy('c.kind', 'ASC')
      .getMany();

    let touchedFrom: number | null = null;
    const problems: string[] = [];
    let attempted = 0;
    let failed = 0;
    let skipped = 0;
    const progress = async (index: number, fraction: number, phase: string) => {
      run.progress = Math.min(
        99,
        Math.round(((index + Math.min(Math.max(fraction, 0), 1)) / Math.max(connections.length, 1)) * 100),
      );
      run.phase = phase;
      await runs.update({ id: run.id }, { progress: run.progress, phase });
      await report({ syncRunId: run.id, phase, percent: run.progress, records: sumCounts(run.counts) });
    };

    try {
      for (const [index, connection] of connections.entries()) {
        const collector = this.collectors.get(connection.kind);
        if (!collector) {
          run.counts = { ...run.counts, [connection.kind]: { collected: 0 } };
          skipped += 1;
          await progress(index, 1, `${connection.kind}: no collector yet, skipped`);
          continue;
        }
        // The error policy (libs/connectors): pause, wait for retry-after, or back off.
        const decision = decideSync(connection, now());
        if (!decision.run) {
          problems.push(`${connection.kind}: ${decision.reason}, skipped`);
          skipped += 1;
          await progress(index, 1, `${connection.kind}: ${decision.reason}, skipped`);
          continue;
        }
        attempted += 1;
        const outcome = await this.collect(collector, engagement, connection, now, (f, phase) => {
          void progress(index, f, phase).catch(() => undefined);
        });
        run.counts = { ...run.counts, [connection.kind]: outcome.counts };
        run.apiCalls += outcome.apiCalls;
        run.apiCallsNotModified += outcome.notModified;
        if (outcome.touchedFrom !== null)
          touchedFrom = Math.min(touchedFrom ?? Infinity, outcome.touchedFrom);
        if (outcome.skippedReasons.length) {
          problems.push(
            ...outcome.skippedReasons
              .slice(0, MAX_REASONS_STORED)
              .map((r) => `${connection.kind}: skipped ${r}`),
          );
        }
        if (outcome.error) {
          failed += 1;
          problems.unshift(`${connection.kind}: ${outcome.error.class}: ${outcome.error.message}`);
        }
        await this.recordConnectionState(connection, outcome, now());
        await progress(index, 1, `${connection.kind}: done`);
      }
      const status = runStatus({ attempted, failed, skipped, problems: problems.length });
      if (status === 'skipped' && !problems.length)
        problems.push('no source of this engagement has a collector yet: nothing was collected');
      Object.assign(run, {
        status,
        progress: 100,
        phase: 'done',
        finishedAt: now(),
        error: problems.length ? problems.join('\n') : null,
      });
      await runs.save(run);
      await report({ syncRunId: run.id, phase: 'done', percent: 100, records: sumCounts(run.counts) });
      return { run, touchedFrom };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      Object.assign(run, { status: 'failed', finishedAt: now(), error: message });
      await runs.save(run);
      this.logger.error(`sync ${jobId} failed: ${message}`);
      throw e;
    }
  }

  /**
   * Records a sync that did not run because another sync of the same engagement
   * (`holderJobId`) was already running: one engagement never syncs twice at once.
   */
  async recordCoalesced(
    jobId: string,
    payload: SyncJobPayload,
    holderJobId: string,
    now = Date.now(),
  ): Promise<SyncRunEntity> {
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const run =
      (await runs.findOneBy({ jobId })) ??
      runs.create({
        id: randomUUID(),
        engagementId: payload.engagementId,
        jobId,
        trigger: payload.trigger,
        createdAt: now,
        counts: {},
        apiCalls: 0,
        apiCallsNotModified: 0,
      });
    const holder = await runs.findOneBy({ jobId: holderJobId });
    Object.assign(run, {
      status: 'skipped',
      progress: 100,
      phase: 'done',
      startedAt: now,
      finishedAt: now,
      workerId: this.config.WORKER_ID,
      error: `another sync of this engagement (job ${holderJobId}${holder ? `, run ${holder.id}` : ''}) was already running; this one was merged into it`,
    });
    await runs.save(run);
    return run;
  }

  /** Whether the run of `jobId` is recorded as over (false when it has no row). */
  async hasFinished(jobId: string): Promise<boolean> {
    const run = await this.dataSource.getRepository(SyncRunEntity).findOneBy({ jobId });
    return run !== null && run.status !== 'queued' && run.status !== 'running';
  }

  /**
   * Finishes, as failed, the run of a job that ended without the runner recording it (its
   * worker died and BullMQ failed the job as stalled, or the job vanished). Returns whether
   * a row was still open.
   */
  async finishAbandoned(jobId: string, reason: string, now = Date.now()): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(SyncRunEntity)
      .update(
        { jobId, status: In(['queued', 'running']) },
        { status: 'failed', finishedAt: now, error: reason },
      );
    const finished = (result.affected ?? 0) > 0;
    if (finished) this.logger.warn(`sync ${jobId} finished as failed: ${reason}`);
    return finished;
  }

  /**
   * Start-up sweep: every run still queued or running whose job is not alive in the queue
   * (`stateOf` answers BullMQ's job state) is finished as failed, so no run stays "running"
   * forever after a crash. Returns how many were finished.
   */
  async sweepOrphans(stateOf: (jobId: string) => Promise<string>, now = Date.now()): Promise<number> {
    const open = await this.dataSource
      .getRepository(SyncRunEntity)
      .find({ where: { status: In(['queued', 'running']) }, order: { createdAt: 'ASC' } });
    let finished = 0;
    for (const run of open) {
      const state = await stateOf(run.jobId);
      if (LIVE_JOB_STATES.has(state)) continue;
      const reason =
        state === 'failed'
          ? 'the worker running this sync stopped (the job failed without finishing the run); run it again'
          : `the sync job is no longer in the queue (${state}): its worker stopped before finishing; run it again`;
      if (await this.finishAbandoned(run.jobId, reason, now)) finished += 1;
    }
    return finished;
  }

  private async collect(
    collector: Collector,
    engagement: EngagementEntity,
    connection: ConnectionEntity,
    now: () => number,
    progress: (fraction: number, phase: string) => void,
  ): Promise<CollectorOutcome> {
    let secret: string;
    try {
      secret = connection.secretCiphertext ? this.secrets.decrypt(connection.secretCiphertext) : '';
    } catch {
      return failedOutcome(
        'invalid_config',
        'the stored token cannot be decrypted (was PULSE_SECRET_KEY changed?); enter the token again',
      );
    }
    if (!secret) return failedOutcome('auth', 'no token is stored for this connection');
    const connections = this.dataSource.getRepository(ConnectionEntity);
    return collector.collect({
      engagement,
      connection,
      secret,
      now,
      progress,
      savePage: (batch) =>
        this.dataSource.transaction((tx) => writeRecordBatch(tx, engagement.id, batch)).then(() => undefined),
      retainWorkItems: (source, keys) =>
        this.dataSource.transaction((tx) => retainWorkItems(tx, engagement.id, source, keys)),
      markChatDeleted: (scope, present) =>
        this.dataSource.transaction((tx) => markChatDeleted(tx, engagement.id, scope, present)),
      saveCursor: async (cursor) => {
        connection.cursor = cursor as Record<string, unknown>;
        await connections.update({ id: connection.id }, {
          cursor: connection.cursor,
          updatedAt: now(),
        } as never);
      },
    });
  }

  private async recordConnectionState(
    connection: ConnectionEntity,
    outcome: CollectorOutcome,
    at: number,
  ): Promise<void> {
    const state: Partial<ConnectionEntity> = outcome.error
      ? {
          lastAttemptAt: at,
          lastErrorClass: outcome.error.class,
          lastErrorMessage: outcome.error.message,
          lastErrorAt: at,
          retryAfterAt: outcome.error.retryAfter ?? null,
          failureCount: connection.failureCount + 1,
        }
      : {
          lastAttemptAt: at,
          lastSuccessAt: at,
          lastErrorClass: null,
          lastErrorMessage: null,
          lastErrorAt: null,
          retryAfterAt: null,
          failureCount: 0,
          // only a sync that ran says how it ran: a failed one keeps the last note
          statusNote: statusNoteOf(outcome.notes),
        };
    await this.dataSource.getRepository(ConnectionEntity).update({ id: connection.id }, state as never);
  }
}

/** Job states in which a queued or running run still has a live job behind it. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * A run's status from what happened to its sources. `skipped` when no source was even tried
 * (all rate limited or without a collector): reporting that as "partial" suggested some data
 * had arrived.
 */
export function runStatus(r: {
  attempted: number;
  failed: number;
  skipped: number;
  problems: number;
}): SyncRunStatus {
  if (r.attempted === 0 && r.skipped > 0) return 'skipped';
  if (r.attempted > 0 && r.failed === r.attempted) return 'failed';
  if (r.failed > 0 || r.problems > 0) return 'partial';
  return 'succeeded';
}

/**
 * The connection's status note from a successful sync's notes: joined, bounded, or null
 * when the sync noted nothing (which clears the note a previous sync left).
 */
export function statusNoteOf(notes: readonly string[] | undefined): string | null {
  const text = (notes ?? [])
    .map((n) => n.trim())
    .filter(Boolean)
    .join('\n');
  if (!text) return null;
  return text.length <= MAX_STATUS_NOTE_LENGTH ? text : `${text.slice(0, MAX_STATUS_NOTE_LENGTH - 1)}…`;
}

function sumCounts(counts: Record<string, Record<string, number>>): number {
  let total = 0;
  for (const perKind of Object.values(counts))
    for (const [k, v] of Object.entries(perKind)) if (k !== 'skipped') total += v;
  return total;
}
