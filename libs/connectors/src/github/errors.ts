import { type EpochMs, type SyncErrorClass } from '@pulse/contracts';
import { classifyNetworkError, hostOf } from '../framework/connector-error';
import { findOutboundRefusal } from '../outbound';

/** A GitHub failure mapped to one of the fixed classes of DESIGN.md, worded for a manager. */
export interface GithubSyncError {
  class: SyncErrorClass;
  message: string;
  /** Epoch ms after which a retry may succeed (rate limits only). */
  retryAfter?: EpochMs;
}

export interface ClassifyContext {
  /** `owner/name` the failing request was about, to name it in the message. */
  repo?: string;
  /** Clock used to turn a `retry-after` in seconds into an instant. */
  now?: () => EpochMs;
  /** The API host, for "cannot reach <host>" (else taken from the failed request's URL). */
  host?: string;
}

/** Thrown by our own code for problems that are not HTTP failures (e.g. unusable settings). */
export class GithubConfigError extends Error {
  override readonly name = 'GithubConfigError';
}

/** Our rate-limit give-up, raised when a wait would be longer than the caller allows. */
export class GithubRateLimitError extends Error {
  override readonly name = 'GithubRateLimitError';
  constructor(
    message: string,
    readonly retryAfter: EpochMs,
  ) {
    super(message);
  }
}

/** GitHub answered a GraphQL query with errors of no class we act on (the types only, no text). */
export class GithubGraphqlError extends Error {
  override readonly name = 'GithubGraphqlError';
}

interface HttpLikeError {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  data: unknown;
}

/**
 * Octokit's RequestError, recognised by shape so this module needs no import of Octokit
 * internals (and works for errors re-thrown by plugins).
 */
function asHttpError(e: unknown): HttpLikeError | null {
  if (typeof e !== 'object' || e === null) return null;
  const rec = e as { status?: unknown; message?: unknown; response?: unknown };
  if (typeof rec.status !== 'number') return null;
  const response = (rec.response ?? {}) as { headers?: unknown; data?: unknown };
  const rawHeaders = (response.headers ?? {}) as Record<string, unknown>;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(rawHeaders)) {
    if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  }
  return {
    status: rec.status,
    message: typeof rec.message === 'string' ? rec.message : '',
    headers,
    data: response.data,
  };
}

/**
 * A network failure in words, from its error code only: the raw message of a socket or TLS
 * error may carry addresses or an upstream's text, and nothing from upstream is echoed.
 */
function networkProblem(e: unknown): string {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code === 'ECONNREFUSED') return 'the connection was refused';
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
      if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was reset';
      if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'the connection timed out';
      if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable';
      if (/CERT|SSL|TLS/i.test(code)) return 'its TLS certificate was not accepted';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'the network request failed';
}

/** The host a failed Octokit request went to (its RequestError carries the request options). */
function requestHost(e: unknown): string | undefined {
  const url = (e as { request?: { url?: unknown } } | null)?.request?.url;
  return typeof url === 'string' ? hostOf(url) : undefined;
}

/** Only GitHub's own rate-limit wording is looked at; no upstream text reaches a message. */
function upstreamMessage(err: HttpLikeError): string {
  const data = err.data as { message?: unknown } | undefined;
  const fromBody = data && typeof data.message === 'string' ? data.message : '';
  return fromBody || err.message;
}

/** `retry-after` (seconds) or `x-ratelimit-reset` (epoch seconds) as an instant. */
export function retryAfterFromHeaders(
  headers: Record<string, string | undefined>,
  now: () => EpochMs,
): EpochMs | undefined {
  const after = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(after) && after >= 0) {
    return now() + Math.ceil(after) * 1000;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-reset'] !== undefined && Number.isFinite(reset) && reset > 0) {
    return reset * 1000;
  }
  return undefined;
}

const SECONDARY = /secondary rate limit|abuse detection/i;
const PRIMARY = /api rate limit exceeded/i;

