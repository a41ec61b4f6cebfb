// A manager must not be able to use a connection's stored token, or "test connection", to
// reach Pulse's own API, the cloud metadata service or anything else on a private network.
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ConnectionEntity, EngagementEntity } from '@pulse/db';
import { startSandbox, SANDBOX_GITHUB_TOKEN } from '../../../sandbox/src';
import { connectorFor, createOutboundPolicy } from '@pulse/connectors';
import { ConnectorCollector } from '../../../worker/src/collectors/connector.collector';
import { loadWorkerConfig } from '../../../worker/src/worker-config';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

/** Something that must never reach a manager: the body of whatever answered upstream. */
const MARKER = `internal-body-${randomBytes(6).toString('hex')}`;

describe('connections cannot be pointed at internal hosts', () => {
  jest.setTimeout(180_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let apiPort: number;
  let echo: Server;
  let echoHost: string;
  const echoHits: string[] = [];
  let sandboxHost: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
    sandboxHost = new URL(sandbox.url).host;
    // An allowed host that is not GitHub: answers every request with a body to leak.
    echo = createServer((req, res) => {
      echoHits.push(req.url ?? '');
      const status = req.url?.includes('/repos/') ? 422 : req.url?.endsWith('/user') ? 200 : 403;
      res.writeHead(status, { 'content-type': 'application/json', 'x-oauth-scopes': MARKER });
      res.end(JSON.stringify({ message: MARKER, login: `${MARKER} <script>`, default_branch: MARKER }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoHost = `127.0.0.1:${(echo.address() as AddressInfo).port}`;
    api = await startApi('sqlite', { PULSE_ALLOWED_UPSTREAM_HOSTS: `${sandboxHost},${echoHost}` });
    await api.app.listen(0, '127.0.0.1');
    apiPort = Number(new URL(await api.app.getUrl()).port);
  });

  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
    await new Promise((r) => echo?.close(r));
  });

  async function connected() {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: engagement } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const repos = sandbox.manifest({ counts: false }).scenarios.steady.github.repos.map((r) => r.fullName);
    const settings = { baseUrl: sandbox.githubUrl, repos };
    await agent
      .put(`/api/engagements/${engagement.id}/connections/github`)
      .send({ settings, secret: SANDBOX_GITHUB_TOKEN })
      .expect(200);
    return { agent, engagementId: engagement.id as string, settings };
  }

  it('accepts an allowed host and tests it', async () => {
    const { agent, engagementId } = await connected();
    const test = await agent.post(`/api/engagements/${engagementId}/connections/github/test`).expect(200);
    expect(test.body).toMatchObject({ ok: true });
  });

  it('refuses to move the stored token to another host without the token being entered again', async () => {
    const { agent, engagementId, settings } = await connected();
    const moved = await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({ settings: { ...settings, baseUrl: `http://${echoHost}/api/v3` } })
      .expect(400);
    expect(moved.body.details).toEqual([
      { field: 'secret', message: expect.stringMatching(/another host.*enter the API token again/) },
    ]);
    // a different port is a different host too
    await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({ settings: { ...settings, baseUrl: `http://127.0.0.1:${apiPort}/api` } })
      .expect(400);
    // the same host with another path keeps the token
    await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({ settings: { ...settings, baseUrl: `${sandbox.url}/github/api/v3/` } })
      .expect(200);
    expect(echoHits).toEqual([]);
  });

  it.each([
    ['Pulse’s own API on loopback', (port: number) => `http://127.0.0.1:${port}/api`, /loopback/],
    ['localhost', (port: number) => `http://localhost:${port}/api`, /loopback/],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/api`, /loopback/],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`, /loopback/],
    ['0.0.0.0', (port: number) => `http://0.0.0.0:${port}/`, /unspecified/],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data', /link-local/],
    ['a private network', () => 'http://10.0.0.1/api/v3', /private/],
    ['a decimal loopback', (port: number) => `http://2130706433:${port}/`, /loopback/],
  ])('refuses %s, even with the token entered again', async (_what, url, reason) => {
    const { agent, engagementId, settings } = await connected();
    const res = await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({ settings: { ...settings, baseUrl: url(apiPort) }, secret: SANDBOX_GITHUB_TOKEN })
      .expect(400);
    expect(res.body.details).toEqual([
      {
        field: 'settings.baseUrl',
        message: expect.stringMatching(reason) as unknown as string,
      },
    ]);
    expect(res.body.message).toMatch(/PULSE_ALLOWED_UPSTREAM_HOSTS/);
    // nothing was stored: the connection still points at the sandbox
    const stored = await agent.get(`/api/engagements/${engagementId}/connections/github`).expect(200);
    expect(stored.body.settings.baseUrl).toBe(settings.baseUrl);
  });

  it.each([['../..'], ['acme/..'], ['acme/.'], ['./x'], ['acme/%2e%2e'], ['acme/x/../../user'], ['-acme/x']])(
    'refuses the repo name %s',
    async (repo) => {
      const { agent, engagementId, settings } = await connected();
      const res = await agent
        .put(`/api/engagements/${engagementId}/connections/github`)
        .send({ settings: { ...settings, repos: [repo] } })
        .expect(400);
      expect(res.body.details[0].field).toBe('settings.repos.0');
    },
  );

  it('never echoes what an upstream answered', async () => {
    const { agent, engagementId, settings } = await connected();
    await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({ settings: { ...settings, baseUrl: `http://${echoHost}/api/v3` }, secret: SANDBOX_GITHUB_TOKEN })
      .expect(200);
    const userFails = await agent
      .post(`/api/engagements/${engagementId}/connections/github/test`)
      .expect(200);
    expect(userFails.body.ok).toBe(false);
    expect(echoHits.length).toBeGreaterThan(0);
    for (const status of [200, 403]) {
      echo.removeAllListeners('request');
      echo.on('request', (req, res) => {
        echoHits.push(req.url ?? '');
        const s = req.url?.endsWith('/user') ? status : 422;
        res.writeHead(s, { 'content-type': 'application/json', 'x-oauth-scopes': MARKER });
        res.end(JSON.stringify({ message: MARKER, login: 'octocat', default_branch: MARKER }));
      });
      const res = await agent.post(`/api/engagements/${engagementId}/connections/github/test`).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.text).not.toContain(MARKER);
    }
    expect(userFails.text).not.toContain(MARKER);
  });

  it('the worker refuses at request time a connection stored before the rule (no request leaves)', async () => {
    const before = echoHits.length;
    const config = loadWorkerConfig({
      REDIS_URL: api.config.REDIS_URL,
      PULSE_ALLOWED_UPSTREAM_HOSTS: sandboxHost,
      LOG_LEVEL: 'silent',
    });
    const collector = new ConnectorCollector(
      connectorFor('github')!,
      createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS }),
    );
    const outcome = await collector.collect({
      engagement: { id: 'e' } as EngagementEntity,
      connection: {
        settings: { baseUrl: `http://${echoHost}/api/v3`, repos: ['acme/api'] },
        cursor: null,
      } as unknown as ConnectionEntity,
      secret: SANDBOX_GITHUB_TOKEN,
      now: Date.now,
      savePage: async () => undefined,
      saveCursor: async () => undefined,
      retainWorkItems: async () => 0,
      markChatDeleted: async () => 0,
      progress: () => undefined,
    });
    expect(outcome.error).toMatchObject({
      class: 'invalid_config',
      message: expect.stringMatching(/loopback.*PULSE_ALLOWED_UPSTREAM_HOSTS/) as unknown as string,
    });
    expect(outcome.apiCalls).toBe(0);
    expect(echoHits.length).toBe(before);
  });
});
