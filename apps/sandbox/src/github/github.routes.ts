// GitHub REST (GitHub Enterprise style, under /github/api/v3): auth, per-token quota with
// rate-limit headers, ETag/304, Link pagination and the endpoints Pulse's collector uses.
import { type FaultsService } from '../core/faults.service';
import { type Reply, type SandboxRequest, etagOf, intParam, json, linkHeader } from '../core/http.util';
import { type WorldStore } from '../core/world.store';
import { SANDBOX_GITHUB_TOKEN, SANDBOX_GITHUB_TOKEN_PREFIX } from '../credentials.constants';
import { type RepoWorld, SHA_MERGE, decodeSha } from './github.generator';
import { type ItemModel } from './github.model';
import * as render from './github.render';

const DOCS = 'https://docs.github.com/rest';
const PULL_FIELDS = ['created_at', 'updated_at', 'user', 'number', 'merged_at', 'state', 'id'] as const;
const ISSUE_FIELDS = ['created_at', 'updated_at', 'user', 'number', 'labels', 'state', 'id'] as const;
/** Fields whose loss makes a review unusable (a lost `user` is a ghost's review, still valid). */
const REVIEW_FIELDS = ['id', 'state', 'submitted_at'] as const;

interface Quota {
  used: number;
  resetAt: number; // epoch seconds, wall clock (clients compute their wait from it)
}

export class GithubRoutes {
  private readonly quotas = new Map<string, Quota>();

  constructor(
    private readonly world: WorldStore,
    private readonly faults: FaultsService,
    private readonly origin: () => string,
  ) {}

  resetQuotas(): void {
    this.quotas.clear();
  }

  private urls(): render.Urls {
    return { api: `${this.origin()}/github/api/v3`, html: `${this.origin()}/github` };
  }

  private quota(token: string): Quota & { limit: number } {
    const limit = this.faults.get('github').quota ?? 5000;
    const nowSec = Math.floor(Date.now() / 1000);
    let q = this.quotas.get(token);
    if (!q || q.resetAt <= nowSec) {
      q = { used: 0, resetAt: nowSec + 3600 };
      this.quotas.set(token, q);
    }
    return { ...q, limit };
  }

  private rateHeaders(token: string | undefined): Record<string, string> {
    if (!token)
      return {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '59',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
      };
    const q = this.quota(token);
    return {
      'x-ratelimit-limit': String(q.limit),
      'x-ratelimit-remaining': String(Math.max(0, q.limit - q.used)),
      'x-ratelimit-reset': String(q.resetAt),
      'x-ratelimit-used': String(q.used),
      'x-ratelimit-resource': 'core',
    };
  }

