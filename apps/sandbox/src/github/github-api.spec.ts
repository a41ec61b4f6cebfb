import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { unzipSync, strFromU8 } from 'fflate';
import { startSandbox } from '../sandbox.server';
import { SANDBOX_GITHUB_TOKEN } from '../credentials.constants';
import { type RunningSandbox } from '../sandbox.types';

jest.setTimeout(20_000);
let sb: RunningSandbox;
const gh = (token = SANDBOX_GITHUB_TOKEN): Octokit => new Octokit({ auth: token, baseUrl: sb.githubUrl });

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 'spec' });
});
afterAll(() => sb.close());
afterEach(() => sb.reset());

async function status(
  p: Promise<unknown>,
): Promise<{ status: number; headers: Record<string, string>; data: unknown }> {
  try {
    await p;
    return { status: 200, headers: {}, data: undefined };
  } catch (e) {
    const err = e as { status: number; response?: { headers: Record<string, string>; data: unknown } };
    return { status: err.status, headers: err.response?.headers ?? {}, data: err.response?.data };
  }
}

describe('GitHub through Octokit', () => {
  it('paginates every pull of slipping exactly once and matches the manifest', async () => {
    const m = sb.manifest().scenarios.slipping;
    let total = 0;
    for (const repo of m.github.repos) {
      const pulls = await gh().paginate(gh().rest.pulls.list, {
        owner: m.github.owner,
        repo: repo.name,
        state: 'all',
        sort: 'updated',
        direction: 'asc',
        per_page: 100,
      });
      const numbers = new Set(pulls.map((p) => p.number));
      expect(numbers.size).toBe(pulls.length);
      expect(pulls.length).toBe(m.counts!.githubByRepo[repo.name]?.pullRequests);
      total += pulls.length;
    }
    expect(total).toBe(m.counts!.github.pullRequests);
    expect(total).toBeGreaterThan(100);
  });

  it('lists PRs in the issues list with a pull_request key, and filters by labels', async () => {
    const m = sb.manifest().scenarios.steady;
    const repo = m.github.repos[0]!.name;
    const all = await gh().paginate(gh().rest.issues.listForRepo, {
      owner: m.github.owner,
      repo,
      state: 'all',
      per_page: 100,
    });
    const counts = m.counts!.githubByRepo[repo]!;
    expect(all.filter((i) => i.pull_request).length).toBe(counts.pullRequests);
    expect(all.filter((i) => !i.pull_request).length).toBe(counts.issues);
    const bugs = await gh().paginate(gh().rest.issues.listForRepo, {
      owner: m.github.owner,
      repo,
      state: 'all',
      labels: 'bug',
      per_page: 100,
    });
    expect(bugs.length).toBe(counts.bugIssues);
  });

  it('returns only changed issues and pulls for `since` after /_sandbox/advance', async () => {
    const m = sb.manifest().scenarios.slipping;
    const repo = m.github.repos[0]!.name;
    const res = await fetch(`${sb.url}/_sandbox/advance`, {
      method: 'POST',
      body: JSON.stringify({ hours: 6 }),
    });
    const adv = (await res.json()) as {
      previousNow: string;
      changed: {
        slipping: {
          github: Record<string, { updatedPulls: number[]; updatedIssues: number[]; createdPulls: number[] }>;
        };
      };
    };
    const changed = adv.changed.slipping.github[repo]!;
    const since = await gh().paginate(gh().rest.issues.listForRepo, {
      owner: m.github.owner,
      repo,
      state: 'all',
      since: adv.previousNow,
      per_page: 100,
    });
    expect(since.map((i) => i.number).sort((a, b) => a - b)).toEqual(
      [...changed.updatedPulls, ...changed.updatedIssues, ...changed.createdPulls].sort((a, b) => a - b),
    );
    const merged = await gh().rest.pulls.get({
      owner: m.github.owner,
      repo,
      pull_number: changed.updatedPulls[0]!,
    });
    expect(Date.parse(merged.data.updated_at)).toBeGreaterThan(Date.parse(adv.previousNow));
    // a full listing still has every PR exactly once (moved records are not duplicated)
    const pulls = await gh().paginate(gh().rest.pulls.list, {
      owner: m.github.owner,
      repo,
      state: 'all',
      sort: 'updated',
      per_page: 50,
    });
    expect(new Set(pulls.map((p) => p.number)).size).toBe(pulls.length);
    expect(pulls.length).toBe(sb.manifest().scenarios.slipping.counts!.githubByRepo[repo]!.pullRequests);
  });

  it('answers a matching If-None-Match with 304 without using quota', async () => {
    const m = sb.manifest().scenarios.steady;
    const first = await gh().rest.pulls.list({
      owner: m.github.owner,
      repo: m.github.repos[0]!.name,
      state: 'all',
    });
    const etag = first.headers.etag!;
    const used = Number(first.headers['x-ratelimit-used']);
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    expect(first.headers.link).toContain('rel="next"');
    const r = await status(
      gh().rest.pulls.list({
        owner: m.github.owner,
        repo: m.github.repos[0]!.name,
        state: 'all',
        headers: { 'if-none-match': etag },
      }),
    );
    expect(r.status).toBe(304);
    expect(Number(r.headers['x-ratelimit-used'])).toBe(used);
    const after = await gh().rest.rateLimit.get();
    expect(after.data.rate.used).toBe(used);
  });

  it('sends GitHub error bodies: 401 bad credentials, 404, primary and secondary limits, 5xx, revoked token', async () => {
    const bad = await status(gh('ghp_wrong').rest.users.getAuthenticated());
    expect(bad.status).toBe(401);
    expect(bad.data).toMatchObject({ message: 'Bad credentials' });
    const nf = await status(gh().rest.repos.get({ owner: 'nobody', repo: 'nothing' }));
    expect(nf.status).toBe(404);
    expect(nf.data).toMatchObject({ message: 'Not Found' });

    sb.reset();
    sb.setFaults({ github: { quota: 2 } });
    await gh().rest.users.getAuthenticated();
    await gh().rest.users.getAuthenticated();
    const primary = await status(gh().rest.users.getAuthenticated());
    expect(primary.status).toBe(403);
    expect(primary.headers['x-ratelimit-remaining']).toBe('0');
    expect(String((primary.data as { message: string }).message)).toMatch(/API rate limit exceeded/);
    sb.reset();

    sb.setFaults({ github: { rateLimitRate: 1, retryAfterSeconds: 7 } });
    const secondary = await status(gh().rest.users.getAuthenticated());
    expect(secondary.status).toBe(403);
    expect(secondary.headers['retry-after']).toBe('7');
    expect(String((secondary.data as { message: string }).message)).toMatch(/secondary rate limit/);
    sb.setFaults({ github: { secondaryLimitStatus: 429 } });
    expect((await status(gh().rest.users.getAuthenticated())).status).toBe(429);
    sb.reset();

    sb.setFaults({ github: { error5xxRate: 1 } });
    expect((await status(gh().rest.users.getAuthenticated())).status).toBe(502);
    sb.reset();
    sb.setFaults({ github: { tokenRevoked: true } });
    const revoked = await status(gh().rest.users.getAuthenticated());
    expect(revoked.status).toBe(401);
    expect(revoked.data).toMatchObject({ message: 'Bad credentials' });
  });

  it('malforms records when asked (missing fields / wrong types) and slows responses', async () => {
    const m = sb.manifest().scenarios.steady;
    await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ github: { malformedRate: 1, slowRate: 1, slowMs: 200 } }),
    });
    const started = Date.now();
    const { data } = await gh().rest.pulls.list({
      owner: m.github.owner,
      repo: m.github.repos[0]!.name,
      state: 'all',
      per_page: 20,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const broken = data.filter((p) => {
      const rec = p as unknown as Record<string, unknown>;
      return ['created_at', 'updated_at', 'user', 'number', 'merged_at', 'state', 'id'].some(
        (k) =>
          !(k in rec) ||
          (k === 'number' && typeof rec[k] !== 'number') ||
          (k === 'created_at' && typeof rec[k] !== 'string'),
      );
    });
    expect(broken.length).toBeGreaterThan(0);
    // reviews too: a PR's reviews can be lost on their own
    const withReviews = sb.manifest({ counts: true }).scenarios.steady.counts!.githubByRepo[
      m.github.repos[0]!.name
    ]!;
    expect(withReviews.reviews).toBeGreaterThan(0);
    let brokenReviews = 0;
    for (let n = 1; n <= 30 && brokenReviews === 0; n++) {
      const reviews = await gh()
        .rest.pulls.listReviews({ owner: m.github.owner, repo: m.github.repos[0]!.name, pull_number: n })
        .catch(() => ({ data: [] }));
      brokenReviews += reviews.data.filter((r) => {
        const rec = r as unknown as Record<string, unknown>;
        return (
          !('id' in rec && 'state' in rec && 'submitted_at' in rec) ||
          typeof rec['id'] !== 'number' ||
          typeof rec['state'] !== 'string' ||
          typeof rec['submitted_at'] !== 'string'
        );
      }).length;
    }
    expect(brokenReviews).toBeGreaterThan(0);
  });

  it('serves reviews, timeline, deployments, releases, statuses and a coverage artifact zip', async () => {
    const m = sb.manifest().scenarios.slipping;
    const owner = m.github.owner;
    const repo = m.github.repos[0]!;
    const runs = await gh().paginate(gh().rest.actions.listWorkflowRunsForRepo, {
      owner,
      repo: repo.name,
      branch: 'main',
      per_page: 100,
    });
    expect(runs.length).toBe(m.counts!.githubByRepo[repo.name]!.workflowRuns);
    const coverageOf = async (runId: number): Promise<number> => {
      const arts = await gh().rest.actions.listWorkflowRunArtifacts({
        owner,
        repo: repo.name,
        run_id: runId,
      });
      const zip = await gh().rest.actions.downloadArtifact({
        owner,
        repo: repo.name,
        artifact_id: arts.data.artifacts[0]!.id,
        archive_format: 'zip',
      });
      const files = unzipSync(new Uint8Array(zip.data as ArrayBuffer));
      const xml = strFromU8(files['coverage.xml']!);
      const covered = Number(/lines-covered="(\d+)"/.exec(xml)![1]);
      const valid = Number(/lines-valid="(\d+)"/.exec(xml)![1]);
      return (100 * covered) / valid;
    };
    const newest = await coverageOf(runs[0]!.id);
    const oldest = await coverageOf(runs[runs.length - 1]!.id);
    expect(oldest).toBeGreaterThan(79);
    expect(newest).toBeLessThan(68);
    const statuses = await gh().rest.repos.listCommitStatusesForRef({
      owner,
      repo: repo.name,
      ref: runs[0]!.head_sha,
    });
    expect(statuses.data.find((s) => s.context === 'codecov/project')?.description).toMatch(
      /^\d+\.\d\d% \([+-]\d+\.\d\d%\) compared to [0-9a-f]{7}$/,
    );
    const combined = await gh().rest.repos.getCombinedStatusForRef({
      owner,
      repo: repo.name,
      ref: runs[0]!.head_sha,
    });
    expect(combined.data.total_count).toBe(2);
    const checks = await gh().rest.checks.listForRef({ owner, repo: repo.name, ref: runs[0]!.head_sha });
    expect(checks.data.check_runs[0]?.status).toBe('completed');

    const deployments = await gh().paginate(gh().rest.repos.listDeployments, {
      owner,
      repo: repo.name,
      environment: 'production',
      per_page: 100,
    });
    expect(deployments.length).toBe(m.counts!.githubByRepo[repo.name]!.productionDeployments);
    const dStatuses = await gh().rest.repos.listDeploymentStatuses({
      owner,
      repo: repo.name,
      deployment_id: deployments[0]!.id,
    });
    expect(['success', 'failure']).toContain(dStatuses.data[0]!.state);
    const releases = await gh().paginate(gh().rest.repos.listReleases, {
      owner,
      repo: repo.name,
      per_page: 100,
    });
    expect(releases.length).toBe(m.counts!.githubByRepo[repo.name]!.releases);

    const pulls = await gh().paginate(gh().rest.pulls.list, {
      owner,
      repo: repo.name,
      state: 'all',
      per_page: 100,
    });
    const drafted = pulls.find((p) => p.user?.type === 'User' && p.merged_at);
    const reviews = await gh().rest.pulls.listReviews({
      owner,
      repo: repo.name,
      pull_number: drafted!.number,
    });
    const timeline = await gh().rest.issues.listEventsForTimeline({
      owner,
      repo: repo.name,
      issue_number: drafted!.number,
    });
    expect(timeline.data.some((e) => 'event' in e && e.event === 'merged')).toBe(true);
    expect(Array.isArray(reviews.data)).toBe(true);
    const commits = await gh().rest.pulls.listCommits({
      owner,
      repo: repo.name,
      pull_number: drafted!.number,
    });
    expect(commits.data.length).toBeGreaterThan(0);
  });
});

