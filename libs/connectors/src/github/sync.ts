// Incremental GitHub sync: walks each repo's lists newest-first down to the cursor, hands
// the caller one page of normalized records at a time, and moves the cursor only after
// the caller has stored that page. Unchanged lists cost a 304 each (no quota).
//
// One module per job: the cursor (sync-cursor), the walk (walk), pull requests
// (sync-pulls), issues (sync-issues), deployments and releases (sync-deployments),
// coverage (sync-coverage) and the connection test (connection-test).
import { type EpochMs } from '@pulse/contracts';
import { createGithubClient } from './client';
import { type GithubSyncError, classifyGithubError } from './errors';
import { SkipLog } from './mappers';
import { ALL_PAGE_FIELDS, RepoScope, type SyncContext, SinkFailure, earliestInstant } from './repo-scope';
import { readGithubCursor } from './sync-cursor';
import { syncCoverage } from './sync-coverage';
import { syncDeployments, syncReleases } from './sync-deployments';
import { syncIssues } from './sync-issues';
import { syncPulls } from './sync-pulls';
import { syncPullsGraphql } from './graphql/pulls-graphql';
import { GraphqlUnavailableError, createGraphqlRunner, type GraphqlRunner } from './graphql/runner';
import { type GithubSyncCounts, type GithubSyncOptions, type GithubSyncResult } from './sync-types';

export { testGithubConnection, type GithubConnectionTest } from './connection-test';
export {
  readGithubCursor,
  type GithubPendingDeployment,
  type GithubRepoCursor,
  type GithubRetryKeys,
  type GithubSyncCursor,
  type GithubWalkCursor,
} from './sync-cursor';
export type {
  GithubPageBatch,
  GithubSyncCounts,
  GithubSyncOptions,
  GithubSyncPhase,
  GithubSyncProgress,
  GithubSyncResult,
  GithubSyncSink,
} from './sync-types';

async function loadRepo(scope: RepoScope): Promise<void> {
  const route = 'GET /repos/{owner}/{repo}';
  const key = scope.client.keyOf(route, scope.params());
  const known = scope.cursor.defaultBranch ? scope.ctx.cursor.etags[key] : undefined;
  const res = await scope.client.getConditional<{ default_branch?: unknown }>(route, scope.params(), known);
  if (res.notModified) return;
  const branch = res.data.default_branch;
  scope.cursor.defaultBranch = typeof branch === 'string' && branch ? branch : 'main';
  if (res.etag) scope.ctx.cursor.etags[key] = res.etag;
}

/** How pull requests are read in this sync: GraphQL until it turns out unavailable. */
interface PullsPath {
  graphql: GraphqlRunner | null;
  /** Why GraphQL was given up for REST (shown in the connection's status). */
  fallback: string | null;
}

async function syncPullsBy(scope: RepoScope, path: PullsPath): Promise<void> {
  if (path.graphql) {
    try {
      await syncPullsGraphql(scope, path.graphql);
      return;
    } catch (e) {
      if (!(e instanceof GraphqlUnavailableError)) throw e;
      path.graphql = null;
      path.fallback = `pull requests were read over REST: ${e.message}. Set the connection's api to "rest" to skip GraphQL.`;
    }
  }
  await syncPulls(scope);
}

async function syncRepo(scope: RepoScope, path: PullsPath): Promise<void> {
  scope.progress('repo');
  await loadRepo(scope);
  scope.progress('pulls');
  await syncPullsBy(scope, path);
  scope.progress('issues');
  await syncIssues(scope);
  scope.progress('deployments');
  await syncDeployments(scope);
  scope.progress('releases');
  await syncReleases(scope);
  scope.progress('coverage');
  await syncCoverage(scope);
}

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
  const path: PullsPath = {
    graphql:
      settings.api === 'rest'
        ? null
        : createGraphqlRunner(client, {
            now: options.now,
            maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 60_000,
            ...(options.onRateLimit ? { onRateLimit: options.onRateLimit } : {}),
          }),
    fallback: null,
  };
  const graphqlStats = path.graphql?.stats ?? null;
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
    graphql: graphqlStats ? { queries: graphqlStats.queries, points: graphqlStats.points } : null,
    notes: path.fallback ? [path.fallback] : [],
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
      await syncRepo(new RepoScope(ctx, repo, index), path);
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
