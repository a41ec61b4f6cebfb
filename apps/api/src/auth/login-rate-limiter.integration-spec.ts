// Sign-in limiting against the real API and a real Redis: attempts are reserved atomically
// before the password is checked, delays grow instead of locking the account, and the loose
// per-IP cap never holds back an account that has signed in from that IP.
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';

interface Outcome {
  status: number;
  retryAfter: string | null;
}

async function listen(api: ApiHarness): Promise<string> {
  await api.app.listen(0, '127.0.0.1');
  return (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
}

async function login(base: string, email: string, password: string, fromIp?: string): Promise<Outcome> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(fromIp ? { 'x-forwarded-for': fromIp } : {}) },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

/** Signs in, honouring Retry-After, until it succeeds or the deadline passes. */
async function loginWhenAllowed(base: string, email: string, password: string): Promise<Outcome[]> {
  const seen: Outcome[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const outcome = await login(base, email, password);
    seen.push(outcome);
    if (outcome.status !== 429 || Date.now() > deadline) return seen;
    const wait = Number(outcome.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const count = (outcomes: Outcome[], status: number) => outcomes.filter((o) => o.status === status).length;

describe('sign-in limiting per account', () => {
  const LIMIT = 10;

  describe('under a burst (long delays, so that none of them runs out during the burst)', () => {
    let api: ApiHarness;
    let base: string;
    beforeAll(async () => {
      api = await startApi('sqlite', {
        LOGIN_RATE_LIMIT: String(LIMIT),
        LOGIN_BACKOFF_BASE_MS: '600000',
        LOGIN_BACKOFF_MAX_SECONDS: '3600',
      });
      base = await listen(api);
    });
    afterAll(() => api?.close());

    it('60 parallel wrong passwords: at most the limit are checked (401), the rest get 429 with Retry-After', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 60 }, (_, i) => login(base, ADMIN.email, `wrong-guess-${i}`)),
      );
      expect(count(outcomes, 401) + count(outcomes, 429)).toBe(60);
      expect(count(outcomes, 401)).toBe(LIMIT);
      expect(count(outcomes, 429)).toBe(60 - LIMIT);
      for (const o of outcomes.filter((x) => x.status === 429)) {
        expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
      }
    });

    it('another account from the same IP is not held back', async () => {
      const other = await api.createUser('manager');
      expect((await login(base, other.user.email, other.password)).status).toBe(200);
    });
  });

  describe('with short delays', () => {
    let api: ApiHarness;
    let base: string;
    beforeAll(async () => {
      api = await startApi('sqlite', {
        LOGIN_RATE_LIMIT: String(LIMIT),
        LOGIN_BACKOFF_BASE_MS: '300',
        LOGIN_BACKOFF_MAX_SECONDS: '2',
      });
      base = await listen(api);
    });
    afterAll(() => api?.close());

    it('the correct password works again once the (short) delay has passed, and resets the count', async () => {
      for (let i = 0; i < LIMIT; i++) await login(base, ADMIN.email, `wrong-${i}`);
      const attempts = await loginWhenAllowed(base, ADMIN.email, ADMIN.password);
      expect(attempts.at(-1)!.status).toBe(200);
      // Reset: the next wrong password is checked (401), not delayed.
      expect((await login(base, ADMIN.email, 'wrong-again')).status).toBe(401);
    });

    it('past the limit each further failure waits its turn, and the right password still gets in', async () => {
      const victim = await api.createUser('manager');
      for (let i = 0; i < LIMIT; i++) {
        expect((await login(base, victim.user.email, `w${i}`)).status).toBe(401);
      }
      // Each further failure is allowed only after the delay; count the failures that got through.
      const through: number[] = [];
      for (let i = 0; i < 3; i++) {
        const seen = await loginWhenAllowed(base, victim.user.email, `late-${i}`);
        through.push(seen.at(-1)!.status);
      }
      expect(through).toEqual([401, 401, 401]);
      // Still no hard lock: the right password gets in after the (capped) delay.
      const final = await loginWhenAllowed(base, victim.user.email, victim.password);
      expect(final.at(-1)!.status).toBe(200);
    });
  });
});

describe('sign-in limiting when the owner signs in from a known address', () => {
  const LIMIT = 5;
  const OWNER_IP = '198.51.100.7';
  const ATTACKER_IP = '203.0.113.9';
  let api: ApiHarness;
  let base: string;
  beforeAll(async () => {
    // Behind one trusted proxy, as in production, so that the tests can speak from two addresses.
    api = await startApi('sqlite', {
      PULSE_TRUST_PROXY: 'true',
      LOGIN_RATE_LIMIT: String(LIMIT),
      LOGIN_BACKOFF_BASE_MS: '600000',
      LOGIN_BACKOFF_MAX_SECONDS: '3600',
    });
    base = await listen(api);
  });
  afterAll(() => api?.close());

  it('guessing from elsewhere cannot keep the owner out, and guessing from the owner’s address is limited too', async () => {
    expect((await login(base, ADMIN.email, ADMIN.password, OWNER_IP)).status).toBe(200);

    const elsewhere = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(base, ADMIN.email, `guess-${i}`, ATTACKER_IP)),
    );
    expect(count(elsewhere, 401)).toBe(LIMIT);
    expect(count(elsewhere, 429)).toBe(30 - LIMIT);
    // The right password from elsewhere waits out the delay like any other attempt…
    expect((await login(base, ADMIN.email, ADMIN.password, ATTACKER_IP)).status).toBe(429);
    // …but the owner, from where they usually sign in, gets straight in.
    expect((await login(base, ADMIN.email, ADMIN.password, OWNER_IP)).status).toBe(200);

    const sameAddress = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(base, ADMIN.email, `near-${i}`, OWNER_IP)),
    );
    expect(count(sameAddress, 401)).toBe(LIMIT);
    expect(count(sameAddress, 429)).toBe(30 - LIMIT);
  });
});

describe('sign-in limiting per client IP', () => {
  const IP_LIMIT = 20;
  let api: ApiHarness;
  let base: string;
  beforeAll(async () => {
    api = await startApi('sqlite', { LOGIN_IP_RATE_LIMIT: String(IP_LIMIT), LOGIN_RATE_LIMIT: '10' });
    base = await listen(api);
  });
  afterAll(() => api?.close());

  it('caps password spraying across accounts, but never an account that signed in from that IP', async () => {
    expect((await login(base, ADMIN.email, ADMIN.password)).status).toBe(200);
    for (let i = 0; i < IP_LIMIT; i++) {
      expect((await login(base, `sprayed-${i}@pulse.test`, 'Winter2026!')).status).toBe(401);
    }
    const sprayed = await login(base, 'sprayed-next@pulse.test', 'Winter2026!');
    expect(sprayed.status).toBe(429);
    expect(Number(sprayed.retryAfter)).toBeGreaterThanOrEqual(1);
    // The colleague behind the same proxy address still gets in.
    expect((await login(base, ADMIN.email, ADMIN.password)).status).toBe(200);
  });
});
