import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { SyncRunEntity } from '@pulse/db';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_ROLLUP_ENGAGEMENT,
  JOB_SYNC_ENGAGEMENT,
  QUEUE_ROLLUP,
  QUEUE_SYNC,
  rollupJobId,
  type RollupJobPayload,
  syncJobId,
  type SyncJobPayload,
  type SyncNowDto,
  type SyncRunDto,
  type SyncTrigger,
} from '@pulse/contracts';
import { RedisGate } from '../queue/redis-gate.service';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toSyncRunDto(r: SyncRunEntity): SyncRunDto {
  return {
    id: r.id,
    jobId: r.jobId,
    trigger: r.trigger,
    status: r.status,
    progress: r.progress,
    phase: r.phase,
    createdAt: new Date(r.createdAt).toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    counts: r.counts,
    apiCalls: r.apiCalls,
    apiCallsNotModified: r.apiCallsNotModified,
    error: r.error,
  };
}

/** Job states in which a queued or running sync_runs row still has a live job behind it. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

@Injectable()
export class SyncService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUE_SYNC) private readonly queue: Queue,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollupQueue: Queue,
    private readonly gate: RedisGate,
  ) {}

  /**
   * Enqueue a sync now, unless one of this engagement is already queued or running: then that
   * run is returned with `created: false` and a reason, so one engagement never syncs twice
   * at once. Requests within the same minute share one deterministic job id, so a double
   * click (or two API instances) yields one job and one run.
   */
  async enqueue(
    engagementId: string,
    trigger: SyncTrigger,
    requestedBy?: string,
    now = Date.now(),
  ): Promise<SyncNowDto> {
    await this.gate.ensureUp(this.queue);
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const active = await this.liveRun(engagementId, now);
    if (active)
      return {
        run: toSyncRunDto(active),
        created: false,
        reason: `a sync of this engagement is already ${active.status} (since ${new Date(
          active.startedAt ?? active.createdAt,
        ).toISOString()}); showing that run instead of starting another`,
      };
    const jobId = syncJobId(engagementId, Math.floor(now / 60_000) * 60_000);
    const existing = await runs.findOneBy({ jobId });
    if (existing) return { run: toSyncRunDto(existing), created: false, reason: sameMinute(existing) };
    const run: SyncRunEntity = {
      id: randomUUID(),
      engagementId,
      jobId,
      trigger,
      status: 'queued',
      progress: 0,
      phase: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      counts: {},
      apiCalls: 0,
      apiCallsNotModified: 0,
      error: null,
      workerId: null,
    };
    try {
      await runs.insert(run);
    } catch {
      // Lost a race with another request for the same job id: return the winner's run.
      const winner = await runs.findOneByOrFail({ jobId });
      return { run: toSyncRunDto(winner), created: false, reason: sameMinute(winner) };
    }
    const data: SyncJobPayload = { engagementId, trigger, ...(requestedBy ? { requestedBy } : {}) };
    try {
      await this.gate.run(this.queue, 'queueing the sync', () =>
        this.queue.add(JOB_SYNC_ENGAGEMENT, data, { ...DEFAULT_JOB_OPTIONS, jobId }),
      );
    } catch (e) {
      // No job, no run: a row left "queued" here would never finish.
      await runs.delete({ id: run.id }).catch(() => undefined);
      throw e;
    }
    return { run: toSyncRunDto(run), created: true, reason: null };
  }

  /**
   * The engagement's queued or running run whose job is still alive in Redis. A row whose
   * job is gone (its worker died, Redis lost it) is finished as failed on the way, so it can
   * never block "sync now" for good.
   */
  private async liveRun(engagementId: string, now: number): Promise<SyncRunEntity | null> {
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const candidates = await runs.find({
      where: { engagementId, status: In(['queued', 'running']) },
      order: { createdAt: 'DESC' },
    });
    for (const run of candidates) {
      const state = await this.gate.run(this.queue, 'reading the sync job', () =>
        this.queue.getJobState(run.jobId),
      );
      if (LIVE_JOB_STATES.has(state)) return run;
      await runs.update(
        { id: run.id, status: In(['queued', 'running']) },
        {
          status: 'failed',
          finishedAt: now,
          error: `the sync job is no longer in the queue (${state}): its worker stopped before finishing; run it again`,
        },
      );
    }
    return null;
  }

  /** Recompute KPIs for the given weeks (yyyy-mm-dd), or all of them when empty. */
  async enqueueRollup(engagementId: string, weeks: string[], now = Date.now()): Promise<{ jobId: string }> {
    const data: RollupJobPayload = { engagementId, weeks };
    const jobId = rollupJobId(
      engagementId,
      weeks.length ? `${weeks[0]}-${now}` : `full-${Math.floor(now / 60_000)}`,
    );
    await this.gate.run(this.rollupQueue, 'queueing the KPI rollup', () =>
      this.rollupQueue.add(JOB_ROLLUP_ENGAGEMENT, data, { ...DEFAULT_JOB_OPTIONS, jobId }),
    );
    return { jobId };
  }

  async runs(engagementId: string, limit = 20): Promise<SyncRunDto[]> {
    const rows = await this.dataSource.getRepository(SyncRunEntity).find({
      where: { engagementId },
      order: { createdAt: 'DESC' },
      take: Math.min(Math.max(limit, 1), 200),
    });
    return rows.map(toSyncRunDto);
  }
}

function sameMinute(run: SyncRunEntity): string {
  const next = new Date(Math.floor(run.createdAt / 60_000) * 60_000 + 60_000).toISOString();
  return `a sync of this engagement was already started this minute (${run.status}); showing that run — start another after ${next}`;
}
