// Pull requests over GraphQL against the sandbox (real Octokit, real HTTP, every query
// executed by graphql-js over GitHub's published schema): the same records as the REST
// path, incremental, resumable, and each error class handled.
import {
  type RunningSandbox,
  SANDBOX_GITHUB_TOKEN,
  type ScenarioManifest,
  startSandbox,
} from '../../../../../apps/sandbox/src';
import { type OutboundPolicy, createOutboundPolicy, parseAllowedUpstreamHosts } from '../../outbound';
import { type GithubSettings } from '../../settings';
import {
  type GithubPageBatch,
  type GithubSyncCursor,
  type GithubSyncResult,
  type GithubSyncSink,
  syncGithub,
  testGithubConnection,
} from '../sync';

const NOW = '2026-11-20T12:00:00.000Z';
const clock = (): number => Date.parse(NOW);
let tokens = 0;
/** Each sync its own token, so each has its own sandbox quotas. */
const freshToken = (): string => `${SANDBOX_GITHUB_TOKEN}_gql${++tokens}`;

/** Upserts on natural keys, as the worker's repository does. */
class MemorySink implements GithubSyncSink {
  readonly records = new Map<string, unknown>();
  cursor: GithubSyncCursor | null = null;
  pages = 0;
  failAfterPages: number | null = null;

  async savePage(b: GithubPageBatch): Promise<void> {
    if (this.failAfterPages !== null && this.pages >= this.failAfterPages)
      throw new Error('database went away');
    this.pages++;
    for (const p of b.pullRequests) this.records.set(`pr ${p.id}`, p);
    for (const r of b.reviews) this.records.set(`review ${r.pullRequestId} ${r.externalId}`, r);
    for (const d of b.deployments) this.records.set(`deployment ${d.id}`, d);
    for (const r of b.releases) this.records.set(`release ${r.id}`, r);
    for (const c of b.coverageSamples) this.records.set(`coverage ${c.repo}@${c.sha}/${c.source}`, c);
    for (const w of b.workItems) this.records.set(`work ${w.key}`, w);
  }

  async saveCursor(cursor: GithubSyncCursor): Promise<void> {
    this.cursor = cursor;
  }

