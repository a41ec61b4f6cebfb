// Runs one GraphQL query through the REST client's Octokit (same token, outbound policy,
// counting fetch, throttling and retry plugins) and adds what GraphQL needs on top: the
// `rateLimit` read on every answer, waits for secondary limits the throttling plugin does
// not recognise on GHES paths or in their older "abuse" wording, and errors sorted into
// "too big, shrink the page", "GraphQL not available here" and the rest.
import { type EpochMs } from '@pulse/contracts';
import { type GithubClient, type GithubRateLimitEvent } from '../client';
import { GithubGraphqlError, GithubRateLimitError } from '../errors';
import { type GqlRateLimit } from './pulls-query';

/** GraphQL cannot be used here (old GHES without it, a refused token): use REST. */
export class GraphqlUnavailableError extends Error {
  override readonly name = 'GraphqlUnavailableError';
}

/** The query asked for too much at once (timeout, resource or node limit): ask for less. */
export class GraphqlTooBigError extends Error {
  override readonly name = 'GraphqlTooBigError';
}

export interface GraphqlStats {
  queries: number;
  /** Rate-limit points charged, as each answer's `rateLimit.cost` says. */
  points: number;
  /** The last `rateLimit` seen. */
  last: GqlRateLimit | null;
}

export interface GraphqlRunnerOptions {
  now: () => EpochMs;
  /** Longest wait sat out for a rate limit before giving up (the REST client's setting). */
  maxRateLimitWaitMs: number;
  onRateLimit?: (event: GithubRateLimitEvent) => void;
  /** Waits (tests may not change it; injectable only for the clock's sake). */
  sleep?: (ms: number) => Promise<void>;
}

export interface GraphqlRunner {
  readonly stats: GraphqlStats;
  run<T>(query: string, variables: Record<string, unknown>): Promise<T>;
}

const ABUSE_OR_SECONDARY = /secondary rate limit|abuse detection/i;
const TIMEOUT = /timeout|couldn't respond to your request in time/i;
const TOO_BIG = new Set(['RESOURCE_LIMITS_EXCEEDED', 'MAX_NODE_LIMIT_EXCEEDED']);
const REFUSED = new Set(['FORBIDDEN', 'INSUFFICIENT_SCOPES']);
const MAX_WAITS = 10;

interface ErrorShape {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  errors?: { type?: unknown; message?: unknown }[];
  headers?: Record<string, unknown>;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

function headerOf(e: ErrorShape, name: string): string | undefined {
  const v = e.response?.headers?.[name] ?? e.headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

function bodyMessage(e: ErrorShape): string {
  const data = e.response?.data as { message?: unknown; errors?: { message?: unknown }[] } | undefined;
  const parts = [
    typeof data?.message === 'string' ? data.message : '',
    ...(data?.errors ?? []).map((x) => (typeof x.message === 'string' ? x.message : '')),
    typeof e.message === 'string' ? e.message : '',
  ];
  return parts.join(' ');
}

export function createGraphqlRunner(client: GithubClient, options: GraphqlRunnerOptions): GraphqlRunner {
  const stats: GraphqlStats = { queries: 0, points: 0, last: null };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  /** Waits out a limit when it is short enough, else gives up with `rate_limited`. */
  const waitOrGiveUp = async (
    kind: GithubRateLimitEvent['kind'],
    waitMs: number,
    attempt: number,
    message: string,
  ): Promise<void> => {
    const willRetry = attempt < MAX_WAITS && waitMs <= options.maxRateLimitWaitMs;
    options.onRateLimit?.({
      kind,
      retryAfterSeconds: Math.ceil(waitMs / 1000),
      willRetry,
      method: 'POST',
      url: '/graphql',
      retryCount: attempt,
    });
    if (!willRetry) throw new GithubRateLimitError(message, options.now() + waitMs);
    await sleep(waitMs);
  };

  const run = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    // what is left cannot pay for another query: wait for the reset rather than be refused
    const last = stats.last;
    if (last && last.remaining <= 0) {
      await waitOrGiveUp(
        'primary',
        Math.max(0, Date.parse(last.resetAt) - options.now()) + 1000,
        0,
        'The GitHub token has used its GraphQL rate limit for this hour; the sync resumes after the reset.',
      );
      stats.last = null;
    }
    for (let attempt = 0; ; attempt++) {
      let data: T & { rateLimit?: GqlRateLimit | null };
      try {
        stats.queries++;
        data = await client.octokit.graphql<T & { rateLimit?: GqlRateLimit | null }>(query, variables);
      } catch (raw) {
        const e = (raw ?? {}) as ErrorShape;
        const status = typeof e.status === 'number' ? e.status : undefined;
        const types = (e.errors ?? []).map((x) => String(x.type ?? ''));
        const text = bodyMessage(e);
        if (status === 404 || status === 410) {
          throw new GraphqlUnavailableError(
            `GitHub answered HTTP ${status} at its GraphQL endpoint (an Enterprise Server without GraphQL?)`,
          );
        }
        if ((status === 403 || status === 429) && ABUSE_OR_SECONDARY.test(text)) {
          const after = Number(headerOf(e, 'retry-after'));
          const waitMs = (Number.isFinite(after) && after > 0 ? after : 60) * 1000;
          await waitOrGiveUp(
            'secondary',
            waitMs,
            attempt,
            'GitHub asked Pulse to slow down (secondary rate limit on GraphQL); the sync resumes after the wait.',
          );
          continue;
        }
        if (
          types.includes('RATE_LIMITED') ||
          (status === 403 && headerOf(e, 'x-ratelimit-remaining') === '0')
        ) {
          const reset = Number(headerOf(e, 'x-ratelimit-reset'));
          const waitMs =
            Number.isFinite(reset) && reset > 0
              ? Math.max(0, reset * 1000 - options.now()) + 1000
              : 3_600_000;
          await waitOrGiveUp(
            'primary',
            waitMs,
            attempt,
            'The GitHub token has used its GraphQL rate limit for this hour; the sync resumes after the reset.',
          );
          continue;
        }
        if (
          types.some((t) => TOO_BIG.has(t)) ||
          ((status === 502 || status === 504 || status === undefined) && TIMEOUT.test(text))
        ) {
          throw new GraphqlTooBigError('GitHub could not answer this GraphQL query in time; asking for less');
        }
        if (status === 403 || types.some((t) => REFUSED.has(t))) {
          throw new GraphqlUnavailableError(
            'GitHub refused GraphQL for this token (HTTP 403 or missing scope)',
          );
        }
        if (status === undefined && Array.isArray(e.errors)) {
          // only GitHub's error types are repeated: its messages may quote upstream text
          const named = [...new Set(types.filter((t) => /^[A-Z_]{1,40}$/.test(t)))];
          throw new GithubGraphqlError(
            `GitHub's GraphQL API answered with errors${named.length ? ` (${named.join(', ')})` : ''}`,
          );
        }
        throw raw;
      }
      // read on every answer: what the query cost and what is left of the hour
      const rate = data.rateLimit ?? null;
      if (rate) {
        stats.points += rate.cost;
        stats.last = rate;
      }
      return data;
    }
  };
  return { stats, run };
}
