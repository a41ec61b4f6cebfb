// The whole GitHub and Jira slice end to end: the sandbox's "slipping" and "steady"
// engagements, created by the API's demo seeding, synced by a real in-process worker
// (BullMQ on real Redis, PostgreSQL), through the real Octokit and jira-client (steady on
// Jira Cloud, slipping on Jira Data Center), then rolled up into KPIs.
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ConnectionEntity,
  DeploymentEntity,
  KpiValueEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SprintEntity,
  SyncRunEntity,
  WorkItemEntity,
} from '@pulse/db';
import { startSandbox } from '../apps/sandbox/src';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../apps/worker/src/worker-config';
import { SyncRunnerService } from '../apps/worker/src/sync/sync-runner.service';
import type { EngagementHealthDto, EngagementKpisDto, KpiDrillDownDto } from '@pulse/contracts';
import { RollupService } from '../apps/worker/src/rollup/rollup.service';
import { ADMIN, startApi, type ApiHarness } from './api-harness';
import { SANDBOX_DEFAULT_SEED, SCENARIO_NAMES } from '../apps/sandbox/src';
import { WorldStore } from '../apps/sandbox/src/core/world.store';

/**
 * Every free text the sandbox serves — PR titles and commit messages (GitHub), summaries
 * and comment bodies (Jira), message and reply texts (Slack) — rebuilt from the same seed
 * and clock, so a test can look for each in what Pulse stored.
 */
function sandboxTexts(now: string): string[] {
  const world = new WorldStore(SANDBOX_DEFAULT_SEED, now, 1, SCENARIO_NAMES);
  const texts = new Set<string>();
  const all = <T>(list: { blockCount: number; block(b: number): T[] }): T[] =>
    Array.from({ length: list.blockCount }, (_, b) => list.block(b)).flat();
  for (const scenario of world.scenarios) {
    for (const repo of scenario.repos)
      for (const item of all(repo.items)) {
        texts.add(item.title);
        for (const commit of item.commits) texts.add(commit.message);
      }
    for (const issue of all(scenario.jira.issues)) {
      texts.add(issue.summary);
      for (const comment of issue.comments) texts.add(comment.body);
    }
    for (const channel of scenario.channels)
      for (const message of all(channel.messages)) {
        texts.add(message.text);
        for (const reply of message.replies) texts.add(reply.text);
      }
  }
  // Whole sentences only: a single word could be a label or a status name.
  return [...texts].filter((t) => t.includes(' ') && t.length >= 12);
}

