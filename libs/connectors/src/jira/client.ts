// jira-client with what it lacks for a collector: the HTTP status of a failure (its own
// errors keep only the body), a patient answer to 429/503 with Retry-After, and the
// outbound-host policy on every request (the token must not go to a refused address).
import type { Agent } from 'node:http';
import JiraApi from 'jira-client';
import { OutboundRefusedError, type OutboundPolicy, type OutboundRefusalReason } from '../outbound';

/** An HTTP failure with its status kept, so errors classify correctly. */
export class JiraHttpError extends Error {
  override readonly name = 'JiraHttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterSeconds: number | undefined,
    readonly path: string,
  ) {
    super(`Jira answered ${status} for ${path}`);
  }
}

/** A transport failure (DNS, refused connection, timeout) with Node's error code kept. */
export class JiraNetworkError extends Error {
  override readonly name = 'JiraNetworkError';
  constructor(
    readonly code: string,
    readonly path: string,
  ) {
    super(`${code} for ${path}`);
  }
}

export type JiraApiArea = '2' | '3' | 'agile';

export interface JiraClientOptions {
  baseUrl: string;
  /** Cloud: the account email for Basic auth with an API token. Absent: Data Center bearer PAT. */
  email?: string | undefined;
  token: string;
  /** Checked before the first request; its agents check every socket (redirects included). */
  outbound: Pick<OutboundPolicy, 'check' | 'agentFor'>;
  timeoutMs?: number;
  /** Longest Retry-After the client waits out itself; beyond it the call fails as rate_limited. */
  maxRateLimitWaitMs?: number;
  /** Attempts for 5xx/network failures before giving up. */
  retries?: number;
  retryBaseMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export interface JiraClient {
  get<T>(area: JiraApiArea, path: string, query?: Record<string, string | number>): Promise<T>;
  post<T>(area: JiraApiArea, path: string, body: unknown): Promise<T>;
  readonly stats: { apiCalls: number; retries: number; rateLimitWaits: number };
  /** Host for messages. */
  readonly host: string;
}

// jira-client documents makeUri/makeAgileUri/makeRequestHeader/doRequest as its helpers for
// endpoints it has no method for; @types/jira-client marks them private, hence this view.
interface JiraInternals {
  makeUri(o: {
    pathname: string;
    query?: Record<string, string | number>;
    intermediatePath?: string;
  }): string;
  makeAgileUri(o: { pathname: string; query?: Record<string, string | number> }): string;
  makeRequestHeader(uri: string, o?: Record<string, unknown>): Record<string, unknown>;
  doRequest(o: Record<string, unknown>): Promise<unknown>;
}

interface PostmanResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
type PostmanRequest = (
  options: Record<string, unknown>,
  callback: (err: unknown, res: PostmanResponse) => void,
) => { abort?: () => void };

// jira-client's own transport (postman-request), loaded the way jira-client loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postman = require('postman-request') as PostmanRequest;

/** What our transport rejects with: jira-client JSON-stringifies it, we parse it back. */
interface TransportFailure {
  pulse: 'http' | 'network' | 'refused';
  status?: number;
  retryAfter?: string;
  body?: unknown;
  code?: string;
  refusal?: { message: string; target: string; reason: OutboundRefusalReason };
}

/** The policy's agents by protocol: postman-request picks the one a (redirected) request needs. */
type Agents = () => { http: Agent; https: Agent };

function transport(signal: AbortSignal | undefined, agents: Agents) {
  return (options: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject({ pulse: 'network', code: 'ECONNABORTED' } satisfies TransportFailure);
        return;
      }
      const refused = (err: OutboundRefusedError) =>
        reject({
          pulse: 'refused',
          refusal: { message: err.message, target: err.target, reason: err.reason },
        } satisfies TransportFailure);
      let guarded: ReturnType<Agents>;
      try {
        guarded = agents();
      } catch (e) {
        if (e instanceof OutboundRefusedError) refused(e);
        else reject(e);
        return;
      }
      postman({ ...options, agents: guarded }, (err, res) => {
        // refused at connect time (DNS answer or redirect to a refused address): not retried
        if (err instanceof OutboundRefusedError) {
          refused(err);
          return;
        }
        if (err) {
          const code = (err as { code?: unknown }).code;
          reject({
            pulse: 'network',
            code: typeof code === 'string' ? code : 'ECONNRESET',
          } satisfies TransportFailure);
          return;
        }
        if (res.statusCode >= 400) {
          const ra = res.headers['retry-after'];
          reject({
            pulse: 'http',
            status: res.statusCode,
            ...(ra !== undefined ? { retryAfter: Array.isArray(ra) ? ra[0] : ra } : {}),
            body: res.body,
          } satisfies TransportFailure);
          return;
        }
        resolve(res.body);
      });
    });
}

