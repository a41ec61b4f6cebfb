import { startSandbox } from '../../../sandbox/src';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DemoService } from './demo.service';

describe('demo engagements from the sandbox', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
    // the sandbox is on loopback: allowed explicitly, as `npm start` does
    api = await startApi('sqlite', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
    });
  });
  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
  });

  it('creates "Demo: steady" and "Demo: slipping" connected to the sandbox, with rosters, and syncs them', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = await agent.get('/api/engagements').expect(200);
    expect(list.body.map((e: { name: string }) => e.name)).toEqual(['Demo: slipping', 'Demo: steady']);
    const slipping = list.body[0];
    expect(slipping.vendorCalendar.timeZone).toBe('Asia/Manila');
    expect(slipping.clientCalendar.timeZone).toBe('America/Chicago');

    const connections = await agent.get(`/api/engagements/${slipping.id}/connections`).expect(200);
    expect(connections.body.map((c: { kind: string; hasSecret: boolean }) => [c.kind, c.hasSecret])).toEqual([
      ['github', true],
      ['jira', true],
      ['slack', true],
    ]);
    const github = connections.body[0];
    expect(github.settings.baseUrl).toBe(`${sandbox.url}/github/api/v3`);
    expect(github.settings.repos).toHaveLength(3);

    const people = await agent.get(`/api/engagements/${slipping.id}/people`).expect(200);
    const manifest = sandbox.manifest({ counts: false }).scenarios.slipping;
    expect(people.body.filter((p: { isBot: boolean }) => !p.isBot)).toHaveLength(manifest.people.length);
    expect(
      people.body
        .filter((p: { isBot: boolean }) => p.isBot)
        .map((p: { displayName: string }) => p.displayName),
    ).toContain('dependabot[bot]');
    const runs = await agent.get(`/api/engagements/${slipping.id}/sync-runs`).expect(200);
    expect(runs.body[0]).toMatchObject({ trigger: 'demo', status: 'queued' });
  });

  it('is idempotent: a second start refreshes connections without duplicating engagements', async () => {
    await api.app.get(DemoService).seed(sandbox.url);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = await agent.get('/api/engagements').expect(200);
    expect(list.body).toHaveLength(2);
  });
});
