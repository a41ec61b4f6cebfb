// The GitHub collector against the sandbox, through the real Octokit over real HTTP.
import { type CoverageSampleRecord } from '@pulse/contracts';
import {
  type RunningSandbox,
  type ScenarioManifest,
  SANDBOX_GITHUB_TOKEN,
  startSandbox,
} from '../../../../apps/sandbox/src';
import { createOutboundPolicy, parseAllowedUpstreamHosts, type OutboundPolicy } from '../outbound';
import { type GithubSettings } from '../settings';
import {
  type GithubPageBatch,
  type GithubSyncCursor,
  type GithubSyncSink,
  syncGithub,
  testGithubConnection,
} from './sync';

const NOW = '2026-11-20T12:00:00.000Z';
const SEED = 'pulse';
const clock = (): number => Date.parse(NOW);
/** Each test its own token, so each has its own sandbox quota (5000 calls an hour). */
const tokenFor = (n: number): string => `${SANDBOX_GITHUB_TOKEN}_t${n}`;

/** An in-memory sink that upserts on natural keys, as the worker's repository does. */
class MemorySink implements GithubSyncSink {
  readonly pulls = new Map<string, GithubPageBatch['pullRequests'][number]>();
  readonly reviews = new Map<string, GithubPageBatch['reviews'][number]>();
  readonly deployments = new Map<string, GithubPageBatch['deployments'][number]>();
  readonly releases = new Map<string, GithubPageBatch['releases'][number]>();
  readonly coverage = new Map<string, CoverageSampleRecord>();
  readonly workItems = new Map<string, GithubPageBatch['workItems'][number]>();
  cursor: GithubSyncCursor | null = null;
  pages: GithubPageBatch[] = [];
  failAfterPages: number | null = null;

  async savePage(batch: GithubPageBatch): Promise<void> {
    if (this.failAfterPages !== null && this.pages.length >= this.failAfterPages) {
      throw new Error('database went away');
    }
    this.pages.push(batch);
    for (const p of batch.pullRequests) this.pulls.set(p.id, p);
    for (const r of batch.reviews) this.reviews.set(`${r.pullRequestId}/${r.externalId}`, r);
    for (const d of batch.deployments) this.deployments.set(d.id, d);
    for (const r of batch.releases) this.releases.set(r.id, r);
    for (const c of batch.coverageSamples) this.coverage.set(`${c.repo}@${c.sha}/${c.source}`, c);
    for (const w of batch.workItems) this.workItems.set(w.key, w);
  }

  async saveCursor(cursor: GithubSyncCursor): Promise<void> {
    this.cursor = cursor;
  }

