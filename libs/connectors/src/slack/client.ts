// @slack/web-api's WebClient with what a collector needs around it: every request through
// the outbound-host policy (the token must not go to a refused address), a count of the
// HTTP requests made, and Slack's own Retry-After handling configured — not a second one.
import {
  ErrorCode,
  LogLevel,
  WebClient,
  WebClientEvent,
  type Logger,
  type RetryOptions,
} from '@slack/web-api';
import type { OutboundPolicy } from '../outbound';

export interface SlackClientOptions {
  /** Web API base URL: `https://slack.com/api` or the sandbox's. */
  baseUrl: string;
  token: string;
  outbound: Pick<OutboundPolicy, 'check' | 'fetch'>;
  /**
   * true: a 429 fails the call at once (the caller reports rate_limited with Retry-After);
   * false (default): WebClient waits the Retry-After out and retries, up to `retries` times.
   */
  rejectRateLimitedCalls?: boolean;
  /** WebClient retries of 429 and network failures (default 3; 0 for a connection test). */
  retries?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Called when Slack answered 429 (seconds to wait, method). */
  onRateLimited?: (retryAfterSeconds: number, method: string) => void;
}

export interface SlackCallStats {
  /** Every HTTP request, WebClient's retries included. */
  apiCalls: number;
  byMethod: Record<string, number>;
  rateLimited: number;
}

export interface SlackClient {
  readonly web: WebClient;
  readonly stats: SlackCallStats;
  /** Host for messages. */
  readonly host: string;
  /** Calls a Web API method; resolves with its body (ok: true) or rejects with WebClient's error. */
  call<T>(method: string, args: Record<string, unknown>): Promise<T>;
}

// WebClient logs request bodies at debug and message-bearing failures at warn; the collector
// reports errors itself, and nothing of a message may reach a log.
const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function createSlackClient(options: SlackClientOptions): SlackClient {
  const stats: SlackCallStats = { apiCalls: 0, byMethod: {}, rateLimited: 0 };
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const host = (() => {
    try {
      return new URL(baseUrl).host;
    } catch {
      return baseUrl;
    }
  })();
  let checked: Promise<void> | undefined;
  const countingFetch: typeof fetch = async (input, init) => {
    stats.apiCalls++;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1);
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    const response = await options.outbound.fetch(input, init);
    if (response.status === 429) stats.rateLimited++;
    return response;
  };
  const retryConfig: RetryOptions = {
    retries: options.retries ?? 3,
    factor: 2,
    minTimeout: 1_000,
    maxTimeout: 30_000,
    randomize: true,
  };
  const web = new WebClient(options.token, {
    slackApiUrl: `${baseUrl}/`,
    fetch: countingFetch,
    logger: SILENT,
    retryConfig,
    rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
    timeout: options.timeoutMs ?? 30_000,
    // the token must only go to the configured base URL
    allowAbsoluteUrls: false,
  });
  web.on(WebClientEvent.RATE_LIMITED, (seconds: number, req: { url?: string }) => {
    const url = req?.url ?? '';
    options.onRateLimited?.(seconds, url.slice(url.lastIndexOf('/') + 1));
  });
  return {
    web,
    stats,
    host,
    async call<T>(method: string, args: Record<string, unknown>): Promise<T> {
      // The policy's verdict on the base URL once, before the first request.
      checked ??= options.outbound.check(baseUrl);
      await checked;
      return (await web.apiCall(method, args)) as unknown as T;
    },
  };
}

export { ErrorCode as SlackErrorCode };
