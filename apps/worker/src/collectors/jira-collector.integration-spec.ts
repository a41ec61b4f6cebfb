// The Jira collector through the real jira-client against the sandbox's Cloud and Data
// Center flavours, writing through the real record writer into SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import {
  connectorFor,
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  type ConnectorSyncResult,
  type HostResolver,
  type JiraSettings,
  type OutboundPolicy,
} from '@pulse/connectors';
import { EngagementEntity, SprintEntity, WorkItemEntity } from '@pulse/db';
import { startSandbox } from '../../../sandbox/src';
import type { RunningSandbox, ScenarioManifest } from '../../../sandbox/src/sandbox.types';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { retainWorkItems, writeRecordBatch } from './record-writer';

const NOW = '2026-11-20T12:00:00.000Z';
const FLAVOURS = ['cloud', 'datacenter'] as const;
const RULES = { bugTypes: ['Bug'], storyPointsField: null };
const jira = connectorFor('jira')!;

function settingsFor(
  sb: RunningSandbox,
  m: ScenarioManifest,
  over: Partial<JiraSettings> = {},
): JiraSettings {
  const cloud = m.jira.flavour === 'cloud';
  return {
    baseUrl: m.jira.siteUrl,
    deployment: 'auto',
    ...(cloud ? { email: sb.manifest({ counts: false }).credentials.jira.email } : {}),
    projectKeys: [m.jira.projectKey],
    boardIds: [m.jira.boardId],
    ...over,
  };
}

/** The policy the worker runs with, allowing these hosts (the sandbox is on loopback). */
function allowing(hosts: string[], resolve?: HostResolver): OutboundPolicy {
  return createOutboundPolicy({
    allowedHosts: parseAllowedUpstreamHosts(hosts.join(',')),
    ...(resolve ? { resolve } : {}),
  });
}

function secretFor(sb: RunningSandbox, m: ScenarioManifest): string {
  const c = sb.manifest({ counts: false }).credentials.jira;
  return m.jira.flavour === 'cloud' ? c.apiToken : c.personalAccessToken;
}

async function insertEngagement(db: TestDatabase): Promise<string> {
  const id = randomUUID();
  const calendar = { timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };
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
  return id;
}

/** Status-category changes in a complete changelog, as the collector must derive them. */
function expectedTransitions(
  histories: { items: { field: string; from: string | null; to: string | null }[] }[],
  cat: Map<string, string>,
): number {
  let n = 0;
  for (const h of histories)
    for (const i of h.items)
      if (i.field === 'status' && i.to && cat.get(i.to) !== (i.from ? cat.get(i.from) : undefined)) n++;
  return n;
}

