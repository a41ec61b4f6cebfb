import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { type OutboundPolicy } from '../outbound';

/** One rate-limit hit, reported to the caller (for logs and metrics). */
export interface GithubRateLimitEvent {
  kind: 'primary' | 'secondary';
  /** Seconds GitHub asked us to wait. */
  retryAfterSeconds: number;
  /** Whether the client waits and retries (short limit) or gives up (long limit). */
  willRetry: boolean;
  method: string;
  url: string;
  retryCount: number;
}

export interface GithubClientOptions {
  /** REST base URL: `https://api.github.com`, `https://ghe.example.com/api/v3`, the sandbox… */
  baseUrl: string;
  token: string;
  /** Where requests (and the token) may go; applied to every request and redirect. */
  outbound: Pick<OutboundPolicy, 'fetch'>;
  userAgent?: string;
  onRateLimit?: (event: GithubRateLimitEvent) => void;
  /** Longest rate-limit wait the client sits out before giving up (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** How many times one request may wait out a rate limit (default 10; each wait ≤ `maxRateLimitWaitMs`). */
  maxRateLimitRetries?: number;
  /** Retries of 5xx / network failures, with (n+1)² × `retryBaseMs` backoff (defaults 3 and 1000). */
  retries?: number;
  retryBaseMs?: number;
  /** Per-request timeout (default 30 s); a timeout counts as a temporary failure. */
  requestTimeoutMs?: number;
}

/** The request counters of one client. Every HTTP request is counted, retries included. */
export interface GithubCallStats {
  apiCalls: number;
  notModified: number;
}

export type GithubParams = Record<string, string | number | boolean | undefined>;

export interface GithubResponse<T> {
  data: T;
  headers: Record<string, string | undefined>;
}

export type ConditionalResult<T> =
  | { notModified: true }
  | { notModified: false; data: T; headers: Record<string, string | undefined>; etag: string | null };

const PulseOctokit = Octokit.plugin(throttling, retry);
export type PulseOctokitInstance = InstanceType<typeof PulseOctokit>;

export interface GithubClient {
  readonly octokit: PulseOctokitInstance;
  readonly stats: GithubCallStats;
  /** `GET route` with parameters. */
  get<T>(route: string, params?: GithubParams): Promise<GithubResponse<T>>;
  /**
   * `GET route` with `If-None-Match: etag` when an ETag is known. A 304 ("unchanged since
   * the ETag was taken") costs no quota and comes back as `{ notModified: true }`.
   */
  getConditional<T>(
    route: string,
    params: GithubParams,
    etag: string | undefined,
  ): Promise<ConditionalResult<T>>;
  /** Every page of a list endpoint (`per_page=100`), following `Link: rel="next"`. */
  getAll<T>(route: string, params?: GithubParams, pick?: (body: unknown) => T[]): Promise<T[]>;
  /** Downloads an artifact zip (GitHub answers 302 to blob storage; fetch follows it). */
  downloadArtifact(owner: string, repo: string, artifactId: number): Promise<Uint8Array>;
  /** The key a caller stores an ETag under: method, path and query, without the base URL. */
  keyOf(route: string, params?: GithubParams): string;
}

const DEFAULT_MAX_WAIT_MS = 60_000;
let clientSeq = 0;

export function hasNextPage(headers: Record<string, string | undefined>): boolean {
  return /rel="next"/.test(headers['link'] ?? '');
}

function headersOf(raw: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}

function isNotModified(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 304;
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const stats: GithubCallStats = { apiCalls: 0, notModified: 0 };
  const maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_WAIT_MS;
  // Short secondary limits hit often under load (30 % of requests with Retry-After: 1 is
  // plausible); with only 2 waits per request a long sync almost surely gave up on one of them.
  const maxRetries = options.maxRateLimitRetries ?? 10;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  // Counting at the fetch level sees every real HTTP request: plugin retries included,
  // the redirect to blob storage not (fetch follows it inside one call).
  const countingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    stats.apiCalls++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    try {
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      const response = await options.outbound.fetch(input, { ...init, signal });
      if (response.status === 304) stats.notModified++;
      return response;
    } finally {
      clearTimeout(timer);
    }
  };

  const decide =
    (kind: GithubRateLimitEvent['kind']) =>
    (
      retryAfter: number,
      req: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      const willRetry = retryCount < maxRetries && retryAfter * 1000 <= maxWaitMs;
      options.onRateLimit?.({
        kind,
        retryAfterSeconds: retryAfter,
        willRetry,
        method: req.method ?? 'GET',
        url: req.url ?? '',
        retryCount,
      });
      return willRetry;
    };

  const octokit = new PulseOctokit({
    auth: options.token,
    baseUrl,
    userAgent: options.userAgent ?? 'pulse-engagement-health',
    request: { fetch: countingFetch },
    // Octokit logs 4xx/5xx through console by default; the caller reports errors itself.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    throttle: {
      // the plugin's limiters are process-wide per id: one id per client keeps one
      // connection's sync from queueing behind another's
      id: `pulse-${++clientSeq}`,
      onRateLimit: decide('primary'),
      onSecondaryRateLimit: decide('secondary'),
    },
    retry: {
      // 429 belongs to the throttling plugin (it honours retry-after); 304 is not an error to us.
      doNotRetry: [304, 400, 401, 403, 404, 410, 422, 429, 451],
      retries: options.retries ?? 3,
      ...(options.retryBaseMs !== undefined ? { retryAfterBaseValue: options.retryBaseMs } : {}),
    },
  });

  const keyOf = (route: string, params: GithubParams = {}): string => {
    const { method, url } = octokit.request.endpoint(route, params);
    return `${method} ${url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url}`;
  };

  const get = async <T>(route: string, params: GithubParams = {}): Promise<GithubResponse<T>> => {
    const response = await octokit.request(route, params);
    return { data: response.data as T, headers: headersOf(response.headers) };
  };

  return {
    octokit,
    stats,
    keyOf,
    get,
    async getConditional<T>(
      route: string,
      params: GithubParams,
      etag: string | undefined,
    ): Promise<ConditionalResult<T>> {
      try {
        const response = await octokit.request(route, {
          ...params,
          ...(etag ? { headers: { 'if-none-match': etag } } : {}),
        });
        const headers = headersOf(response.headers);
        return { notModified: false, data: response.data as T, headers, etag: headers['etag'] ?? null };
      } catch (e) {
        if (isNotModified(e)) return { notModified: true };
        throw e;
      }
    },
    async getAll<T>(route: string, params: GithubParams = {}, pick?: (body: unknown) => T[]): Promise<T[]> {
      const out: T[] = [];
      for (let page = 1; ; page++) {
        const { data, headers } = await get<unknown>(route, { per_page: 100, ...params, page });
        const items = pick ? pick(data) : Array.isArray(data) ? (data as T[]) : [];
        out.push(...items);
        if (!hasNextPage(headers) || items.length === 0) return out;
      }
    },
    async downloadArtifact(owner: string, repo: string, artifactId: number): Promise<Uint8Array> {
      const response = await octokit.request(
        'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
        {
          owner,
          repo,
          artifact_id: artifactId,
          archive_format: 'zip',
        },
      );
      const data: unknown = response.data;
      if (data instanceof ArrayBuffer) return new Uint8Array(data);
      if (data instanceof Uint8Array) return data;
      if (typeof data === 'string') return new TextEncoder().encode(data);
      throw new Error('GitHub returned an artifact download that is not a zip archive');
    },
  };
}
