import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SyncRunStatus, SyncTrigger } from '@pulse/contracts';
import { epochMs } from '../columns';

/** One execution of a sync job. job_id is unique: a job that runs twice is one row. */
@Entity({ name: 'sync_runs' })
@Index('ix_sync_runs_engagement_started', ['engagementId', 'createdAt'])
export class SyncRunEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { name: 'engagement_id', length: 36 })
  engagementId!: string;

  @Index('uq_sync_runs_job', { unique: true })
  @Column('varchar', { name: 'job_id', length: 200 })
  jobId!: string;

  @Column('varchar', { length: 16 })
  trigger!: SyncTrigger;

  @Column('varchar', { length: 16 })
  status!: SyncRunStatus;

  @Column('integer', { default: 0 })
  progress!: number;

  @Column('varchar', { length: 200, nullable: true })
  phase!: string | null;

  @Column('bigint', { name: 'created_at', transformer: epochMs })
  createdAt!: number;

  @Column('bigint', { name: 'started_at', nullable: true, transformer: epochMs })
  startedAt!: number | null;

  @Column('bigint', { name: 'finished_at', nullable: true, transformer: epochMs })
  finishedAt!: number | null;

  /** Records written/skipped per source, e.g. { github: { pullRequests: 12, skipped: 1 } }. */
  @Column('simple-json')
  counts!: Record<string, Record<string, number>>;

  @Column('integer', { name: 'api_calls', default: 0 })
  apiCalls!: number;

  @Column('integer', { name: 'api_calls_not_modified', default: 0 })
  apiCallsNotModified!: number;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('varchar', { name: 'worker_id', length: 200, nullable: true })
  workerId!: string | null;
}
