// Public types of the GitHub sync: what the caller hands in and gets back.
import {
  type CoverageSampleRecord,
  type DeploymentRecord,
  type EpochMs,
  type PullRequestRecord,
  type ReleaseRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { type OutboundPolicy } from '../outbound';
import { type GithubSettings } from '../settings';
import { type GithubRateLimitEvent } from './client';
import { type GithubSyncError } from './errors';
import { type GithubIdentityHint, type GithubReviewRecord } from './mappers';
import { type GithubSyncCursor } from './sync-cursor';

/** One page of records; the caller stores it in one transaction. */
export interface GithubPageBatch {
  repo: string;
  pullRequests: PullRequestRecord[];
  /** Reviews and review comments; `externalId` is the natural key. */
  reviews: GithubReviewRecord[];
  deployments: DeploymentRecord[];
  releases: ReleaseRecord[];
  /** Natural key: repo + sha + source. */
  coverageSamples: CoverageSampleRecord[];
  workItems: WorkItemRecord[];
  /** Login ↔ commit email pairs seen on this page's PRs, for suggesting roster links. */
  identityHints?: GithubIdentityHint[];
}

export interface GithubSyncSink {
  /** Upsert one page on natural keys, in one transaction. The cursor moves only after this resolves. */
  savePage(batch: GithubPageBatch): Promise<void>;
  /** Persist the cursor (with the connection row). Called after pages and after each finished list. */
  saveCursor(cursor: GithubSyncCursor): Promise<void>;
}

export type GithubSyncPhase = 'repo' | 'pulls' | 'issues' | 'deployments' | 'releases' | 'coverage' | 'done';

export interface GithubSyncProgress {
  repo: string;
  phase: GithubSyncPhase;
  /** 0-based index of the repo and the repo count: progress ≈ (repoIndex + phase share) / repoCount. */
  repoIndex: number;
  repoCount: number;
  pagesSaved: number;
  apiCalls: number;
}

export interface GithubSyncOptions {
  settings: GithubSettings;
  token: string;
  /** Where requests (and the token) may go: checked before the first request and on every connect. */
  outbound: Pick<OutboundPolicy, 'check' | 'fetch'>;
  /** From the previous sync's result; null (or unreadable) starts a full sync. */
  cursor: GithubSyncCursor | unknown | null;
  sink: GithubSyncSink;
  /** The clock (epoch ms). */
  now: () => EpochMs;
  onProgress?: (progress: GithubSyncProgress) => void;
  onRateLimit?: (event: GithubRateLimitEvent) => void;
  /** Longest rate-limit wait sat out before giving up with `rate_limited` (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** Backoff base for 5xx / network retries (default 1000 ms). */
  retryBaseMs?: number;
  /** How far back coverage runs are read on a first sync (default 182 days). */
  coverageLookbackDays?: number;
  /** Concurrent requests per page of pull requests (default 4). */
  concurrency?: number;
  userAgent?: string;
}

export interface GithubSyncCounts {
  pullRequests: number;
  reviews: number;
  deployments: number;
  releases: number;
  coverageSamples: number;
  workItems: number;
  skipped: number;
}

export interface GithubSyncResult {
  cursor: GithubSyncCursor;
  counts: GithubSyncCounts;
  /** Skipped records the next sync fetches again (remembered keys and held-back walks). */
  retryPending: number;
  /** Why records were skipped (first 100). */
  skippedReasons: string[];
  apiCalls: number;
  notModified: number;
  /** GraphQL queries (included in `apiCalls`) and the rate-limit points they cost; null on the REST path. */
  graphql: { queries: number; points: number } | null;
  /** What the manager should know about how the sync ran (e.g. a fallback from GraphQL to REST). */
  notes: string[];
  /** Earliest instant of any stored record, for the rollup; null when nothing was stored. */
  touchedFrom: EpochMs | null;
  error?: GithubSyncError;
}
