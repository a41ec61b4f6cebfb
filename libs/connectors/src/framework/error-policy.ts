import type { EpochMs, SyncErrorClass } from '@pulse/contracts';

/** The sync state kept on a connection row that the policy reads. */
export interface ConnectionSyncState {
  lastErrorClass: SyncErrorClass | null;
  lastErrorAt: EpochMs | null;
  retryAfterAt: EpochMs | null;
  failureCount: number;
}

export type SyncDecision = { run: true } | { run: false; reason: string; until: EpochMs | null };

/** Classes a retry cannot fix: the connection waits until its settings or secret change. */
export const PAUSING_CLASSES: readonly SyncErrorClass[] = ['auth', 'forbidden', 'invalid_config'];

const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 6 * 3_600_000;

/** Wait after the n-th consecutive temporary failure: 1 min, 2, 4 … capped at 6 h. */
export function backoffMs(failureCount: number): number {
  if (failureCount <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failureCount - 1, 20));
}

const iso = (ms: EpochMs) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The error policy of DESIGN.md: `auth`, `forbidden` and `invalid_config` pause the
 * schedule until the settings or secret change (saving them clears the error);
 * `rate_limited` waits until `retryAfter`; `temporary` and `unreachable` back off with the
 * failure count.
 */
export function decideSync(state: ConnectionSyncState, now: EpochMs): SyncDecision {
  const cls = state.lastErrorClass;
  if (state.retryAfterAt !== null && state.retryAfterAt > now) {
    return { run: false, reason: `rate limited until ${iso(state.retryAfterAt)}`, until: state.retryAfterAt };
  }
  if (cls !== null && PAUSING_CLASSES.includes(cls)) {
    return {
      run: false,
      reason: `paused by its ${cls} error until its settings or token are changed`,
      until: null,
    };
  }
  if ((cls === 'temporary' || cls === 'unreachable') && state.lastErrorAt !== null) {
    const until = state.lastErrorAt + backoffMs(state.failureCount);
    if (until > now)
      return {
        run: false,
        reason: `backing off after ${state.failureCount} failure(s) until ${iso(until)}`,
        until,
      };
  }
  return { run: true };
}
