import { backoffMs, decideSync, type ConnectionSyncState } from './error-policy';
import { classifyNetworkError } from './connector-error';

const NOW = Date.UTC(2026, 11, 1, 12);
const state = (s: Partial<ConnectionSyncState>): ConnectionSyncState => ({
  lastErrorClass: null,
  lastErrorAt: null,
  retryAfterAt: null,
  failureCount: 0,
  ...s,
});

describe('the error policy', () => {
  it('runs a healthy connection', () => {
    expect(decideSync(state({}), NOW)).toEqual({ run: true });
  });

  it.each(['auth', 'forbidden', 'invalid_config'] as const)(
    'pauses after %s until settings change',
    (cls) => {
      const d = decideSync(
        state({ lastErrorClass: cls, lastErrorAt: NOW - 86_400_000, failureCount: 1 }),
        NOW,
      );
      expect(d).toMatchObject({ run: false, until: null });
      if (!d.run) expect(d.reason).toContain('until its settings or token are changed');
    },
  );

  it('waits for retry-after, then runs', () => {
    const limited = state({ lastErrorClass: 'rate_limited', retryAfterAt: NOW + 30_000, failureCount: 1 });
    expect(decideSync(limited, NOW)).toMatchObject({ run: false, until: NOW + 30_000 });
    expect(decideSync(limited, NOW + 30_001)).toEqual({ run: true });
  });

  it.each(['temporary', 'unreachable'] as const)('backs off %s with the failure count', (cls) => {
    const third = state({ lastErrorClass: cls, lastErrorAt: NOW, failureCount: 3 });
    expect(backoffMs(3)).toBe(4 * 60_000);
    expect(decideSync(third, NOW + 3 * 60_000)).toMatchObject({ run: false, until: NOW + 4 * 60_000 });
    expect(decideSync(third, NOW + 4 * 60_000)).toEqual({ run: true });
    expect(backoffMs(50)).toBe(6 * 3_600_000);
  });
});

describe('network failures', () => {
  it('are unreachable with the host named, never a temporary 500', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND jira.example.com'), { code: 'ENOTFOUND' });
    expect(classifyNetworkError(dns, 'jira.example.com')).toEqual({
      class: 'unreachable',
      message: expect.stringMatching(/^cannot reach jira\.example\.com: host not found/),
    });
    const refused = new Error('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    expect(classifyNetworkError(refused, 'h:1')?.message).toMatch(/^cannot reach h:1: connection refused/);
    expect(classifyNetworkError(new Error('boom'), 'h')).toBeNull();
  });
});