const NOW = '2026-11-20T12:00:00.000Z';

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 420_000, // two demo syncs take minutes on a loaded 2-core machine
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('GitHub sync pipeline against the sandbox', () => {
  jest.setTimeout(900_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let db: DataSource;
  let ids: Record<'steady' | 'slipping', string>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: NOW });
    // the sandbox is on loopback: allowed explicitly, as `npm start` does
    api = await startApi('postgres', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
    });
    db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = (await agent.get('/api/engagements').expect(200)).body as { id: string; name: string }[];
    ids = {
      steady: list.find((e) => e.name === 'Demo: steady')!.id,
      slipping: list.find((e) => e.name === 'Demo: slipping')!.id,
    };
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          DATABASE_URL: api.database.databaseUrl,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          WORKER_ID: 'pipeline-worker',
          PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    // The demo seeding queued one sync per engagement; wait for both, then their rollups.
    for (const id of Object.values(ids)) {
      // GitHub and Jira for two engagements on a shared, loaded machine: be patient.
      await until(
        'the demo sync',
        async () => {
          const run = await db.getRepository(SyncRunEntity).findOneBy({ engagementId: id, trigger: 'demo' });
          return run && run.status !== 'queued' && run.status !== 'running' ? run : null;
        },
        480_000,
      );
      await until('the rollup', () =>
        db.getRepository(KpiValueEntity).countBy({ engagementId: id, period: 'trailing' }),
      );
    }
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('stores exactly the scenario’s pull requests, reviews, deployments and releases', async () => {
    const counts = sandbox.manifest({ counts: true }).scenarios.slipping.counts!.github;
    const engagementId = ids.slipping;
    const run = await db.getRepository(SyncRunEntity).findOneByOrFail({ engagementId, trigger: 'demo' });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    expect(run.counts.github).toMatchObject({ pullRequests: counts.pullRequests, skipped: 0 });
    expect(await db.getRepository(PullRequestEntity).countBy({ engagementId })).toBe(counts.pullRequests);
    expect(await db.getRepository(ReviewEntity).countBy({ engagementId })).toBe(
      counts.reviews + counts.reviewComments,
    );
    expect(await db.getRepository(DeploymentEntity).countBy({ engagementId })).toBe(counts.deployments);
    expect(await db.getRepository(ReleaseEntity).countBy({ engagementId })).toBe(counts.releases);
    const github = await db.getRepository(ConnectionEntity).findOneByOrFail({ engagementId, kind: 'github' });
    expect(github).toMatchObject({ lastErrorClass: null, failureCount: 0 });
    expect(github.lastSuccessAt).not.toBeNull();
    expect(run.apiCalls).toBeGreaterThan(0);
  });

  it('stores no title, body or message text of any source (docs/privacy.md)', async () => {
    const texts = sandboxTexts(NOW);
    expect(texts.length).toBeGreaterThan(100);
    const tables = [...new Set([...db.entityMetadatas.map((m) => m.tableName), 'migrations'])];
    const stored: string[] = [];
    for (const table of tables) stored.push(JSON.stringify(await db.query(`SELECT * FROM "${table}"`)));
    const dump = stored.join('\n');
    expect(dump).toContain(ids.slipping); // the scan sees what was synced
    const found = texts.filter((t) => dump.includes(JSON.stringify(t).slice(1, -1)));
    expect(found).toEqual([]);
    // No table has a column for free text: Slack messages are metadata by type. The audit
    // trail's `summary` is Pulse's own record of a setting change (field → from/to, secrets
    // scrubbed), never upstream text; the scan above covers its content too.
    const OWN_SUMMARIES = new Set(['audit_events.summary']);
    for (const meta of db.entityMetadatas)
      for (const column of meta.columns) {
        const name = `${meta.tableName}.${column.databaseName}`;
        if (!OWN_SUMMARIES.has(name))
          expect(name).not.toMatch(/\.(text|body|title|summary|message|description)$/);
      }
  });

  it('re-syncs an unchanged engagement with conditional requests (GitHub) and a small overlap (Jira)', async () => {
    const { run } = await worker
      .get(SyncRunnerService)
      .run('pipeline-resync', { engagementId: ids.slipping, trigger: 'manual' }, async () => undefined);
    expect(run.apiCalls).toBeGreaterThan(0);
    expect(run.apiCallsNotModified).toBeGreaterThan(0);
    expect(run.counts.github).toMatchObject({ pullRequests: 0, reviews: 0 });
    // Jira has no conditional requests: its unconditional calls are the site reads, one
    // search page for the overlap window and the active sprint — not a re-read.
    expect(run.apiCalls - run.apiCallsNotModified).toBeLessThan(20);
    expect(run.counts.jira!.workItems).toBeLessThan(10);
  });

  it('feeds the Jira KPIs through the collector, on Jira Cloud and Data Center', async () => {
    const manifest = sandbox.manifest({ counts: true });
    for (const name of ['steady', 'slipping'] as const) {
      const engagementId = ids[name];
      const counts = manifest.scenarios[name].counts!.jira;
      const jira = await db.getRepository(ConnectionEntity).findOneByOrFail({ engagementId, kind: 'jira' });
      expect({ name, error: jira.lastErrorMessage }).toEqual({ name, error: null });
      expect(jira.lastSuccessAt).not.toBeNull();
      expect(await db.getRepository(WorkItemEntity).countBy({ engagementId, source: 'jira' })).toBe(
        counts.issues,
      );
      expect(await db.getRepository(SprintEntity).countBy({ engagementId })).toBe(counts.startedSprints);
      for (const kpiKey of [
        'delivery.issue_cycle_time',
        'delivery.throughput',
        'delivery.story_points',
        'quality.bugs_opened',
        'quality.bug_resolution_time',
        'scope.sprint_completion',
      ]) {
        const values = await db
          .getRepository(KpiValueEntity)
          .findBy({ engagementId, period: 'week', kpiKey });
        expect({ name, kpiKey, some: values.some((v) => v.value !== null) }).toEqual({
          name,
          kpiKey,
          some: true,
        });
      }
    }
  });

  it('shows the planted degradation: slipping is worse than steady', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const slipping = (await agent.get(`/api/engagements/${ids.slipping}/health`).expect(200)).body;
    const steady = (await agent.get(`/api/engagements/${ids.steady}/health`).expect(200)).body;
    expect(slipping.status).toBe('red');
    expect(steady.status).toBe('green');
    expect(slipping.score).toBeLessThan(steady.score);
    const series = (
      await agent.get(`/api/engagements/${ids.slipping}/kpis?from=2026-05-25&to=2026-11-20`).expect(200)
    ).body;
    const coverage = series.kpis.find((k: { key: string }) => k.key === 'coverage.line').series as {
      value: number | null;
    }[];
    const values = coverage.map((p) => p.value).filter((v): v is number => v !== null);
    // ~82 % before the slide, ~64 % at the end.
    expect(values[0]).toBeGreaterThan(78);
    expect(values[values.length - 1]).toBeLessThan(70);
  });

  it('drills down to exactly n items for every drill-down-able KPI of both demos, trailing and by week', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    let compared = 0;
    let withItems = 0;
    for (const [name, id] of Object.entries(ids)) {
      const kpis = (await agent.get(`/api/engagements/${id}/kpis`).expect(200)).body as EngagementKpisDto;
      for (const kpi of kpis.kpis.filter((k) => k.drillDown)) {
        const lastComplete = [...kpi.series].reverse().find((p) => !p.partial)!;
        for (const [query, shown] of [
          ['', kpi.current],
          [`?week=${lastComplete.weekStart}`, lastComplete],
        ] as const) {
          const list = (
            await agent.get(`/api/engagements/${id}/kpis/${kpi.key}/drill-down${query}`).expect(200)
          ).body as KpiDrillDownDto;
          // The card's n, the list's n and the number of rows are one number.
          expect({ name, key: kpi.key, query, n: list.n, rows: list.rows.length }).toEqual({
            name,
            key: kpi.key,
            query,
            n: shown.n,
            rows: shown.n,
          });
          expect(list.window.label).toBe(shown.window.label);
          compared++;
          if (list.rows.length > 0) withItems++;
          if (list.kind === 'pull_requests') {
            for (const row of list.rows) expect(row.url).toMatch(/^https?:\/\//);
            expect(list.rows.some((r) => String(r.cells.author).endsWith('[bot]'))).toBe(false);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(withItems).toBeGreaterThan(40);
    await agent.get(`/api/engagements/${ids.slipping}/kpis/quality.gossip/drill-down`).expect(400);
  }, 900_000); // ~130 requests that each load the engagement's records: generous on a loaded machine

  it('lists Jira bugs beside GitHub ones in the bug drill-down', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const bugs = (
      await agent.get(`/api/engagements/${ids.slipping}/kpis/quality.bugs_opened/drill-down`).expect(200)
    ).body as KpiDrillDownDto;
    expect(bugs.rows).toHaveLength(bugs.n);
    // GitHub issues (repo#n) and Jira issues (SLIP-n), both collected now
    expect(bugs.rows.every((b) => /#\d+$/.test(b.id) || /^SLIP-\d+$/.test(b.id))).toBe(true);
    expect(bugs.rows.some((b) => /^SLIP-\d+$/.test(b.id))).toBe(true);
  });

  it('sees the slipping demo’s key contributor leave, with the person in the drill-down', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const kpis = (await agent.get(`/api/engagements/${ids.slipping}/kpis`).expect(200))
      .body as EngagementKpisDto;
    const departures = kpis.kpis.find((k) => k.key === 'continuity.contributor_departures')!;
    expect(departures.current.value).toBeGreaterThanOrEqual(1);
    expect(['warn', 'breach']).toContain(departures.current.status);
    const list = (
      await agent
        .get(`/api/engagements/${ids.slipping}/kpis/continuity.contributor_departures/drill-down`)
        .expect(200)
    ).body as KpiDrillDownDto;
    expect(list.rows.filter((r) => r.cells.departed).map((r) => r.title)).toContain('Angelo Cruz');
    const steady = (await agent.get(`/api/engagements/${ids.steady}/kpis`).expect(200))
      .body as EngagementKpisDto;
    expect(steady.kpis.find((k) => k.key === 'continuity.contributor_departures')!.current.value).toBe(0);
  });

  it('says "No data yet" with the reason, never a score, for a new engagement whose GitHub is unreachable', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const created = await agent
      .post('/api/engagements')
      .send({
        name: 'Unreachable',
        vendorName: 'Nowhere Ltd',
        clientCalendar: { timeZone: 'Europe/Berlin' },
        vendorCalendar: { timeZone: 'Asia/Manila' },
      })
      .expect(201);
    const id = created.body.id as string;
    await agent
      .put(`/api/engagements/${id}/connections/github`)
      .send({
        settings: { baseUrl: 'http://pulse-unreachable.invalid/api/v3', repos: ['acme/api'] },
        secret: 'ghp_x',
      })
      .expect(200);
    await worker
      .get(SyncRunnerService)
      .run('pipeline-unreachable', { engagementId: id, trigger: 'manual' }, async () => undefined);
    await worker.get(RollupService).run(id, []);
    const health = (await agent.get(`/api/engagements/${id}/health`).expect(200)).body as EngagementHealthDto;
    expect(health.status).toBe('unknown');
    expect(health.score).toBeNull();
    expect(health.summary).toBe('No data yet');
    expect(health.lines[0]).toMatch(/^GitHub sync failed (just now|\d+ min ago): .+/);
    expect(health.sources.find((s) => s.source === 'github')).toMatchObject({
      neverSynced: true,
      connected: true,
    });
    // Counts are gaps too: nobody looked, so there is no "0 open bugs" or "0 PRs merged".
    const kpis = (await agent.get(`/api/engagements/${id}/kpis`).expect(200)).body as EngagementKpisDto;
    for (const key of ['quality.open_bugs', 'delivery.prs_merged', 'quality.merged_without_review']) {
      expect(kpis.kpis.find((k) => k.key === key)!.current).toMatchObject({
        value: null,
        n: 0,
        status: 'no_data',
      });
    }
  });

  it('lists GitHub logins missing from the roster and suggests the person by commit email', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const people = (await agent.get(`/api/engagements/${ids.steady}/people`).expect(200)).body as {
      id: string;
      displayName: string;
      side: string;
      email: string | null;
      identities: { github: string[]; jira: string[]; slack: string[] };
      isBot: boolean;
    }[];
    expect((await agent.get(`/api/engagements/${ids.steady}/people/unassigned`).expect(200)).body).toEqual(
      [],
    );
    // Unlink one person's GitHub login (they stay on the roster with their email): the
    // login shows up as unassigned, with activity, and the person is suggested.
    const person = people.find((p) => !p.isBot && p.identities.github.length && p.email)!;
    const login = person.identities.github[0]!;
    await agent
      .put(`/api/engagements/${ids.steady}/people`)
      .send({
        people: people.map((p) => (p === person ? { ...p, identities: { ...p.identities, github: [] } } : p)),
      })
      .expect(200);
    const unassigned = (await agent.get(`/api/engagements/${ids.steady}/people/unassigned`).expect(200)).body;
    expect(unassigned).toEqual([
      expect.objectContaining({
        source: 'github',
        externalId: login,
        suggestedPerson: { id: person.id, displayName: person.displayName, side: person.side },
      }),
    ]);
    expect(unassigned[0].pullRequests + unassigned[0].reviews).toBeGreaterThan(0);
  });

  it('tests a connection, and ends a revoked token in the auth state with a message', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const ok = (await agent.post(`/api/engagements/${ids.steady}/connections/github/test`).expect(200)).body;
    expect(ok).toMatchObject({ ok: true });
    expect(ok.message).toMatch(/Signed in as/);

    sandbox.setFaults({ github: { tokenRevoked: true } });
    try {
      const refused = (await agent.post(`/api/engagements/${ids.steady}/connections/github/test`).expect(200))
        .body;
      expect(refused.ok).toBe(false);
      const { run } = await worker
        .get(SyncRunnerService)
        .run('pipeline-revoked', { engagementId: ids.steady, trigger: 'manual' }, async () => undefined);
      // GitHub failed, Jira still synced
      expect(run.status).toBe('partial');
      expect(run.error).toMatch(/^github: auth: /);
      const github = (await agent.get(`/api/engagements/${ids.steady}/connections/github`).expect(200)).body;
      expect(github.sync.lastErrorClass).toBe('auth');
      expect(github.sync.lastErrorMessage).toEqual(expect.any(String));
      expect(github.sync.lastErrorMessage).not.toContain('ghp_');
      // Nothing stored was lost.
      expect(await db.getRepository(PullRequestEntity).countBy({ engagementId: ids.steady })).toBe(
        sandbox.manifest({ counts: true }).scenarios.steady.counts!.github.pullRequests,
      );
    } finally {
      sandbox.setFaults({ github: {} });
    }
    // The error policy: an auth failure pauses the connection — the next run does not call
    // GitHub at all — until its token is saved again.
    const paused = (
      await worker
        .get(SyncRunnerService)
        .run('pipeline-paused', { engagementId: ids.steady, trigger: 'manual' }, async () => undefined)
    ).run;
    expect(paused.error).toMatch(
      /github: paused by its auth error until its settings or token are changed, skipped/,
    );
    expect(paused.counts.github).toBeUndefined();
    const current = (await agent.get(`/api/engagements/${ids.steady}/connections/github`).expect(200)).body;
    await agent
      .put(`/api/engagements/${ids.steady}/connections/github`)
      .send({
        settings: current.settings,
        secret: `${sandbox.manifest({ counts: false }).credentials.github.token}_steady_again`,
      })
      .expect(200);
    const resumed = (
      await worker
        .get(SyncRunnerService)
        .run('pipeline-resumed', { engagementId: ids.steady, trigger: 'manual' }, async () => undefined)
    ).run;
    expect(resumed.status).toBe('succeeded');
    expect(resumed.counts.github).toBeDefined();
  });
});