function formatInstant(ms: EpochMs): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Strips anything that looks like a GitHub token, in case an upstream message echoes one. */
function redact(text: string): string {
  return text.replace(/\b(gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})\b/g, '[redacted]');
}

/** Maps any error thrown while talking to GitHub to a fixed class and a message for a manager. */
export function classifyGithubError(e: unknown, context: ClassifyContext = {}): GithubSyncError {
  const now = context.now ?? Date.now;
  const where = context.repo ? ` (${context.repo})` : '';
  if (e instanceof GithubRateLimitError) {
    return { class: 'rate_limited', message: redact(e.message), retryAfter: e.retryAfter };
  }
  if (e instanceof GithubConfigError) {
    return { class: 'invalid_config', message: redact(e.message) };
  }
  if (e instanceof GithubGraphqlError) {
    return { class: 'temporary', message: `${redact(e.message)}${where}; the sync will be retried.` };
  }
  const refused = findOutboundRefusal(e);
  if (refused) return { class: 'invalid_config', message: refused.message };
  const http = asHttpError(e);
  // Octokit reports a failed fetch as a status-500 RequestError without a response
  const fetchFailed = http?.status === 500 && http.data === undefined && (e as { cause?: unknown }).cause;
  if (!http || fetchFailed) {
    // DNS and connection failures are `unreachable` (backed off by failure count), worded
    // with the host so a mistyped Enterprise URL is recognisable, never "temporary (500)".
    const unreachable = classifyNetworkError(e, context.host ?? requestHost(e) ?? 'GitHub');
    if (unreachable) return unreachable;
    const name = e instanceof Error ? e.name : '';
    const detail = e instanceof Error ? e.message : String(e);
    const timeout = /timeout|aborted/i.test(`${name} ${detail}`);
    return {
      class: 'temporary',
      message: timeout
        ? `GitHub did not answer in time${where}; the sync will be retried.`
        : `Could not reach GitHub${where}: ${networkProblem(e)}. The sync will be retried.`,
    };
  }
  const upstream = upstreamMessage(http);
  const { status, headers } = http;
  const rateLimited =
    status === 429 ||
    ((status === 403 || status === 429) &&
      (headers['x-ratelimit-remaining'] === '0' || SECONDARY.test(upstream) || PRIMARY.test(upstream)));
  if (rateLimited) {
    const retryAfter = retryAfterFromHeaders(headers, now) ?? now() + 60_000;
    const secondary = SECONDARY.test(upstream) || headers['retry-after'] !== undefined;
    return {
      class: 'rate_limited',
      message: `GitHub ${secondary ? 'secondary ' : ''}rate limit reached${where}; syncing resumes after ${formatInstant(retryAfter)}.`,
      retryAfter,
    };
  }
  if (status === 401) {
    return {
      class: 'auth',
      message:
        'GitHub token rejected (401 Bad credentials): it was revoked, expired or mistyped. Paste a new token in the connection settings.',
    };
  }
  if (status === 403) {
    return {
      class: 'auth',
      message: `The GitHub token lacks the permissions needed${where} (403 Forbidden): give it read access to contents, pull requests, issues, deployments and actions (classic: the "repo" scope).`,
    };
  }
  if (status === 404 || status === 410) {
    return {
      class: 'not_found',
      message: context.repo
        ? `GitHub repository ${context.repo} was not found, or the token cannot see it. Check the name and the token's repository access.`
        : 'A GitHub resource was not found, or the token cannot see it.',
    };
  }
  if (status === 422 || status === 400) {
    return {
      class: 'invalid_config',
      message: `GitHub refused the request${where} as invalid (${status}). Check the connection settings.`,
    };
  }
  if (status >= 500 || status === 408) {
    const timeout = /timeout|aborted/i.test(upstream);
    return {
      class: 'temporary',
      message: timeout
        ? `GitHub did not answer in time${where}; the sync will be retried.`
        : `GitHub had a temporary problem${where} (${status}); the sync will be retried.`,
    };
  }
  return {
    class: 'temporary',
    message: `GitHub answered with an unexpected status ${status}${where}. Check the connection's base URL.`,
  };
}
