// What every part of one repo's sync shares: the sync-wide context (client, cursor, sink,
// skip log) and the repo's own cursor, parameters and retry keys.
import { type EpochMs } from '@pulse/contracts';
import { type GithubClient } from './client';
import { type SkipLog, idOf } from './mappers';
import { type GithubRepoCursor, type GithubRetryKeys, type GithubSyncCursor } from './sync-cursor';
import { type GithubPageBatch, type GithubSyncOptions, type GithubSyncPhase } from './sync-types';

export interface SyncContext {
  options: GithubSyncOptions;
  client: GithubClient;
  cursor: GithubSyncCursor;
  skips: SkipLog;
  /** Skipped records that hold a walk's cursor (not fetchable by key). */
  heldRecords: number;
  concurrency: number;
  pagesSaved: number;
  savePage(batch: GithubPageBatch): Promise<void>;
  saveCursor(): Promise<void>;
}

/** The sink failed: rethrown as is, never classified as a GitHub error. */
export class SinkFailure extends Error {
  constructor(readonly original: unknown) {
    super('sink failed');
  }
}

export const ALL_PAGE_FIELDS = [
  'pullRequests',
  'reviews',
  'deployments',
  'releases',
  'coverageSamples',
  'workItems',
] as const;

/** Per list and repo; beyond it a skipped record holds the walk instead. */
const MAX_RETRY_KEYS = 1000;

export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export function idField(raw: unknown): string {
  return idOf(raw, 'id');
}

/** A 404/410 on a retried record: it is gone upstream, nothing left to collect. */
export function isGone(e: unknown): boolean {
  const status = (e as { status?: unknown } | null)?.status;
  return status === 404 || status === 410;
}

export function earliestInstant(batch: GithubPageBatch): EpochMs | null {
  const instants: number[] = [];
  for (const p of batch.pullRequests) instants.push(Math.min(p.createdAt, p.firstCommitAt ?? p.createdAt));
  for (const r of batch.reviews) instants.push(r.submittedAt);
  for (const d of batch.deployments) instants.push(d.createdAt);
  for (const r of batch.releases) if (r.publishedAt !== null) instants.push(r.publishedAt);
  for (const c of batch.coverageSamples) instants.push(c.committedAt);
  for (const w of batch.workItems) instants.push(w.createdAt);
  const finite = instants.filter((t) => Number.isFinite(t));
  return finite.length > 0 ? Math.min(...finite) : null;
}

export class RepoScope {
  readonly cursor: GithubRepoCursor;
  readonly owner: string;
  readonly name: string;

  constructor(
    readonly ctx: SyncContext,
    readonly repo: string,
    private readonly repoIndex: number,
  ) {
    const c = ctx.cursor.repos[repo];
    if (!c) throw new Error(`no cursor for ${repo}`);
    this.cursor = c;
    const [owner, name] = repo.split('/');
    this.owner = owner ?? '';
    this.name = name ?? '';
  }

  get client(): GithubClient {
    return this.ctx.client;
  }

  progress(phase: GithubSyncPhase): void {
    this.ctx.options.onProgress?.({
      repo: this.repo,
      phase,
      repoIndex: this.repoIndex,
      repoCount: this.ctx.options.settings.repos.length,
      pagesSaved: this.ctx.pagesSaved,
      apiCalls: this.client.stats.apiCalls,
    });
  }

  emptyBatch(): GithubPageBatch {
    return {
      repo: this.repo,
      pullRequests: [],
      reviews: [],
      deployments: [],
      releases: [],
      coverageSamples: [],
      workItems: [],
    };
  }

  params(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return { owner: this.owner, repo: this.name, ...extra };
  }

  async save(batch: GithubPageBatch): Promise<void> {
    await this.ctx.savePage(batch);
  }

  private retryKeys(): GithubRetryKeys {
    return (this.cursor.retry ??= { pulls: [], issues: [] });
  }

  /** Keeps a skipped record's number for the next sync; false when the list is full. */
  remember(list: keyof GithubRetryKeys, id: number): boolean {
    const keys = this.retryKeys()[list];
    if (keys.includes(id)) return true;
    if (keys.length >= MAX_RETRY_KEYS) return false;
    keys.push(id);
    return true;
  }

  forget(list: keyof GithubRetryKeys, id: number): void {
    const retry = this.cursor.retry;
    if (!retry) return;
    retry[list] = retry[list].filter((x) => x !== id);
    if (retry.pulls.length === 0 && retry.issues.length === 0) delete this.cursor.retry;
  }
}
