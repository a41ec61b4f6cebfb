// Issue 15: where GitHub's GraphQL is unavailable (an old Enterprise Server, a refused token)
// pull requests are read over REST, and the connection says so. Through the whole path: the
// connection saved through the API, the worker's sync runner with real Octokit against the
// sandbox, the connection row, and the API's connection list, on SQLite and PostgreSQL. The
// run still succeeds (a fallback is not a problem of the run), and the next sync with
// GraphQL back clears the note.
import { randomUUID } from 'node:crypto';
import { connectorFor, createOutboundPolicy, parseAllowedUpstreamHosts } from '@pulse/connectors';
import type { ConnectionDto } from '@pulse/contracts';
import { SecretBox } from '@pulse/db';
import { startSandbox } from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { ConnectorCollector } from '../collectors/connector.collector';
import { loadWorkerConfig } from '../worker-config';
import { SyncRunnerService } from './sync-runner.service';

const NOW = '2026-11-20T12:00:00.000Z';

describe.each(DATABASE_KINDS)('GitHub without GraphQL on %s', (kind) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  let db: TestDatabase;
  let api: ApiHarness;
  let runner: SyncRunnerService;

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW });
    db = await openTestDatabase(kind);
    const host = new URL(sb.url).host;
    api = await startApi(kind, { PULSE_ALLOWED_UPSTREAM_HOSTS: host }, db.config);
    const config = loadWorkerConfig({
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://unused',
      WORKER_ID: 'graphql-fallback-spec',
      PULSE_ALLOWED_UPSTREAM_HOSTS: host,
      LOG_LEVEL: 'silent',
      PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY!,
    });
    const outbound = createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(host) });
    // the API's key: the worker decrypts the token the API stored
    runner = new SyncRunnerService(
      db.dataSource,
      SecretBox.fromString(api.config.PULSE_SECRET_KEY!),
      config,
      [new ConnectorCollector(connectorFor('github')!, outbound)],
    );
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
    await sb?.close();
  });
  afterEach(() => sb.setFaults({ github: {} }));

  const graphqlAnswers = (status: number) =>
    sb.requests().filter((r) => r.source === 'github' && /\/graphql\/?$/.test(r.path) && r.status === status);

  it('reads pull requests over REST, succeeds, notes why on the connection; GraphQL back clears the note', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const id = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id as string;
    const m = sb.manifest({ counts: false });
    const saved = (
      await agent
        .put(`/api/engagements/${id}/connections/github`)
        .send({
          settings: {
            baseUrl: sb.githubUrl,
            repos: [m.scenarios.steady.github.repos[0]!.fullName],
            api: 'graphql',
          },
          secret: m.credentials.github.token,
        })
        .expect(200)
    ).body as ConnectionDto;
    expect(saved.statusNote).toBeNull();
    const listed = async () =>
      ((await agent.get(`/api/engagements/${id}/connections`).expect(200)).body as ConnectionDto[]).find(
        (c) => c.kind === 'github',
      )!;

    sb.setFaults({ github: { graphqlDisabled: true } });
    sb.clearRequests();
    const at = Date.parse(NOW);
    const first = (
      await runner.run(
        `fallback-${randomUUID()}`,
        { engagementId: id, trigger: 'manual' },
        async () => undefined,
        () => at,
      )
    ).run;

    // GraphQL was asked and refused; the pull requests came over REST all the same.
    expect(graphqlAnswers(404).length).toBeGreaterThan(0);
    expect(
      sb.requests().some((r) => r.source === 'github' && /\/pulls$/.test(r.path) && r.status === 200),
    ).toBe(true);
    expect(first.status).toBe('succeeded');
    expect(first.error).toBeNull();
    expect(first.counts['github']?.['pullRequests']).toBeGreaterThan(0);
    const fellBack = await listed();
    expect(fellBack.sync).toMatchObject({
      lastSuccessAt: new Date(at).toISOString(),
      lastErrorClass: null,
      failureCount: 0,
    });
    expect(fellBack.statusNote).toMatch(
      /^pull requests were read over REST: GitHub answered HTTP 404 .*Set the connection's api to "rest" to skip GraphQL\.$/s,
    );

    // GraphQL answers again: the next (incremental) sync uses it and has nothing to note.
    sb.setFaults({ github: {} });
    sb.clearRequests();
    const later = at + 3_600_000;
    const second = (
      await runner.run(
        `fallback-${randomUUID()}`,
        { engagementId: id, trigger: 'schedule' },
        async () => undefined,
        () => later,
      )
    ).run;
    expect(second.status).toBe('succeeded');
    expect(graphqlAnswers(200).length).toBeGreaterThan(0);
    expect(graphqlAnswers(404)).toEqual([]);
    const cleared = await listed();
    expect(cleared.sync.lastSuccessAt).toBe(new Date(later).toISOString());
    expect(cleared.statusNote).toBeNull();
  });
});
