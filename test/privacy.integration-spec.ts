// Issue 16, data protection, on SQLite and PostgreSQL with the real API, an in-process
// worker on real Redis: who may see people, erasure (rows, KPIs, Redis, logs, database
// files), retention, export, and what deleting an engagement leaves in Redis.
import { readFileSync, existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Logger, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import {
  ChatMessageEntity,
  hashEmail,
  KpiValueEntity,
  PullRequestEntity,
  redisOptionsFrom,
  retentionCutoff,
  ReviewEntity,
  SyncRunEntity,
  WorkItemEntity,
} from '@pulse/db';
import {
  JOB_ROLLUP_ENGAGEMENT,
  QUEUE_RETENTION,
  QUEUE_ROLLUP,
  RETENTION_SCHEDULER_ID,
  type EngagementDto,
  type KpiDrillDownDto,
} from '@pulse/contracts';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../apps/worker/src/worker-config';
import { RollupService } from '../apps/worker/src/rollup/rollup.service';
import { RetentionService } from '../apps/worker/src/retention/retention.service';
import { writeRecordBatch, type RecordBatch } from '../apps/worker/src/collectors/record-writer';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from './api-harness';
import { DATABASE_KINDS } from './databases';
import { ANA, anaMarks, BEN, personBody, seedEngagement } from './privacy-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every row of every table, as one lower-cased text. */
async function databaseDump(db: DataSource): Promise<string> {
  const tables = [...new Set([...db.entityMetadatas.map((m) => m.tableName), 'migrations'])];
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await db.query(`SELECT * FROM "${table}"`)));
  return parts.join('\n').toLowerCase();
}

/** Every key under the prefix with its content, as one lower-cased text. */
async function redisDump(redis: IORedis, prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}:*`);
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    let content: unknown = null;
    if (type === 'string') content = await redis.get(key);
    else if (type === 'hash') content = await redis.hgetall(key);
    else if (type === 'list') content = await redis.lrange(key, 0, -1);
    else if (type === 'set') content = await redis.smembers(key);
    else if (type === 'zset') content = await redis.zrange(key, 0, -1);
    else if (type === 'stream') content = await redis.xrange(key, '-', '+');
    parts.push(`${key} ${type} ${JSON.stringify(content)}`);
  }
  return parts.join('\n').toLowerCase();
}

/** Nest log lines, as the worker and API write them, from the moment it is installed. */
class CapturedLog implements LoggerService {
  readonly lines: string[] = [];
  private add =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      void this.lines.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`);
  log = this.add('log');
  error = this.add('error');
  warn = this.add('warn');
  debug = this.add('debug');
  verbose = this.add('verbose');
  fatal = this.add('fatal');
}

const kpiSnapshot = async (db: DataSource, engagementId: string) =>
  (await db.getRepository(KpiValueEntity).findBy({ engagementId }))
    .map((r) => `${r.period} ${r.kpiKey} ${r.bucketStart} ${r.value} ${r.n} ${r.dropped}`)
    .sort();