describe.each(DATABASE_KINDS)('the Jira collector on %s', (kind) => {
  describe.each(FLAVOURS)('against Jira %s', (flavour) => {
    jest.setTimeout(240_000);
    let sb: RunningSandbox;
    let db: TestDatabase;
    let engagementId: string;
    let cursor: unknown = null;
    const sync = (m: ScenarioManifest): Promise<ConnectorSyncResult> =>
      jira.sync({
        settings: settingsFor(sb, m),
        secret: secretFor(sb, m),
        outbound: allowing([new URL(sb.url).host]),
        cursor,
        now: () => Date.parse(sb.manifest({ counts: false }).now),
        rules: RULES,
        sink: {
          savePage: (page) =>
            db.dataSource.transaction((tx) => writeRecordBatch(tx, engagementId, page)).then(() => undefined),
          saveCursor: async (c) => {
            cursor = c;
          },
          retainWorkItems: (source, keys) =>
            db.dataSource.transaction((tx) => retainWorkItems(tx, engagementId, source, keys)),
        },
      });

    beforeAll(async () => {
      sb = await startSandbox({ port: 0, now: NOW, jiraFlavours: { slipping: flavour } });
      db = await openTestDatabase(kind);
      engagementId = await insertEngagement(db);
    });
    afterAll(async () => {
      await db?.close();
      await sb?.close();
    });

    it('stores exactly the sandbox’s issues and sprints, completing truncated changelogs', async () => {
      const m = sb.manifest({ counts: true }).scenarios.slipping;
      expect(m.jira.flavour).toBe(flavour);
      const result = await sync(m);
      expect(result.error).toBeUndefined();
      const counts = m.counts!.jira;
      const items = db.dataSource.getRepository(WorkItemEntity);
      const rows = await items.findBy({ engagementId });
      expect(rows).toHaveLength(counts.issues);
      expect(rows.filter((r) => r.type === 'Bug')).toHaveLength(counts.bugs);
      expect(rows.filter((r) => r.isSubtask)).toHaveLength(counts.subTasks);
      expect(rows.filter((r) => r.resolvedAt !== null)).toHaveLength(counts.resolved);
      expect(rows.reduce((n, r) => n + r.comments.length, 0)).toBe(counts.comments);
      expect(rows.some((r) => r.storyPoints !== null)).toBe(true);
      // Reopened = resolution cleared after being set, kept through both databases.
      expect(rows.filter((r) => (r.reopenedAt ?? []).length > 0)).toHaveLength(counts.reopenedBugs);
      expect(await db.dataSource.getRepository(SprintEntity).countBy({ engagementId })).toBe(
        counts.startedSprints,
      );

      const requests = sb.requests().filter((r) => r.source === 'jira');
      // The removed search is never called; each flavour uses its own search.
      expect(requests.filter((r) => r.status === 410)).toEqual([]);
      if (flavour === 'cloud') {
        expect(requests.some((r) => r.method === 'POST' && r.path === '/jira/rest/api/3/search/jql')).toBe(
          true,
        );
        expect(requests.some((r) => /\/rest\/api\/[23]\/search$/.test(r.path))).toBe(false);
      } else {
        expect(requests.some((r) => r.method === 'POST' && r.path === '/jira-dc/rest/api/2/search')).toBe(
          true,
        );
      }

      // A truncated changelog was completed: its stored transitions match the full history.
      expect(result.counts['changelogsCompleted']).toBeGreaterThan(0);
      const completion =
        flavour === 'cloud'
          ? requests.find((r) => /\/rest\/api\/3\/issue\/[^/]+\/changelog$/.test(r.path))
          : requests.find((r) => /\/rest\/api\/2\/issue\/[^/]+$/.test(r.path));
      const key = /issue\/([^/]+)/.exec(completion!.path)![1]!;
      const headers = {
        authorization:
          flavour === 'cloud'
            ? `Basic ${Buffer.from(`${sb.manifest({ counts: false }).credentials.jira.email}:${secretFor(sb, m)}`).toString('base64')}`
            : `Bearer ${secretFor(sb, m)}`,
      };
      const full = (await (
        await fetch(`${m.jira.siteUrl}/rest/api/2/issue/${key}?expand=changelog`, { headers })
      ).json()) as {
        changelog: {
          total: number;
          histories: { items: { field: string; from: string | null; to: string | null }[] }[];
        };
      };
      expect(full.changelog.histories.length).toBe(full.changelog.total);
      const statuses = (await (await fetch(`${m.jira.siteUrl}/rest/api/2/status`, { headers })).json()) as {
        id: string;
        statusCategory: { key: string };
      }[];
      const cat = new Map(statuses.map((s) => [s.id, s.statusCategory.key]));
      const stored = rows.find((r) => r.key === key)!;
      expect(stored.transitions.length).toBe(expectedTransitions(full.changelog.histories, cat));
    });

    it('re-reads only the overlap after a change, in the user’s time zone, without duplicates', async () => {
      expect(cursor).not.toBeNull();
      // A first incremental sync brings the high-water close to the latest change, so a
      // date written in the wrong zone (UTC instead of the user's UTC-7) would skip some
      // of the next changes.
      sb.advance(12);
      expect((await sync(sb.manifest({ counts: false }).scenarios.slipping)).error).toBeUndefined();
      const advanced = sb.advance(12);
      sb.clearRequests();
      const m = sb.manifest({ counts: true }).scenarios.slipping;
      const changed = advanced.changed.slipping.jira;
      const result = await sync(m);
      expect(result.error).toBeUndefined();
      const rows = await db.dataSource.getRepository(WorkItemEntity).findBy({ engagementId });
      expect(rows).toHaveLength(m.counts!.jira.issues);
      expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
      // Every issue changed since the last sync was read again (none missed by a zone
      // mistake), and far fewer than all of them.
      const changedKeys = [...changed.updatedIssues, ...changed.createdIssues];
      expect(changedKeys.length).toBeGreaterThan(0);
      expect(result.counts['workItems']).toBeGreaterThanOrEqual(changedKeys.length);
      expect(result.counts['workItems']).toBeLessThan(m.counts!.jira.issues);
      const since = Date.parse(advanced.previousNow);
      for (const key of changedKeys) {
        expect(rows.find((r) => r.key === key)?.updatedAt).toBeGreaterThanOrEqual(since - 60_000);
      }
    });

    it('drops issues deleted or moved upstream at the daily reconcile, and nothing else', async () => {
      const items = db.dataSource.getRepository(WorkItemEntity);
      const template = (await items.findOneByOrFail({ engagementId, key: 'SLIP-1' })) as WorkItemEntity;
      await items.insert({ ...template, id: randomUUID(), key: 'SLIP-999999' });
      await items.insert({ ...template, id: randomUUID(), key: 'acme/api#1', source: 'github' });
      cursor = { ...(cursor as object), reconciledAt: 0 };
      const m = sb.manifest({ counts: true }).scenarios.slipping;
      const result = await sync(m);
      expect(result.error).toBeUndefined();
      expect(result.counts['removed']).toBe(1);
      expect(await items.countBy({ engagementId, key: 'SLIP-999999' })).toBe(0);
      expect(await items.countBy({ engagementId, source: 'jira' })).toBe(m.counts!.jira.issues);
      expect(await items.countBy({ engagementId, source: 'github' })).toBe(1);
      // Not again within the day.
      expect((await sync(m)).counts['removed']).toBeUndefined();
    });
  });
});

