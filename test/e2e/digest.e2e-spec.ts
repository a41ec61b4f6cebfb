// The Slack digest settings in real Chromium against the real API (built dashboard), a real
// worker, Redis, SQLite and the sandbox: the preview drawn from Block Kit, "send now", and
// the history — with a screenshot of the preview in test-output/screenshots.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { type Browser, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ConnectionEntity, KpiValueEntity } from '@pulse/db';
import { startSandbox } from '../../apps/sandbox/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker-config';
import { ADMIN, startApi, type ApiHarness } from '../api-harness';
import { launchChromium, REPO_ROOT, SCREENSHOTS_DIR, UI_WAIT_MS } from './chromium';

const root = REPO_ROOT;
const shots = SCREENSHOTS_DIR;
const DAY = 86_400_000;

describe('Slack digest settings in Chromium', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let browser: Browser;
  let page: Page;
  let base: string;
  let id: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    sandbox = await startSandbox({ port: 0 });
    const allowed = new URL(sandbox.url).host;
    api = await startApi('sqlite', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
      PULSE_DASHBOARD_DIR: join(root, 'dist/dashboard'),
    });
    // Not the demo sync: rated values are put in place below, so the page shows a full digest.
    await api.syncQueue.pause();
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = (await agent.get('/api/engagements').expect(200)).body as { id: string; name: string }[];
    id = list.find((e) => e.name === 'Demo: slipping')!.id;
    const db = api.app.get(DataSource);
    const now = Date.now();
    await db.getRepository(ConnectionEntity).update({ engagementId: id }, { lastSuccessAt: now - 3_600_000 });
    const values: [string, number, number][] = [
      ['delivery.pr_pickup_time', 31, 12],
      ['quality.bug_reopen_rate', 40, 20],
      ['quality.open_bugs', 9, 9],
      ['responsiveness.chat_first_response', 30, 40],
    ];
    await db.getRepository(KpiValueEntity).insert(
      values.map(([kpiKey, value, n]) => ({
        id: randomUUID(),
        engagementId: id,
        period: 'trailing' as const,
        kpiKey,
        bucketStart: now - 28 * DAY,
        bucketEnd: now,
        value,
        n,
        dropped: 0,
        computedAt: now,
      })),
    );
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(UI_WAIT_MS);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('previews the digest as Slack draws it, sends it now and lists it in the history', async () => {
    await page.goto(`${base}/`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('engagement-card').first().waitFor();
    await page.goto(`${base}/engagements/${id}/settings/digest`);
    await page.getByTestId('digest-settings-form').waitFor();
    expect(await page.getByTestId('digest-client-channel').inputValue()).toBe('C0SLIPGEN');

    const preview = page.getByTestId('digest-preview');
    await preview.waitFor();
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Demo: slipping');
    expect(text).toContain('Bug reopen rate is 40 %');
    expect(text).toContain('PR pickup time is 31 h (warn > 24 h)');
    expect(text).toContain('🔴');
    // Markdown drawn, not shown: no asterisks or entities left.
    expect(text).not.toMatch(/\*|&gt;/);
    await page.getByTestId('digest-preview-panel').screenshot({ path: join(shots, 'digest-preview.png') });

    await page.getByTestId('digest-audience-vendor').click();
    await page.getByTestId('digest-preview').filter({ hasText: 'shared view' }).waitFor();
    expect(await page.getByTestId('digest-preview').textContent()).not.toContain('First response');

    await page.getByTestId('digest-audience-client').click();
    await page.getByTestId('digest-send-now').click();
    // The history looks again by itself after a send, until the worker has posted.
    const history = page.getByTestId('digest-history');
    await history.filter({ hasText: 'posted' }).waitFor();
    expect(await history.textContent()).toContain('C0SLIPGEN');
    expect(await history.textContent()).toContain('posted');
    const posted = sandbox.posted().find((m) => m.channel === 'C0SLIPGEN');
    expect(JSON.stringify(posted?.blocks)).toContain('Bug reopen rate is 40 %');
    await page.screenshot({ path: join(shots, 'digest-settings.png'), fullPage: true });
  });
});
