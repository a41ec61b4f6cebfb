import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createOutboundPolicy, OutboundRefusedError, parseAllowedUpstreamHosts } from '../outbound';
import { createGithubClient } from './client';
import { GithubRateLimitError, classifyGithubError } from './errors';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const now = (): number => NOW;

/** A RequestError-shaped error, as Octokit throws it. */
function httpError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), {
    status,
    response: { status, headers, data: { message } },
  });
}

describe('classifyGithubError', () => {
  it.each([
    [httpError(401, 'Bad credentials'), 'auth', /token rejected/i],
    [httpError(403, 'Resource not accessible by personal access token'), 'auth', /permissions/i],
    [
      httpError(403, 'API rate limit exceeded for user ID 1.', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1795330000',
      }),
      'rate_limited',
      /rate limit/i,
    ],
    [
      httpError(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '30' }),
      'rate_limited',
      /secondary/i,
    ],
    [httpError(429, 'Too many requests', { 'retry-after': '5' }), 'rate_limited', /rate limit/i],
    [httpError(404, 'Not Found'), 'not_found', /acme\/api/],
    [httpError(422, 'Validation Failed'), 'invalid_config', /invalid/i],
    [httpError(502, 'Server Error'), 'temporary', /temporary/i],
    [httpError(500, 'The operation was aborted due to timeout'), 'temporary', /in time/i],
    [new TypeError('fetch failed'), 'temporary', /could not reach/i],
  ])('%#: %s → %s', (error, cls, message) => {
    const classified = classifyGithubError(error, { repo: 'acme/api', now });
    expect(classified.class).toBe(cls);
    expect(classified.message).toMatch(message);
  });

  it('takes retryAfter from retry-after, else from x-ratelimit-reset', () => {
    expect(
      classifyGithubError(httpError(429, 'slow down', { 'retry-after': '30' }), { now }).retryAfter,
    ).toBe(NOW + 30_000);
    expect(
      classifyGithubError(
        httpError(403, 'API rate limit exceeded', {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '1795330000',
        }),
        { now },
      ).retryAfter,
    ).toBe(1_795_330_000_000);
    expect(classifyGithubError(new GithubRateLimitError('wait', 42)).retryAfter).toBe(42);
  });

  it('quotes no upstream body, and words network failures from their code only', () => {
    const body = 'internal admin panel: users=root,alice';
    for (const status of [400, 403, 418, 422]) {
      expect(classifyGithubError(httpError(status, body)).message).not.toContain('admin panel');
    }
    const socket = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:8443 <html>'), {
      code: 'ECONNREFUSED',
    });
    const wrapped = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:8443 <html>'), {
      status: 500,
      cause: new TypeError('fetch failed', { cause: socket }),
    });
    const classified = classifyGithubError(wrapped, { repo: 'acme/api', host: 'ghe.example.com' });
    expect(classified).toMatchObject({ class: 'unreachable' });
    expect(classified.message).toMatch(/^cannot reach ghe\.example\.com: connection refused/);
    expect(classified.message).not.toMatch(/10\.1\.2\.3|html/);
  });

  it('reports an outbound refusal as invalid_config with its own words', () => {
    const refused = new OutboundRefusedError(
      'Pulse does not send requests to 127.0.0.1:3000.',
      '127.0.0.1:3000',
      'loopback',
    );
    const wrapped = Object.assign(new Error('fetch failed'), {
      status: 500,
      cause: new TypeError('fetch failed', { cause: refused }),
    });
    expect(classifyGithubError(wrapped)).toEqual({ class: 'invalid_config', message: refused.message });
  });

  it('never repeats a token an upstream message echoes', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const classified = classifyGithubError(httpError(422, `token ${token} is invalid for this`));
    expect(classified.message).not.toContain(token);
  });
});

describe('createGithubClient', () => {
  let server: Server;
  let base: string;
  /** The test server listens on loopback: allowed explicitly. */
  const allowed = () => createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(base).host) });
  let hits: { url: string; ifNoneMatch: string | undefined }[];
  let secondaryLeft = 0;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      hits.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] as string | undefined });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.url?.startsWith('/repos/acme/api/pulls')) {
        if (req.headers['if-none-match'] === 'W/"v1"') {
          res.writeHead(304, { etag: 'W/"v1"' });
          res.end();
          return;
        }
        const page = new URL(req.url, 'http://x').searchParams.get('page') ?? '1';
        const link: Record<string, string> =
          page === '1' ? { link: `<${base}/repos/acme/api/pulls?page=2>; rel="next"` } : {};
        json(200, [{ number: Number(page) }], { etag: 'W/"v1"', ...link });
        return;
      }
      if (req.url === '/limited') {
        if (secondaryLeft-- > 0) {
          json(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
          return;
        }
        json(200, { ok: true });
        return;
      }
      json(404, { message: 'Not Found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    hits = [];
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends If-None-Match and turns a 304 into "not modified", counting it', async () => {
    const client = createGithubClient({
      baseUrl: base,
      token: 'ghp_test_token_000000000',
      outbound: allowed(),
    });
    const route = 'GET /repos/{owner}/{repo}/pulls';
    const params = { owner: 'acme', repo: 'api', per_page: 100 };
    const first = await client.getConditional<unknown[]>(route, params, undefined);
    expect(first).toMatchObject({ notModified: false, etag: 'W/"v1"', data: [{ number: 1 }] });
    const second = await client.getConditional<unknown[]>(route, params, 'W/"v1"');
    expect(second).toEqual({ notModified: true });
    expect(hits[1]?.ifNoneMatch).toBe('W/"v1"');
    expect(client.stats).toEqual({ apiCalls: 2, notModified: 1 });
    expect(client.keyOf(route, params)).toBe('GET /repos/acme/api/pulls?per_page=100');
  });

  it('follows Link rel="next" through every page', async () => {
    const client = createGithubClient({
      baseUrl: base,
      token: 'ghp_test_token_000000000',
      outbound: allowed(),
    });
    const all = await client.getAll<{ number: number }>('GET /repos/{owner}/{repo}/pulls', {
      owner: 'acme',
      repo: 'api',
    });
    expect(all.map((p) => p.number)).toEqual([1, 2]);
  });

  it('waits out a short secondary limit, and gives up on one longer than allowed', async () => {
    const events: boolean[] = [];
    const patient = createGithubClient({
      baseUrl: base,
      token: 'ghp_test_token_000000000',
      outbound: allowed(),
      maxRateLimitWaitMs: 2_000,
      onRateLimit: (e) => events.push(e.willRetry),
    });
    secondaryLeft = 1;
    await expect(patient.get('GET /limited')).resolves.toMatchObject({ data: { ok: true } });
    expect(events).toEqual([true]);
    expect(patient.stats.apiCalls).toBe(2);

    const impatient = createGithubClient({
      baseUrl: base,
      token: 'ghp_test_token_000000000',
      outbound: allowed(),
      maxRateLimitWaitMs: 500,
    });
    secondaryLeft = 1;
    const error = await impatient.get('GET /limited').catch((e: unknown) => e);
    expect(classifyGithubError(error, { now }).class).toBe('rate_limited');
    expect(classifyGithubError(error, { now }).retryAfter).toBe(NOW + 1000);
  });
});
