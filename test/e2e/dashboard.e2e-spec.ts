// End to end in real Chromium (Debian's /usr/bin/chromium via playwright-core) against
// the real API serving the built dashboard, a real worker, Redis, SQLite and the sandbox.
// Screenshots of every page land in test-output/screenshots.
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { KpiValueEntity, SyncRunEntity } from '@pulse/db';
import { startSandbox } from '../../apps/sandbox/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker-config';
import { ADMIN, startApi, type ApiHarness } from '../api-harness';

const root = join(__dirname, '../..');
const shots = join(root, 'test-output/screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false | 0>,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('dashboard in Chromium', () => {
  jest.setTimeout(240_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let browser: Browser;
  let manager: BrowserContext;
  let page: Page;
  let base: string;
  const ids: Record<string, string> = {};

  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    process.stdout.write(`screenshots: ${shots}\n`);
    sandbox = await startSandbox({ port: 0, now: new Date().toISOString() });
    api = await startApi('sqlite', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      // the sandbox is on loopback: allowed explicitly, as `npm start` does
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
      PULSE_DASHBOARD_DIR: join(root, 'dist/dashboard'),
    });
    await api.app.listen(0, '127.0.0.1');
    base = await api.app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    const db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    for (const e of (await agent.get('/api/engagements').expect(200)).body as { id: string; name: string }[])
      ids[e.name] = e.id;
    for (const id of Object.values(ids)) {
      await until('demo sync', async () => {
        const run = await db.getRepository(SyncRunEntity).findOneBy({ engagementId: id, trigger: 'demo' });
        return run && !['queued', 'running'].includes(run.status) ? run : null;
      });
      await until('rollup', () =>
        db.getRepository(KpiValueEntity).countBy({ engagementId: id, period: 'trailing' }),
      );
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    manager = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await manager.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('signs in and shows slipping red and steady green on the portfolio', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('login-form').waitFor();
    await shot('01-sign-in');
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('engagement-card').first().waitFor();
    const card = (name: string) => page.getByTestId('engagement-card').filter({ hasText: name });
    await expectAttribute(card('Demo: slipping'), 'data-status', 'red');
    await expectAttribute(card('Demo: steady'), 'data-status', 'green');
    // Status is also text, not colour alone.
    expect(await card('Demo: slipping').getByTestId('engagement-status-text').textContent()).toMatch(/red/i);
    await shot('02-portfolio');
  });

  it('opens a red KPI of slipping and reaches the PRs behind it', async () => {
    await page
      .getByTestId('engagement-card')
      .filter({ hasText: 'Demo: slipping' })
      .getByTestId('engagement-link')
      .click();
    await page.getByTestId('engagement-health').waitFor();
    await page.getByTestId('kpi-chart-delivery.pr_cycle_time').waitFor();
    await shot('03-engagement-slipping');
    await page.getByTestId('drill-link-delivery.pr_cycle_time').click();
    const table = page.getByTestId('drill-table-pull-requests');
    await table.waitFor();
    expect(await table.getByTestId('drill-row').count()).toBeGreaterThan(0);
    expect(await table.textContent()).toMatch(/#\d+/);
    await shot('04-drill-down-prs');
    await page.getByTestId('drill-close').click();
  });

  it('changes a threshold and sees the status change', async () => {
    const id = ids['Demo: steady']!;
    await page.goto(`${base}/engagements/${id}/settings/thresholds`);
    await page.getByTestId('thresholds-form').waitFor();
    // Coverage of steady sits around 80 %: demand 99 % (breach below 95 %) and it turns red.
    await page.getByTestId('threshold-warn-coverage.line').fill('99');
    await page.getByTestId('threshold-breach-coverage.line').fill('95');
    await shot('05-thresholds-preview');
    await page.getByTestId('thresholds-save').click();
    await page.getByTestId('thresholds-saved').waitFor();
    await page.goto(`${base}/`);
    const steady = page.getByTestId('engagement-card').filter({ hasText: 'Demo: steady' });
    await expectAttribute(steady, 'data-status', 'red');
    await shot('06-portfolio-after-threshold');
  });

  it('shares a read-only view, keeps everything else out of reach, and refuses it once revoked', async () => {
    const id = ids['Demo: slipping']!;
    await page.goto(`${base}/engagements/${id}/settings/sharing`);
    await page.getByTestId('share-link-form').waitFor();
    await page.getByTestId('share-create').click();
    const url = new URL(await page.getByTestId('share-url').inputValue(), base).toString();
    expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
    await shot('07-share-link-created');

    const vendor = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const vp = await vendor.newPage();
    await vp.goto(url);
    await vp.getByTestId('share-view').waitFor();
    expect(await vp.textContent('body')).toContain('Demo: slipping');
    expect(await vp.getByTestId('settings-link').count()).toBe(0);
    await shot('08-vendor-view', vp);
    // The vendor's browser has no session: the manager API and other engagements are closed.
    const apiAnswer = await vp.evaluate(async (other) => {
      const a = await fetch('/api/engagements');
      const b = await fetch(`/api/engagements/${other}/kpis`);
      return [a.status, b.status];
    }, ids['Demo: steady']);
    expect(apiAnswer).toEqual([401, 401]);
    await vp.goto(`${base}/engagements/${ids['Demo: steady']}`);
    await vp.getByTestId('login-form').waitFor();

    await page.getByTestId('share-revoke').first().click();
    await expectAttribute(page.getByTestId('share-link-row').first(), 'data-state', 'revoked');
    await vp.goto(url);
    await vp.getByTestId('share-invalid').waitFor();
    await shot('09-vendor-link-revoked', vp);
    await vendor.close();
  });
});

async function expectAttribute(
  locator: import('playwright-core').Locator,
  name: string,
  value: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator
      .first()
      .getAttribute(name)
      .catch(() => null);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${name}="${value}", last saw ${JSON.stringify(last)}`);
}
