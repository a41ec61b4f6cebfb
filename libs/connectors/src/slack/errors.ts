import type { EpochMs } from '@pulse/contracts';
import {
  classifyNetworkError,
  classifyOutboundRefusal,
  type ConnectorError,
} from '../framework/connector-error';

export interface SlackClassifyContext {
  host: string;
  /** The channel the failing call was about, as "#name" or its id. */
  channel?: string;
  now?: () => EpochMs;
}

interface PlatformErrorLike {
  code: 'slack_webapi_platform_error';
  data: { error?: unknown; needed?: unknown };
}

const iso = (ms: EpochMs) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function platformError(e: unknown): { error: string; needed?: string } | null {
  if (typeof e !== 'object' || e === null) return null;
  const p = e as Partial<PlatformErrorLike>;
  if (p.code !== 'slack_webapi_platform_error' || !p.data || typeof p.data.error !== 'string') return null;
  return {
    error: p.data.error,
    ...(typeof p.data.needed === 'string' ? { needed: p.data.needed } : {}),
  };
}

/** Seconds of a rate limit: WebClient's rejected call, or its "retries exhausted" error. */
function rateLimitSeconds(e: unknown): number | null {
  if (typeof e !== 'object' || e === null) return null;
  const r = e as { code?: unknown; retryAfter?: unknown; message?: unknown };
  if (r.code === 'slack_webapi_rate_limited_error' && typeof r.retryAfter === 'number') return r.retryAfter;
  const m =
    typeof r.message === 'string' ? /A rate limit was exceeded .*retry-after: (\d+)/.exec(r.message) : null;
  return m ? Number(m[1]) : null;
}

/** The cause WebClient wraps transport failures in (`original`), for network classification. */
function transportCause(e: unknown): unknown {
  if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'slack_webapi_request_error')
    return (e as { original?: unknown }).original;
  return e;
}

/**
 * Maps anything thrown while talking to Slack to a fixed class and a message saying what to
 * do. Slack answers HTTP 200 with `ok: false` and an error code for everything but rate limits.
 */
export function classifySlackError(e: unknown, context: SlackClassifyContext): ConnectorError {
  const now = context.now ?? Date.now;
  const where = context.channel ? ` ${context.channel}` : ' the channel';
  const refused = classifyOutboundRefusal(transportCause(e)) ?? classifyOutboundRefusal(e);
  if (refused) return refused;
  const seconds = rateLimitSeconds(e);
  if (seconds !== null) {
    const retryAfter = now() + Math.max(1, seconds) * 1000;
    return {
      class: 'rate_limited',
      message: `Slack rate limit reached (ratelimited); syncing resumes after ${iso(retryAfter)}.`,
      retryAfter,
    };
  }
  const p = platformError(e);
  if (p) {
    switch (p.error) {
      case 'not_in_channel':
        return {
          class: 'forbidden',
          message: `Pulse is not a member of${where} (not_in_channel): invite @Pulse to${where} (/invite @Pulse in the channel).`,
        };
      case 'channel_not_found':
        return {
          class: 'not_found',
          message: `Slack cannot find${where} (channel_not_found): check the channel id in the connection settings, and for a private channel invite @Pulse first.`,
        };
      case 'missing_scope':
        return {
          class: 'forbidden',
          message: `The Slack app lacks the scope ${p.needed ?? 'this call needs'} (missing_scope): add it under OAuth & Permissions (or reinstall from docs/slack-app-manifest.yaml) and reinstall the app.`,
        };
      case 'invalid_auth':
      case 'not_authed':
      case 'token_revoked':
      case 'token_expired':
      case 'account_inactive':
        return {
          class: 'auth',
          message: `Slack rejected the bot token (${p.error}): the app was uninstalled, its token revoked or mistyped. Reinstall the app and paste its Bot User OAuth Token (xoxb-…) in the connection settings.`,
        };
      case 'ratelimited': {
        const retryAfter = now() + 60_000;
        return {
          class: 'rate_limited',
          message: `Slack rate limit reached (ratelimited); syncing resumes after ${iso(retryAfter)}.`,
          retryAfter,
        };
      }
      case 'invalid_cursor':
        return {
          class: 'temporary',
          message: `Slack refused a saved page cursor for${where} (invalid_cursor); the next sync starts that channel's page again.`,
        };
      default:
        return {
          class: 'temporary',
          message: `Slack reported ${p.error}${context.channel ? ` for ${context.channel}` : ''}; the sync will be retried.`,
        };
    }
  }
  const network =
    classifyNetworkError(transportCause(e), context.host) ?? classifyNetworkError(e, context.host);
  if (network) return network;
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number')
    return {
      class: 'temporary',
      message: `Slack had a temporary problem (${status}); the sync will be retried.`,
    };
  const detail = e instanceof Error ? e.message : String(e);
  return { class: 'temporary', message: `Slack sync failed: ${detail.slice(0, 200)}; it will be retried.` };
}
