// Incremental GitHub sync: walks each repo's lists newest-first down to the cursor, hands
// the caller one page of normalized records at a time, and moves the cursor only after
// the caller has stored that page. Unchanged lists cost a 304 each (no quota).
import {
  type CoverageSampleRecord,
  type DeploymentRecord,
  type EpochMs,
  type PullRequestRecord,
  type ReleaseRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { z } from 'zod';
import {
  extractCoverageFromZip,
  isCoverageParseError,
  parseCoveragePercentFromDescription,
} from '../coverage';
import { type OutboundPolicy } from '../outbound';
import { type GithubSettings } from '../settings';
import { type GithubClient, type GithubRateLimitEvent, createGithubClient, hasNextPage } from './client';
import { type GithubSyncError, classifyGithubError } from './errors';
import { WalkHolds } from './walk-holds';
import {
  type GithubDeployment,
  type GithubIssue,
  type GithubReviewRecord,
  SkipLog,
  artifactSchema,
  coverageTextsFromStatuses,
  commitIdentities,
  firstCommitAt,
  type GithubIdentityHint,
  idOf,
  isPullRequestIssue,
  issueNeedsTimeline,
  matchesArtifactPattern,
  parseDeployment,
  parseIssue,
  parsePull,
  percentCoverageSample,
  readyAt,
  toDeploymentRecord,
  toPullRequestRecord,
  toReleaseRecord,
  toReviewRecords,
  toWorkItemRecord,
  workflowRunSchema,
} from './mappers';

// ---------------------------------------------------------------------------------------
// Public types

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

/** How far one newest-first list has been synced. Instants are ISO strings as GitHub sends them. */
export interface GithubWalkCursor {
  /** Newest sort instant fully synced; the next walk stops below it. */
  hw: string | null;
  /** Ids at exactly `hw` already synced (so a re-walk skips them). */
  hwIds: number[];
  /** An interrupted walk: everything sorting in (doneDownTo, top] is stored. */
  partial?: { top: string; doneDownTo: string };
}

export interface GithubPendingDeployment {
  id: number;
  environment: string;
  sha: string;
  createdAt: string;
  etag?: string;
}

export interface GithubRepoCursor {
  defaultBranch?: string;
  pulls: GithubWalkCursor;
  issues: GithubWalkCursor;
  deployments: GithubWalkCursor;
  releases: GithubWalkCursor;
  coverageRuns: GithubWalkCursor;
  /** Deployments still running at the last sync: their statuses are re-checked (304 when unchanged). */
  pendingDeployments: GithubPendingDeployment[];
  /**
   * Pull requests and issues (by number) skipped as malformed: fetched again by number on
   * every sync until they are collected, since the walk's cursor has moved past them.
   */
  retry?: GithubRetryKeys;
}

export interface GithubRetryKeys {
  pulls: number[];
  issues: number[];
}

/** Opaque to the caller: store it as JSON and hand it back on the next sync. */
export interface GithubSyncCursor {
  version: 1;
  /** ETags of first list pages and repo metadata, keyed by `GET path?query`. */
  etags: Record<string, string>;
  repos: Record<string, GithubRepoCursor>;
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
  /** Earliest instant of any stored record, for the rollup; null when nothing was stored. */
  touchedFrom: EpochMs | null;
  error?: GithubSyncError;
}

// ---------------------------------------------------------------------------------------
// Cursor

const walkCursorSchema = z.object({
  hw: z.string().nullable(),
  hwIds: z.array(z.number()),
  partial: z.object({ top: z.string(), doneDownTo: z.string() }).optional(),
});
const cursorSchema = z.object({
  version: z.literal(1),
  etags: z.record(z.string(), z.string()),
  repos: z.record(
    z.string(),
    z.object({
      defaultBranch: z.string().optional(),
      pulls: walkCursorSchema,
      issues: walkCursorSchema,
      deployments: walkCursorSchema,
      releases: walkCursorSchema,
      coverageRuns: walkCursorSchema,
      pendingDeployments: z.array(
        z.object({
          id: z.number(),
          environment: z.string(),
          sha: z.string(),
          createdAt: z.string(),
          etag: z.string().optional(),
        }),
      ),
      retry: z.object({ pulls: z.array(z.number()), issues: z.array(z.number()) }).optional(),
    }),
  ),
});

const emptyWalk = (): GithubWalkCursor => ({ hw: null, hwIds: [] });
const emptyRepoCursor = (): GithubRepoCursor => ({
  pulls: emptyWalk(),
  issues: emptyWalk(),
  deployments: emptyWalk(),
  releases: emptyWalk(),
  coverageRuns: emptyWalk(),
  pendingDeployments: [],
});

/** Reads a stored cursor; anything unreadable (or of another version) means a full sync. */
export function readGithubCursor(raw: unknown, repos: readonly string[]): GithubSyncCursor {
  const parsed = cursorSchema.safeParse(raw);
  const base: GithubSyncCursor = parsed.success
    ? (structuredClone(parsed.data) as GithubSyncCursor)
    : { version: 1, etags: {}, repos: {} };
  const out: GithubSyncCursor = { version: 1, etags: {}, repos: {} };
  for (const repo of repos) {
    out.repos[repo] = base.repos[repo] ?? emptyRepoCursor();
    const prefix = `GET /repos/${repo}`;
    for (const [k, v] of Object.entries(base.etags)) {
      if (k === prefix || k.startsWith(`${prefix}/`) || k.startsWith(`${prefix}?`)) out.etags[k] = v;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Internals

/** Per list and repo; beyond it a skipped record holds the walk instead. */
const MAX_RETRY_KEYS = 1000;

interface FetchedPull {
  number: number;
  part: { pull: PullRequestRecord; reviews: GithubReviewRecord[]; identities: GithubIdentityHint[] } | null;
  complete: boolean;
}

class SinkFailure extends Error {
  constructor(readonly original: unknown) {
    super('sink failed');
  }
}

const ALL_PAGE_FIELDS = [
  'pullRequests',
  'reviews',
  'deployments',
  'releases',
  'coverageSamples',
  'workItems',
] as const;

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

interface WalkItem<T> {
  id: number;
  at: EpochMs;
  atIso: string;
  value: T;
}

const isoKey = z.object({ id: z.number(), at: z.string() });

/** A list entry's key, or what is known of a malformed one. */
type WalkKey<T> =
  { id: number; at: string; value: T } | { skipped: true; id: number | null; at: string | null };

/** Id and sort instant of a malformed entry, as far as they are readable. */
function skippedKey(raw: unknown, idKey: string, atKey: string): WalkKey<never> {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const id = r[idKey];
  const at = r[atKey];
  return {
    skipped: true,
    id: typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null,
    at: typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : null,
  };
}

class RepoSync {
  readonly cursor: GithubRepoCursor;
  private readonly owner: string;
  private readonly name: string;

  constructor(
    private readonly ctx: SyncContext,
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

  private get client(): GithubClient {
    return this.ctx.client;
  }

  private progress(phase: GithubSyncPhase): void {
    this.ctx.options.onProgress?.({
      repo: this.repo,
      phase,
      repoIndex: this.repoIndex,
      repoCount: this.ctx.options.settings.repos.length,
      pagesSaved: this.ctx.pagesSaved,
      apiCalls: this.client.stats.apiCalls,
    });
  }

  private emptyBatch(): GithubPageBatch {
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

  async run(): Promise<void> {
    this.progress('repo');
    await this.loadRepo();
    this.progress('pulls');
    await this.syncPulls();
    this.progress('issues');
    await this.syncIssues();
    this.progress('deployments');
    await this.syncDeployments();
    this.progress('releases');
    await this.syncReleases();
    this.progress('coverage');
    await this.syncCoverage();
  }

  private params(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return { owner: this.owner, repo: this.name, ...extra };
  }

  private async loadRepo(): Promise<void> {
    const route = 'GET /repos/{owner}/{repo}';
    const key = this.client.keyOf(route, this.params());
    const known = this.cursor.defaultBranch ? this.ctx.cursor.etags[key] : undefined;
    const res = await this.client.getConditional<{ default_branch?: unknown }>(route, this.params(), known);
    if (res.notModified) return;
    const branch = res.data.default_branch;
    this.cursor.defaultBranch = typeof branch === 'string' && branch ? branch : 'main';
    if (res.etag) this.ctx.cursor.etags[key] = res.etag;
  }

  /**
   * Walks a newest-first list down to the cursor. `process` stores one page of changed
   * items (through the sink); the walk cursor moves after each page, and the first page's
   * ETag is kept only once the whole walk is done (it vouches for everything below it).
   *
   * A record skipped as malformed is never left behind: when the list can be fetched by key
   * (`remember`), its key is kept for a retry on the next sync; otherwise the walk holds its
   * cursor at the record, so the next sync walks down to it again. Either way the first
   * page's ETag is not kept, or an unchanged list would answer 304 and hide it.
   */
  private async walk<T>(args: {
    walk: GithubWalkCursor;
    route: string;
    params: Record<string, string | number>;
    pick?: (body: unknown) => unknown[];
    /**
     * Id and sort instant of a raw entry; `skipped` with what is known when it is malformed
     * (the reason is logged); null for an entry that belongs to another list.
     */
    keyOf: (raw: unknown) => WalkKey<T> | null;
    /** Older than this: stop (e.g. the coverage look-back). */
    floor?: EpochMs;
    /** Remembers a skipped record's key for a retry by key; false when it cannot. */
    remember?: (id: number) => boolean;
    /** Stores the items; calls `skip` for each one it could not collect completely. */
    process: (items: WalkItem<T>[], skip: (item: WalkItem<T>) => void) => Promise<void>;
  }): Promise<void> {
    const { walk } = args;
    const params = { ...args.params, per_page: 100 };
    const etagKey = this.client.keyOf(args.route, params);
    const hw = walk.hw ? Date.parse(walk.hw) : null;
    const hwIds = new Set(walk.hwIds);
    const partial = walk.partial
      ? { top: Date.parse(walk.partial.top), doneDownTo: Date.parse(walk.partial.doneDownTo) }
      : null;
    const holds = new WalkHolds();
    const skip = (id: number | null, at: { at: EpochMs; iso: string } | null): void => {
      holds.skipped = true;
      if (id !== null && args.remember?.(id)) return;
      this.ctx.heldRecords++;
      holds.hold(at);
    };
    let firstEtag: string | null = null;
    let runTop: { at: EpochMs; iso: string; ids: number[] } | null = null;
    for (let page = 1; ; page++) {
      let body: unknown;
      let more: boolean;
      if (page === 1) {
        const etag = partial ? undefined : this.ctx.cursor.etags[etagKey];
        const res = await this.client.getConditional<unknown>(args.route, { ...params, page }, etag);
        if (res.notModified) return;
        firstEtag = res.etag;
        body = res.data;
        more = hasNextPage(res.headers);
      } else {
        const res = await this.client.get<unknown>(args.route, { ...params, page });
        body = res.data;
        more = hasNextPage(res.headers);
      }
      const raws = args.pick ? args.pick(body) : Array.isArray(body) ? (body as unknown[]) : [];
      const toProcess: WalkItem<T>[] = [];
      let stop = false;
      let lowest: { at: EpochMs; iso: string } | null = null;
      for (const raw of raws) {
        const k = args.keyOf(raw);
        if (!k) continue;
        const atIso = 'skipped' in k ? k.at : k.at;
        const at = atIso === null ? null : Date.parse(atIso);
        if (at !== null && ((hw !== null && at < hw) || (args.floor !== undefined && at < args.floor))) {
          holds.seen({ at, iso: atIso as string });
          stop = true;
          break;
        }
        if ('skipped' in k) {
          skip(k.id, at === null ? null : { at, iso: atIso as string });
          continue;
        }
        const known = { at: at as EpochMs, iso: k.at };
        holds.seen(known);
        if (hw !== null && known.at === hw && hwIds.has(k.id)) continue;
        if (!runTop || known.at > runTop.at) runTop = { at: known.at, iso: k.at, ids: [k.id] };
        else if (known.at === runTop.at) runTop.ids.push(k.id);
        if (!lowest || known.at < lowest.at) lowest = known;
        if (partial && known.at > partial.doneDownTo && known.at <= partial.top) continue;
        toProcess.push({ id: k.id, at: known.at, atIso: k.at, value: k.value });
      }
      if (toProcess.length > 0) {
        await args.process(toProcess, (item) => skip(item.id, { at: item.at, iso: item.atIso }));
      }
      // checkpoint: everything from the top of this walk down to `done` is stored
      const done = lowest ? holds.checkpointFloor(lowest) : null;
      if (done && runTop) {
        if (!walk.partial) walk.partial = { top: runTop.iso, doneDownTo: done.iso };
        else if (done.at < Date.parse(walk.partial.doneDownTo)) walk.partial.doneDownTo = done.iso;
        await this.ctx.saveCursor();
      }
      if (stop || !more || raws.length === 0) break;
    }
    // the walk is complete: move the high-water mark and keep the first page's ETag
    const tops = [
      ...(runTop ? [{ at: runTop.at, iso: runTop.iso, ids: runTop.ids }] : []),
      ...(walk.partial
        ? [{ at: Date.parse(walk.partial.top), iso: walk.partial.top, ids: [] as number[] }]
        : []),
      ...(walk.hw ? [{ at: Date.parse(walk.hw), iso: walk.hw, ids: walk.hwIds }] : []),
    ].sort((a, b) => b.at - a.at);
    const best = tops[0];
    const held = holds.finalHold();
    if (held === 'all') {
      // a skipped record of unknown position: the mark stays, the next walk goes as deep
    } else if (held) {
      // the next walk reaches down to the held record, inclusive: everything below is stored
      walk.hw = held.iso;
      walk.hwIds = [];
    } else if (best) {
      const ids = tops.filter((t) => t.at === best.at).flatMap((t) => t.ids);
      walk.hw = best.iso;
      walk.hwIds = [...new Set(ids)];
    }
    delete walk.partial;
    if (firstEtag && !holds.skipped) this.ctx.cursor.etags[etagKey] = firstEtag;
    else delete this.ctx.cursor.etags[etagKey];
    await this.ctx.saveCursor();
  }

  private async save(batch: GithubPageBatch): Promise<void> {
    await this.ctx.savePage(batch);
  }

  // --- pull requests ---------------------------------------------------------------

  private retryKeys(): GithubRetryKeys {
    return (this.cursor.retry ??= { pulls: [], issues: [] });
  }

  /** Keeps a skipped record's number for the next sync; false when the list is full. */
  private remember(list: keyof GithubRetryKeys, id: number): boolean {
    const keys = this.retryKeys()[list];
    if (keys.includes(id)) return true;
    if (keys.length >= MAX_RETRY_KEYS) return false;
    keys.push(id);
    return true;
  }

  private forget(list: keyof GithubRetryKeys, id: number): void {
    const retry = this.cursor.retry;
    if (!retry) return;
    retry[list] = retry[list].filter((x) => x !== id);
    if (retry.pulls.length === 0 && retry.issues.length === 0) delete this.cursor.retry;
  }

  /** A 404/410 on a retried record: it is gone upstream, nothing left to collect. */
  private static isGone(e: unknown): boolean {
    const status = (e as { status?: unknown } | null)?.status;
    return status === 404 || status === 410;
  }

  private addPull(batch: GithubPageBatch, part: NonNullable<FetchedPull['part']>): void {
    batch.pullRequests.push(part.pull);
    batch.reviews.push(...part.reviews);
    (batch.identityHints ??= []).push(...part.identities);
  }

  /** Pull requests skipped by an earlier sync, fetched again by number. */
  private async retryPulls(): Promise<void> {
    const numbers = [...(this.cursor.retry?.pulls ?? [])];
    if (numbers.length === 0) return;
    const fetched = await pool(numbers, this.ctx.concurrency, async (n) => {
      try {
        return await this.fetchPull(n);
      } catch (e) {
        if (RepoSync.isGone(e)) return { number: n, part: null, complete: true };
        throw e;
      }
    });
    const batch = this.emptyBatch();
    for (const f of fetched) if (f.part) this.addPull(batch, f.part);
    await this.save(batch);
    for (const f of fetched) if (f.complete) this.forget('pulls', f.number);
    await this.ctx.saveCursor();
  }

  private async syncPulls(): Promise<void> {
    const skips = this.ctx.skips;
    await this.retryPulls();
    await this.walk<null>({
      walk: this.cursor.pulls,
      route: 'GET /repos/{owner}/{repo}/pulls',
      params: this.params({ state: 'all', sort: 'updated', direction: 'desc' }),
      keyOf: (raw) => {
        const p = isoKey.safeParse(pickKey(raw, 'number', 'updated_at'));
        if (!p.success) {
          parsePull(this.repo, raw, skips); // logs why
          return skippedKey(raw, 'number', 'updated_at');
        }
        return { id: p.data.id, at: p.data.at, value: null };
      },
      remember: (id) => this.remember('pulls', id),
      process: async (items, skip) => {
        const fetched = await pool(items, this.ctx.concurrency, (item) => this.fetchPull(item.id));
        const batch = this.emptyBatch();
        fetched.forEach((f, i) => {
          if (f.part) this.addPull(batch, f.part);
          if (f.complete) this.forget('pulls', f.number);
          else skip(items[i] as WalkItem<null>);
        });
        await this.save(batch);
      },
    });
  }

  /**
   * A pull request with its reviews, commits and timeline. `complete` is false when any
   * of it was skipped as malformed (the pull request itself or one of its reviews).
   */
  private async fetchPull(number: number): Promise<FetchedPull> {
    const p = this.params({ pull_number: number });
    const [detail, reviews, comments, commits, timeline] = await Promise.all([
      this.client.get<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}', p),
      this.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', p),
      this.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', p),
      this.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', p),
      this.client.getAll<unknown>(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
        this.params({ issue_number: number }),
      ),
    ]);
    // synchronous from here on: the skips counted belong to this pull request
    const skips = this.ctx.skips;
    const before = skips.count;
    const pull = parsePull(this.repo, detail.data, skips);
    if (!pull) return { number, part: null, complete: false };
    const part = {
      pull: toPullRequestRecord(this.repo, pull, {
        firstCommitAt: firstCommitAt(this.repo, commits, skips),
        readyAt: readyAt(timeline),
      }),
      reviews: toReviewRecords(this.repo, pull.number, reviews, comments, skips),
      identities: commitIdentities(commits),
    };
    return { number, part, complete: skips.count === before };
  }

  // --- issues --------------------------------------------------------------------------

  private async workItemOf(issue: GithubIssue): Promise<WorkItemRecord> {
    const timeline = issueNeedsTimeline(issue)
      ? await this.client.getAll<unknown>(
          'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
          this.params({ issue_number: issue.number }),
        )
      : null;
    return toWorkItemRecord(this.repo, issue, timeline);
  }

  /** Issues skipped by an earlier sync, fetched again by number. */
  private async retryIssues(): Promise<void> {
    const numbers = [...(this.cursor.retry?.issues ?? [])];
    if (numbers.length === 0) return;
    const skips = this.ctx.skips;
    const results = await pool(numbers, this.ctx.concurrency, async (n) => {
      let raw: unknown;
      try {
        raw = (
          await this.client.get<unknown>(
            'GET /repos/{owner}/{repo}/issues/{issue_number}',
            this.params({ issue_number: n }),
          )
        ).data;
      } catch (e) {
        if (RepoSync.isGone(e)) return { n, record: null, done: true };
        throw e;
      }
      if (isPullRequestIssue(raw)) return { n, record: null, done: true };
      const issue = parseIssue(this.repo, raw, skips);
      return issue
        ? { n, record: await this.workItemOf(issue), done: true }
        : { n, record: null, done: false };
    });
    const batch = this.emptyBatch();
    for (const r of results) if (r.record) batch.workItems.push(r.record);
    await this.save(batch);
    for (const r of results) if (r.done) this.forget('issues', r.n);
    await this.ctx.saveCursor();
  }

  private async syncIssues(): Promise<void> {
    const skips = this.ctx.skips;
    await this.retryIssues();
    // Newest-first without `since`: the URL stays the same between syncs, so an unchanged
    // repo answers 304; stopping at the cursor gives what `since` would.
    await this.walk<unknown>({
      walk: this.cursor.issues,
      route: 'GET /repos/{owner}/{repo}/issues',
      params: this.params({ state: 'all', sort: 'updated', direction: 'desc' }),
      keyOf: (raw) => {
        const p = isoKey.safeParse(pickKey(raw, 'number', 'updated_at'));
        if (!p.success) {
          // pull requests in this list are collected from the pulls list
          if (isPullRequestIssue(raw)) return null;
          parseIssue(this.repo, raw, skips); // logs why
          return skippedKey(raw, 'number', 'updated_at');
        }
        return { id: p.data.id, at: p.data.at, value: raw };
      },
      remember: (id) => this.remember('issues', id),
      process: async (items, skip) => {
        const issues: GithubIssue[] = [];
        for (const item of items) {
          if (isPullRequestIssue(item.value)) continue;
          const issue = parseIssue(this.repo, item.value, skips);
          if (issue) {
            issues.push(issue);
            this.forget('issues', item.id);
          } else skip(item);
        }
        const records = await pool(issues, this.ctx.concurrency, (issue) => this.workItemOf(issue));
        if (records.length === 0) return;
        const batch = this.emptyBatch();
        batch.workItems.push(...records);
        await this.save(batch);
      },
    });
  }

  // --- deployments ---------------------------------------------------------------------

  private async deploymentStatuses(
    id: number,
    etag: string | undefined,
  ): Promise<{ notModified: true } | { notModified: false; statuses: unknown[]; etag: string | null }> {
    const route = 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
    const params = this.params({ deployment_id: id, per_page: 100 });
    const first = await this.client.getConditional<unknown>(route, params, etag);
    if (first.notModified) return first;
    const statuses = Array.isArray(first.data) ? [...(first.data as unknown[])] : [];
    if (hasNextPage(first.headers)) {
      statuses.push(...(await this.client.getAll<unknown>(route, params)).slice(statuses.length));
    }
    return { notModified: false, statuses, etag: first.etag };
  }

  private async syncDeployments(): Promise<void> {
    const skips = this.ctx.skips;
    await this.recheckPendingDeployments();
    await this.walk<GithubDeployment>({
      walk: this.cursor.deployments,
      route: 'GET /repos/{owner}/{repo}/deployments',
      params: this.params(),
      keyOf: (raw) => {
        const d = parseDeployment(this.repo, raw, skips);
        return d ? { id: d.id, at: d.created_at, value: d } : skippedKey(raw, 'id', 'created_at');
      },
      process: async (items) => {
        const records = await pool(items, this.ctx.concurrency, async (item) => {
          const d = item.value;
          const res = await this.deploymentStatuses(d.id, undefined);
          const statuses = res.notModified ? [] : res.statuses;
          const before = skips.count;
          const record = toDeploymentRecord(this.repo, d, statuses, skips);
          // a malformed status may hide the outcome: re-checked next time, without an ETag
          if (skips.count !== before)
            this.trackPending({ id: d.id, environment: d.environment, sha: d.sha, createdAt: d.created_at });
          else if (record.finishedAt === null && !res.notModified) {
            this.trackPending({
              id: d.id,
              environment: d.environment,
              sha: d.sha,
              createdAt: d.created_at,
              ...(res.etag ? { etag: res.etag } : {}),
            });
          }
          return record;
        });
        const batch = this.emptyBatch();
        batch.deployments.push(...records);
        await this.save(batch);
      },
    });
  }

  private trackPending(p: GithubPendingDeployment): void {
    const list = this.cursor.pendingDeployments.filter((x) => x.id !== p.id);
    list.push(p);
    // a deployment that never finishes must not be re-checked forever
    this.cursor.pendingDeployments = list.sort((a, b) => b.id - a.id).slice(0, 50);
  }

  private async recheckPendingDeployments(): Promise<void> {
    const pending = [...this.cursor.pendingDeployments];
    if (pending.length === 0) return;
    const skips = this.ctx.skips;
    const batch = this.emptyBatch();
    for (const p of pending) {
      const res = await this.deploymentStatuses(p.id, p.etag);
      if (res.notModified) continue;
      const before = skips.count;
      const record = toDeploymentRecord(
        this.repo,
        { id: p.id, environment: p.environment, sha: p.sha, created_at: p.createdAt },
        res.statuses,
        skips,
      );
      batch.deployments.push(record);
      if (skips.count !== before) {
        const { etag: _stale, ...withoutEtag } = p;
        this.trackPending(withoutEtag);
      } else if (record.finishedAt !== null) {
        this.cursor.pendingDeployments = this.cursor.pendingDeployments.filter((x) => x.id !== p.id);
      } else {
        this.trackPending({ ...p, ...(res.etag ? { etag: res.etag } : {}) });
      }
    }
    if (batch.deployments.length > 0) await this.save(batch);
    await this.ctx.saveCursor();
  }

  // --- releases ------------------------------------------------------------------------

  private async syncReleases(): Promise<void> {
    const skips = this.ctx.skips;
    await this.walk<ReleaseRecord>({
      walk: this.cursor.releases,
      route: 'GET /repos/{owner}/{repo}/releases',
      params: this.params(),
      keyOf: (raw) => {
        const r = toReleaseRecord(this.repo, raw, skips);
        if (!r) return skippedKey(raw, 'id', 'created_at');
        const { createdAt, ...release } = r;
        return { id: Number(idField(raw)), at: new Date(createdAt).toISOString(), value: release };
      },
      process: async (items) => {
        const batch = this.emptyBatch();
        batch.releases.push(...items.map((i) => i.value));
        await this.save(batch);
      },
    });
  }

  // --- coverage ------------------------------------------------------------------------

  private async syncCoverage(): Promise<void> {
    const branch = this.cursor.defaultBranch ?? 'main';
    const skips = this.ctx.skips;
    const lookbackDays = this.ctx.options.coverageLookbackDays ?? 182;
    const daysDone = new Set<string>();
    await this.walk<z.infer<typeof workflowRunSchema>>({
      walk: this.cursor.coverageRuns,
      route: 'GET /repos/{owner}/{repo}/actions/runs',
      params: this.params({ branch, status: 'success', event: 'push' }),
      pick: (body) => {
        const runs = (body as { workflow_runs?: unknown } | null)?.workflow_runs;
        return Array.isArray(runs) ? runs : [];
      },
      floor: this.ctx.options.now() - lookbackDays * 86_400_000,
      keyOf: (raw) => {
        const r = workflowRunSchema.safeParse(raw);
        if (!r.success) {
          skips.add(`${this.repo} workflow run ${idField(raw)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
          return skippedKey(raw, 'id', 'created_at');
        }
        return { id: r.data.id, at: r.data.created_at, value: r.data };
      },
      process: async (items) => {
        // one sample per day is plenty for weekly KPIs: the newest successful run of each day
        const chosen = items.filter((i) => {
          const day = i.atIso.slice(0, 10);
          if (daysDone.has(day)) return false;
          daysDone.add(day);
          return true;
        });
        const samples = await pool(chosen, this.ctx.concurrency, (i) => this.coverageOfRun(i.value, branch));
        const batch = this.emptyBatch();
        batch.coverageSamples.push(...samples.filter((s): s is CoverageSampleRecord => s !== null));
        if (batch.coverageSamples.length > 0) await this.save(batch);
      },
    });
  }

  private async coverageOfRun(
    run: z.infer<typeof workflowRunSchema>,
    defaultBranch: string,
  ): Promise<CoverageSampleRecord | null> {
    const branch = run.head_branch ?? defaultBranch;
    const base = {
      repo: this.repo,
      branch,
      isDefaultBranch: branch === defaultBranch,
      sha: run.head_sha,
      committedAt: Date.parse(run.head_commit?.timestamp ?? run.created_at),
    };
    const pattern = this.ctx.options.settings.coverageArtifactPattern || 'coverage*';
    const artifacts = await this.client.getAll<unknown>(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
      this.params({ run_id: run.id }),
      (body) => {
        const list = (body as { artifacts?: unknown } | null)?.artifacts;
        return Array.isArray(list) ? list : [];
      },
    );
    const match = artifacts
      .map((a) => artifactSchema.safeParse(a))
      .find((a) => a.success && !a.data.expired && matchesArtifactPattern(a.data.name, pattern));
    if (match?.success) {
      try {
        const zip = await this.client.downloadArtifact(this.owner, this.name, match.data.id);
        const { totals } = extractCoverageFromZip(zip);
        return {
          ...base,
          linesCovered: totals.linesCovered,
          linesValid: totals.linesValid,
          branchesCovered: totals.branchesCovered,
          branchesValid: totals.branchesValid,
          source: 'artifact',
        };
      } catch (e) {
        const status = (e as { status?: unknown } | null)?.status;
        // the name comes from upstream: shown only when it looks like a name
        const name = /^[\w.-]{1,100}$/.test(match.data.name) ? match.data.name : '(unnamed)';
        if (isCoverageParseError(e)) {
          this.ctx.skips.add(`${this.repo} coverage artifact ${name} (run ${run.id}): ${e.message}`);
        } else if (status === 404 || status === 410) {
          this.ctx.skips.add(`${this.repo} coverage artifact ${name} (run ${run.id}) has expired`);
        } else {
          throw e;
        }
      }
    }
    // Codecov style: a commit status (or check run) stating the percentage
    const status = await this.client.get<{ statuses?: unknown }>(
      'GET /repos/{owner}/{repo}/commits/{ref}/status',
      this.params({ ref: run.head_sha }),
    );
    const statuses = Array.isArray(status.data.statuses) ? (status.data.statuses as unknown[]) : [];
    let texts = coverageTextsFromStatuses(statuses, []);
    if (texts.length === 0) {
      const checks = await this.client.get<{ check_runs?: unknown }>(
        'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
        this.params({ ref: run.head_sha }),
      );
      texts = coverageTextsFromStatuses(
        [],
        Array.isArray(checks.data.check_runs) ? checks.data.check_runs : [],
      );
    }
    for (const text of texts) {
      const percent = parseCoveragePercentFromDescription(text);
      if (percent !== null) return percentCoverageSample(base, percent);
    }
    return null;
  }
}

/** `{ id: raw[idKey], at: raw[atKey] }` without trusting the shape. */
function pickKey(raw: unknown, idKey: string, atKey: string): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as Record<string, unknown>;
  const at = r[atKey];
  return { id: r[idKey], at: typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : undefined };
}

function idField(raw: unknown): string {
  return idOf(raw, 'id');
}

function earliestInstant(batch: GithubPageBatch): EpochMs | null {
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

interface SyncContext {
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

// ---------------------------------------------------------------------------------------
// Entry points

export async function syncGithub(options: GithubSyncOptions): Promise<GithubSyncResult> {
  const { settings, sink } = options;
  const client = createGithubClient({
    baseUrl: settings.baseUrl,
    token: options.token,
    outbound: options.outbound,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.onRateLimit ? { onRateLimit: options.onRateLimit } : {}),
    ...(options.maxRateLimitWaitMs !== undefined ? { maxRateLimitWaitMs: options.maxRateLimitWaitMs } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  });
  const cursor = readGithubCursor(options.cursor, settings.repos);
  const counts: GithubSyncCounts = {
    pullRequests: 0,
    reviews: 0,
    deployments: 0,
    releases: 0,
    coverageSamples: 0,
    workItems: 0,
    skipped: 0,
  };
  let touchedFrom: EpochMs | null = null;
  let lastSaved = JSON.stringify(options.cursor ?? null);
  const ctx: SyncContext = {
    options,
    client,
    cursor,
    skips: new SkipLog(100),
    heldRecords: 0,
    concurrency: options.concurrency ?? 4,
    pagesSaved: 0,
    async savePage(batch) {
      if (ALL_PAGE_FIELDS.every((f) => batch[f].length === 0)) return;
      try {
        await sink.savePage(batch);
      } catch (e) {
        throw new SinkFailure(e);
      }
      ctx.pagesSaved++;
      for (const f of ALL_PAGE_FIELDS) counts[f] += batch[f].length;
      const t = earliestInstant(batch);
      if (t !== null) touchedFrom = touchedFrom === null ? t : Math.min(touchedFrom, t);
    },
    async saveCursor() {
      const json = JSON.stringify(cursor);
      if (json === lastSaved) return;
      try {
        await sink.saveCursor(structuredClone(cursor));
      } catch (e) {
        throw new SinkFailure(e);
      }
      lastSaved = json;
    },
  };
  const result = (error?: GithubSyncError): GithubSyncResult => ({
    cursor: structuredClone(cursor),
    counts: { ...counts, skipped: ctx.skips.count },
    retryPending:
      ctx.heldRecords +
      Object.values(cursor.repos).reduce(
        (n, r) => n + (r.retry?.pulls.length ?? 0) + (r.retry?.issues.length ?? 0),
        0,
      ),
    skippedReasons: [...ctx.skips.reasons],
    apiCalls: client.stats.apiCalls,
    notModified: client.stats.notModified,
    touchedFrom,
    ...(error ? { error } : {}),
  });

  try {
    await options.outbound.check(settings.baseUrl);
  } catch (e) {
    return result(classifyGithubError(e, { now: options.now }));
  }
  for (const [index, repo] of settings.repos.entries()) {
    try {
      await new RepoSync(ctx, repo, index).run();
    } catch (e) {
      if (e instanceof SinkFailure) throw e.original;
      // auth / not_found / invalid_config / rate_limited stop the connection; temporary
      // failures were already retried with backoff by the client, so they stop it too
      return result(classifyGithubError(e, { repo, now: options.now }));
    }
  }
  await ctx.saveCursor();
  options.onProgress?.({
    repo: settings.repos[settings.repos.length - 1] ?? '',
    phase: 'done',
    repoIndex: settings.repos.length,
    repoCount: settings.repos.length,
    pagesSaved: ctx.pagesSaved,
    apiCalls: client.stats.apiCalls,
  });
  return result();
}

export interface GithubConnectionTest {
  ok: boolean;
  /** The token's user, null when the token was rejected. */
  login: string | null;
  /** Classic PAT scopes (`x-oauth-scopes`); empty for fine-grained tokens. */
  scopes: string[];
  repos: { repo: string; reachable: boolean; defaultBranch?: string; error?: GithubSyncError }[];
  error?: GithubSyncError;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})(?:\[bot\])?$/;
const SCOPE = /^[a-z_]{1,30}(?::[a-z_]{1,30})?$/; // repo, read:org, admin:repo_hook…
const BRANCH = /^[\w./-]{1,255}$/;

export async function testGithubConnection(args: {
  settings: GithubSettings;
  token: string;
  outbound: Pick<OutboundPolicy, 'check' | 'fetch'>;
  now?: () => EpochMs;
  maxRateLimitWaitMs?: number;
}): Promise<GithubConnectionTest> {
  const now = args.now ?? Date.now;
  try {
    await args.outbound.check(args.settings.baseUrl);
  } catch (e) {
    return { ok: false, login: null, scopes: [], repos: [], error: classifyGithubError(e, { now }) };
  }
  const client = createGithubClient({
    baseUrl: args.settings.baseUrl,
    token: args.token,
    outbound: args.outbound,
    maxRateLimitWaitMs: args.maxRateLimitWaitMs ?? 5_000,
    retries: 1,
  });
  // What is shown to the manager is checked against GitHub's formats, so a server that is
  // not GitHub cannot use the test to echo its content.
  let login: string | null = null;
  let scopes: string[] = [];
  try {
    const me = await client.get<{ login?: unknown }>('GET /user');
    login = typeof me.data?.login === 'string' && LOGIN.test(me.data.login) ? me.data.login : null;
    scopes = (me.headers['x-oauth-scopes'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => SCOPE.test(s))
      .slice(0, 30);
  } catch (e) {
    return { ok: false, login: null, scopes: [], repos: [], error: classifyGithubError(e, { now }) };
  }
  if (login === null) {
    return {
      ok: false,
      login: null,
      scopes: [],
      repos: [],
      error: {
        class: 'invalid_config',
        message: 'The base URL did not answer like the GitHub API (no user for this token). Check the URL.',
      },
    };
  }
  const repos = await pool(args.settings.repos, 4, async (repo) => {
    const [owner, name] = repo.split('/');
    try {
      const r = await client.get<{ default_branch?: unknown }>('GET /repos/{owner}/{repo}', {
        owner: owner ?? '',
        repo: name ?? '',
      });
      const branch = r.data.default_branch;
      return {
        repo,
        reachable: true,
        ...(typeof branch === 'string' && BRANCH.test(branch) ? { defaultBranch: branch } : {}),
      };
    } catch (e) {
      return { repo, reachable: false, error: classifyGithubError(e, { repo, now }) };
    }
  });
  return { ok: repos.every((r) => r.reachable), login, scopes, repos };
}
