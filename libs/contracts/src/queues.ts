// Queue names, job names, payloads and default job options: the one place api and
// worker agree on what travels through Redis.

export const QUEUE_SYNC = 'sync';
export const QUEUE_ROLLUP = 'rollup';
export const QUEUE_DIGEST = 'digest';
/** Daily deletion of records past each engagement's retention window (docs/privacy.md). */
export const QUEUE_RETENTION = 'retention';
export const QUEUE_NAMES = [QUEUE_SYNC, QUEUE_ROLLUP, QUEUE_DIGEST, QUEUE_RETENTION] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const JOB_SYNC_ENGAGEMENT = 'sync-engagement';
export const JOB_ROLLUP_ENGAGEMENT = 'rollup-engagement';

export type SyncTrigger = 'schedule' | 'manual' | 'demo';

export interface SyncJobPayload {
  engagementId: string;
  trigger: SyncTrigger;
  /** Who asked for a manual sync (user id), for the audit trail. */
  requestedBy?: string;
}

export interface RollupJobPayload {
  engagementId: string;
  /** ISO dates (yyyy-mm-dd) of the week starts to recompute; empty = everything. */
  weeks: string[];
}

/** Progress reported by a sync job through BullMQ `updateProgress`. */
export interface SyncProgress {
  syncRunId: string;
  phase: string;
  percent: number;
  records: number;
}

/** Default every 30 minutes, in the engagement's reporting time zone. */
export const DEFAULT_SYNC_CRON = '*/30 * * * *';

export const syncSchedulerId = (engagementId: string): string => `sync:${engagementId}`;

/**
 * A deterministic job id: the same engagement at the same scheduled instant is one job,
 * whoever enqueues it, so duplicates are refused by BullMQ itself.
 * BullMQ forbids ':' in custom ids, hence the dashes.
 */
export const syncJobId = (engagementId: string, scheduledAtMs: number): string =>
  `sync-${engagementId}-${scheduledAtMs}`;

/**
 * The Redis key that lets one sync per engagement run at a time (held by the running job's
 * id): a scheduled and a manual sync started together are coalesced, not run twice.
 */
export const syncLockKey = (queuePrefix: string, engagementId: string): string =>
  `${queuePrefix}:sync-lock:${engagementId}`;

export const rollupJobId = (engagementId: string, key: string): string => `rollup-${engagementId}-${key}`;

export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

// ---- data protection (docs/privacy.md) ----------------------------------------------------

/** The daily cron job: fans out one retention job per engagement. */
export const JOB_RETENTION_SWEEP = 'retention-sweep';
export const JOB_RETENTION_ENGAGEMENT = 'retention-engagement';
/** One scheduler for the whole installation (UTC, once a day, off the hour). */
export const RETENTION_SCHEDULER_ID = 'retention:daily';
export const RETENTION_CRON = '17 3 * * *';

export interface RetentionJobPayload {
  engagementId: string;
}

/** One retention job per engagement per day, whoever enqueues it. */
export const retentionJobId = (engagementId: string, day: string): string =>
  `retention-${engagementId}-${day}`;
export const JOB_DIGEST = 'digest-engagement';

export type DigestAudienceName = 'client' | 'vendor';

export interface DigestJobPayload {
  engagementId: string;
  audience: DigestAudienceName;
  /** A manager's "send now" (recorded as manual); absent for the weekly schedule. */
  manual?: boolean;
  /** Who asked for a manual send (user id). */
  requestedBy?: string;
}

/** One BullMQ job scheduler per engagement and audience. */
export const digestSchedulerId = (engagementId: string, audience: DigestAudienceName): string =>
  `digest:${engagementId}:${audience}`;

/**
 * A manual send's job id: the same engagement, audience and ISO week within one minute is one
 * job (a double click sends once). The digests row makes the week exactly-once anyway.
 */
export const digestManualJobId = (
  engagementId: string,
  audience: DigestAudienceName,
  isoWeek: string,
  minute: number,
): string => `digest-${engagementId}-${audience}-${isoWeek}-manual-${minute}`;

/** Slack's `Retry-After` is honoured by the client; a digest job still retries a few times. */
export const DIGEST_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;
