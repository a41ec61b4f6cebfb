// The cursor/ETag rule for malformed records, against a scripted GitHub behind the
// client's fetch (no server): a skipped record is never left behind by the cursor or ETag.
import { createHash } from 'node:crypto';
import { type GithubPageBatch, type GithubSyncCursor, syncGithub } from './sync';

const BASE = 'https://github.test/api/v3';
const REPO = 'acme/api';
const now = (): number => Date.parse('2026-11-20T12:00:00Z');

const iso = (day: number): string => `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;

interface Damage {
  /** list entry fields removed */
  list?: string[];
  /** detail fields removed */
  detail?: string[];
}

/** A tiny GitHub: pull requests and issues of one repo, ETags on lists, every request logged. */
class ScriptedGithub {
  readonly requests: string[] = [];
  readonly pulls = new Map<number, Record<string, unknown>>();
  readonly issues = new Map<number, Record<string, unknown>>();
  damage = new Map<string, Damage>();

  addPull(number: number, day: number): void {
    this.pulls.set(number, {
      id: 1000 + number,
      number,
      state: 'open',
      user: { login: 'dev', type: 'User' },
      created_at: iso(day),
      updated_at: iso(day),
      html_url: `https://github.test/${REPO}/pull/${number}`,
      merged_at: null,
      closed_at: null,
      draft: false,
    });
  }

  addIssue(number: number, day: number): void {
    this.issues.set(number, {
      id: 2000 + number,
      number,
      state: 'open',
      user: { login: 'dev' },
      labels: [{ name: 'bug' }],
      created_at: iso(day),
      updated_at: iso(day),
      comments: 0,
    });
  }

  private damaged(
    key: string,
    record: Record<string, unknown>,
    where: keyof Damage,
  ): Record<string, unknown> {
    const copy = { ...record };
    for (const f of this.damage.get(key)?.[where] ?? []) delete copy[f];
    return copy;
  }

  private body(path: string): unknown {
    const p = `/repos/${REPO}`;
    const desc = (m: Map<number, Record<string, unknown>>) =>
      [...m.values()].sort((a, b) => String(b['updated_at']).localeCompare(String(a['updated_at'])));
    if (path === p) return { default_branch: 'main' };
    if (path === `${p}/pulls`)
      return desc(this.pulls).map((r) => this.damaged(`pull#${r['number']}`, r, 'list'));
    if (path === `${p}/issues`)
      return desc(this.issues).map((r) => this.damaged(`issue#${r['number']}`, r, 'list'));
    let m = new RegExp(`^${p}/pulls/(\\d+)$`).exec(path);
    if (m) {
      const r = this.pulls.get(Number(m[1]));
      return r ? this.damaged(`pull#${m[1]}`, r, 'detail') : null;
    }
    m = new RegExp(`^${p}/issues/(\\d+)$`).exec(path);
    if (m) {
      const r = this.issues.get(Number(m[1]));
      return r ? this.damaged(`issue#${m[1]}`, r, 'detail') : null;
    }
    if (/\/pulls\/\d+\/(reviews|comments|commits)$/.test(path) || /\/issues\/\d+\/timeline$/.test(path))
      return [];
    if (path === `${p}/deployments` || path === `${p}/releases`) return [];
    if (path === `${p}/actions/runs`) return { total_count: 0, workflow_runs: [] };
    return null;
  }

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname.replace('/api/v3', '');
    this.requests.push(path);
    const body = this.body(path);
    if (body === null) return new Response(JSON.stringify({ message: 'Not Found' }), { status: 404 });
    const text = JSON.stringify(body);
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    const inm = new Headers(init?.headers).get('if-none-match');
    if (inm === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json', etag } });
  }) as typeof fetch;

  sync(cursor: GithubSyncCursor | null) {
    const saved: GithubPageBatch[] = [];
    return syncGithub({
      settings: { baseUrl: BASE, repos: [REPO], coverageArtifactPattern: 'coverage*', api: 'rest' },
      token: 'ghp_scripted_token_0000',
      outbound: { check: async () => undefined, fetch: this.fetch },
      cursor,
      now,
      retryBaseMs: 1,
      sink: { savePage: async (b) => void saved.push(b), saveCursor: async () => undefined },
    }).then((result) => ({
      result,
      pulls: saved.flatMap((b) => b.pullRequests.map((p) => p.number)).sort((a, b) => a - b),
      issues: saved.flatMap((b) => b.workItems.map((w) => w.key)).sort(),
    }));
  }
}

