// People end to end in real Chromium against the real API serving the built dashboard:
// an admin invites a manager who accepts, signs in and sees only the engagement they were
// added to; and "Sign in with SSO" against a real OpenID provider (oidc-provider, in its own
// process on 127.0.0.1). Screenshots land in test-output/screenshots (people-*.png).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../api-harness';
import { startOidcProvider, type OidcProviderProcess } from '../oidc-provider-process';
import { AuthService } from '../../apps/api/src/auth/auth.service';
import { launchChromium, REPO_ROOT, SCREENSHOTS_DIR, UI_WAIT_MS } from './chromium';

const root = REPO_ROOT;
const shots = SCREENSHOTS_DIR;

const MANAGER = { email: 'mia.manager@pulse.test', password: 'tangerine velvet harbour 42' };
const SSO_USER = {
  login: 'sam',
  password: 'idp-secret-for-sam',
  email: 'sam.sso@pulse.test',
  name: 'Sam SSO',
};

describe('people in Chromium', () => {
  let provider: OidcProviderProcess;
  let api: ApiHarness;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};

  const shot = (name: string, p: Page) =>
    p.screenshot({ path: join(shots, `people-${name}.png`), fullPage: true });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(UI_WAIT_MS);
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    provider = await startOidcProvider();
    api = await startApi('sqlite', {
      PULSE_DASHBOARD_DIR: join(root, 'dist/dashboard'),
      PULSE_OIDC_ISSUER: provider.issuer,
      PULSE_OIDC_CLIENT_ID: provider.clientId,
      PULSE_OIDC_CLIENT_SECRET: provider.clientSecret,
      // the provider is on loopback: approved like any upstream host
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(provider.issuer).host,
    });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    await provider.configure(`${base}/api/auth/oidc/callback`, {
      [SSO_USER.login]: {
        password: SSO_USER.password,
        email: SSO_USER.email,
        email_verified: true,
        name: SSO_USER.name,
      },
      stranger: {
        password: 'stranger-pass',
        email: 'nobody@pulse.test',
        email_verified: true,
        name: 'Nobody',
      },
    });
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    for (const name of ['Atlas migration', 'Borealis platform']) {
      const res = await admin.post('/api/engagements').send(anEngagementBody({ name })).expect(201);
      ids[name] = (res.body as { id: string }).id;
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await provider?.close();
  });

  it('an admin invites a manager, who joins, sees only the engagement they were added to, and nothing else', async () => {
    const admin = await newPage();
    await signIn(admin, ADMIN.email, ADMIN.password);
    await admin.getByTestId('nav-people').click();
    await admin.getByTestId('invite-form').waitFor();
    await admin.getByTestId('invite-email').fill(MANAGER.email);
    await admin.getByTestId('invite-role').selectOption('manager');
    await admin.getByTestId('invite-submit').click();
    const link = await admin.getByTestId('issued-link-url').inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invit\w*\/[\w-]{43}$/);
    await admin.getByTestId('invitation-row').filter({ hasText: MANAGER.email }).waitFor();
    await shot('01-invited', admin);

    // The manager opens the link in their own browser, sets a password and is signed in.
    const mia = await newPage();
    await mia.goto(link);
    const summary = await mia.getByTestId('invitation-summary').textContent();
    expect(summary).toContain(MANAGER.email);
    expect(summary).toMatch(/manager/);
    await mia.getByTestId('invitation-name').fill('Mia Manager');
    await mia.getByTestId('invitation-password').fill('password');
    await mia.getByTestId('invitation-password-repeat').fill('password');
    await mia.getByTestId('invitation-submit').click();
    // A short, common password is refused with the API's reason.
    expect(await mia.getByTestId('invitation-error').textContent()).toMatch(/password/i);
    await shot('02-invitation-weak-password', mia);
    await mia.getByTestId('invitation-password').fill(MANAGER.password);
    await mia.getByTestId('invitation-password-repeat').fill(MANAGER.password);
    await mia.getByTestId('invitation-submit').click();
    await mia.getByTestId('signed-in-as').waitFor();
    expect(await mia.getByTestId('signed-in-as').textContent()).toContain('Mia Manager');
    expect(await mia.getByTestId('engagement-card').count()).toBe(0);
    // the link worked once
    const again = await newPage();
    await again.goto(link);
    expect(await again.getByTestId('invitation-problem').textContent()).toMatch(/no longer|used|new one/i);
    await shot('03-accepted-no-engagements', mia);

    // The admin adds her to one engagement as editor, in its settings.
    await admin.goto(`${base}/engagements/${ids['Atlas migration']}/settings/members`);
    await admin.getByTestId('member-add-form').waitFor();
    await admin.getByTestId('member-email').fill(MANAGER.email);
    await admin.getByTestId('member-new-rights').selectOption('editor');
    await admin.getByTestId('member-add').click();
    await admin.getByTestId('member-row').filter({ hasText: MANAGER.email }).waitFor();
    await shot('04-member-added', admin);

    // She signs out and in again with her new password: one engagement, the other out of reach.
    await mia.getByTestId('sign-out').click();
    await mia.getByTestId('login-form').waitFor();
    await signIn(mia, MANAGER.email, MANAGER.password);
    const cards = mia.getByTestId('engagement-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain('Atlas migration');
    await shot('05-manager-portfolio', mia);
    await mia.goto(`${base}/engagements/${ids['Borealis platform']}`);
    const refused = mia.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Not found, or you do not have access/);
    expect(await mia.textContent('body')).not.toContain('Borealis');
    await shot('06-manager-other-engagement-refused', mia);
    // And the API agrees, whatever the dashboard shows.
    const status = await mia.evaluate(
      async (id) => (await fetch(`/api/engagements/${id}`)).status,
      ids['Borealis platform']!,
    );
    expect(status).toBe(404);

    // Her editor rights shown as controls; once the admin makes her a viewer, they are gone.
    await mia.goto(`${base}/engagements/${ids['Atlas migration']}`);
    await mia.getByTestId('sync-now').waitFor();
    expect(await mia.getByTestId('settings-link').textContent()).toBe('Settings');
    await admin
      .getByTestId('member-row')
      .filter({ hasText: MANAGER.email })
      .getByTestId('member-rights')
      .selectOption('viewer');
    await expectValue(admin.getByTestId('member-rights').first(), 'viewer');
    await mia.reload();
    await mia.getByTestId('settings-link').waitFor();
    await expectText(mia.getByTestId('settings-link'), 'Members');
    expect(await mia.getByTestId('sync-now').count()).toBe(0);
    await mia.getByTestId('settings-link').click();
    await mia.getByTestId('settings-read-only').waitFor();
    expect(await mia.getByTestId('member-add-form').count()).toBe(0);
    expect(await mia.getByTestId('settings-tab-thresholds').count()).toBe(0);
    await shot('07-viewer-member-read-only', mia);

    // The admin finds the acceptance in the audit trail.
    await admin.getByTestId('nav-audit').click();
    await admin.getByTestId('audit-action').selectOption('invitation.accepted');
    // Until the filtered page arrives, the unfiltered one is shown: wait for the filter to apply.
    const rows = admin.getByTestId('audit-row');
    await waitUntil('the filtered audit page', async () => {
      const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
      return actions.length > 0 && actions.every((a) => a === 'invitation.accepted');
    });
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(MANAGER.email);
    await shot('08-audit-invitation-accepted', admin);
  });

  it('signs in with SSO at the OpenID provider and lands signed in', async () => {
    await api.app.get(AuthService).createUser({
      email: SSO_USER.email,
      password: 'unused-password-for-sam',
      displayName: SSO_USER.name,
      role: 'manager',
    });
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-sso').click();
    // At the provider (another origin), as a person would.
    await page.locator('#idp-login').waitFor();
    expect(new URL(page.url()).origin).toBe(provider.issuer);
    await shot('09-provider-sign-in', page);
    await page.locator('#idp-login').fill(SSO_USER.login);
    await page.locator('#idp-password').fill('wrong-password');
    await page.locator('#idp-submit').click();
    await page.locator('#idp-error').waitFor();
    await page.locator('#idp-login').fill(SSO_USER.login);
    await page.locator('#idp-password').fill(SSO_USER.password);
    await page.locator('#idp-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(new URL(page.url()).origin).toBe(base);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain(SSO_USER.name);
    await shot('10-signed-in-with-sso', page);
  });

  it('tells someone without a Pulse account why SSO did not let them in', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-sso').click();
    await page.locator('#idp-login').fill('stranger');
    await page.locator('#idp-password').fill('stranger-pass');
    await page.locator('#idp-submit').click();
    const error = page.getByTestId('sso-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Ask a Pulse admin to invite you/);
    expect(await page.getByTestId('login-form').count()).toBe(1);
    await shot('11-sso-not-invited', page);
  });
});

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const expectValue = (locator: import('playwright-core').Locator, value: string) =>
  waitUntil(`value ${value}`, async () => (await locator.inputValue().catch(() => null)) === value);

const expectText = (locator: import('playwright-core').Locator, text: string) =>
  waitUntil(`text ${text}`, async () => (await locator.textContent().catch(() => null))?.trim() === text);