describe('recorded GitHub responses and sandbox responses parse alike', () => {
  interface Recording {
    path: string;
    status: number;
    response: unknown;
    headers: Record<string, string | number>;
  }
  const recordings = JSON.parse(
    readFileSync(join(__dirname, '../__fixtures__/octokit-paginate-issues.json'), 'utf8'),
  ) as Recording[];

  /** the fields a collector's mapper reads from an issue */
  const mapIssue = (
    i: Record<string, unknown>,
  ): {
    number: number;
    state: string;
    login: string;
    labels: string[];
    createdAt: number;
    updatedAt: number;
    isPr: boolean;
  } => {
    const user = i['user'] as { login: string };
    return {
      number: i['number'] as number,
      state: i['state'] as string,
      login: user.login,
      labels: (i['labels'] as { name: string }[]).map((l) => l.name),
      createdAt: Date.parse(i['created_at'] as string),
      updatedAt: Date.parse(i['updated_at'] as string),
      isPr: 'pull_request' in i,
    };
  };
  const valid = (r: ReturnType<typeof mapIssue>): boolean =>
    Number.isInteger(r.number) &&
    ['open', 'closed'].includes(r.state) &&
    typeof r.login === 'string' &&
    Number.isFinite(r.createdAt) &&
    Number.isFinite(r.updatedAt) &&
    r.labels.every((l) => typeof l === 'string');

  it('paginates the recording through Octokit and the same mapper', async () => {
    const fakeFetch = async (input: string | URL | Request): Promise<Response> => {
      const u = new URL(
        typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url,
      );
      const rec = recordings.find((r) => r.path === `${u.pathname}${u.search}`);
      if (!rec) return new Response('{"message":"Not Found"}', { status: 404 });
      const headers = new Headers();
      for (const [k, v] of Object.entries(rec.headers)) if (k !== 'content-length') headers.set(k, String(v));
      return new Response(JSON.stringify(rec.response), { status: rec.status, headers });
    };
    const recorded = new Octokit({ auth: 'x', request: { fetch: fakeFetch } });
    const fromRecording = await recorded.paginate(recorded.rest.issues.listForRepo, {
      owner: 'octokit-fixture-org',
      repo: 'paginate-issues',
      per_page: 3,
    });
    expect(fromRecording).toHaveLength(13);
    expect(fromRecording.map((i) => mapIssue(i as unknown as Record<string, unknown>)).every(valid)).toBe(
      true,
    );

    const m = sb.manifest().scenarios.steady;
    const fromSandbox = await gh().paginate(gh().rest.issues.listForRepo, {
      owner: m.github.owner,
      repo: m.github.repos[0]!.name,
      per_page: 3,
      state: 'open',
    });
    expect(fromSandbox.length).toBeGreaterThan(0);
    expect(fromSandbox.map((i) => mapIssue(i as unknown as Record<string, unknown>)).every(valid)).toBe(true);
    // the sandbox sends at least every top-level field the recording has (reactions aside)
    const recordedKeys = Object.keys(fromRecording[0]!).filter(
      (k) =>
        ![
          'reactions',
          'performed_via_github_app',
          'labels_url',
          'comments_url',
          'events_url',
          'sub_issues_summary',
          'type',
          'closed_by',
        ].includes(k),
    );
    const missing = recordedKeys.filter((k) => !(k in (fromSandbox[0] as object)));
    expect(missing).toEqual([]);
  });
});
