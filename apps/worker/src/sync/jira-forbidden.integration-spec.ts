// A Jira account that signs in but may not see the projects (403) through the whole worker
// path: the real jira-client against the sandbox, the sync runner, the connection row and
// the error policy, on SQLite and PostgreSQL. `forbidden` must pause the schedule — the
// next run does not call Jira — until the settings or token change.
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

describe.each(DATABASE_KINDS)('a forbidden Jira account on %s', (kind) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  let db: TestDatabase;
  let runner: SyncRunnerService;
  const secrets = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, jiraFlavours: { steady: 'cloud', slipping: 'datacenter' } });
    db = await openTestDatabase(kind);
    const host = new URL(sb.url).host;
    const config = loadWorkerConfig({
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://unused',
      WORKER_ID: 'forbidden-spec',
      PULSE_ALLOWED_UPSTREAM_HOSTS: host,
      LOG_LEVEL: 'silent',
      PULSE_SECRET_KEY: randomBytes(32).toString('hex'),
    });
    const outbound = createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(host) });
    runner = new SyncRunnerService(db.dataSource, secrets, config, [
      new ConnectorCollector(connectorFor('jira')!, outbound),
    ]);
  });
  afterAll(async () => {
    await db?.close();
    await sb?.close();
  });
  afterEach(() => sb.setFaults({ jira: {} }));

  /** An engagement with one Jira connection to the scenario's site, token stored encrypted. */
  async function jiraEngagement(
    scenario: 'steady' | 'slipping',
  ): Promise<{ id: string; connectionId: string }> {
    const m = sb.manifest({ counts: false });
    const site = m.scenarios[scenario].jira;
    const cloud = site.flavour === 'cloud';
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
      kind: 'jira',
      settings: {
        baseUrl: site.siteUrl,
        deployment: 'auto',
        ...(cloud ? { email: m.credentials.jira.email } : {}),
        projectKeys: [site.projectKey],
        boardIds: [site.boardId],
      },
      secretCiphertext: secrets.encrypt(
        cloud ? m.credentials.jira.apiToken : m.credentials.jira.personalAccessToken,
      ),
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

  it.each(['steady', 'slipping'] as const)(
    '%s: the run fails with forbidden and its message, and the next run is paused without calling Jira',
    async (scenario) => {
      const { id, connectionId } = await jiraEngagement(scenario);
      sb.setFaults({ jira: { forbidden: true } });
      sb.clearRequests();
      const at = Date.parse(NOW);
      const first = (
        await runner.run(
          `forbidden-${id}-1`,
          { engagementId: id, trigger: 'manual' },
          async () => undefined,
          () => at,
        )
      ).run;
      expect(first.status).toBe('failed');
      expect(first.error).toMatch(
        /^jira: forbidden: The Jira account may not see this \(403\): give it "Browse projects" on the projects and access to the boards\. Jira said: You currently don't have access to perform this operation\./,
      );
      const forbiddenAnswers = sb.requests().filter((r) => r.source === 'jira' && r.status === 403);
      expect(forbiddenAnswers.length).toBeGreaterThan(0);

      const connection = await db.dataSource
        .getRepository(ConnectionEntity)
        .findOneByOrFail({ id: connectionId });
      expect(connection).toMatchObject({
        lastErrorClass: 'forbidden',
        lastErrorAt: at,
        retryAfterAt: null,
        failureCount: 1,
        lastSuccessAt: null,
      });
      expect(connection.lastErrorMessage).toMatch(/^The Jira account may not see this \(403\)/);

      // Even with the fault gone, nothing is retried on its own: the schedule is paused.
      sb.setFaults({ jira: {} });
      sb.clearRequests();
      const later = at + 7 * 86_400_000;
      const second = (
        await runner.run(
          `forbidden-${id}-2`,
          { engagementId: id, trigger: 'schedule' },
          async () => undefined,
          () => later,
        )
      ).run;
      expect(second.status).toBe('skipped');
      expect(second.error).toBe(
        'jira: paused by its forbidden error until its settings or token are changed, skipped',
      );
      expect(sb.requests().filter((r) => r.source === 'jira')).toEqual([]);
    },
  );
});