  snapshot(): string {
    const sorted = <T>(m: Map<string, T>): [string, T][] =>
      [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify([
      sorted(this.pulls),
      sorted(this.reviews),
      sorted(this.deployments),
      sorted(this.releases),
      sorted(this.coverage),
      sorted(this.workItems),
    ]);
  }
}

function settingsOf(sb: RunningSandbox, m: ScenarioManifest, repos?: string[]): GithubSettings {
  return {
    baseUrl: sb.githubUrl,
    repos: repos ?? m.github.repos.map((r) => r.fullName),
    coverageArtifactPattern: 'coverage*',
    // these specs pin the REST path's request patterns; GraphQL has its own spec
    api: 'rest',
  };
}

describe('syncGithub against the sandbox', () => {
  jest.setTimeout(120_000);
  let sb: RunningSandbox;
  let outbound: OutboundPolicy;
  /** The sandbox listens on loopback: allowed explicitly, as an admin would. */
  const allowSandbox = (): OutboundPolicy => outbound;
  let slipping: ScenarioManifest;
  // a full sync, shared by the tests that build on it
  let full: { sink: MemorySink; result: Awaited<ReturnType<typeof syncGithub>> };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, seed: SEED });
    outbound = createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) });
    slipping = sb.manifest().scenarios.slipping;
    const sink = new MemorySink();
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: SANDBOX_GITHUB_TOKEN,
      outbound: allowSandbox(),
      cursor: null,
      sink,
      now: clock,
      concurrency: 10,
    });
    full = { sink, result };
    // a full sync of three repos: minutes on a loaded 2-core machine
  }, 300_000);

  afterAll(async () => {
    await sb.close();
  });

  afterEach(() => {
    sb.setFaults({ github: {} });
  });

  it('a full sync of `slipping` stores exactly the manifest counts, without duplicates', () => {
    const counts = slipping.counts!.github;
    const { sink, result } = full;
    expect(result.error).toBeUndefined();
    expect(result.counts.skipped).toBe(0);
    expect(sink.pulls.size).toBe(counts.pullRequests);
    expect(sink.reviews.size).toBe(counts.reviews + counts.reviewComments);
    expect([...sink.reviews.values()].filter((r) => r.kind === 'review')).toHaveLength(counts.reviews);
    expect(sink.deployments.size).toBe(counts.deployments);
    expect(sink.releases.size).toBe(counts.releases);
    expect(sink.workItems.size).toBe(counts.issues);
    // every record was saved once: the saved totals equal the distinct keys
    expect(result.counts.pullRequests).toBe(counts.pullRequests);
    expect(result.counts.reviews).toBe(counts.reviews + counts.reviewComments);
    expect(result.counts.deployments).toBe(counts.deployments);
    expect(result.counts.releases).toBe(counts.releases);
    expect(result.touchedFrom).not.toBeNull();
    expect(result.apiCalls).toBeGreaterThan(0);
  });

  it('maps drafts, bots, merges, production deployments and coverage faithfully', () => {
    const counts = slipping.counts!.github;
    const pulls = [...full.sink.pulls.values()];
    expect(pulls.filter((p) => p.mergedAt !== null)).toHaveLength(counts.mergedPullRequests);
    // a PR that was a draft is still one, or has a ready_for_review event
    expect(pulls.filter((p) => p.draft || p.readyAt !== null)).toHaveLength(counts.draftPullRequests);
    expect(pulls.filter((p) => p.authorIsBot)).toHaveLength(counts.botPullRequests);
    expect(pulls.some((p) => p.readyAt !== null && p.readyAt >= p.createdAt)).toBe(true);
    expect(pulls.every((p) => p.firstCommitAt === null || p.firstCommitAt <= (p.mergedAt ?? Infinity))).toBe(
      true,
    );
    const deployments = [...full.sink.deployments.values()];
    expect(deployments.filter((d) => d.environment === 'production')).toHaveLength(
      counts.productionDeployments,
    );
    expect(
      deployments.filter(
        (d) => d.environment === 'production' && d.state === 'success' && d.finishedAt !== null,
      ),
    ).toHaveLength(counts.successfulProductionDeployments);
    const samples = [...full.sink.coverage.values()];
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.every((s) => s.isDefaultBranch && s.source === 'artifact' && s.linesValid > 0)).toBe(true);
    const rates = samples
      .sort((a, b) => a.committedAt - b.committedAt)
      .map((s) => s.linesCovered / s.linesValid);
    // the planted coverage decline (~82 % → ~64 %)
    expect(rates[0]!).toBeGreaterThan(0.75);
    expect(rates[rates.length - 1]!).toBeLessThan(0.7);
  });

  it('a second, unchanged sync saves nothing and costs only 304s', async () => {
    const sink = new MemorySink();
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: tokenFor(1),
      outbound: allowSandbox(),
      cursor: full.result.cursor,
      sink,
      now: clock,
      concurrency: 10,
    });
    expect(result.error).toBeUndefined();
    expect(sink.pages).toHaveLength(0);
    expect(result.apiCalls).toBeGreaterThan(0);
    expect(result.notModified).toBe(result.apiCalls);
    expect(result.touchedFrom).toBeNull();
  });

  it('a sync interrupted by a failing sink, then rerun, ends with the same records', async () => {
    const repos = [slipping.github.repos[0]!.fullName];
    const settings = settingsOf(sb, slipping, repos);
    const reference = new MemorySink();
    await syncGithub({
      settings,
      token: tokenFor(2),
      outbound: allowSandbox(),
      cursor: null,
      sink: reference,
      now: clock,
      concurrency: 10,
    });

    const sink = new MemorySink();
    sink.failAfterPages = 3;
    await expect(
      syncGithub({
        settings,
        token: tokenFor(3),
        outbound: allowSandbox(),
        cursor: null,
        sink,
        now: clock,
        concurrency: 10,
      }),
    ).rejects.toThrow('database went away');
    expect(sink.cursor).not.toBeNull();
    const interruptedAt = sink.pages.length;
    sink.failAfterPages = null;
    const rerun = await syncGithub({
      settings,
      token: tokenFor(4),
      outbound: allowSandbox(),
      cursor: sink.cursor,
      sink,
      now: clock,
      concurrency: 10,
    });
    expect(rerun.error).toBeUndefined();
    expect(interruptedAt).toBe(3);
    expect(sink.snapshot()).toBe(reference.snapshot());
    // the rerun resumed: it did not refetch the pull requests already stored
    expect(rerun.counts.pullRequests).toBeLessThan(reference.pulls.size);
  }, 120_000);

  it('a revoked token ends in `auth` with a message for the manager', async () => {
    sb.setFaults({ github: { tokenRevoked: true } });
    const sink = new MemorySink();
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: tokenFor(5),
      outbound: allowSandbox(),
      cursor: null,
      sink,
      now: clock,
      concurrency: 10,
    });
    expect(result.error?.class).toBe('auth');
    expect(result.error?.message).toMatch(/token rejected/i);
    expect(result.error?.message).not.toContain(SANDBOX_GITHUB_TOKEN);
    expect(sink.pages).toHaveLength(0);
  });

  it('an unknown repo ends in `not_found`, naming it', async () => {
    const result = await syncGithub({
      settings: settingsOf(sb, slipping, [`${slipping.github.owner}/no-such-repo`]),
      token: tokenFor(6),
      outbound: allowSandbox(),
      cursor: null,
      sink: new MemorySink(),
      now: clock,
      concurrency: 10,
    });
    expect(result.error?.class).toBe('not_found');
    expect(result.error?.message).toContain(`${slipping.github.owner}/no-such-repo`);
  });

  it('waits out short secondary limits (429) and completes', async () => {
    sb.setFaults({ github: { rateLimitRate: 0.15, retryAfterSeconds: 1, secondaryLimitStatus: 429 } });
    const events: boolean[] = [];
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: tokenFor(7),
      outbound: allowSandbox(),
      cursor: full.result.cursor,
      sink: new MemorySink(),
      now: clock,
      concurrency: 10,
      maxRateLimitWaitMs: 5_000,
      onRateLimit: (e) => events.push(e.willRetry),
    });
    expect(result.error).toBeUndefined();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every(Boolean)).toBe(true);
  }, 120_000);

  it('gives up on a long limit with `rate_limited` and when to retry', async () => {
    sb.setFaults({ github: { rateLimitRate: 1, retryAfterSeconds: 900 } });
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: tokenFor(8),
      outbound: allowSandbox(),
      cursor: null,
      sink: new MemorySink(),
      now: clock,
      concurrency: 10,
      maxRateLimitWaitMs: 5_000,
    });
    expect(result.error?.class).toBe('rate_limited');
    expect(result.error?.retryAfter).toBe(clock() + 900_000);
  });

  it('an exhausted primary quota returns `rate_limited` with the reset time', async () => {
    sb.setFaults({ github: { quota: 3 } });
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      // its own quota bucket, so other tests are not affected
      token: `${SANDBOX_GITHUB_TOKEN}_quota`,
      outbound: allowSandbox(),
      cursor: null,
      sink: new MemorySink(),
      now: clock,
      concurrency: 10,
      maxRateLimitWaitMs: 5_000,
    });
    expect(result.error?.class).toBe('rate_limited');
    expect(result.error?.retryAfter).toBeGreaterThan(Date.now() + 30 * 60_000);
    // 3 answered, then the requests in flight at that moment were refused
    expect(result.apiCalls).toBeLessThan(30);
  });

  it('skips and counts malformed pull request records', async () => {
    sb.setFaults({ github: { malformedRate: 0.1 } });
    const { fullName: repo, name: shortName } = slipping.github.repos[1]!;
    const sink = new MemorySink();
    const result = await syncGithub({
      settings: settingsOf(sb, slipping, [repo]),
      token: tokenFor(9),
      outbound: allowSandbox(),
      cursor: null,
      sink,
      now: clock,
      concurrency: 10,
    });
    expect(result.error).toBeUndefined();
    const prReasons = result.skippedReasons.filter((r) => r.includes('pull request'));
    expect(prReasons.length).toBeGreaterThan(0);
    expect(result.counts.skipped).toBe(result.skippedReasons.length);
    expect(sink.pulls.size + prReasons.length).toBe(slipping.counts!.githubByRepo[shortName]!.pullRequests);
    expect([...sink.pulls.values()].every((p) => Number.isFinite(p.createdAt) && p.number > 0)).toBe(true);
  }, 120_000);

  it('testGithubConnection reports identity and reachable repos', async () => {
    const repos = [slipping.github.repos[0]!.fullName, `${slipping.github.owner}/missing`];
    const res = await testGithubConnection({
      settings: settingsOf(sb, slipping, repos),
      token: tokenFor(104),
      outbound: allowSandbox(),
    });
    expect(res.login).toBe('pulse-sandbox');
    expect(res.ok).toBe(false);
    expect(res.repos[0]).toMatchObject({ reachable: true, defaultBranch: 'main' });
    expect(res.repos[1]).toMatchObject({ reachable: false, error: { class: 'not_found' } });
  });

  // last: it moves the sandbox clock
  it('after /_sandbox/advance, an incremental sync fetches only the changed pull requests', async () => {
    const adv = sb.advance(24);
    // AdvanceResult names repos without their owner
    const changed = adv.changed.slipping.github;
    const owner = slipping.github.owner;
    const sink = new MemorySink();
    const result = await syncGithub({
      settings: settingsOf(sb, slipping),
      token: tokenFor(10),
      outbound: allowSandbox(),
      cursor: full.result.cursor,
      sink,
      now: () => Date.parse(adv.now),
      concurrency: 10,
    });
    expect(result.error).toBeUndefined();
    const expected = Object.entries(changed)
      .flatMap(([repo, c]) => [...c.updatedPulls, ...c.createdPulls].map((n) => `${owner}/${repo}#${n}`))
      .sort();
    expect([...sink.pulls.keys()].sort()).toEqual([...new Set(expected)]);
    const expectedIssues = Object.entries(changed).flatMap(([repo, c]) =>
      c.updatedIssues.map((n) => `${owner}/${repo}#${n}`),
    );
    expect([...sink.workItems.keys()].sort()).toEqual([...new Set(expectedIssues)].sort());
    expect(result.touchedFrom).not.toBeNull();
    expect(result.notModified).toBeGreaterThan(0);
  }, 120_000);
});
