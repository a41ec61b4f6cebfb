import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
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
  type SyncRunDto,
  type SyncTrigger,
} from '@pulse/contracts';

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

@Injectable()
export class SyncService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUE_SYNC) private readonly queue: Queue,
    @InjectQueue(QUEUE_ROLLUP) private readonly rollupQueue: Queue,
  ) {}

  /**
   * Enqueue a sync now. Requests within the same minute share one deterministic job id, so
   * a double click (or two API instances) yields one job and one run.
   */
  async enqueue(
    engagementId: string,
    trigger: SyncTrigger,
    requestedBy?: string,
    now = Date.now(),
  ): Promise<{ run: SyncRunDto; created: boolean }> {
    const jobId = syncJobId(engagementId, Math.floor(now / 60_000) * 60_000);
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const existing = await runs.findOneBy({ jobId });
    if (existing) return { run: toSyncRunDto(existing), created: false };
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
      return { run: toSyncRunDto(await runs.findOneByOrFail({ jobId })), created: false };
    }
    const data: SyncJobPayload = { engagementId, trigger, ...(requestedBy ? { requestedBy } : {}) };
    await this.queue.add(JOB_SYNC_ENGAGEMENT, data, { ...DEFAULT_JOB_OPTIONS, jobId });
    return { run: toSyncRunDto(run), created: true };
  }

  /** Recompute KPIs for the given weeks (yyyy-mm-dd), or all of them when empty. */
  async enqueueRollup(engagementId: string, weeks: string[], now = Date.now()): Promise<{ jobId: string }> {
    const data: RollupJobPayload = { engagementId, weeks };
    const jobId = rollupJobId(
      engagementId,
      weeks.length ? `${weeks[0]}-${now}` : `full-${Math.floor(now / 60_000)}`,
    );
    await this.rollupQueue.add(JOB_ROLLUP_ENGAGEMENT, data, { ...DEFAULT_JOB_OPTIONS, jobId });
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
