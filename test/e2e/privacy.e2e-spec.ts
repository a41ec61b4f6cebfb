// Issue 16 end to end in real Chromium against the real API serving the built dashboard, a
// real worker, Redis and SQLite: "team-level only" hides every person's name from a
// manager who is not an admin — the owner included, and a second manager sees nothing of
// the engagement at all — while an admin still sees them; the vendor view names nobody.
// Screenshots land in test-output/screenshots.
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker-config';
import { ADMIN, startApi, type ApiHarness } from '../api-harness';
import { ANA, BEN, seedEngagement } from '../privacy-fixtures';
import { launchChromium, REPO_ROOT, SCREENSHOTS_DIR, UI_WAIT_MS } from './chromium';

const root = REPO_ROOT;
const shots = SCREENSHOTS_DIR;
/** Every way Ana and Ben could be named on a page. */
const NAMES = [ANA, BEN].flatMap((p) => [p.name, p.github, p.jira, p.slack, p.email]);

describe('data protection in Chromium', () => {
  jest.setTimeout(600_000);
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let engagementId: string;
  let owner: { email: string; password: string };
  let other: { email: string; password: string };
  const contexts: BrowserContext[] = [];

  const shot = (p: Page, name: string) => p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  async function signedIn(who: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(UI_WAIT_MS);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').fill(who.email);
    await page.getByTestId('login-password').fill(who.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-form').waitFor({ state: 'detached' });
    return page;
  }

  /** Opens the PR drill-down of the engagement and returns the drawer's text. */
  async function prDrillDown(page: Page): Promise<string> {
    await page.goto(`${base}/engagements/${engagementId}/kpi/delivery.prs_merged`);
    const drawer = page.getByTestId('drill-down');
    await drawer.getByTestId('drill-row').first().waitFor();
    expect(await drawer.getByTestId('drill-row').count()).toBe(4);
    return (await drawer.textContent()) ?? '';
  }

  const named = (text: string) => NAMES.filter((n) => text.toLowerCase().includes(n.toLowerCase()));

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    api = await startApi('sqlite', { PULSE_DASHBOARD_DIR: join(root, 'dist/dashboard') });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    const a = await api.createUser('manager');
    const b = await api.createUser('manager');
    owner = { email: a.user.email, password: a.password };
    other = { email: b.user.email, password: b.password };
    engagementId = await seedEngagement(
      api.app.get(DataSource),
      worker,
      await api.signIn(owner.email, owner.password),
      'Privacy demo',
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await worker?.close();
    await api?.close();
  });

  it('hides every name from managers once the engagement is "team-level only"; admins still see them', async () => {
    const page = await signedIn(owner);
    // Before: the owner (today's only editor) sees who authored each PR.
    expect(named(await prDrillDown(page))).toEqual(expect.arrayContaining([ANA.name, BEN.name]));
    await shot(page, 'privacy-01-drill-down-named');

    await page.goto(`${base}/engagements/${engagementId}/settings/privacy`);
    await page.getByTestId('privacy-form').waitFor();
    expect(await page.getByTestId('privacy-kept-from').textContent()).toMatch(/Data is kept from \d/);
    await page.getByTestId('privacy-team-level-only').check();
    await page.getByTestId('privacy-save').click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await shot(page, 'privacy-02-team-level-only');

    const hidden = await prDrillDown(page);
    expect(named(hidden)).toEqual([]);
    await shot(page, 'privacy-03-drill-down-unnamed');
    // Continuity's people list: people become "Person n".
    await page.goto(`${base}/engagements/${engagementId}/kpi/continuity.knowledge_concentration`);
    const people = page.getByTestId('drill-down');
    await people.getByTestId('drill-row').first().waitFor();
    const peopleText = (await people.textContent()) ?? '';
    expect(peopleText).toContain('Person 1');
    expect(named(peopleText)).toEqual([]);
    // The roster and its unassigned identities are not shown either.
    await page.goto(`${base}/engagements/${engagementId}/settings/roster`);
    await page.getByTestId('roster-hidden').waitFor();
    expect(named((await page.textContent('body')) ?? '')).toEqual([]);
    await page.goto(`${base}/engagements/${engagementId}`);
    expect(await page.getByTestId('data-kept-from').textContent()).toContain('team-level only');
    expect(named((await page.textContent('body')) ?? '')).toEqual([]);

    // A manager who is not the engagement's editor sees nothing of it, names included.
    const second = await signedIn(other);
    await second.goto(`${base}/engagements/${engagementId}/kpi/delivery.prs_merged`);
    await second
      .getByText(/No engagement|not found/i)
      .first()
      .waitFor();
    expect(named((await second.textContent('body')) ?? '')).toEqual([]);
    await shot(second, 'privacy-04-other-manager');

    // Admins answer erasure and access requests: they still see people.
    const admin = await signedIn(ADMIN);
    expect(named(await prDrillDown(admin))).toEqual(expect.arrayContaining([ANA.name, BEN.name]));
  });

  it('names nobody in the vendor view, item lists included', async () => {
    const agent = await api.signIn(owner.email, owner.password);
    // Even with people visible to the engagement's editors, a share link names nobody.
    await agent
      .patch(`/api/engagements/${engagementId}`)
      .send({ settings: { teamLevelOnly: false } })
      .expect(200);
    const link = (
      await agent
        .post(`/api/engagements/${engagementId}/share-links`)
        .send({ allowDrillDown: true })
        .expect(201)
    ).body as { token: string };
    const vendor = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    vendor.setDefaultTimeout(UI_WAIT_MS);
    contexts.push(vendor);
    const vp = await vendor.newPage();
    await vp.goto(`${base}/share/${link.token}`);
    await vp.getByTestId('share-view').waitFor();
    expect(named((await vp.textContent('body')) ?? '')).toEqual([]);
    for (const key of [
      'delivery.prs_merged',
      'continuity.knowledge_concentration',
      'responsiveness.chat_first_response',
    ]) {
      await vp.goto(`${base}/share/${link.token}/kpi/${key}`);
      const drawer = vp.getByTestId('drill-down');
      await drawer.waitFor();
      await drawer.getByTestId('drill-count').or(drawer.getByTestId('drill-row').first()).first().waitFor();
      expect({ key, named: named((await vp.textContent('body')) ?? '') }).toEqual({ key, named: [] });
    }
    await shot(vp, 'privacy-05-vendor-view');
  });
});
