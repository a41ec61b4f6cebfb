// Issue 15: where GitHub's GraphQL is unavailable (an old Enterprise Server, a refused token)
// pull requests are read over REST, and the connection says so. Through the whole worker
// path: real Octokit against the sandbox, the sync runner, the connection row, on SQLite and
// PostgreSQL. The run still succeeds (a fallback is not a problem of the run), and the next
// sync with GraphQL back clears the note.
import { randomBytes, randomUUID } from 'node:crypto';
import { connectorFor, createOutboundPolicy, parseAllowedUpstreamHosts } from '@pulse/connectors';
import { ConnectionEntity, EngagementEntity, SecretBox } from '@pulse/db';
import { startSandbox } from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { ConnectorCollector } from '../collectors/connector.collector';
import { loadWorkerConfig } from '../worker-config';
import { SyncRunnerService } from './sync-runner.service';

const NOW = '2026-11-20T12:00:00.000Z';

describe.each(DATABASE_KINDS)('GitHub without GraphQL on %s', (kind) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  let db: TestDatabase;
  let runner: SyncRunnerService;
  const secrets = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW });
    db = await openTestDatabase(kind);
    const host = new URL(sb.url).host;
    const config = loadWorkerConfig({
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://unused',
      WORKER_ID: 'graphql-fallback-spec',
      PULSE_ALLOWED_UPSTREAM_HOSTS: host,
      LOG_LEVEL: 'silent',
      PULSE_SECRET_KEY: randomBytes(32).toString('hex'),
    });
    const outbound = createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(host) });
    runner = new SyncRunnerService(db.dataSource, secrets, config, [
      new ConnectorCollector(connectorFor('github')!, outbound),
    ]);
  });
  afterAll(async () => {
    await db?.close();
    await sb?.close();
  });
  afterEach(() => sb.setFaults({ github: {} }));

  /** An engagement with one GitHub connection to the first repo of `steady`, over GraphQL. */
  async function githubEngagement(): Promise<{ id: string; connectionId: string }> {
    const m = sb.manifest({ counts: false });
    const id = randomUUID();
    const calendar = {
      timeZone: 'UTC',
      weekdays: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      holidays: [],
    };
    await db.dataSource.getRepository(EngagementEntity).insert({
      id,
      name: `E ${id}`,
      vendorName: 'V',
      reportingTimeZone: 'UTC',
      clientCalendar: calendar,
      vendorCalendar: calendar,
      syncCron: '*/30 * * * *',
      settings: {} as EngagementEntity['settings'],
      ownerId: randomUUID(),
      createdAt: 0,
      updatedAt: 0,
    });
    const connectionId = randomUUID();
    await db.dataSource.getRepository(ConnectionEntity).insert({
      id: connectionId,
      engagementId: id,
      kind: 'github',
      settings: {
        baseUrl: sb.githubUrl,
        repos: [m.scenarios.steady.github.repos[0]!.fullName],
        coverageArtifactPattern: 'coverage*',
        api: 'graphql',
      },
      secretCiphertext: secrets.encrypt(m.credentials.github.token),
      cursor: null,
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastErrorClass: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      retryAfterAt: null,
      failureCount: 0,
      createdAt: 0,
      updatedAt: 0,
    });
    return { id, connectionId };
  }

  const graphqlAnswers = (status: number) =>
    sb.requests().filter((r) => r.source === 'github' && /\/graphql\/?$/.test(r.path) && r.status === status);

  it('reads pull requests over REST, succeeds, notes why on the connection; GraphQL back clears the note', async () => {
    const { id, connectionId } = await githubEngagement();
    const connections = db.dataSource.getRepository(ConnectionEntity);
    sb.setFaults({ github: { graphqlDisabled: true } });
    sb.clearRequests();
    const at = Date.parse(NOW);
    const first = (
      await runner.run(
        `fallback-${id}-1`,
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
    const fellBack = await connections.findOneByOrFail({ id: connectionId });
    expect(fellBack).toMatchObject({ lastSuccessAt: at, lastErrorClass: null, failureCount: 0 });
    expect(fellBack.statusNote).toMatch(
      /^pull requests were read over REST: GitHub answered HTTP 404 .*Set the connection's api to "rest" to skip GraphQL\.$/s,
    );

    // GraphQL answers again: the next (incremental) sync uses it and has nothing to note.
    sb.setFaults({ github: {} });
    sb.clearRequests();
    const later = at + 3_600_000;
    const second = (
      await runner.run(
        `fallback-${id}-2`,
        { engagementId: id, trigger: 'schedule' },
        async () => undefined,
        () => later,
      )
    ).run;
    expect(second.status).toBe('succeeded');
    expect(graphqlAnswers(200).length).toBeGreaterThan(0);
    expect(graphqlAnswers(404)).toEqual([]);
    const cleared = await connections.findOneByOrFail({ id: connectionId });
    expect(cleared).toMatchObject({ lastSuccessAt: later, statusNote: null });
  });
});