  private base(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'cache-control': 'private, max-age=60, s-maxage=60',
      vary: 'Accept, Authorization',
      ...extra,
    };
  }

  handle(req: SandboxRequest): Reply {
    const auth = String(req.headers['authorization'] ?? '');
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    const token = m?.[1];
    const fault = this.faults.decide('github');
    if (!token) {
      return json(
        401,
        {
          message: 'Requires authentication',
          documentation_url: `${DOCS}/overview/resources-in-the-rest-api#authentication`,
          status: '401',
        },
        this.base(this.rateHeaders(undefined)),
      );
    }
    if (
      fault.kind === 'revoked' ||
      !(token === SANDBOX_GITHUB_TOKEN || token.startsWith(SANDBOX_GITHUB_TOKEN_PREFIX))
    ) {
      return json(
        401,
        { message: 'Bad credentials', documentation_url: DOCS, status: '401' },
        this.base(this.rateHeaders(undefined)),
      );
    }
    if (req.path === '/rate_limit') {
      const h = this.rateHeaders(token);
      const core = {
        limit: Number(h['x-ratelimit-limit']),
        remaining: Number(h['x-ratelimit-remaining']),
        reset: Number(h['x-ratelimit-reset']),
        used: Number(h['x-ratelimit-used']),
        resource: 'core',
      };
      return json(200, { resources: { core }, rate: core }, this.base(h));
    }
    const q = this.quota(token);
    if (q.used >= q.limit) {
      return json(
        403,
        {
          message: `API rate limit exceeded for user ID 90000001. If you reach out to GitHub Support for help, please include the request ID.`,
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
          status: '403',
        },
        this.base(this.rateHeaders(token)),
      );
    }
    if (fault.kind === 'rateLimit') {
      const f = this.faults.get('github');
      this.bump(token);
      return json(
        f.secondaryLimitStatus ?? 403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(f.secondaryLimitStatus ?? 403),
        },
        this.base({ ...this.rateHeaders(token), 'retry-after': String(fault.retryAfter) }),
      );
    }
    if (fault.kind === 'error5xx') {
      this.bump(token);
      return json(502, { message: 'Server Error' }, this.base(this.rateHeaders(token)));
    }
    const result = this.route(req);
    if (result.status === 200 && req.method === 'GET') {
      const etag = etagOf(result.body);
      const inm = String(req.headers['if-none-match'] ?? '');
      if (inm && inm.split(/\s*,\s*/).some((t) => t === etag || t === etag.slice(2))) {
        // conditional hit: no body and no quota used
        return { status: 304, headers: { ...this.base(this.rateHeaders(token)), etag }, body: '' };
      }
      result.headers['etag'] = etag;
    }
    this.bump(token);
    result.headers = { ...this.base(this.rateHeaders(token)), ...result.headers };
    return result;
  }

  private bump(token: string): void {
    this.quota(token);
    const q = this.quotas.get(token);
    if (q) q.used++;
  }

  private notFound(): Reply {
    return json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }

  private route(req: SandboxRequest): Reply {
    if (req.method !== 'GET') return this.notFound();
    const p = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const urls = this.urls();
    if (p.length === 1 && p[0] === 'user') {
      return json(200, {
        ...render.user({ login: 'pulse-sandbox', id: 90_000_001, type: 'User' }, urls),
        name: 'Pulse Sandbox',
        email: null,
        company: null,
        blog: '',
        location: null,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: '2020-01-06T09:00:00Z',
        updated_at: '2026-01-05T09:00:00Z',
      });
    }
    if (p[0] === 'orgs' && p[2] === 'repos' && p.length === 3) {
      const s = this.world.scenarios.find((x) => x.scenario.owner === p[1]);
      if (!s) return this.notFound();
      return json(
        200,
        s.repos.map((r) => render.repositoryBrief(r, urls)),
      );
    }
    if (p[0] !== 'repos' || p.length < 3) return this.notFound();
    const w = this.world.repo(p[1] as string, p[2] as string);
    if (!w) return this.notFound();
    const rest = p.slice(3);
    const perPage = intParam(req.query.get('per_page'), 30, 1, 100);
    const page = intParam(req.query.get('page'), 1, 1, 1_000_000);
    const paged = (
      items: Record<string, unknown>[],
      total: number,
      wrap?: (items: Record<string, unknown>[]) => unknown,
    ): Reply => {
      const last = Math.max(1, Math.ceil(total / perPage));
      const link = linkHeader(req.url, page, last);
      return json(200, wrap ? wrap(items) : items, link ? { link } : {});
    };
    const slice = <T>(all: T[]): T[] => all.slice((page - 1) * perPage, page * perPage);
    if (rest.length === 0) return json(200, render.repository(w, urls));
    const [a, b, c] = rest;
    if (a === 'pulls' && b === undefined) {
      const state = req.query.get('state') ?? 'open';
      const { items, total } = this.listItems(
        w,
        req,
        (i) => i.kind === 'pr' && (state === 'all' || i.state === state),
        `pr:${state}`,
        perPage,
        page,
      );
      return paged(
        this.faults.malform(
          'github',
          items.map((i) => render.pull(w, i, urls, false)),
          PULL_FIELDS,
        ),
        total,
      );
    }
    if ((a === 'pulls' || a === 'issues') && b !== undefined) {
      const it = this.item(w, Number(b));
      if (!it || (a === 'pulls' && it.kind !== 'pr')) return this.notFound();
      if (c === undefined)
        return json(
          200,
          this.faults.malform(
            'github',
            [a === 'pulls' ? render.pull(w, it, urls, true) : render.issue(w, it, urls)],
            a === 'pulls' ? PULL_FIELDS : ISSUE_FIELDS,
          )[0],
        );
      if (a === 'pulls' && c === 'reviews') {
        const all = render.reviews(w, it, urls);
        return paged(this.faults.malform('github', slice(all), REVIEW_FIELDS), all.length);
      }
      if (a === 'pulls' && c === 'comments') {
        const all = render.reviewComments(w, it, urls);
        return paged(slice(all), all.length);
      }
      if (a === 'pulls' && c === 'commits') {
        const all = render.commits(w, it, urls);
        return paged(slice(all), all.length);
      }
      if (a === 'issues' && (c === 'timeline' || c === 'events')) {
        const all = render.timeline(w, it, urls);
        return paged(slice(all), all.length);
      }
      return this.notFound();
    }
    if (a === 'issues' && b === undefined) {
      const state = req.query.get('state') ?? 'open';
      const labels = (req.query.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const filter = (i: ItemModel): boolean =>
        (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l));
      const { items, total } = this.listItems(
        w,
        req,
        filter,
        `issue:${state}:${labels.join(',')}`,
        perPage,
        page,
      );
      return paged(
        this.faults.malform(
          'github',
          items.map((i) => render.issue(w, i, urls)),
          ISSUE_FIELDS,
        ),
        total,
      );
    }
    if (a === 'deployments' && b === undefined) {
      const env = req.query.get('environment');
      const sha = req.query.get('sha');
      const { items, total } = w.deployments.query({
        filter: (d) => (!env || d.environment === env) && (!sha || d.sha === sha),
        sig: `d:${env}:${sha}`,
        desc: true,
        offset: (page - 1) * perPage,
        limit: perPage,
      });
      return paged(
        items.map((d) => render.deployment(w, d, urls)),
        total,
      );
    }
    if (a === 'deployments' && b !== undefined) {
      const d = this.deployment(w, Number(b));
      if (!d) return this.notFound();
      if (c === undefined) return json(200, render.deployment(w, d, urls));
      if (c === 'statuses') {
        const all = render.deploymentStatuses(w, d, urls);
        return paged(slice(all), all.length);
      }
      return this.notFound();
    }
    if (a === 'releases' && b === undefined) {
      const { items, total } = w.releases.query({
        sig: 'all',
        desc: true,
        offset: (page - 1) * perPage,
        limit: perPage,
      });
      return paged(
        items.map((r) => render.release(w, r, urls)),
        total,
      );
    }
    if (a === 'commits' && b !== undefined && c !== undefined) {
      const it = this.itemForRef(w, b);
      if (!it)
        return json(422, {
          message: `No commit found for SHA: ${b}`,
          documentation_url: DOCS,
          status: '422',
        });
      const statuses = render.commitStatuses(w, it, urls);
      if (c === 'statuses') return paged(slice(statuses), statuses.length);
      if (c === 'status') {
        const state = statuses.some((s) => s['state'] === 'failure') ? 'failure' : 'success';
        return json(200, {
          state,
          statuses: statuses.map(({ creator: _c, ...s }) => s),
          sha: it.mergeSha,
          total_count: statuses.length,
          repository: render.repositoryBrief(w, urls),
          commit_url: `${urls.api}/repos/${w.ctx.scenario.owner}/${w.ctx.repo.name}/commits/${it.mergeSha}`,
          url: `${urls.api}/repos/${w.ctx.scenario.owner}/${w.ctx.repo.name}/commits/${it.mergeSha}/status`,
        });
      }
      if (c === 'check-runs') {
        const at = (it.mergedAt ?? it.updatedAt) + 60_000;
        const run = {
          id: render.runId(it),
          head_sha: it.mergeSha,
          node_id: '',
          external_id: '',
          url: '',
          html_url: '',
          details_url: '',
          status: 'completed',
          conclusion: it.ciFailed ? 'failure' : 'success',
          started_at: new Date(at).toISOString().replace('.000Z', 'Z'),
          completed_at: new Date(at + 7 * 60_000).toISOString().replace('.000Z', 'Z'),
          output: {
            title: it.ciFailed ? 'Build failed' : 'Build passed',
            summary: `Line coverage ${it.coverage.toFixed(2)}%`,
            text: null,
            annotations_count: 0,
            annotations_url: '',
          },
          name: 'build',
          check_suite: { id: render.runId(it) },
          app: {
            id: 15368,
            slug: 'github-actions',
            node_id: 'MDM6QXBwMTUzNjg=',
            owner: render.user({ login: 'github', id: 9_919, type: 'User' }, urls),
            name: 'GitHub Actions',
            description: 'Automate your workflow from idea to production',
            external_url: 'https://help.github.com/en/actions',
            html_url: `${urls.html}/apps/github-actions`,
            created_at: '2018-07-30T09:30:17Z',
            updated_at: '2024-04-10T20:33:16Z',
            permissions: { actions: 'write', checks: 'write', contents: 'write', metadata: 'read' },
            events: ['check_run', 'check_suite', 'push', 'pull_request'],
          },
          pull_requests: [],
        };
        return json(200, { total_count: 1, check_runs: [run] });
      }
      return this.notFound();
    }
    if (a === 'actions') return this.actions(w, rest.slice(1), req, perPage, page, urls);
    return this.notFound();
  }

  private actions(
    w: RepoWorld,
    p: string[],
    req: SandboxRequest,
    perPage: number,
    page: number,
    urls: render.Urls,
  ): Reply {
    const [a, b, c, d] = p;
    const merged = (i: ItemModel): boolean => i.kind === 'pr' && i.mergedAt !== undefined;
    if (a === 'runs' && b === undefined) {
      const branch = req.query.get('branch');
      const headSha = req.query.get('head_sha');
      const status = req.query.get('status');
      const event = req.query.get('event');
      if (
        (branch && branch !== 'main') ||
        (event && event !== 'push') ||
        (status && !['completed', 'success', 'failure'].includes(status))
      ) {
        return json(200, { total_count: 0, workflow_runs: [] });
      }
      const filter = (i: ItemModel): boolean =>
        merged(i) &&
        (!headSha || i.mergeSha === headSha) &&
        (status !== 'success' || !i.ciFailed) &&
        (status !== 'failure' || i.ciFailed);
      const { items, total } = w.items.query({
        filter,
        sig: `runs:${headSha}:${status}`,
        desc: true,
        offset: (page - 1) * perPage,
        limit: perPage,
      });
      const last = Math.max(1, Math.ceil(total / perPage));
      const link = linkHeader(req.url, page, last);
      return json(
        200,
        { total_count: total, workflow_runs: items.map((i) => render.workflowRun(w, i, urls)) },
        link ? { link } : {},
      );
    }
    const it = b !== undefined ? this.itemByRunId(w, Number(b)) : undefined;
    if (a === 'runs' && it && merged(it)) {
      if (c === undefined) return json(200, render.workflowRun(w, it, urls));
      if (c === 'artifacts') return json(200, { total_count: 1, artifacts: [render.artifact(w, it, urls)] });
    }
    if (a === 'artifacts' && it && merged(it)) {
      if (c === undefined) return json(200, render.artifact(w, it, urls));
      if (c === 'zip' && d === undefined) {
        // GitHub answers with a redirect to short-lived blob storage
        return {
          status: 302,
          headers: {
            location: `${this.origin()}/github/_blobs/artifacts/${w.ctx.repo.id}/${render.runId(it)}.zip`,
          },
          body: '',
        };
      }
    }
    return this.notFound();
  }

  private listItems(
    w: RepoWorld,
    req: SandboxRequest,
    filter: (i: ItemModel) => boolean,
    sig: string,
    perPage: number,
    page: number,
  ): { items: ItemModel[]; total: number } {
    const sinceRaw = req.query.get('since');
    const since = sinceRaw ? Date.parse(sinceRaw) : undefined;
    const direction = req.query.get('direction') ?? 'desc';
    const sort = req.query.get('sort') ?? 'created';
    const desc = direction !== 'asc';
    const from = since !== undefined && Number.isFinite(since) ? since : undefined;
    if (sort === 'created' && this.world.scale <= 2) {
      // small worlds can sort by creation exactly; larger ones keep last-update order
      const all = w.items.query({
        filter,
        sig,
        ...(from !== undefined ? { from } : {}),
        offset: 0,
        limit: Number.MAX_SAFE_INTEGER,
      }).items;
      all.sort((x, y) => x.createdAt - y.createdAt || x.number - y.number);
      if (desc) all.reverse();
      return { items: all.slice((page - 1) * perPage, page * perPage), total: all.length };
    }
    return w.items.query({
      filter,
      sig,
      ...(from !== undefined ? { from } : {}),
      desc,
      offset: (page - 1) * perPage,
      limit: perPage,
    });
  }

  private item(w: RepoWorld, n: number): ItemModel | undefined {
    if (!Number.isInteger(n) || n < 1) return undefined;
    return w.items.byIndex(n - 1) ?? w.items.tail.find((i) => i.number === n);
  }

  private itemByRunId(w: RepoWorld, id: number): ItemModel | undefined {
    const idx = id - w.ctx.repo.id * 1_000_000 - 1;
    return idx >= 0 && idx < 1_000_000
      ? (w.items.byIndex(idx) ?? w.items.tail.find((i) => i.index === idx))
      : undefined;
  }

  private itemForRef(w: RepoWorld, ref: string): ItemModel | undefined {
    if (ref === 'main' || ref === 'heads/main') {
      const { items } = w.items.query({
        filter: (i) => i.mergedAt !== undefined,
        sig: 'merged',
        desc: true,
        offset: 0,
        limit: 1,
      });
      return items[0];
    }
    const decoded = decodeSha(this.world.seed, w.ctx.repo, ref);
    if (!decoded || decoded.kind !== SHA_MERGE) return undefined;
    const it = w.items.byIndex(decoded.index) ?? w.items.tail.find((i) => i.index === decoded.index);
    return it?.mergedAt !== undefined ? it : undefined;
  }

  private deployment(w: RepoWorld, id: number): ReturnType<RepoWorld['deployments']['byIndex']> {
    return w.deployments.byIndex(id - w.ctx.repo.id * 100_000 - 1);
  }
}