function rebuild(e: unknown, path: string): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  let parsed: TransportFailure | undefined;
  try {
    parsed = JSON.parse(e.message) as TransportFailure;
  } catch {
    return e;
  }
  if (parsed?.pulse === 'http' && typeof parsed.status === 'number') {
    const seconds = parsed.retryAfter !== undefined ? Number(parsed.retryAfter) : NaN;
    return new JiraHttpError(
      parsed.status,
      parsed.body,
      Number.isFinite(seconds) ? seconds : undefined,
      path,
    );
  }
  if (parsed?.pulse === 'refused' && parsed.refusal) {
    const r = parsed.refusal;
    return new OutboundRefusedError(r.message, r.target, r.reason);
  }
  if (parsed?.pulse === 'network') return new JiraNetworkError(parsed.code ?? 'ECONNRESET', path);
  // A 2xx body carrying errorMessages: jira-client turns it into an error without detail.
  return new JiraHttpError(200, parsed, undefined, path);
}

const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

export function createJiraClient(options: JiraClientOptions): JiraClient {
  const url = new URL(options.baseUrl);
  // The policy's verdict on the site, asked once before the first request; a refusal is
  // thrown by every call and never retried.
  let checked: Promise<void> | undefined;
  let agents: { http: Agent; https: Agent } | undefined;
  const agentsFor = (): { http: Agent; https: Agent } => {
    if (!agents) {
      const other = new URL(options.baseUrl);
      other.protocol = url.protocol === 'https:' ? 'http:' : 'https:';
      const own = options.outbound.agentFor(options.baseUrl);
      // The other scheme may be refused outright (an allowed private host:80 is not allowed
      // on :443): then a redirect across schemes fails on the wrong agent, never unguarded.
      let second = own;
      try {
        second = options.outbound.agentFor(other.href);
      } catch {
        /* keep `own` */
      }
      agents = url.protocol === 'https:' ? { https: own, http: second } : { http: own, https: second };
    }
    return agents;
  };
  const api = new JiraApi({
    protocol: url.protocol.replace(':', ''),
    host: url.hostname,
    ...(url.port ? { port: url.port } : {}),
    base: url.pathname.replace(/\/+$/, ''),
    apiVersion: '2',
    strictSSL: true,
    timeout: options.timeoutMs ?? 60_000,
    request: transport(options.signal, agentsFor),
    ...(options.email ? { username: options.email, password: options.token } : { bearer: options.token }),
  }) as unknown as JiraInternals;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  const retries = options.retries ?? 3;
  const retryBase = options.retryBaseMs ?? 500;
  const stats = { apiCalls: 0, retries: 0, rateLimitWaits: 0 };

  const uriFor = (area: JiraApiArea, path: string, query?: Record<string, string | number>): string =>
    area === 'agile'
      ? api.makeAgileUri({ pathname: path, ...(query ? { query } : {}) })
      : api.makeUri({ pathname: path, intermediatePath: `/rest/api/${area}`, ...(query ? { query } : {}) });

  async function call<T>(area: JiraApiArea, path: string, request: Record<string, unknown>): Promise<T> {
    const where = `${area === 'agile' ? '/rest/agile/1.0' : `/rest/api/${area}`}${path}`;
    checked ??= options.outbound.check(options.baseUrl);
    await checked;
    for (let attempt = 0; ; attempt++) {
      stats.apiCalls++;
      try {
        return (await api.doRequest(request)) as T;
      } catch (raw) {
        const e = rebuild(raw, where);
        if (options.signal?.aborted) throw e;
        if (e instanceof JiraHttpError && (e.status === 429 || e.status === 503)) {
          const waitMs = (e.retryAfterSeconds ?? (e.status === 503 ? retryBase / 1000 : 5)) * 1000;
          if (waitMs <= maxWait && attempt < retries + 3) {
            stats.rateLimitWaits++;
            await sleep(waitMs);
            continue;
          }
          throw e;
        }
        const retryable =
          (e instanceof JiraHttpError && e.status >= 500) ||
          (e instanceof JiraNetworkError && RETRYABLE_NETWORK.has(e.code));
        if (retryable && attempt < retries) {
          stats.retries++;
          await sleep(retryBase * 2 ** attempt);
          continue;
        }
        throw e;
      }
    }
  }

  return {
    stats,
    host: url.host,
    get: <T>(area: JiraApiArea, path: string, query?: Record<string, string | number>) =>
      call<T>(area, path, api.makeRequestHeader(uriFor(area, path, query))),
    post: <T>(area: JiraApiArea, path: string, body: unknown) =>
      call<T>(area, path, api.makeRequestHeader(uriFor(area, path), { method: 'POST', body })),
  };
}
