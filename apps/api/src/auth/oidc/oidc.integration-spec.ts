// "Sign in with SSO" against a real OpenID provider (oidc-provider, in its own process on
// 127.0.0.1) and the real API, walking the browser's redirects by hand: who gets in, who is
// sent back with which reason, and that a callback works once, in the browser that started it.
import { createServer, type Server } from 'node:net';
import { DataSource } from 'typeorm';
import { AuditEventEntity, UserEntity } from '@pulse/db';
import { ADMIN, startApi, type ApiHarness } from '../../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../../test/databases';
import { startOidcProvider, type OidcProviderProcess } from '../../../../../test/oidc-provider-process';
import { AuthService } from '../auth.service';

/** The few cookies a browser would keep, per origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

interface Browser {
  pulse: CookieJar;
  idp: CookieJar;
}

const newBrowser = (): Browser => ({ pulse: new CookieJar(), idp: new CookieJar() });

async function visit(url: string, jar: CookieJar, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.take(res);
  return res;
}

const ACCOUNTS = {
  ana: { password: 'ana-idp-pass', email: 'Ana@Pulse.test', email_verified: true, name: 'Ana' },
  stranger: { password: 'stranger-pass', email: 'stranger@pulse.test', email_verified: true, name: 'S' },
  unverified: { password: 'unverified-pass', email: 'una@pulse.test', email_verified: false, name: 'U' },
  gone: { password: 'gone-pass', email: 'gone@pulse.test', email_verified: true, name: 'G' },
  outsider: { password: 'outsider-pass', email: 'out@elsewhere.example', email_verified: true, name: 'O' },
  invited: { password: 'invited-pass', email: 'ivy@pulse.test', email_verified: true, name: 'Ivy Invited' },
  revoked: { password: 'revoked-pass', email: 'rex@pulse.test', email_verified: true, name: 'Rex' },
};

describe.each(DATABASE_KINDS)('SSO sign-in on %s', (kind) => {
  let provider: OidcProviderProcess;
  let api: ApiHarness;
  let base: string;

  beforeAll(async () => {
    provider = await startOidcProvider();
    api = await startApi(kind, {
      PULSE_OIDC_ISSUER: provider.issuer,
      PULSE_OIDC_CLIENT_ID: provider.clientId,
      PULSE_OIDC_CLIENT_SECRET: provider.clientSecret,
      PULSE_OIDC_ALLOWED_DOMAINS: 'pulse.test',
      // the provider is on loopback: an admin approves it like any upstream host
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(provider.issuer).host,
    });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    await provider.configure(`${base}/api/auth/oidc/callback`, ACCOUNTS);
    const auth = api.app.get(AuthService);
    await auth.createUser({
      email: 'ana@pulse.test',
      password: 'x'.repeat(16),
      displayName: 'Ana',
      role: 'manager',
    });
    await auth.createUser({
      email: 'una@pulse.test',
      password: 'x'.repeat(16),
      displayName: 'Una',
      role: 'manager',
    });
    await auth.createUser({
      email: 'out@elsewhere.example',
      password: 'x'.repeat(16),
      displayName: 'O',
      role: 'manager',
    });
    const gone = await auth.createUser({
      email: 'gone@pulse.test',
      password: 'x'.repeat(16),
      displayName: 'Gone',
      role: 'manager',
    });
    await api.app.get(DataSource).getRepository(UserEntity).update({ id: gone.id }, { disabled: true });
  });

  afterAll(async () => {
    await api?.close();
    await provider?.close();
  });

  /** Follows the browser from "Sign in with SSO" to the provider's answer at Pulse's callback. */
  async function signInAtProvider(browser: Browser, login: string, password: string): Promise<string> {
    const start = await visit(`${base}/api/auth/oidc/login?next=/engagements/abc`, browser.pulse);
    expect(start.status).toBe(302);
    let url = new URL(start.headers.get('location')!);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    for (let hop = 0; hop < 10; hop++) {
      if (url.origin === base) return url.href;
      let res = await visit(url.href, browser.idp);
      if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
        await res.text();
        res = await visit(url.href, browser.idp, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ login, password }).toString(),
        });
      }
      expect([302, 303]).toContain(res.status);
      url = new URL(res.headers.get('location')!, url);
    }
    throw new Error('the provider never sent the browser back');
  }

  async function finish(browser: Browser, callback: string): Promise<Response> {
    return visit(callback, browser.pulse);
  }

  it('says SSO is offered', async () => {
    const res = await fetch(`${base}/api/auth/methods`);
    expect(await res.json()).toEqual({ password: true, sso: true });
  });

  it('signs a known user in by their verified e-mail and returns them where they were going', async () => {
    const browser = newBrowser();
    const callback = await signInAtProvider(browser, 'ana', ACCOUNTS.ana.password);
    const res = await finish(browser, callback);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/engagements/abc');
    expect(browser.pulse.get('pulse_session')).toBeTruthy();
    const me = await visit(`${base}/api/auth/me`, browser.pulse);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'ana@pulse.test', role: 'manager' });
  });

  it('completes a callback only once', async () => {
    const browser = newBrowser();
    const callback = await signInAtProvider(browser, 'ana', ACCOUNTS.ana.password);
    const handle = browser.pulse.get('pulse_oidc')!;
    expect((await finish(browser, callback)).headers.get('location')).toBe('/engagements/abc');
    // a replay, even with the handle kept elsewhere, finds nothing to complete
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: `pulse_oidc=${handle}` } });
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toBe('/login?sso_error=expired');
    expect(
      replay.headers.getSetCookie().some((c) => c.startsWith('pulse_session=') && !c.includes('1970')),
    ).toBe(false);
  });

  it('refuses a callback that reaches another browser (login CSRF)', async () => {
    const victim = newBrowser();
    const attacker = newBrowser();
    const callback = await signInAtProvider(attacker, 'ana', ACCOUNTS.ana.password);
    const res = await finish(victim, callback);
    expect(res.headers.get('location')).toBe('/login?sso_error=expired');
    expect(victim.pulse.get('pulse_session')).toBeUndefined();
  });

  it.each([
    ['stranger', 'not_invited'],
    ['unverified', 'email_unverified'],
    ['gone', 'deactivated'],
    ['outsider', 'domain_not_allowed'],
  ] as const)('sends %s back to the sign-in page with %s, without a session', async (login, reason) => {
    const browser = newBrowser();
    const callback = await signInAtProvider(browser, login, ACCOUNTS[login].password);
    const res = await finish(browser, callback);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?sso_error=${reason}`);
    expect(browser.pulse.get('pulse_session')).toBeUndefined();
  });

  it('accepts a pending invitation: the account gets the invited role, the invitation is used up', async () => {
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    await admin.post('/api/users').send({ email: 'ivy@pulse.test', role: 'viewer' }).expect(201);
    const browser = newBrowser();
    const res = await finish(browser, await signInAtProvider(browser, 'invited', ACCOUNTS.invited.password));
    expect(res.headers.get('location')).toBe('/engagements/abc');
    const me = await visit(`${base}/api/auth/me`, browser.pulse);
    expect(await me.json()).toMatchObject({
      email: 'ivy@pulse.test',
      role: 'viewer',
      displayName: 'Ivy Invited',
    });
    const invitations = (await admin.get('/api/invitations').expect(200)).body as {
      email: string;
      status: string;
    }[];
    expect(invitations.find((i) => i.email === 'ivy@pulse.test')?.status).toBe('accepted');
    // the password is not known to anyone: only SSO (or a reset link) signs this account in
    await api
      .http()
      .post('/api/auth/login')
      .send({ email: 'ivy@pulse.test', password: 'invited-pass' })
      .expect(401);
  });

  it('refuses a revoked invitation', async () => {
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    const issued = (
      await admin.post('/api/users').send({ email: 'rex@pulse.test', role: 'manager' }).expect(201)
    ).body as { invitation: { id: string } };
    await admin.delete(`/api/invitations/${issued.invitation.id}`).expect(204);
    const browser = newBrowser();
    const res = await finish(browser, await signInAtProvider(browser, 'revoked', ACCOUNTS.revoked.password));
    expect(res.headers.get('location')).toBe('/login?sso_error=not_invited');
  });

  it('writes sign-ins and refusals to the audit trail, without tokens', async () => {
    const events = await api.app.get(DataSource).getRepository(AuditEventEntity).find();
    const sso = events.filter((e) => (e.summary as { method?: string }).method === 'sso');
    expect(sso.some((e) => e.action === 'auth.sign_in' && e.actorEmail === 'ana@pulse.test')).toBe(true);
    expect(
      sso.some(
        (e) =>
          e.action === 'auth.sign_in_failed' &&
          e.actorEmail === 'stranger@pulse.test' &&
          (e.summary as { reason?: string }).reason === 'not_invited',
      ),
    ).toBe(true);
    expect(sso.some((e) => e.action === 'invitation.accepted' && e.actorEmail === 'ivy@pulse.test')).toBe(
      true,
    );
    expect(JSON.stringify(sso)).not.toMatch(/code|state|nonce|token|secret/i);
  });

  it('sends a cancelled sign-in back with provider_error', async () => {
    const browser = newBrowser();
    const start = await visit(`${base}/api/auth/oidc/login`, browser.pulse);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await finish(browser, `${base}/api/auth/oidc/callback?error=access_denied&state=${state}`);
    expect(res.headers.get('location')).toBe('/login?sso_error=provider_error');
  });

  it('refuses a forged state', async () => {
    const browser = newBrowser();
    const callback = new URL(await signInAtProvider(browser, 'ana', ACCOUNTS.ana.password));
    callback.searchParams.set('state', 'forged');
    const res = await finish(browser, callback.href);
    expect(res.headers.get('location')).toBe('/login?sso_error=failed');
    expect(browser.pulse.get('pulse_session')).toBeUndefined();
  });
});

describe('SSO with an issuer the admin did not approve', () => {
  let api: ApiHarness;
  let trap: Server;
  let connections = 0;

  beforeAll(async () => {
    // Something listens there, and counts whether Pulse ever connected to it.
    trap = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    const port = (trap.address() as { port: number }).port;
    api = await startApi('sqlite', {
      PULSE_OIDC_ISSUER: `https://127.0.0.1:${port}`,
      PULSE_OIDC_CLIENT_ID: 'pulse',
    });
  });

  afterAll(async () => {
    await api?.close();
    await new Promise((r) => trap?.close(r));
  });

  it('never contacts it and tells the person SSO is unavailable', async () => {
    const res = await api.http().get('/api/auth/oidc/login').expect(302);
    expect(res.headers.location).toBe('/login?sso_error=unavailable');
    expect(connections).toBe(0);
  });
});

describe('SSO when it is not configured', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('sqlite');
  });
  afterAll(() => api?.close());

  it('offers only the password and answers 404 on the SSO routes', async () => {
    expect((await api.http().get('/api/auth/methods').expect(200)).body).toEqual({
      password: true,
      sso: false,
    });
    const res = await api.http().get('/api/auth/oidc/login').expect(404);
    expect(res.body.message).toMatch(/not configured/);
    await api.http().get('/api/auth/oidc/callback?code=x&state=y').expect(404);
  });
});
