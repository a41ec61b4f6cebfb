import type { EpochMs, SyncErrorClass } from '@pulse/contracts';
import { findOutboundRefusal } from '../outbound';

/** A failure mapped to one of the fixed classes of DESIGN.md, worded for a manager. */
export interface ConnectorError {
  class: SyncErrorClass;
  message: string;
  /** Epoch ms after which a retry may succeed (rate limits only). */
  retryAfter?: EpochMs;
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ESOCKETTIMEDOUT: 'connection timed out',
  ECONNABORTED: 'connection aborted',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
};

function codeOf(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 3) return undefined;
  const rec = e as { code?: unknown; cause?: unknown };
  if (typeof rec.code === 'string' && rec.code in NETWORK_CODES) return rec.code;
  return codeOf(rec.cause, depth + 1);
}

/**
 * A DNS or connection failure as `unreachable` ("cannot reach jira.example.com: host not
 * found"), or null when `e` is not one. Shared by every connector so the wording is one.
 */
export function classifyNetworkError(e: unknown, host: string): ConnectorError | null {
  const code = codeOf(e);
  if (!code) return null;
  return {
    class: 'unreachable',
    message: `cannot reach ${host}: ${NETWORK_CODES[code]}. Check the site URL, or whether the host is up and reachable from Pulse.`,
  };
}

/** The host part of a URL, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * A request the outbound-host policy refused as `invalid_config`: the URL points somewhere
 * Pulse must not send the token (the message says how an admin allows a private server).
 */
export function classifyOutboundRefusal(e: unknown): ConnectorError | null {
  const refused = findOutboundRefusal(e);
  return refused ? { class: 'invalid_config', message: refused.message } : null;
}