  snapshot(): [string, unknown][] {
    return [...this.records.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  count(prefix: string): number {
    return [...this.records.keys()].filter((k) => k.startsWith(prefix)).length;
  }
}

interface Env {
  sb: RunningSandbox;
  outbound: OutboundPolicy;
}

/** A scenario, or only its first repo (the error-class tests: each GraphQL query waits its turn). */
type Target = ScenarioManifest | { github: { repos: { fullName: string }[] } };
const firstRepo = (m: ScenarioManifest): Target => ({ github: { repos: m.github.repos.slice(0, 1) } });

function settingsOf(env: Env, m: Target, api: 'graphql' | 'rest'): GithubSettings {
  return {
    baseUrl: env.sb.githubUrl,
    repos: m.github.repos.map((r) => r.fullName),
    coverageArtifactPattern: 'coverage*',
    api,
  };
}

async function sync(
  env: Env,
  m: Target,
  api: 'graphql' | 'rest',
  sink = new MemorySink(),
  cursor: GithubSyncCursor | null = null,
  extra: { maxRateLimitWaitMs?: number } = {},
): Promise<{ sink: MemorySink; result: GithubSyncResult }> {
  const result = await syncGithub({
    settings: settingsOf(env, m, api),
    token: freshToken(),
    outbound: env.outbound,
    cursor,
    sink,
    now: clock,
    concurrency: 8,
    retryBaseMs: 10,
    ...extra,
  });
  return { sink, result };
}

async function startEnv(scale: number): Promise<Env> {
  const sb = await startSandbox({ port: 0, now: NOW, scale, faults: { github: { quota: 1_000_000 } } });
  return {
    sb,
    outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
  };
}

describe('GitHub pull requests over GraphQL (demo size)', () => {
  let env: Env;
  let manifest: ReturnType<RunningSandbox['manifest']>;
  const rest: Record<string, { sink: MemorySink; result: GithubSyncResult }> = {};
  const gql: Record<string, { sink: MemorySink; result: GithubSyncResult }> = {};
  /** The first repo of `steady` by REST and by GraphQL: the reference of the error-class tests. */
  let one: { rest: MemorySink; gql: MemorySink; queries: number };
  let oneRepo: Target;

  beforeAll(async () => {
    env = await startEnv(1);
    manifest = env.sb.manifest({ counts: true });
    for (const name of ['steady', 'slipping'] as const) {
      const m = manifest.scenarios[name];
      rest[name] = await sync(env, m, 'rest');
      gql[name] = await sync(env, m, 'graphql');
    }
    oneRepo = firstRepo(manifest.scenarios.steady);
    const g = await sync(env, oneRepo, 'graphql');
    one = { rest: (await sync(env, oneRepo, 'rest')).sink, gql: g.sink, queries: g.result.graphql!.queries };
  }, 600_000);

  afterAll(async () => {
    await env.sb.close();
  });

  afterEach(() => {
    // `{}` clears the knobs (setting merges), then the roomy quota again
    env.sb.setFaults({ github: {} });
    env.sb.setFaults({ github: { quota: 1_000_000 } });
  });

  it.each(['steady', 'slipping'] as const)(
    '%s: the GraphQL path stores exactly the records of the REST path, with far fewer requests',
    (name) => {
      const r = rest[name]!;
      const g = gql[name]!;
      expect(r.result.error).toBeUndefined();
      expect(g.result.error).toBeUndefined();
      expect(g.result.notes).toEqual([]);
      expect(g.result.counts.skipped).toBe(0);
      const counts = manifest.scenarios[name].counts!.github;
      expect(g.sink.count('pr ')).toBe(counts.pullRequests);
      expect(g.sink.count('review ')).toBe(counts.reviews + counts.reviewComments);
      expect(g.sink.snapshot()).toEqual(r.sink.snapshot());
      // pull requests were read by GraphQL: its queries and points are counted
      expect(g.result.graphql!.queries).toBeGreaterThan(0);
      expect(g.result.graphql!.points).toBeGreaterThanOrEqual(g.result.graphql!.queries);
      expect(g.result.apiCalls).toBeLessThan(r.result.apiCalls / 2);
    },
  );

  it('an unchanged re-sync costs one GraphQL query (one point) per repository', async () => {
    const m = manifest.scenarios.slipping;
    const first = gql['slipping']!;
    const again = await sync(env, m, 'graphql', first.sink, first.result.cursor);
    expect(again.result.error).toBeUndefined();
    expect(again.result.graphql!.queries).toBe(m.github.repos.length);
    expect(again.result.graphql!.points).toBe(m.github.repos.length);
    expect(again.result.counts.pullRequests).toBe(0);
  });

  it('an interrupted sync resumes from its cursor and ends with the same records', async () => {
    const m = oneRepo;
    const sink = new MemorySink();
    sink.failAfterPages = 2;
    await expect(sync(env, m, 'graphql', sink)).rejects.toThrow('database went away');
    const saved = sink.cursor;
    expect(saved).not.toBeNull();
    // the pulls walk of the first repo was interrupted with its GraphQL position kept
    const firstRepo = m.github.repos[0]!.fullName;
    expect(saved!.repos[firstRepo]!.pulls.partial?.after).toEqual(expect.any(String));
    sink.failAfterPages = null;
    const resumed = await sync(env, m, 'graphql', sink, saved);
    expect(resumed.result.error).toBeUndefined();
    expect(sink.snapshot()).toEqual(one.gql.snapshot());
    // resuming did not read everything again
    expect(resumed.result.graphql!.queries).toBeLessThan(one.queries);
  });

  it('waits out secondary limits, in today\'s and the older "abuse" wording, 403 and 429', async () => {
    const m = oneRepo;
    for (const f of [
      { secondaryLimitMessage: 'abuse' as const, secondaryLimitStatus: 403 as const },
      { secondaryLimitMessage: 'secondary' as const, secondaryLimitStatus: 429 as const },
    ]) {
      env.sb.setFaults({
        github: { quota: 1_000_000, rateLimitRate: 0.3, rateLimitMax: 3, retryAfterSeconds: 1, ...f },
      });
      const events: string[] = [];
      const r = await syncGithub({
        settings: settingsOf(env, m, 'graphql'),
        token: freshToken(),
        outbound: env.outbound,
        cursor: null,
        sink: new MemorySink(),
        now: clock,
        retryBaseMs: 10,
        onRateLimit: (e) => events.push(`${e.kind}:${e.retryAfterSeconds}`),
      });
      expect(r.error).toBeUndefined();
      expect(r.counts.pullRequests).toBe(one.gql.count('pr '));
      expect(events.filter((e) => e === 'secondary:1').length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['a timeout (502)', { graphqlTimeoutAboveNodes: 9_000 }],
    ['RESOURCE_LIMITS_EXCEEDED', { graphqlResourceLimitAboveNodes: 9_000 }],
  ])('shrinks the page after %s and still collects everything', async (_label, fault) => {
    const m = oneRepo;
    env.sb.setFaults({ github: { quota: 1_000_000, ...fault } });
    const g = await sync(env, m, 'graphql');
    expect(g.result.error).toBeUndefined();
    expect(g.sink.snapshot()).toEqual(one.gql.snapshot());
    expect(g.result.graphql!.queries).toBeGreaterThan(one.queries);
  });

  it('falls back to REST, with a note, where there is no GraphQL (old Enterprise Server)', async () => {
    const m = oneRepo;
    env.sb.setFaults({ github: { quota: 1_000_000, graphqlDisabled: true } });
    const g = await sync(env, m, 'graphql');
    expect(g.result.error).toBeUndefined();
    expect(g.result.notes).toEqual([expect.stringMatching(/read over REST: GitHub answered HTTP 404/)]);
    expect(g.sink.snapshot()).toEqual(one.rest.snapshot());
    const test = await testGithubConnection({
      settings: settingsOf(env, m, 'graphql'),
      token: freshToken(),
      outbound: env.outbound,
      now: clock,
    });
    expect(test.ok).toBe(true);
    expect(test.graphql).toEqual({ available: false, note: expect.stringMatching(/read over REST/) });
  });

  it('the connection test reports GraphQL with the points left', async () => {
    const m = oneRepo;
    const test = await testGithubConnection({
      settings: settingsOf(env, m, 'graphql'),
      token: freshToken(),
      outbound: env.outbound,
      now: clock,
    });
    expect(test.graphql).toEqual({
      available: true,
      note: expect.stringMatching(/GraphQL \(\d+ points left/),
    });
  });

  it('an exhausted GraphQL quota stops the sync as rate_limited with the reset instant; resumes after', async () => {
    const m = oneRepo;
    env.sb.setFaults({ github: { quota: 3 } });
    const sink = new MemorySink();
    const first = await sync(env, m, 'graphql', sink, null, { maxRateLimitWaitMs: 1_000 });
    expect(first.result.error?.class).toBe('rate_limited');
    expect(first.result.error?.retryAfter).toBeGreaterThan(Date.now());
    env.sb.setFaults({ github: {} });
    env.sb.setFaults({ github: { quota: 1_000_000 } });
    const after = await sync(env, m, 'graphql', sink, sink.cursor);
    expect(after.result.error).toBeUndefined();
    expect(sink.snapshot()).toEqual(one.gql.snapshot());
  });

  it('a revoked token is an auth error, not a fallback', async () => {
    const m = oneRepo;
    env.sb.setFaults({ github: { tokenRevoked: true } });
    const g = await sync(env, m, 'graphql');
    expect(g.result.error?.class).toBe('auth');
    expect(g.result.notes).toEqual([]);
  });
});

describe('GitHub pull requests over GraphQL at scale 3', () => {
  let env: Env;

  beforeAll(async () => {
    env = await startEnv(3);
  });

  afterAll(async () => {
    await env.sb.close();
  });

  it('stores exactly the records of the REST path (one repo of `slipping`)', async () => {
    const manifest = env.sb.manifest({ counts: true }).scenarios.slipping;
    const m = firstRepo(manifest);
    const r = await sync(env, m, 'rest');
    const g = await sync(env, m, 'graphql');
    expect(r.result.error).toBeUndefined();
    expect(g.result.error).toBeUndefined();
    const name = manifest.github.repos[0]!.name;
    expect(g.sink.count('pr ')).toBe(manifest.counts!.githubByRepo[name]!.pullRequests);
    expect(g.sink.snapshot()).toEqual(r.sink.snapshot());
    expect(g.result.apiCalls).toBeLessThan(r.result.apiCalls / 2);
  });
});
