import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConnectionEntity, EngagementEntity, SyncRunEntity } from '@pulse/db';
import type { SyncJobPayload, SyncProgress } from '@pulse/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';

export type ProgressReporter = (progress: SyncProgress) => Promise<void>;

export class EngagementGoneError extends Error {}

/**
 * Runs one sync of one engagement and keeps its sync_run row honest. Tested without Redis:
 * the BullMQ processor only parses the payload and calls `run`.
 */
@Injectable()
export class SyncRunnerService {
  private readonly logger = new Logger('SyncRunner');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async run(
    jobId: string,
    payload: SyncJobPayload,
    report: ProgressReporter,
    now = () => Date.now(),
  ): Promise<SyncRunEntity> {
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const engagement = await this.dataSource
      .getRepository(EngagementEntity)
      .findOneBy({ id: payload.engagementId });
    if (!engagement) throw new EngagementGoneError(`engagement ${payload.engagementId} no longer exists`);

    // Manual runs were recorded by the API when queued; scheduled ones start here.
    let run = await runs.findOneBy({ jobId });
    if (!run) {
      run = runs.create({
        id: randomUUID(),
        engagementId: engagement.id,
        jobId,
        trigger: payload.trigger,
        status: 'queued',
        progress: 0,
        phase: null,
        createdAt: now(),
        startedAt: null,
        finishedAt: null,
        counts: {},
        apiCalls: 0,
        apiCallsNotModified: 0,
        error: null,
        workerId: null,
      });
      await runs.save(run);
    }
    Object.assign(run, {
      status: 'running',
      startedAt: now(),
      workerId: this.config.WORKER_ID,
      error: null,
      phase: 'starting',
    });
    await runs.save(run);

    try {
      const connections = await this.dataSource
        .getRepository(ConnectionEntity)
        .find({ where: { engagementId: engagement.id }, order: { kind: 'ASC' } });
      let done = 0;
      for (const connection of connections) {
        // Collectors plug in here (one per connection kind); until then a connection is visited, not fetched.
        run.counts = { ...run.counts, [connection.kind]: { visited: 1 } };
        done += 1;
        run.phase = `${connection.kind}: done`;
        run.progress = Math.round((done / Math.max(connections.length, 1)) * 100);
        await runs.save(run);
        await report({ syncRunId: run.id, phase: run.phase, percent: run.progress, records: 0 });
      }
      Object.assign(run, { status: 'succeeded', progress: 100, phase: 'done', finishedAt: now() });
      await runs.save(run);
      await report({ syncRunId: run.id, phase: 'done', percent: 100, records: 0 });
      return run;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      Object.assign(run, { status: 'failed', finishedAt: now(), error: message });
      await runs.save(run);
      this.logger.error(`sync ${jobId} failed: ${message}`);
      throw e;
    }
  }
}