describe.each(FLAVOURS)('Jira collector errors against %s', (flavour) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, jiraFlavours: { steady: flavour } });
  });
  afterAll(() => sb?.close());
  afterEach(() => {
    sb.setFaults({ jira: {} });
    sb.clearRequests();
  });

  const run = (
    settings: Partial<JiraSettings> = {},
    secret?: string,
    extra: Record<string, unknown> = {},
  ) => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    return jira.sync({
      settings: settingsFor(sb, m, settings),
      secret: secret ?? secretFor(sb, m),
      outbound: allowing([new URL(sb.url).host]),
      cursor: null,
      now: () => Date.parse(NOW),
      rules: RULES,
      sink: { savePage: async () => undefined, saveCursor: async () => undefined },
      ...extra,
    } as Parameters<typeof jira.sync>[0]);
  };

  it('auth: a rejected token', async () => {
    sb.setFaults({ jira: { tokenRevoked: true } });
    expect((await run()).error).toEqual({
      class: 'auth',
      message: expect.stringMatching(/^Jira rejected the credentials \(401\)/),
    });
  });

  it('rate_limited: a long Retry-After is not waited out but reported', async () => {
    sb.setFaults({ jira: { rateLimitRate: 1, retryAfterSeconds: 600 } });
    const error = (await run({}, undefined, { maxRateLimitWaitMs: 1000 })).error!;
    expect(error).toMatchObject({ class: 'rate_limited', retryAfter: Date.parse(NOW) + 600_000 });
    expect(error.message).toMatch(/^Jira rate limit reached; syncing resumes after 2026-11-20T12:10:00Z/);
  });

  it('a short Retry-After is waited out and the sync succeeds', async () => {
    sb.setFaults({ jira: { rateLimitRate: 0.2, retryAfterSeconds: 1 } });
    const result = await run({ boardIds: [] });
    expect(result.error).toBeUndefined();
    expect(sb.requests().some((r) => r.status === 429)).toBe(true);
  });

  it('temporary: a site that keeps failing with 503', async () => {
    sb.setFaults({ jira: { error5xxRate: 1 } });
    expect((await run({}, undefined, { retryBaseMs: 1 })).error).toEqual({
      class: 'temporary',
      message: 'Jira had a temporary problem (503); the sync will be retried.',
    });
  });

  it('not_found: a board that does not exist', async () => {
    const error = (await run({ boardIds: [987654] })).error!;
    expect(error.class).toBe('not_found');
    expect(error.message).toContain('board 987654');
  });

  it('invalid_config: an unknown project key, and a wrong deployment type', async () => {
    const unknown = (await run({ projectKeys: ['NOPE'] })).error!;
    expect(unknown.class).toBe('invalid_config');
    expect(unknown.message).toContain("The value 'NOPE' does not exist");
    const wrong = (await run({ deployment: flavour === 'cloud' ? 'datacenter' : 'cloud' })).error!;
    expect(wrong.class).toBe('invalid_config');
    expect(wrong.message).toMatch(/^The site is Jira (Cloud|Data Center), but the connection says/);
  });

  it('unreachable: a refused connection and an unknown host, named', async () => {
    const refused = (
      await run({ baseUrl: 'http://127.0.0.1:1/jira' }, undefined, {
        retryBaseMs: 1,
        outbound: allowing(['127.0.0.1:1']),
      })
    ).error!;
    expect(refused.class).toBe('unreachable');
    expect(refused.message).toMatch(/^cannot reach 127\.0\.0\.1:1: connection refused/);
    const dns = (await run({ baseUrl: 'http://jira.example.invalid' }, undefined, { retryBaseMs: 1 })).error!;
    expect(dns).toMatchObject({
      class: 'unreachable',
      message: expect.stringMatching(/^cannot reach jira\.example\.invalid: host not found/),
    });
  });

  it('invalid_config: a site whose name resolves to a refused address gets no request', async () => {
    // The name points at the sandbox's loopback port, which this policy does not allow: no
    // request may leave, neither from a sync nor from a connection test.
    const port = new URL(sb.url).port;
    const toLoopback: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const outbound = allowing([], toLoopback);
    const m = sb.manifest({ counts: false }).scenarios.steady;
    const baseUrl = m.jira.siteUrl.replace(new URL(sb.url).host, `jira.pulse-test.example:${port}`);
    sb.clearRequests();
    const saved: unknown[] = [];
    const result = await jira.sync({
      settings: settingsFor(sb, m, { baseUrl }),
      secret: secretFor(sb, m),
      outbound,
      cursor: null,
      now: () => Date.parse(NOW),
      rules: RULES,
      sink: { savePage: async (p) => void saved.push(p), saveCursor: async (c) => void saved.push(c) },
    });
    expect(result.error).toEqual({
      class: 'invalid_config',
      message: expect.stringMatching(
        /^Pulse does not send requests to jira\.pulse-test\.example:\d+: it is .*loopback.*PULSE_ALLOWED_UPSTREAM_HOSTS=jira\.pulse-test\.example:\d+/,
      ),
    });
    expect(result.apiCalls).toBe(0);
    expect(saved).toEqual([]);
    const tested = await jira.test(settingsFor(sb, m, { baseUrl }), secretFor(sb, m), { outbound });
    expect(tested.ok).toBe(false);
    expect(tested.error?.class).toBe('invalid_config');
    expect(sb.requests()).toEqual([]);
  });

  it('invalid_config: the sandbox itself (loopback) is refused unless allowed, before any request', async () => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    sb.clearRequests();
    const result = await run({}, undefined, { outbound: allowing([]) });
    expect(result.error).toMatchObject({
      class: 'invalid_config',
      message: expect.stringMatching(/loopback.*PULSE_ALLOWED_UPSTREAM_HOSTS=127\.0\.0\.1:\d+/),
    });
    expect(result.apiCalls).toBe(0);
    const tested = await jira.test(settingsFor(sb, m), secretFor(sb, m), { outbound: allowing([]) });
    expect(tested.error?.class).toBe('invalid_config');
    expect(sb.requests()).toEqual([]);
  });

  it('invalid_config: a name that passes the check but connects to loopback (rebinding) is refused', async () => {
    // The first answer is public (the check passes); every later one is loopback, as a
    // rebinding DNS does: the agents check the address actually connected to.
    let answers = 0;
    const rebinding: HostResolver = async () =>
      answers++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const port = new URL(sb.url).port;
    const m = sb.manifest({ counts: false }).scenarios.steady;
    const baseUrl = m.jira.siteUrl.replace(new URL(sb.url).host, `jira.pulse-test.example:${port}`);
    sb.clearRequests();
    const result = await run({ baseUrl }, undefined, { outbound: allowing([], rebinding), retryBaseMs: 1 });
    expect(answers).toBeGreaterThan(1);
    expect(result.error).toMatchObject({
      class: 'invalid_config',
      message: expect.stringMatching(/loopback/),
    });
    expect(sb.requests()).toEqual([]);
  });

  it('malformed issues are skipped with a reason, the rest stored', async () => {
    sb.setFaults({ jira: { malformedRate: 0.2 } });
    const result = await run({ boardIds: [] });
    expect(result.error).toBeUndefined();
    expect(result.skippedReasons.length).toBeGreaterThan(0);
    expect(result.skippedReasons[0]).toMatch(/malformed|without key/);
    expect(result.counts['workItems']).toBeGreaterThan(0);
  });

  it('tests a connection, reporting each check by name', async () => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    const outbound = allowing([new URL(sb.url).host]);
    const ok = await jira.test(settingsFor(sb, m), secretFor(sb, m), { outbound });
    expect(ok.ok).toBe(true);
    expect(ok.checks.map((c) => c.name)).toEqual([
      'deployment',
      'auth',
      `project ${m.jira.projectKey}`,
      `board ${m.jira.boardId}`,
      'story points field',
    ]);
    expect(ok.message).toContain(flavour === 'cloud' ? 'Jira Cloud' : 'Jira Data Center');
    expect(ok.message).toContain('Story point estimate (customfield_10016)');
    const bad = await jira.test(
      settingsFor(sb, m, { projectKeys: ['NOPE'], boardIds: [987654] }),
      secretFor(sb, m),
      { outbound },
    );
    expect(bad.ok).toBe(false);
    expect(bad.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['project NOPE', 'board 987654']);
  });
});