const pullsEtagKey = (cursor: GithubSyncCursor): string | undefined =>
  Object.keys(cursor.etags).find((k) => k.startsWith(`GET /repos/${REPO}/pulls?`));
const issuesEtagKey = (cursor: GithubSyncCursor): string | undefined =>
  Object.keys(cursor.etags).find((k) => k.startsWith(`GET /repos/${REPO}/issues?`));

describe('syncGithub: skipped records are retried, never passed by cursor or ETag', () => {
  it('remembers a pull request whose list entry is malformed, keeps no ETag, and collects it next time', async () => {
    const gh = new ScriptedGithub();
    [1, 2, 3].forEach((n) => gh.addPull(n, n));
    gh.damage.set('pull#2', { list: ['updated_at'] });

    const first = await gh.sync(null);
    expect(first.result.error).toBeUndefined();
    expect(first.pulls).toEqual([1, 3]);
    expect(first.result.counts.skipped).toBe(1);
    expect(first.result.retryPending).toBe(1);
    expect(first.result.cursor.repos[REPO]!.retry).toEqual({ pulls: [2], issues: [] });
    expect(pullsEtagKey(first.result.cursor)).toBeUndefined();

    gh.damage.clear();
    const second = await gh.sync(first.result.cursor);
    expect(second.pulls).toEqual([2]);
    expect(second.result.counts.skipped).toBe(0);
    expect(second.result.retryPending).toBe(0);
    expect(second.result.cursor.repos[REPO]!.retry).toBeUndefined();
    expect(pullsEtagKey(second.result.cursor)).toBeDefined();

    // and now the list is vouched for by its ETag: nothing is fetched again
    const third = await gh.sync(second.result.cursor);
    expect(third.pulls).toEqual([]);
    expect(third.result.notModified).toBeGreaterThan(0);
  });

  it('holds the cursor at a record whose number is unreadable, so the next walk reaches it', async () => {
    const gh = new ScriptedGithub();
    [1, 2, 3].forEach((n) => gh.addPull(n, n));
    gh.damage.set('pull#2', { list: ['number'] });

    const first = await gh.sync(null);
    expect(first.pulls).toEqual([1, 3]);
    expect(first.result.retryPending).toBe(1);
    // the high-water mark stays at #2's instant (nothing at it is done), not at #3's
    expect(first.result.cursor.repos[REPO]!.pulls).toEqual({ hw: iso(2), hwIds: [] });
    expect(pullsEtagKey(first.result.cursor)).toBeUndefined();

    gh.damage.clear();
    const second = await gh.sync(first.result.cursor);
    expect(second.pulls).toEqual([2, 3]);
    expect(second.result.cursor.repos[REPO]!.pulls).toEqual({ hw: iso(3), hwIds: [3] });
    expect(pullsEtagKey(second.result.cursor)).toBeDefined();
  });

  it('retries by number a pull request whose detail is malformed, and drops one that is gone', async () => {
    const gh = new ScriptedGithub();
    [1, 2, 3].forEach((n) => gh.addPull(n, n));
    gh.damage.set('pull#3', { detail: ['user'] });
    const first = await gh.sync(null);
    expect(first.pulls).toEqual([1, 2]);
    expect(first.result.cursor.repos[REPO]!.retry?.pulls).toEqual([3]);

    // still malformed: still remembered, still reported
    const again = await gh.sync(first.result.cursor);
    expect(again.result.counts.skipped).toBe(1);
    expect(again.result.cursor.repos[REPO]!.retry?.pulls).toEqual([3]);

    gh.pulls.delete(3);
    const gone = await gh.sync(again.result.cursor);
    expect(gone.result.error).toBeUndefined();
    expect(gone.result.cursor.repos[REPO]!.retry).toBeUndefined();
  });

  it('remembers a malformed issue and collects it once it is intact', async () => {
    const gh = new ScriptedGithub();
    gh.addPull(1, 1);
    [10, 11].forEach((n) => gh.addIssue(n, n));
    gh.damage.set('issue#11', { list: ['labels'], detail: ['labels'] });
    const first = await gh.sync(null);
    expect(first.issues).toEqual([`${REPO}#10`]);
    expect(first.result.cursor.repos[REPO]!.retry).toEqual({ pulls: [], issues: [11] });
    expect(issuesEtagKey(first.result.cursor)).toBeUndefined();

    gh.damage.clear();
    const second = await gh.sync(first.result.cursor);
    expect(second.issues).toEqual([`${REPO}#11`]);
    expect(second.result.cursor.repos[REPO]!.retry).toBeUndefined();
    expect(issuesEtagKey(second.result.cursor)).toBeDefined();
  });
});
