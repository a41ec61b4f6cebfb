import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  ConnectionEntity,
  CoverageSampleEntity,
  EngagementEntity,
  KpiValueEntity,
  PullRequestEntity,
  ReviewEntity,
  ThresholdEntity,
} from '@pulse/db';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { RollupService } from './rollup.service';

// Reporting zone America/Chicago. "Now" is Wed 2026-11-18 12:00 local; the current week
// starts Mon 2026-11-16, the previous one Mon 2026-11-09.
const zone = 'America/Chicago';
const local = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
const NOW = local('2026-11-18T12:00');
const HOUR = 3600_000;

describe.each(DATABASE_KINDS)('rollup into kpi_values and the KPI endpoints on %s', (kind) => {
  let db: TestDatabase;
  let api: ApiHarness;
  let engagementId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    // The API (which owns the users table's first admin) shares this database.
    api = await startApi(kind, {}, db.config);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const created = await agent
      .post('/api/engagements')
      .send({
        name: 'Rollup',
        vendorName: 'V',
        clientCalendar: { timeZone: zone },
        vendorCalendar: { timeZone: 'Asia/Manila' },
      })
      .expect(201);
    engagementId = created.body.id;

    const pr = (
      number: number,
      createdAt: number,
      mergedAt: number | null,
      author = 'vendor-dev',
    ): PullRequestEntity => ({
      id: randomUUID(),
      engagementId,
      repo: 'acme/api',
      number,
      authorLogin: author,
      authorIsBot: author.endsWith('[bot]'),
      createdAt,
      updatedAt: mergedAt ?? createdAt,
      firstCommitAt: null,
      readyAt: null,
      mergedAt,
      closedAt: mergedAt,
      draft: false,
      additions: 10,
      deletions: 2,
      mergeCommitSha: null,
      url: `https://github.example/acme/api/pull/${number}`,
    });
    // Week of 2026-11-09: three human PRs merged after 10 h, 20 h and 60 h → median 20 h,
    // and one dependabot PR that must not count.
    await db.dataSource.getRepository(PullRequestEntity).save([
      pr(1, local('2026-11-09T09:00'), local('2026-11-09T19:00')),
      pr(2, local('2026-11-10T09:00'), local('2026-11-11T05:00')),
      pr(3, local('2026-11-10T09:00'), local('2026-11-12T21:00')),
      pr(4, local('2026-11-10T09:00'), local('2026-11-10T10:00'), 'dependabot[bot]'),
      // Week of 2026-11-16 (current): one PR merged after 200 h → breach of 168 h.
      pr(5, local('2026-11-09T12:00'), local('2026-11-09T12:00') + 200 * HOUR),
    ]);
    await db.dataSource.getRepository(ReviewEntity).save({
      id: randomUUID(),
      engagementId,
      kind: 'review',
      sourceId: '9001',
      repo: 'acme/api',
      pullNumber: 1,
      reviewerLogin: 'client-lead',
      reviewerIsBot: false,
      submittedAt: local('2026-11-09T12:00'),
      state: 'approved',
    });
    // Coverage at the end of week 2026-11-09: repo a 80/100, repo b 10/100 → Σ 90/200 = 45 %
    // (a mean of percentages would say 45 % too by accident, so make b bigger): b is 30/300
    // → Σ 110/400 = 27.5 %, not the 45 % mean of 80 % and 10 %.
    const sample = (repo: string, covered: number, valid: number): CoverageSampleEntity => ({
      id: randomUUID(),
      engagementId,
      repo,
      branch: 'main',
      isDefaultBranch: true,
      sha: `${repo}-sha`,
      committedAt: local('2026-11-10T10:00'),
      linesCovered: covered,
      linesValid: valid,
      branchesCovered: null,
      branchesValid: null,
      source: 'upload',
    });
    await db.dataSource
      .getRepository(CoverageSampleEntity)
      .save([sample('acme/a', 80, 100), sample('acme/b', 30, 300)]);
    // GitHub has synced (so its zeros are real zeros); Jira and Slack are not connected.
    await db.dataSource.getRepository(ConnectionEntity).save({
      id: randomUUID(),
      engagementId,
      kind: 'github',
      settings: {},
      cursor: null,
      lastSuccessAt: Date.now(),
      lastAttemptAt: Date.now(),
      lastErrorClass: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      retryAfterAt: null,
      failureCount: 0,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it('writes weekly and trailing values computed by the engine', async () => {
    const summary = await new RollupService(db.dataSource).run(engagementId, [], NOW);
    // Earliest record is in the week of 2026-11-09; through the current week: 2 weeks.
    expect(summary.weeks).toBe(2);
    const rows = await db.dataSource.getRepository(KpiValueEntity).findBy({ engagementId, period: 'week' });
    const at = (key: string, week: string) =>
      rows.find((r) => r.kpiKey === key && r.bucketStart === local(`${week}T00:00`));
    expect(at('delivery.prs_merged', '2026-11-09')).toMatchObject({ value: 3, n: 3 });
    expect(at('delivery.pr_cycle_time', '2026-11-09')).toMatchObject({ value: 20, n: 3 });
    expect(at('delivery.pr_cycle_time', '2026-11-16')).toMatchObject({ value: 200, n: 1 });
    // GitHub synced and found no unreviewed merge that week: a real 0.
    expect(at('quality.merged_without_review', '2026-11-09')).toMatchObject({ value: 2, n: 2 });
    // Jira is not connected: "0 issues resolved" would be a claim nobody checked.
    expect(at('delivery.throughput', '2026-11-09')).toMatchObject({ value: null, n: 0 });
    expect(at('coverage.line', '2026-11-09')?.value).toBeCloseTo(27.5, 10);
    // No Slack data at all: "0 unanswered" would be a claim nobody checked, so a gap.
    expect(at('responsiveness.unanswered_requests', '2026-11-09')).toMatchObject({ value: null, n: 0 });
    // No deployments at all: a gap, not zero days.
    expect(at('delivery.lead_time_for_changes', '2026-11-09')).toMatchObject({ value: null, n: 0 });
  });

  it('is idempotent: a second run replaces rows instead of adding to them', async () => {
    const service = new RollupService(db.dataSource);
    await service.run(engagementId, [], NOW);
    const before = await db.dataSource.getRepository(KpiValueEntity).countBy({ engagementId });
    await service.run(engagementId, ['2026-11-16'], NOW);
    expect(await db.dataSource.getRepository(KpiValueEntity).countBy({ engagementId })).toBe(before);
  });

  it('serves the weekly series with gaps, thresholds and n', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const res = await agent
      .get(`/api/engagements/${engagementId}/kpis?from=2026-11-02&to=2026-11-18`)
      .expect(200);
    const cycle = res.body.kpis.find((k: { key: string }) => k.key === 'delivery.pr_cycle_time');
    expect(cycle).toMatchObject({ unit: 'hours', direction: 'lower', threshold: { warn: 72, breach: 168 } });
    expect(
      cycle.series.map((p: { weekStart: string; value: number | null; n: number; status: string }) => [
        p.weekStart,
        p.value,
        p.n,
        p.status,
      ]),
    ).toEqual([
      ['2026-11-02', null, 0, 'no_data'],
      ['2026-11-09', 20, 3, 'ok'],
      // One PR is too few to rate: shown, not a breach.
      ['2026-11-16', 200, 1, 'low_sample'],
    ]);
    // Weeks before today are complete; week-over-week compares the last two of them.
    expect(cycle.series.every((p: { partial: boolean }) => !p.partial)).toBe(true);
    expect(cycle.weekOverWeek).toEqual({
      previousWeekStart: '2026-11-09',
      latestWeekStart: '2026-11-16',
      previous: 20,
      latest: 200,
      change: 180,
      trend: 'worse',
    });
    expect(cycle.series[1].explanation).toBe(
      'PR cycle time is 20 h in the week of 9 Nov 2026 (3 PRs), within the 72 h warn line.',
    );
    await agent.get(`/api/engagements/${engagementId}/kpis?from=yesterday`).expect(400);
  });

  it('re-rates statuses with the current thresholds and explains the health', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const health = await agent.get(`/api/engagements/${engagementId}/health`).expect(200);
    // Trailing 28 days: cycle times 10, 20, 60, 200 h → median 40 h (ok); coverage 27.5 % < 50 → breach.
    expect(health.body.status).toBe('red');
    expect(health.body.breaches.map((b: { key: string }) => b.key)).toContain('coverage.line');
    expect(
      health.body.entries.find((e: { key: string }) => e.key === 'delivery.pr_cycle_time'),
    ).toMatchObject({ value: 40, status: 'ok' });

    await agent
      .put(`/api/engagements/${engagementId}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 30, breach: 35 }] })
      .expect(200);
    const after = await agent.get(`/api/engagements/${engagementId}/health`).expect(200);
    expect(after.body.entries.find((e: { key: string }) => e.key === 'delivery.pr_cycle_time')).toMatchObject(
      { status: 'breach' },
    );
    const stored = await db.dataSource
      .getRepository(ThresholdEntity)
      .findOneByOrFail({ engagementId, kpiKey: 'delivery.pr_cycle_time' });
    expect(stored).toMatchObject({ warn: 30, breach: 35, minN: null });

    // The engagement lowers the minimum sample for cycle time to 1: the single 200 h PR of
    // the week of 16 Nov is now rated (a breach) instead of "low sample".
    await agent
      .put(`/api/engagements/${engagementId}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 30, breach: 35, minN: 1 }] })
      .expect(200);
    const series = await agent
      .get(`/api/engagements/${engagementId}/kpis?from=2026-11-16&to=2026-11-18`)
      .expect(200);
    const cycle = series.body.kpis.find((k: { key: string }) => k.key === 'delivery.pr_cycle_time');
    expect(cycle.series[0]).toMatchObject({ value: 200, n: 1, minN: 1, status: 'breach' });
    await agent
      .put(`/api/engagements/${engagementId}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 30, breach: 35, minN: -1 }] })
      .expect(400);
  });

  it('says since when a source is stale, on the status and on every value it feeds', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const connections = db.dataSource.getRepository(ConnectionEntity);
    const github = await connections.findOneByOrFail({ engagementId, kind: 'github' });
    // Default schedule every 30 min → allowance max(1 h, 24 h) = 24 h: a success 3 days ago
    // went stale 2 days ago.
    const lastSuccessAt = Date.now() - 3 * 86_400_000;
    await connections.update({ id: github.id }, { lastSuccessAt });
    try {
      const health = (await agent.get(`/api/engagements/${engagementId}/health`).expect(200)).body;
      const since = new Date(lastSuccessAt + 86_400_000).toISOString();
      expect(health.qualifiers).toMatchObject({ staleSince: since, staleSources: ['GitHub'] });
      expect(health.summary).toMatch(/ · stale since \d+ \w{3} \d{4}, \d\d:\d\d \(America\/Chicago\)$/);
      expect(health.lines).toContain(
        health.sources.find((s: { source: string }) => s.source === 'github').summary + '.',
      );
      const kpis = (await agent.get(`/api/engagements/${engagementId}/kpis`).expect(200)).body;
      const merged = kpis.kpis.find((k: { key: string }) => k.key === 'delivery.prs_merged');
      expect(merged.current.staleSince).toBe(since);
      // Coverage does not come from the GitHub schedule here (uploads): not stale.
      expect(kpis.kpis.find((k: { key: string }) => k.key === 'coverage.line').current.staleSince).toBeNull();
    } finally {
      await connections.update({ id: github.id }, { lastSuccessAt: Date.now() });
    }
  });

  it('drills down to exactly the items behind a week and the trailing value', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const week = await agent
      .get(`/api/engagements/${engagementId}/kpis/delivery.pr_cycle_time/drill-down?week=2026-11-09`)
      .expect(200);
    expect(week.body).toMatchObject({ kind: 'pull_requests', n: 3, value: 20 });
    expect(week.body.rows.map((r: { title: string }) => r.title).sort()).toEqual([
      'acme/api#1',
      'acme/api#2',
      'acme/api#3',
    ]);
    const unreviewed = await agent
      .get(`/api/engagements/${engagementId}/kpis/quality.merged_without_review/drill-down?week=2026-11-09`)
      .expect(200);
    expect(
      unreviewed.body.rows
        .map((r: { title: string; cells: { reviewed: boolean } }) => [r.title, r.cells.reviewed])
        .sort(),
    ).toEqual([
      ['acme/api#2', false],
      ['acme/api#3', false],
    ]);
    const coverage = await agent
      .get(`/api/engagements/${engagementId}/kpis/coverage.line/drill-down?week=2026-11-09`)
      .expect(200);
    expect(coverage.body.rows.map((r: { title: string }) => r.title)).toEqual(['acme/a', 'acme/b']);
    const bad = await agent.get(`/api/engagements/${engagementId}/kpis/quality.nope/drill-down`).expect(400);
    expect(JSON.stringify(bad.body)).toContain('/api/kpi-definitions');
  });

  it('stops with a clear error for an engagement that is gone', async () => {
    await expect(new RollupService(db.dataSource).run(randomUUID(), [], NOW)).rejects.toThrow(
      /no longer exists/,
    );
    expect(await db.dataSource.getRepository(EngagementEntity).countBy({ id: engagementId })).toBe(1);
  });
});
