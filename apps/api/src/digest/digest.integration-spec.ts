// The weekly Slack digest end to end: API settings and schedulers, an in-process worker
// posting through the real @slack/web-api WebClient to the sandbox, and /pulse through the
// signed-request middleware — on SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConnectionEntity, DigestEntity, KpiValueEntity, redisOptionsFrom } from '@pulse/db';
import {
  JOB_DIGEST,
  QUEUE_DIGEST,
  digestSchedulerId,
  type DigestJobPayload,
  type EngagementHealthDto,
  type EngagementKpisDto,
} from '@pulse/contracts';
import { attentionLine } from '@pulse/kpi';
import { SlashCommandService } from '../slack/slash-command.service';
import {
  SANDBOX_SLACK_BOT_TOKEN,
  SANDBOX_SLACK_SIGNING_SECRET,
  postSignedSlackRequest,
  sendSlashCommand,
  startSandbox,
  type RunningSandbox,
} from '../../../sandbox/src';
import { WorkerModule } from '../../../worker/src/worker.module';
import { loadWorkerConfig } from '../../../worker/src/worker-config';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';

const CLIENT_CHANNEL = 'C0SLIPGEN';
const VENDOR_CHANNEL = 'C0SLIPDLV';
const UNMAPPED_CHANNEL = 'C0STDYGEN';
const PUBLIC_URL = 'https://pulse.example.com';
const DAY = 86_400_000;
const CLIENT_PEOPLE = ['Ana Clientside', 'Bob Buyer'];

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe.each(DATABASE_KINDS)('Slack digest (%s)', (kind) => {
  let sandbox: RunningSandbox;
  let api: ApiHarness;
  let worker: INestApplicationContext;
  let queue: Queue;
  let db: DataSource;
  let agent: Awaited<ReturnType<ApiHarness['signIn']>>;
  let engagementId: string;
  let jobSeq = 0;

  /** A run exactly as the engagement's job scheduler enqueues it (its payload, not manual). */
  async function scheduledRun(audience: 'client' | 'vendor') {
    const data: DigestJobPayload = { engagementId, audience };
    const job = await queue.add(JOB_DIGEST, data, { jobId: `test-${++jobSeq}`, attempts: 1 });
    return until(`the ${audience} digest job`, async () => {
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return (await queue.getJob(job.id!))!;
      return null;
    });
  }
  const row = (audience: 'client' | 'vendor') =>
    db.getRepository(DigestEntity).findOneByOrFail({ engagementId, audience, manual: false });
  const fail = (body: unknown) =>
    fetch(`${sandbox.url}/_sandbox/slack/fail`, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const allowed = new URL(sandbox.url).host;
    api = await startApi(kind, {
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
      PULSE_SLACK_SIGNING_SECRET: SANDBOX_SLACK_SIGNING_SECRET,
      PULSE_PUBLIC_URL: PUBLIC_URL,
      // the tests speak plain HTTP to the API; the public URL is only for the digest's links
      PULSE_COOKIE_SECURE: 'false',
    });
    db = api.app.get(DataSource);
    queue = new Queue(QUEUE_DIGEST, {
      connection: redisOptionsFrom(api.config.REDIS_URL),
      prefix: api.config.QUEUE_PREFIX,
    });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          ...(api.database.databaseUrl ? { DATABASE_URL: api.database.databaseUrl } : {}),
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
          PULSE_PUBLIC_URL: PUBLIC_URL,
          WORKER_ID: 'digest-worker',
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    agent = await api.signIn(ADMIN.email, ADMIN.password);
    engagementId = (
      await agent
        .post('/api/engagements')
        .send(anEngagementBody({ name: 'Digest rewrite' }))
        .expect(201)
    ).body.id;
    await agent
      .put(`/api/engagements/${engagementId}/people`)
      .send({
        people: [
          ...CLIENT_PEOPLE.map((displayName) => ({ displayName, side: 'client', identities: {} })),
          { displayName: 'Vera Vendor', side: 'vendor', identities: {} },
        ],
      })
      .expect(200);
    await agent
      .put(`/api/engagements/${engagementId}/connections/slack`)
      .send({
        settings: { baseUrl: sandbox.slackUrl, channelIds: [CLIENT_CHANNEL] },
        secret: SANDBOX_SLACK_BOT_TOKEN,
      })
      .expect(200);
    // GitHub and Jira delivered an hour ago (their values are not gaps); the rollup's values:
    // pickup time in warn, bug reopen rate in breach, chat response fine.
    const now = Date.now();
    await db
      .getRepository(ConnectionEntity)
      .update({ engagementId, kind: 'slack' }, { lastSuccessAt: now - 3_600_000 });
    for (const k of ['github', 'jira'] as const)
      await db.getRepository(ConnectionEntity).insert({
        id: randomUUID(),
        engagementId,
        kind: k,
        settings: {},
        secretCiphertext: null,
        cursor: null,
        lastSuccessAt: now - 3_600_000,
        lastAttemptAt: now - 3_600_000,
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        retryAfterAt: null,
        failureCount: 0,
        createdAt: now,
        updatedAt: now,
      });
    const values: [string, number, number][] = [
      ['delivery.pr_pickup_time', 31, 12],
      ['quality.bug_reopen_rate', 40, 20],
      ['responsiveness.chat_first_response', 30, 40],
    ];
    await db.getRepository(KpiValueEntity).insert(
      values.map(([kpiKey, value, n]) => ({
        id: randomUUID(),
        engagementId,
        period: 'trailing' as const,
        kpiKey,
        bucketStart: now - 28 * DAY,
        bucketEnd: now,
        value,
        n,
        dropped: 0,
        computedAt: now,
      })),
    );
    const link = await agent
      .post(`/api/engagements/${engagementId}/share-links`)
      .send({ families: ['delivery'] })
      .expect(201);
    const settings = await agent
      .put(`/api/engagements/${engagementId}/digest/settings`)
      .send({
        clientChannelId: CLIENT_CHANNEL,
        vendorChannelId: VENDOR_CHANNEL,
        vendorShareLink: link.body.url,
      })
      .expect(200);
    expect(settings.body).toMatchObject({
      weekday: 1,
      timeOfDay: '09:00',
      vendorShareLinkSet: true,
      vendorShareLinkValid: true,
      slackConnected: true,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('registers one job scheduler per audience at Monday 09:00 in the reporting zone', async () => {
    const engagement = (await agent.get(`/api/engagements/${engagementId}`).expect(200)).body;
    for (const audience of ['client', 'vendor'] as const) {
      const s = await queue.getJobScheduler(digestSchedulerId(engagementId, audience));
      expect(s).toMatchObject({ pattern: '0 9 * * 1', tz: engagement.reportingTimeZone });
    }
    await agent
      .put(`/api/engagements/${engagementId}/digest/settings`)
      .send({ weekday: 7, timeOfDay: '17:30' })
      .expect(200);
    expect(await queue.getJobScheduler(digestSchedulerId(engagementId, 'client'))).toMatchObject({
      pattern: '30 17 * * 0',
    });
    await agent
      .put(`/api/engagements/${engagementId}/digest/settings`)
      .send({ weekday: 1, timeOfDay: '09:00' })
      .expect(200);
    // A new reporting zone moves the digest with it.
    await agent
      .patch(`/api/engagements/${engagementId}`)
      .send({ reportingTimeZone: 'Asia/Tokyo' })
      .expect(200);
    expect(await queue.getJobScheduler(digestSchedulerId(engagementId, 'vendor'))).toMatchObject({
      tz: 'Asia/Tokyo',
    });
    await agent
      .patch(`/api/engagements/${engagementId}`)
      .send({ reportingTimeZone: engagement.reportingTimeZone })
      .expect(200);
    const bad = await agent
      .put(`/api/engagements/${engagementId}/digest/settings`)
      .send({ timeOfDay: '25:00' })
      .expect(400);
    expect(bad.body.message).toContain('timeOfDay');
    // Each change is in the audit trail, before → after, and the stored share link is not.
    const audit = await agent
      .get(`/api/audit?engagementId=${engagementId}&action=digest.settings_changed`)
      .expect(200);
    const summaries = (audit.body.events as { summary: Record<string, unknown> }[]).map((e) => e.summary);
    expect(summaries).toContainEqual({
      weekday: { from: 1, to: 7 },
      timeOfDay: { from: '09:00', to: '17:30' },
    });
    expect(summaries).toContainEqual(
      expect.objectContaining({ vendorShareLinkSet: { from: false, to: true } }),
    );
    expect(JSON.stringify(audit.body)).not.toMatch(/\/share\//);
  });

  it('posts one client and one vendor message whose numbers are those of /health and /kpis', async () => {
    sandbox.reset();
    await scheduledRun('client');
    await scheduledRun('vendor');
    const health = (await agent.get(`/api/engagements/${engagementId}/health`).expect(200))
      .body as EngagementHealthDto;
    const kpis = (await agent.get(`/api/engagements/${engagementId}/kpis`).expect(200))
      .body as EngagementKpisDto;
    const posted = sandbox.posted();
    expect(posted.map((p) => p.channel).sort()).toEqual([VENDOR_CHANNEL, CLIENT_CHANNEL].sort());
    const client = JSON.stringify(posted.find((p) => p.channel === CLIENT_CHANNEL)!.blocks);
    expect(health.breaches.map((e) => e.key)).toEqual(['quality.bug_reopen_rate']);
    expect(health.warnings.map((e) => e.key)).toEqual(['delivery.pr_pickup_time']);
    for (const e of [...health.breaches, ...health.warnings])
      expect(client).toContain(
        JSON.stringify(
          mrkdwn(
            attentionLine(
              e,
              kpis.kpis.find((k) => k.key === e.key),
            ),
          ),
        ).slice(1, -1),
      );
    expect(client).toContain(`${health.score}/100`);
    expect(client).toContain(mrkdwn(health.summary));
    for (const name of CLIENT_PEOPLE) expect(client).toContain(name);
    expect(client).toContain(`${PUBLIC_URL}/engagements/${engagementId}?range=custom`);

    // The vendor's message: the shared families only (delivery), no client names, the share view.
    const vendorPost = posted.find((p) => p.channel === VENDOR_CHANNEL)!;
    const vendor = JSON.stringify(vendorPost.blocks) + vendorPost.text;
    expect(vendor).toContain('PR pickup time is 31 h (warn &gt; 24 h) · 12 PRs');
    expect(vendor).not.toContain('Bug reopen rate');
    expect(vendor).not.toContain('First response');
    for (const name of CLIENT_PEOPLE) expect(vendor).not.toContain(name);
    expect(vendor).toMatch(new RegExp(`${PUBLIC_URL}/share/[\\w-]{16,}`));
    expect(vendor).not.toContain('/engagements/');

    const history = (await agent.get(`/api/engagements/${engagementId}/digests`).expect(200)).body;
    expect(
      history
        .map((d: { audience: string; status: string; manual: boolean }) => [d.audience, d.status, d.manual])
        .sort(),
    ).toEqual([
      ['client', 'posted', false],
      ['vendor', 'posted', false],
    ]);
    const preview = (
      await agent.get(`/api/engagements/${engagementId}/digest/preview?audience=vendor`).expect(200)
    ).body;
    expect(JSON.stringify(preview.blocks)).not.toContain('Bug reopen rate');
  });

  it('updates the message of the week on a second run, never posts again', async () => {
    const before = await row('client');
    await scheduledRun('client');
    const after = await row('client');
    expect(after).toMatchObject({ ts: before.ts, status: 'updated', attempts: before.attempts + 1 });
    const posted = sandbox.posted().filter((p) => p.channel === CLIENT_CHANNEL);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.updates).toBe(1);
  });

  it.each([
    ['not_in_channel', /invite it/],
    ['channel_not_found', /check the channel id/],
    ['is_archived', /unarchive it/],
    ['invalid_auth', /paste a valid xoxb- bot token/],
  ])('records %s with the action to take', async (error, action) => {
    await fail({ method: 'chat.*', error, channel: CLIENT_CHANNEL });
    const job = await scheduledRun('client');
    const r = await row('client');
    expect(r.errorCode).toBe(error);
    expect(r.errorMessage).toMatch(action);
    expect(job.failedReason).toBe(r.errorMessage);
    const listed = (await agent.get(`/api/engagements/${engagementId}/digests`).expect(200)).body;
    expect(listed.find((d: { audience: string }) => d.audience === 'client')).toMatchObject({
      errorCode: error,
    });
  });

  it('waits for Retry-After when rate limited, then updates the message', async () => {
    await fail({ method: 'chat.*', error: 'ratelimited', retryAfter: 1, channel: CLIENT_CHANNEL });
    const started = Date.now();
    const job = await scheduledRun('client');
    expect(await job.getState()).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await row('client')).toMatchObject({ status: 'updated', errorCode: 'ratelimited' });
    expect(sandbox.posted().filter((p) => p.channel === CLIENT_CHANNEL)).toHaveLength(1);
  });

  it('sends now on request, recorded as manual', async () => {
    const sent = await agent
      .post(`/api/engagements/${engagementId}/digest/send`)
      .send({ audience: 'vendor' })
      .expect(202);
    expect(sent.body.isoWeek).toMatch(/^\d{4}-W\d{2}$/);
    await until('the manual digest', async () => {
      const r = await db
        .getRepository(DigestEntity)
        .findOneBy({ engagementId, audience: 'vendor', manual: true });
      return r?.status === 'posted' ? r : null;
    });
    expect(sandbox.posted().filter((p) => p.channel === VENDOR_CHANNEL)).toHaveLength(2);
    await agent.post(`/api/engagements/${engagementId}/digest/send`).send({ audience: 'nobody' }).expect(400);
  });

  describe('/pulse', () => {
    let base: string;
    beforeAll(async () => {
      const server = api.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/slack/commands`;
    });

    it('answers the mapped channel with the digest summary, ephemeral', async () => {
      const res = await sendSlashCommand(base, { text: 'status', channelId: CLIENT_CHANNEL });
      expect(res.status).toBe(200);
      const body = res.body as { response_type: string; blocks: { type: string }[] };
      expect(body.response_type).toBe('ephemeral');
      expect(body.blocks[0]).toMatchObject({ type: 'header' });
      expect(JSON.stringify(body.blocks)).toContain('Digest rewrite');
      expect(JSON.stringify(body.blocks)).toContain('Bug reopen rate');
      // the vendor's digest channel gets the vendor summary
      const vendor = await sendSlashCommand(base, { text: 'status digest', channelId: VENDOR_CHANNEL });
      expect(JSON.stringify(vendor.body)).toContain('Digest rewrite');
      expect(JSON.stringify(vendor.body)).not.toContain('Bug reopen rate');
    });

    it('reveals nothing to a channel that is not mapped', async () => {
      for (const text of ['status', 'status Digest rewrite', 'status digest']) {
        const res = await sendSlashCommand(base, { text, channelId: UNMAPPED_CHANNEL });
        expect(res.status).toBe(200);
        const body = JSON.stringify(res.body);
        expect(body).not.toContain('Digest rewrite');
        expect(body).not.toContain('Bug reopen rate');
        expect(body).toContain('not linked to any engagement');
      }
      const help = await sendSlashCommand(base, { text: 'help', channelId: UNMAPPED_CHANNEL });
      expect(JSON.stringify(help.body)).toContain('/pulse status');
    });

    it('refuses forged and replayed commands with 401', async () => {
      const forged = await sendSlashCommand(
        base,
        { text: 'status', channelId: CLIENT_CHANNEL },
        { signingSecret: 'not-the-secret-0001' },
      );
      expect(forged.status).toBe(401);
      expect(JSON.stringify(forged.body)).not.toContain('Digest rewrite');
      const first = await sendSlashCommand(base, { text: 'status', channelId: CLIENT_CHANNEL });
      expect(first.status).toBe(200);
      const replay = await postSignedSlackRequest(base, first.rawBody, first.headers);
      expect(replay.status).toBe(401);
      const stale = await sendSlashCommand(
        base,
        { text: 'status', channelId: CLIENT_CHANNEL },
        { nowMs: Date.now() - 10 * 60_000 },
      );
      expect(stale.status).toBe(401);
    });

    it('sends a late answer to response_url only on Slack’s host or one the admin allowed', async () => {
      // Past Slack's 3 s, /pulse acknowledges and answers through response_url instead.
      const commands = api.app.get(SlashCommandService);
      const reply = { response_type: 'ephemeral' as const, text: `Late answer ${kind}` };
      const path = `/slack/commands/T0SANDBOX/${kind}-1/late`;
      await commands.followUp(`${sandbox.url}${path}`, reply);
      expect(sandbox.slashResponses().filter((r) => r.path === path)).toEqual([
        expect.objectContaining({ body: { ...reply, replace_original: false } }),
      ]);
      // The same server by a name nobody allowed, and URLs that are not URLs: nothing is sent.
      const before = sandbox.slashResponses().length;
      const port = new URL(sandbox.url).port;
      await commands.followUp(`http://localhost:${port}/slack/commands/T0SANDBOX/${kind}-2/late`, reply);
      await commands.followUp('hooks.slack.com/commands/no-scheme', reply);
      await commands.followUp(42, reply);
      expect(sandbox.slashResponses()).toHaveLength(before);
    });
  });
});