describe.each(DATABASE_KINDS)('data protection on %s', (kind) => {
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let db: DataSource;
  let redis: IORedis;
  let admin: Awaited<ReturnType<ApiHarness['signIn']>>;
  let manager: Awaited<ReturnType<ApiHarness['signIn']>>;
  let rollupQueue: Queue;

  const anEngagement = (as: typeof admin, tag: string) => seedEngagement(db, worker, as, tag);

  beforeAll(async () => {
    api = await startApi(kind);
    db = api.app.get(DataSource);
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          ...(api.database.databaseUrl
            ? { DATABASE_URL: api.database.databaseUrl }
            : { PULSE_DATA_DIR: api.config.PULSE_DATA_DIR }),
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          WORKER_ID: `privacy-${kind}`,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    redis = new IORedis(redisOptionsFrom(api.config.REDIS_URL));
    rollupQueue = new Queue(QUEUE_ROLLUP, {
      connection: redisOptionsFrom(api.config.REDIS_URL),
      prefix: api.config.QUEUE_PREFIX,
    });
    admin = await api.signIn(ADMIN.email, ADMIN.password);
    const m = await api.createUser('manager');
    manager = await api.signIn(m.user.email, m.password);
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await rollupQueue?.close();
    redis?.disconnect();
    await worker?.close();
    await api?.close();
  });

  it('names people to the owner and admins, to nobody else with "team-level only", never on a share link', async () => {
    const id = await anEngagement(manager, 'teamlevel');
    const drill = async (as: typeof admin) =>
      (await as.get(`/api/engagements/${id}/kpis/delivery.prs_merged/drill-down`).expect(200))
        .body as KpiDrillDownDto;
    const authors = (t: KpiDrillDownDto) => t.rows.map((r) => r.cells.author).sort();

    expect(authors(await drill(manager))).toEqual([ANA.name, ANA.name, BEN.name, BEN.name]);
    expect((await manager.get(`/api/engagements/${id}`).expect(200)).body.canSeePeople).toBe(true);

    const link = (
      await manager.post(`/api/engagements/${id}/share-links`).send({ allowDrillDown: true }).expect(201)
    ).body as { token: string };

    await manager
      .patch(`/api/engagements/${id}`)
      .send({ settings: { teamLevelOnly: true } })
      .expect(200);
    const hidden = await drill(manager);
    expect(hidden.rows).toHaveLength(4); // still the value's n items, just unnamed
    expect(authors(hidden)).toEqual([null, null, null, null]);
    const engagement = (await manager.get(`/api/engagements/${id}`).expect(200)).body as EngagementDto;
    expect(engagement).toMatchObject({ canSeePeople: false, settings: { teamLevelOnly: true } });
    const refused = await manager.get(`/api/engagements/${id}/people`).expect(403);
    expect(refused.body.message).toMatch(/team-level only/);
    await manager.get(`/api/engagements/${id}/people/unassigned`).expect(403);
    // A continuity list names nobody either: people become "Person n".
    const people = (
      await manager
        .get(`/api/engagements/${id}/kpis/continuity.knowledge_concentration/drill-down`)
        .expect(200)
    ).body as KpiDrillDownDto;
    for (const row of people.rows) expect(row.title).toMatch(/^Person \d+$/);
    expect(JSON.stringify(hidden).toLowerCase()).not.toContain(ANA.github.toLowerCase());

    expect(authors(await drill(admin))).toEqual([ANA.name, ANA.name, BEN.name, BEN.name]);

    // The vendor's view names nobody, whatever the engagement setting.
    await manager
      .patch(`/api/engagements/${id}`)
      .send({ settings: { teamLevelOnly: false } })
      .expect(200);
    const shared = [
      (await api.http().get(`/api/share/${link.token}`).expect(200)).body,
      (await api.http().get(`/api/share/${link.token}/kpis/delivery.prs_merged/drill-down`).expect(200)).body,
      (
        await api
          .http()
          .get(`/api/share/${link.token}/kpis/continuity.new_contributors/drill-down`)
          .expect(200)
      ).body,
    ];
    expect((shared[1] as KpiDrillDownDto).rows).toHaveLength(4);
    const text = JSON.stringify(shared).toLowerCase();
    for (const mark of [ANA.name, ANA.github, BEN.name, BEN.github])
      expect(text).not.toContain(mark.toLowerCase());
  });

  it('keeps commit emails only as hashes and still suggests the roster person', async () => {
    const id = await anEngagement(admin, 'hints');
    const stored = JSON.stringify(await db.query('SELECT * FROM identity_hints')).toLowerCase();
    expect(stored).not.toContain(ANA.email.toLowerCase());
    expect(stored).toContain(hashEmail(ANA.email));
    // Take Ana's login off the roster: it is unassigned and she is suggested by her email.
    const roster = (await admin.get(`/api/engagements/${id}/people`).expect(200)).body as {
      id: string;
      displayName: string;
    }[];
    await admin
      .put(`/api/engagements/${id}/people`)
      .send({
        people: [
          {
            ...personBody(ANA),
            id: roster.find((p) => p.displayName === ANA.name)!.id,
            identities: { github: [], jira: [ANA.jira], slack: [ANA.slack] },
          },
          personBody(BEN),
        ],
      })
      .expect(200);
    const unassigned = (await admin.get(`/api/engagements/${id}/people/unassigned`).expect(200)).body;
    expect(unassigned).toEqual([
      expect.objectContaining({
        externalId: ANA.github,
        suggestedPerson: expect.objectContaining({ displayName: ANA.name }),
      }),
    ]);
  });

  it('exports everything about one identity and nothing about anyone else', async () => {
    const a = await anEngagement(admin, 'expa');
    const b = await anEngagement(admin, 'expb');
    const doc = (
      await admin.get('/api/privacy/export').query({ source: 'jira', externalId: ANA.jira }).expect(200)
    ).body as {
      tables: Record<string, Record<string, unknown>[]>;
    };
    // The Jira id leads to the roster entries, and from them to every identity of hers.
    expect(doc.tables.people!.map((p) => p.engagementId).sort()).toEqual(
      expect.arrayContaining([a, b].sort()),
    );
    const prs = await db.getRepository(PullRequestEntity).findBy({ authorLogin: ANA.github });
    expect(doc.tables.pull_requests!.map((p) => p.id).sort()).toEqual(prs.map((p) => p.id).sort());
    const reviews = await db.getRepository(ReviewEntity).findBy({ reviewerLogin: ANA.github });
    expect(doc.tables.reviews!.map((r) => r.id).sort()).toEqual(reviews.map((r) => r.id).sort());
    const chat = await db.getRepository(ChatMessageEntity).findBy({ authorId: ANA.slack });
    expect(doc.tables.chat_messages!.map((c) => c.id).sort()).toEqual(chat.map((c) => c.id).sort());
    expect(doc.tables.work_items!.length).toBe(
      await db.getRepository(WorkItemEntity).countBy({ assigneeId: ANA.jira }),
    );
    expect(doc.tables.identity_hints!.every((h) => h.emailHash === hashEmail(ANA.email))).toBe(true);
    const text = JSON.stringify(doc).toLowerCase();
    for (const mark of [BEN.name, BEN.email, BEN.github, BEN.jira, BEN.slack, hashEmail(BEN.email)])
      expect(text).not.toContain(mark.toLowerCase());

    const csv = await admin
      .get('/api/privacy/export')
      .query({
        source: 'github',
        externalId: ANA.github.toLowerCase(),
        format: 'csv',
        table: 'pull_requests',
      })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(prs.length + 1);
    const noTable = await admin
      .get('/api/privacy/export')
      .query({ source: 'github', externalId: ANA.github, format: 'csv' })
      .expect(400);
    expect(JSON.stringify(noTable.body)).toMatch(/pull_requests/);
    await admin.get('/api/privacy/export').query({ source: 'github' }).expect(400);
    await manager.get('/api/privacy/export').query({ source: 'github', externalId: ANA.github }).expect(403);

    const engagementExport = (await admin.get(`/api/engagements/${a}/export`).expect(200)).body as {
      tables: Record<string, Record<string, unknown>[]>;
    };
    expect(engagementExport.tables.pull_requests).toHaveLength(4);
    expect(engagementExport.tables.chat_messages).toHaveLength(2);
    expect(JSON.stringify(engagementExport)).not.toMatch(/secretCiphertext|tokenHash/);
    await manager.get(`/api/engagements/${a}/export`).expect(403);
  });

  it('erases a person everywhere: no row, KPI, Redis key, log line or database byte names them', async () => {
    const ids = [await anEngagement(admin, 'era'), await anEngagement(admin, 'erb')];
    const before = await databaseDump(db);
    expect(before).toContain(ANA.jira.toLowerCase()); // the scan can find her
    if (kind === 'sqlite') {
      const bytes = sqliteBytes(api.database.sqlitePath!);
      expect(bytes).toContain(ANA.jira.toLowerCase());
    }
    const benPrs = await db.getRepository(PullRequestEntity).countBy({ authorLogin: BEN.github });
    const lastComputed = async (id: string) =>
      Math.max(
        ...(await db.getRepository(KpiValueEntity).findBy({ engagementId: id })).map((r) => r.computedAt),
      );
    const computedBefore = new Map<string, number>();
    for (const id of ids) computedBefore.set(id, await lastComputed(id));

    const log = new CapturedLog();
    Logger.overrideLogger(log);
    const response = await admin
      .post('/api/privacy/erasures')
      .send({ source: 'slack', externalId: ANA.slack })
      .expect(200);
    expect(response.body.engagements).toEqual(expect.arrayContaining(ids));
    expect(response.body.rows.pull_requests).toBeGreaterThanOrEqual(4);
    expect(response.body.filesCleaned).toBe(true);

    // The KPIs are recomputed by the worker (the queued jobs, not an earlier rollup), then
    // equal a recomputation from what is left.
    const jobs = response.body.rollupJobs as string[];
    expect(jobs).toHaveLength(response.body.engagements.length);
    for (const jobId of jobs)
      await until('the recomputation', async () => (await rollupQueue.getJob(jobId))?.isCompleted());
    for (const id of ids) {
      const stored = await kpiSnapshot(db, id);
      const at = await lastComputed(id);
      expect(at).toBeGreaterThan(computedBefore.get(id)!);
      await worker.get(RollupService).run(id, [], at);
      expect(await kpiSnapshot(db, id)).toEqual(stored);
    }

    const marks = anaMarks();
    const after = await databaseDump(db);
    const redisText = await redisDump(redis, api.config.QUEUE_PREFIX);
    const logText = log.lines.join('\n').toLowerCase();
    const answer = JSON.stringify(response.body).toLowerCase();
    for (const mark of marks) {
      expect({ mark, inDatabase: after.includes(mark) }).toEqual({ mark, inDatabase: false });
      expect({ mark, inRedis: redisText.includes(mark) }).toEqual({ mark, inRedis: false });
      expect({ mark, inLogs: logText.includes(mark) }).toEqual({ mark, inLogs: false });
      expect({ mark, inAnswer: answer.includes(mark) }).toEqual({ mark, inAnswer: false });
    }
    expect(logText).toMatch(/erasure [0-9a-f-]+ by user/); // the audit line was written, unnamed
    if (kind === 'sqlite') {
      const bytes = sqliteBytes(api.database.sqlitePath!);
      for (const mark of marks)
        expect({ mark, inFile: bytes.includes(mark) }).toEqual({ mark, inFile: false });
    }
    // Ben is untouched; Ana's activity is still counted, as an anonymous contributor.
    expect(await db.getRepository(PullRequestEntity).countBy({ authorLogin: BEN.github })).toBe(benPrs);
    const pseudonyms = await db.getRepository(PullRequestEntity).find({ where: { engagementId: ids[0] } });
    expect(pseudonyms.filter((p) => p.authorLogin.startsWith('erased-'))).toHaveLength(2);

    // Erasing by roster person reaches the same human in every engagement.
    const roster = (await admin.get(`/api/engagements/${ids[1]}/people`).expect(200)).body as {
      id: string;
      displayName: string;
    }[];
    const ben = roster.find((p) => p.displayName === BEN.name)!;
    await admin.post('/api/privacy/erasures').send({ personId: ben.id }).expect(200);
    const afterBen = await databaseDump(db);
    for (const mark of [BEN.name, BEN.github, BEN.jira, BEN.slack, BEN.email])
      expect({ mark, left: afterBen.includes(mark.toLowerCase()) }).toEqual({ mark, left: false });
  });

  it('refuses malformed and unauthorised erasures with clear 4xx', async () => {
    const empty = await admin.post('/api/privacy/erasures').send({}).expect(400);
    expect(JSON.stringify(empty.body)).toMatch(/source|personId/);
    await admin.post('/api/privacy/erasures').send({ source: 'gitlab', externalId: 'x' }).expect(400);
    await admin.post('/api/privacy/erasures').send({ personId: 'not-a-uuid' }).expect(400);
    await admin.post('/api/privacy/erasures').send({ personId: randomUUID() }).expect(404);
    await manager.post('/api/privacy/erasures').send({ source: 'github', externalId: 'x' }).expect(403);
  });

  it('deletes exactly the records past the retention window, daily', async () => {
    const id = (
      await admin
        .post('/api/engagements')
        .send(anEngagementBody({ name: 'retention' }))
        .expect(201)
    ).body.id;
    await admin
      .patch(`/api/engagements/${id}`)
      .send({ settings: { retentionMonths: 1 } })
      .expect(200);
    const now = Date.UTC(2026, 10, 20, 12);
    const cutoff = retentionCutoff(1, 'America/Chicago', now);
    const times = { old: cutoff - 1, edge: cutoff, fresh: cutoff + DAY };
    const batch: RecordBatch = {
      pullRequests: [],
      reviews: [],
      workItems: [],
      deployments: [],
      releases: [],
      coverageSamples: [],
      sprints: [],
      identityHints: [],
    };
    let n = 0;
    for (const [label, t] of Object.entries(times)) {
      n++;
      batch.pullRequests!.push({
        id: `acme/r#${n}`,
        repo: 'acme/r',
        number: n,
        authorLogin: `${label}-dev`,
        authorIsBot: false,
        createdAt: t - DAY,
        updatedAt: t,
        firstCommitAt: null,
        readyAt: null,
        mergedAt: null,
        closedAt: null,
        draft: false,
        additions: 1,
        deletions: 0,
        mergeCommitSha: null,
        url: `https://github.com/acme/r/pull/${n}`,
      });
      batch.reviews!.push({
        externalId: `review:${n}`,
        pullRequestId: `acme/r#${n}`,
        kind: 'review',
        reviewerLogin: `${label}-dev`,
        reviewerIsBot: false,
        submittedAt: t,
        state: 'approved',
      });
      batch.workItems!.push({
        key: `R-${n}`,
        source: 'jira',
        type: 'Story',
        isSubtask: false,
        priority: null,
        statusCategory: 'todo',
        createdAt: t - DAY,
        updatedAt: t,
        resolvedAt: null,
        resolution: null,
        reporterId: null,
        assigneeId: null,
        storyPoints: null,
        labels: [],
        transitions: [],
        comments: [],
      });
      batch.deployments!.push({
        id: `dep-${n}`,
        repo: 'acme/r',
        environment: 'production',
        sha: `s${n}`,
        createdAt: t,
        state: 'success',
        finishedAt: t,
      });
      batch.releases!.push({
        id: `rel-${n}`,
        repo: 'acme/r',
        tagName: `v${n}`,
        publishedAt: t,
        draft: false,
        prerelease: false,
      });
      batch.coverageSamples!.push({
        repo: 'acme/r',
        branch: 'main',
        isDefaultBranch: true,
        sha: `c${n}`,
        committedAt: t,
        linesCovered: 1,
        linesValid: 2,
        branchesCovered: null,
        branchesValid: null,
      });
      batch.sprints!.push({
        id: `sp-${n}`,
        startAt: t - 14 * DAY,
        endAt: t,
        completedAt: t,
        issueKeysAtStart: [],
        issueKeysAddedAfterStart: [],
      });
      batch.identityHints!.push({ login: `${label}-dev`, email: `${label}@vendor.example` });
    }
    await db.transaction((tx) => writeRecordBatch(tx, id, batch));
    await db.getRepository(ChatMessageEntity).insert(
      Object.values(times).map((t, i) => ({
        id: randomUUID(),
        engagementId: id,
        channel: 'C1',
        ts: `${i}.1`,
        at: t,
        threadTs: null,
        authorId: 'U1',
        subtype: null,
        botId: null,
      })),
    );
    await db.getRepository(SyncRunEntity).insert(
      Object.values(times).map((t) => ({
        id: randomUUID(),
        engagementId: id,
        jobId: `job-${randomUUID()}`,
        trigger: 'manual' as const,
        status: 'succeeded' as const,
        progress: 100,
        phase: null,
        createdAt: t,
        startedAt: t,
        finishedAt: t,
        counts: {},
        apiCalls: 0,
        apiCallsNotModified: 0,
        error: null,
        workerId: null,
      })),
    );
    await db.getRepository(KpiValueEntity).insert(
      [cutoff, cutoff + 1].map((end) => ({
        id: randomUUID(),
        engagementId: id,
        period: 'week' as const,
        kpiKey: 'delivery.prs_merged',
        bucketStart: end - 7 * DAY,
        bucketEnd: end,
        value: 1,
        n: 1,
        dropped: 0,
        computedAt: now,
      })),
    );

    const summary = await worker.get(RetentionService).run(id, now);
    expect(summary!.keptFrom).toBe(new Date(cutoff).toISOString());
    expect(summary!.deleted).toEqual({
      pull_requests: 1,
      reviews: 1,
      deployments: 1,
      releases: 1,
      coverage_samples: 1,
      work_items: 1,
      sprints: 1,
      chat_messages: 1,
      sync_runs: 1,
      kpi_values: 1,
      identity_hints: 1,
    });
    const left = async (table: string, column: string) =>
      (
        (await db.query(`SELECT ${column} AS t FROM ${table} WHERE engagement_id = '${id}'`)) as {
          t: string | number;
        }[]
      )
        .map((r) => Number(r.t))
        .sort((a, b) => a - b);
    for (const [table, column] of [
      ['pull_requests', 'updated_at'],
      ['reviews', 'submitted_at'],
      ['work_items', 'updated_at'],
      ['deployments', 'created_at'],
      ['releases', 'published_at'],
      ['coverage_samples', 'committed_at'],
      ['sprints', 'end_at'],
      ['chat_messages', 'at'],
      ['sync_runs', 'created_at'],
    ] as const)
      expect({ table, left: await left(table, column) }).toEqual({ table, left: [times.edge, times.fresh] });
    expect(await left('kpi_values', 'bucket_end')).toEqual([cutoff + 1]);
    const hints = (await db.query(
      `SELECT external_id FROM identity_hints WHERE engagement_id = '${id}'`,
    )) as { external_id: string }[];
    expect(hints.map((h) => h.external_id).sort()).toEqual(['edge-dev', 'fresh-dev']);

    // The dashboard says from when data is kept; the daily scheduler is registered.
    const dto = (await admin.get(`/api/engagements/${id}`).expect(200)).body as EngagementDto;
    expect(dto.dataKeptFrom).toBe(new Date(retentionCutoff(1, 'America/Chicago', Date.now())).toISOString());
    const retentionQueue = new Queue(QUEUE_RETENTION, {
      connection: redisOptionsFrom(api.config.REDIS_URL),
      prefix: api.config.QUEUE_PREFIX,
    });
    try {
      const schedulers = await until('the retention scheduler', async () => {
        const list = await retentionQueue.getJobSchedulers(0, -1);
        return list.length ? list : null;
      });
      expect(schedulers.map((s) => s.key)).toContain(RETENTION_SCHEDULER_ID);
    } finally {
      await retentionQueue.close();
    }
    await admin
      .patch(`/api/engagements/${id}`)
      .send({ settings: { retentionMonths: 0 } })
      .expect(400);
  });

  it('deleting an engagement removes its Redis job payloads', async () => {
    const id = (
      await admin
        .post('/api/engagements')
        .send(anEngagementBody({ name: 'deleted' }))
        .expect(201)
    ).body.id;
    await rollupQueue.add(
      JOB_ROLLUP_ENGAGEMENT,
      { engagementId: id, weeks: [] },
      { jobId: `rollup-${id}-later`, delay: HOUR },
    );
    expect(await rollupQueue.getJob(`rollup-${id}-later`)).toBeDefined();
    await admin.delete(`/api/engagements/${id}`).expect(204);
    expect(await rollupQueue.getJob(`rollup-${id}-later`)).toBeUndefined();
    // Job hashes, schedulers and locks: nothing but BullMQ's bounded event stream names it.
    const keys = await redis.keys(`${api.config.QUEUE_PREFIX}:*`);
    const named: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'stream') continue;
      const content =
        type === 'hash'
          ? JSON.stringify(await redis.hgetall(key))
          : type === 'zset'
            ? JSON.stringify(await redis.zrange(key, 0, -1))
            : type === 'list'
              ? JSON.stringify(await redis.lrange(key, 0, -1))
              : type === 'string'
                ? String(await redis.get(key))
                : '';
      if (key.includes(id) || content.includes(id)) named.push(key);
    }
    expect(named).toEqual([]);
  });
});

/** The SQLite database file and its WAL, lower-cased as latin1 text. */
function sqliteBytes(path: string): string {
  return [path, `${path}-wal`]
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('\n')
    .toLowerCase();
}
