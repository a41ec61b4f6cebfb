// The connection settings form in real Chromium: rendered from GET /api/connectors, its
// Jira pickers filled from the sandbox's Jira Cloud through the real API and jira-client,
// saved, tested, and a 403 from the site shown in words. Runs against the production build
// (dist/dashboard, built by `npm test`).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { startSandbox } from '../../apps/sandbox/src';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.types';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../api-harness';
import { launchChromium, REPO_ROOT, SCREENSHOTS_DIR, UI_WAIT_MS } from './chromium';

const root = REPO_ROOT;
const shots = SCREENSHOTS_DIR;

describe('connection settings pickers in Chromium', () => {
  jest.setTimeout(600_000);
  let sandbox: RunningSandbox;
  let api: ApiHarness;
  let browser: Browser;
  let page: Page;
  let base: string;
  let engagementId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    sandbox = await startSandbox({
      port: 0,
      now: '2026-11-20T12:00:00.000Z',
      jiraFlavours: { steady: 'cloud' },
    });
    api = await startApi('sqlite', {
      // the sandbox is on loopback: allowed explicitly, as `npm start` does
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
      PULSE_DASHBOARD_DIR: join(root, 'dist/dashboard'),
    });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    engagementId = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(UI_WAIT_MS);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await sandbox?.close();
  });

  const jiraField = (name: string): Locator => page.getByTestId(`field-jira-${name}`);

  it('fills the Jira settings from the site, saves and tests them', async () => {
    const m = sandbox.manifest({ counts: false });
    const site = m.scenarios.steady.jira;
    await page.goto(`${base}/`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('engagement-card').first().waitFor();
    await page.goto(`${base}/engagements/${engagementId}/settings/connections`);

    // Every kind's form is there, rendered from the API's descriptions.
    await page.getByTestId('connection-jira').waitFor();
    await page.getByTestId('field-github-repos').waitFor();
    await page.getByTestId('field-slack-channelIds').waitFor();
    expect(await jiraField('deployment').locator('select').inputValue()).toBe('');

    // Nothing can be loaded before the URL and the token are there.
    const loadProjects = page.getByTestId('picker-load-jira-projectKeys');
    expect(await loadProjects.isDisabled()).toBe(true);
    expect(await jiraField('projectKeys').textContent()).toMatch(/Enter the Site URL first/);
    await jiraField('baseUrl').locator('input').fill(site.siteUrl);
    await jiraField('email').locator('input').fill(m.credentials.jira.email);
    expect(await jiraField('projectKeys').textContent()).toMatch(/Enter the API token first/);
    await page.getByTestId('secret-jira').fill(m.credentials.jira.apiToken);
    expect(await page.getByTestId('picker-load-jira-boardIds').isDisabled()).toBe(true);

    await loadProjects.click();
    await page.getByTestId('picker-jira-projectKeys').selectOption([site.projectKey]);
    expect(await jiraField('projectKeys').locator('input').inputValue()).toBe(site.projectKey);

    await page.getByTestId('picker-load-jira-boardIds').click();
    await page.getByTestId('picker-jira-boardIds').selectOption([String(site.boardId)]);
    await page.getByTestId('picker-load-jira-storyPointsField').click();
    await page.getByTestId('picker-jira-storyPointsField').selectOption('customfield_10016');
    await page.getByTestId('picker-load-jira-bugTypes').click();
    await page.getByTestId('picker-jira-bugTypes').selectOption(['Bug']);
    await page.screenshot({ path: join(shots, 'connection-pickers.png'), fullPage: true });

    await page.getByTestId('connection-jira').getByRole('button', { name: 'Save' }).click();
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const deadline = Date.now() + UI_WAIT_MS;
    let saved: { settings?: Record<string, unknown> } = {};
    while (!saved.settings && Date.now() < deadline) {
      const res = await agent.get(`/api/engagements/${engagementId}/connections/jira`);
      if (res.status === 200) saved = res.body;
      else await new Promise((r) => setTimeout(r, 250));
    }
    expect(saved.settings).toMatchObject({
      baseUrl: site.siteUrl,
      projectKeys: [site.projectKey],
      boardIds: [site.boardId],
      storyPointsField: 'customfield_10016',
      bugTypes: ['Bug'],
    });

    await page.getByTestId('connection-test-jira').click();
    const result = page.getByTestId('connection-test-result-jira');
    await result.getByText(/✓/).waitFor();
    expect(await result.textContent()).toMatch(/story points field: Story point estimate/);
  });

  it('shows a 403 from the site in words, with the saved token', async () => {
    sandbox.setFaults({ jira: { forbidden: true } });
    try {
      await page.reload();
      await jiraField('storyPointsField').waitFor();
      // the token field is empty again: the saved token is used for the same host
      await page.getByTestId('picker-load-jira-storyPointsField').click();
      const alert = jiraField('storyPointsField').getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/The Jira account may not see this \(403\)/);
    } finally {
      sandbox.setFaults({ jira: {} });
    }
  });
});
