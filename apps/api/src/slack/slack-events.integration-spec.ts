// The Events API path end to end: the sandbox plays Slack's sender (signed with the app's
// signing secret) against the real API, next to the pull through the real WebClient. The
// same rows must come from pull-only, events after a backfill, and both mixed; a forged,
// stale or replayed request changes nothing; no message text reaches the database, Redis or
// the logs (the API's, at debug level with request logging, and the worker's during a sync).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource, IsNull } from 'typeorm';
import {
  connectorFor,
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  signSlackRequest,
  type ConnectorPage,
} from '@pulse/connectors';
import {
  ChatMessageEntity,
  ConnectionEntity,
  EngagementEntity,
  PersonEntity,
  SecretBox,
  SyncRunEntity,
} from '@pulse/db';
import { RosterService } from '../engagements/roster.service';
import { SANDBOX_SLACK_SIGNING_SECRET, startSandbox } from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import {
  messageChangedEvent,
  messageDeletedEvent,
  memberEvent,
  messageEvent,
  postSigned,
  sendSlackEvent,
  urlVerificationBody,
} from '../../../sandbox/src/slack/slack-events.sender';
import { postRaw } from '../../../sandbox/src/slack/slack-sender';
import { markChatDeleted, writeRecordBatch } from '../../../worker/src/collectors/record-writer';
import { WorkerModule } from '../../../worker/src/worker.module';
import { loadWorkerConfig } from '../../../worker/src/worker-config';
import { DATABASE_KINDS } from '../../../../test/databases';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { waitFor } from '../../../../test/worker-process';

jest.setTimeout(180_000);
const NOW = '2026-11-20T12:00:00.000Z';
const slack = connectorFor('slack')!;

/** Every log line the API (pino) and the worker (Nest's logger) write, kept for the no-text test. */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});
const captureLogger: LoggerService = {
  log: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
  error: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
  warn: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
  debug: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
  verbose: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
  fatal: (...args: unknown[]) => logLines.push(JSON.stringify(args)),
};

describe.each(DATABASE_KINDS)('Slack events on %s', (kind) => {
  let api: ApiHarness;
  let sb: RunningSandbox;
  let eventsUrl: string;
  let ds: DataSource;
  let channel: string;
  const engagements: Record<'events' | 'pull', string> = { events: '', pull: '' };
  const cursors: Record<string, unknown> = {};

  const insertEngagement = async (): Promise<string> => {
    const id = randomUUID();
    const calendar = {
      timeZone: 'UTC',
      weekdays: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      holidays: [],
    };
    await ds.getRepository(EngagementEntity).insert({
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
  };
  const pull = (engagementId: string) =>
    slack.sync({
      settings: { baseUrl: sb.slackUrl, channelIds: [channel], appClass: 'internal' },
      secret: sb.manifest({ counts: false }).credentials.slack.botToken,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      cursor: cursors[engagementId] ?? null,
      now: () => Date.parse(sb.manifest({ counts: false }).now),
      rules: { bugTypes: [], storyPointsField: null },
      sink: {
        savePage: (page: ConnectorPage) =>
          ds.transaction((tx) => writeRecordBatch(tx, engagementId, page)).then(() => undefined),
        saveCursor: async (c) => {
          cursors[engagementId] = c;
        },
        markChatDeleted: (scope, present) =>
          ds.transaction((tx) => markChatDeleted(tx, engagementId, scope, present)),
      },
    });
  const rowsOf = async (engagementId: string) =>
    (await ds.getRepository(ChatMessageEntity).findBy({ engagementId }))
      .map((r) => `${r.channel}/${r.ts}/${r.threadTs}/${r.authorId}/${r.subtype}/${r.botId}`)
      .sort();
  const snapshot = async () =>
    JSON.stringify(await ds.getRepository(ChatMessageEntity).find({ order: { id: 'ASC' } }));

  beforeAll(async () => {
    api = await startApi(
      kind,
      // request logging at the most talkative level: the no-text test reads all of it
      { PULSE_SLACK_SIGNING_SECRET: SANDBOX_SLACK_SIGNING_SECRET, LOG_LEVEL: 'trace' },
      undefined,
      { logStream },
    );
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/slack/events`;
    sb = await startSandbox({ port: 0, now: NOW, slackEventsUrl: eventsUrl });
    ds = api.app.get(DataSource);
    channel = sb.manifest({ counts: false }).scenarios.slipping.slack.channels[0]!.id;
    engagements.events = await insertEngagement();
    engagements.pull = await insertEngagement();
    // Only the events engagement's Slack connection monitors the channel: events go there.
    await ds.getRepository(ConnectionEntity).save({
      id: randomUUID(),
      engagementId: engagements.events,
      kind: 'slack',
      settings: { baseUrl: sb.slackUrl, channelIds: [channel] },
      secretCiphertext: null,
      cursor: null,
      createdAt: 0,
      updatedAt: 0,
    } as unknown as ConnectionEntity);
  });
  afterAll(async () => {
    await sb?.close();
    await api?.close();
  });

  it('answers url_verification with the challenge', async () => {
    const res = await postSigned(
      eventsUrl,
      urlVerificationBody('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('events after a backfill give the same rows as a pull; a pull after them adds nothing', async () => {
    expect((await pull(engagements.events)).error).toBeUndefined();
    const backfilled = (await rowsOf(engagements.events)).length;
    // The advance makes the sandbox post its new messages and replies to /api/slack/events.
    const res = await fetch(`${sb.url}/_sandbox/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hours: 12 }),
    });
    expect(res.status).toBe(200);
    const afterEvents = await rowsOf(engagements.events);
    expect(afterEvents.length).toBeGreaterThan(backfilled);
    expect((await pull(engagements.pull)).error).toBeUndefined();
    const pullOnly = await rowsOf(engagements.pull);
    expect(afterEvents).toEqual(pullOnly);
    // mixed: the incremental pull re-reads what the events brought; no row is added twice
    expect((await pull(engagements.events)).error).toBeUndefined();
    expect(await rowsOf(engagements.events)).toEqual(pullOnly);
  });

  it('an edit updates the row (no new response); a deletion flags it; Slack’s re-delivery adds nothing', async () => {
    const repo = ds.getRepository(ChatMessageEntity);
    const target = (
      await repo.find({
        where: { engagementId: engagements.events, subtype: IsNull(), threadTs: IsNull() },
        order: { at: 'DESC' },
        take: 1,
      })
    )[0]!;
    const count = await repo.countBy({ engagementId: engagements.events });
    const edit = await sendSlackEvent(
      eventsUrl,
      messageChangedEvent({
        channel,
        ts: target.ts,
        user: target.authorId!,
        text: 'edited words that must never be stored',
        previousText: 'earlier words',
        editedAt: `${Number(target.ts.split('.')[0]) + 60}.000100`,
      }),
    );
    expect(edit.status).toBe(200);
    expect(await repo.countBy({ engagementId: engagements.events })).toBe(count);
    expect((await repo.findOneByOrFail({ id: target.id })).edited).toBe(true);
    const del = await sendSlackEvent(
      eventsUrl,
      messageDeletedEvent({
        channel,
        ts: target.ts,
        user: target.authorId!,
        text: 'deleted words',
        deletedAt: `${Number(target.ts.split('.')[0]) + 120}.000100`,
      }),
    );
    expect(del.status).toBe(200);
    expect(await repo.findOneByOrFail({ id: target.id })).toMatchObject({ deleted: true, edited: true });
    expect(await repo.countBy({ engagementId: engagements.events })).toBe(count);
    // Slack re-delivers an event it thinks was missed: same event_id, signed anew.
    const again = await sendSlackEvent(
      eventsUrl,
      messageEvent({ channel, ts: target.ts, user: target.authorId!, text: 'x' }),
      {
        eventId: del.eventId,
      },
    );
    expect(again.status).toBe(200);
    expect(await repo.findOneByOrFail({ id: target.id })).toMatchObject({ deleted: true });
    expect(await repo.countBy({ engagementId: engagements.events })).toBe(count);
  });

  it('edits and deletions made in Slack reach Pulse alike by events and by the next pull alone', async () => {
    const repo = ds.getRepository(ChatMessageEntity);
    // The pull-only engagement is in step with Slack; pick, in the window its next pull re-reads,
    // a plain request, another to edit, a thread parent (its replies live on) and one reply.
    const rows = await repo.find({ where: { engagementId: engagements.pull, channel } });
    const replies = new Map<string, number>();
    for (const r of rows) if (r.threadTs) replies.set(r.threadTs, (replies.get(r.threadTs) ?? 0) + 1);
    const newest = Math.max(...rows.filter((r) => r.threadTs === null).map((r) => r.at));
    const recent = rows
      .filter((r) => r.at > newest - 36 * 3_600_000 && r.at < newest - 3_600_000 && !r.edited && !r.deleted)
      .sort((a, b) => b.at - a.at);
    const topLevel = recent.filter((r) => r.threadTs === null && r.subtype === null && r.botId === null);
    const [plain, toEdit] = topLevel.filter((r) => !replies.has(r.ts));
    const parent = topLevel.find((r) => (replies.get(r.ts) ?? 0) >= 1);
    const reply = recent.find(
      (r) => r.threadTs !== null && r.threadTs !== parent?.ts && replies.get(r.threadTs)! >= 2,
    );
    expect([plain, toEdit, parent, reply].every(Boolean)).toBe(true);
    const change = async (kind: 'edit' | 'delete', ts: string) => {
      const res = await fetch(`${sb.url}/_sandbox/slack/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel, ts }),
      });
      expect(res.status).toBe(200);
    };
    // The sandbox changes its history and sends Slack's events to the events engagement.
    await change('delete', plain!.ts);
    await change('edit', toEdit!.ts);
    await change('delete', parent!.ts);
    await change('delete', reply!.ts);
    const result = await pull(engagements.pull);
    expect(result.error).toBeUndefined();
    expect(result.counts['deletedUpstream']).toBe(3);
    const watched = [plain!, toEdit!, parent!, reply!, ...rows.filter((r) => r.threadTs === parent!.ts)];
    const flags = async (engagementId: string) =>
      Promise.all(
        watched.map(async (w) => {
          const r = await repo.findOneByOrFail({ engagementId, channel, ts: w.ts });
          return `${r.ts}/${r.authorId}/edited:${r.edited}/deleted:${r.deleted}`;
        }),
      );
    const pulled = await flags(engagements.pull);
    expect(pulled.slice(0, 4)).toEqual([
      `${plain!.ts}/${plain!.authorId}/edited:false/deleted:true`,
      `${toEdit!.ts}/${toEdit!.authorId}/edited:true/deleted:false`,
      // a deleted parent whose replies live on is a tombstone by USLACKBOT: its author stays
      `${parent!.ts}/${parent!.authorId}/edited:false/deleted:true`,
      `${reply!.ts}/${reply!.authorId}/edited:false/deleted:true`,
    ]);
    expect(pulled.slice(4).every((f) => f.endsWith('deleted:false'))).toBe(true);
    expect(await flags(engagements.events)).toEqual(pulled);
    // mixed: a pull after the events changes nothing of it
    expect((await pull(engagements.events)).error).toBeUndefined();
    expect(await flags(engagements.events)).toEqual(pulled);
    // the next pull, nothing having changed, marks nothing more
    const again = await pull(engagements.pull);
    expect(again.counts['deletedUpstream']).toBe(0);
    expect(await flags(engagements.pull)).toEqual(pulled);
  });

  it('refuses a forged, a stale and a replayed event with 401 and changes nothing', async () => {
    const before = await snapshot();
    const event = {
      type: 'message',
      channel,
      user: 'U0FORGED1',
      text: 'forged words',
      ts: '1795300000.000100',
      event_ts: '1795300000.000100',
      channel_type: 'channel',
    };
    const forged = await sendSlackEvent(eventsUrl, event, { signingSecret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);
    const stale = await sendSlackEvent(eventsUrl, event, { nowMs: Date.now() - 10 * 60_000 });
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body)).toMatch(/more than 5 minutes/);
    // a good request, captured and sent again
    const raw = JSON.stringify({ type: 'url_verification', challenge: 'replay-me' });
    const headers = {
      'content-type': 'application/json',
      ...signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, raw, Date.now()),
    };
    expect((await postRaw(eventsUrl, raw, headers)).status).toBe(200);
    expect((await postRaw(eventsUrl, raw, headers)).status).toBe(401);
    expect(await snapshot()).toBe(before);
  });

  it('joins and leaves from member events are the pull’s channel_join / channel_leave records, never twice', async () => {
    // A new engagement monitoring the channel, nothing pulled yet: the events come first.
    const fresh = await insertEngagement();
    await ds.getRepository(ConnectionEntity).save({
      id: randomUUID(),
      engagementId: fresh,
      kind: 'slack',
      settings: { baseUrl: sb.slackUrl, channelIds: [channel] },
      secretCiphertext: null,
      cursor: null,
      createdAt: 0,
      updatedAt: 0,
    } as unknown as ConnectionEntity);
    const repo = ds.getRepository(ChatMessageEntity);
    const joinsOf = async (engagementId: string) =>
      (await repo.findBy({ engagementId }))
        .filter((r) => r.subtype === 'channel_join' || r.subtype === 'channel_leave')
        .map((r) => `${r.channel}/${r.ts}/${r.authorId}/${r.subtype}`)
        .sort();
    // The history's joins (pulled earlier for the pull-only engagement).
    const historyJoin = (
      await repo.find({
        where: { engagementId: engagements.pull, subtype: 'channel_join' },
        order: { at: 'ASC' },
      })
    )[0]!;
    expect(historyJoin).toBeDefined();
    // Slack stamps the event on its own: a second and a half after the join message here.
    const eventTs = `${Number(historyJoin.ts.split('.')[0]) + 1}.${'5'.padEnd(6, '0')}`;
    const joined = await sendSlackEvent(
      eventsUrl,
      memberEvent('joined', { channel, user: historyJoin.authorId!, eventTs }),
    );
    expect(joined.status).toBe(200);
    expect(await joinsOf(fresh)).toEqual([`${channel}/${eventTs}/${historyJoin.authorId}/channel_join`]);
    // A leave nobody pulled yet (a user not in the history) is written too.
    const leaveTs = `${Math.floor(Date.parse(NOW) / 1000) + 3600}.000200`;
    const left = await sendSlackEvent(
      eventsUrl,
      memberEvent('left', { channel, user: 'U0LEAVER1', eventTs: leaveTs }),
    );
    expect(left.status).toBe(200);
    expect(await joinsOf(fresh)).toContain(`${channel}/${leaveTs}/U0LEAVER1/channel_leave`);
    // The full pull brings the history's join: it supersedes the event's, one row per join.
    expect((await pull(fresh)).error).toBeUndefined();
    const afterPull = await joinsOf(fresh);
    expect(afterPull).not.toContain(`${channel}/${eventTs}/${historyJoin.authorId}/channel_join`);
    expect(afterPull.filter((r) => r !== `${channel}/${leaveTs}/U0LEAVER1/channel_leave`)).toEqual(
      await joinsOf(engagements.pull),
    );
    // The same join delivered again (a new event id, as after a reconnect) adds nothing.
    const again = await sendSlackEvent(
      eventsUrl,
      memberEvent('joined', { channel, user: historyJoin.authorId!, eventTs }),
    );
    expect(again.status).toBe(200);
    expect(await joinsOf(fresh)).toEqual(afterPull);
  });

  it('no message text of the sandbox reaches the database, Redis or the logs', async () => {
    // A sync through the real worker (in process, every log level captured) of a third
    // engagement that monitors the channel, its connection set up through the API.
    const workerEngagement = await insertEngagement();
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const host = new URL(sb.url).host;
    // Saved directly (the API's outbound policy was fixed before the sandbox's port was known).
    await ds.getRepository(ConnectionEntity).save({
      id: randomUUID(),
      engagementId: workerEngagement,
      kind: 'slack',
      settings: { baseUrl: sb.slackUrl, channelIds: [channel], appClass: 'internal' },
      secretCiphertext: api.app
        .get(SecretBox)
        .encrypt(sb.manifest({ counts: false }).credentials.slack.botToken),
      cursor: null,
      createdAt: 0,
      updatedAt: 0,
    } as unknown as ConnectionEntity);
    const worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          ...(api.database.databaseUrl
            ? { DATABASE_URL: api.database.databaseUrl }
            : { PULSE_DATA_DIR: api.config.PULSE_DATA_DIR }),
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          WORKER_ID: 'slack-no-text-worker',
          PULSE_ALLOWED_UPSTREAM_HOSTS: host,
          LOG_LEVEL: 'trace',
        }),
      ),
      { logger: captureLogger },
    );
    try {
      const started = (await agent.post(`/api/engagements/${workerEngagement}/sync`).expect(202)).body as {
        run: { id: string };
      };
      const run = await waitFor('the worker’s Slack sync', async () => {
        const r = await ds.getRepository(SyncRunEntity).findOneBy({ id: started.run.id });
        return r && r.status !== 'queued' && r.status !== 'running' ? r : null;
      });
      expect(run.status).toBe('succeeded');
      // the worker read the channel for real (its history, with the join and leave messages)
      expect(
        await ds.getRepository(ChatMessageEntity).countBy({ engagementId: workerEngagement }),
      ).toBeGreaterThan(100);
    } finally {
      await worker.close();
    }

    // Ground truth: every text the sandbox serves for the channel (read straight from its API).
    const texts = new Set<string>([
      'edited words that must never be stored',
      'earlier words',
      'deleted words',
      'forged words',
    ]);
    const token = sb.manifest({ counts: false }).credentials.slack.botToken;
    let cursor = '';
    do {
      const page = (await (
        await fetch(
          `${sb.slackUrl}conversations.history?channel=${channel}&limit=999${cursor ? `&cursor=${cursor}` : ''}`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        )
      ).json()) as {
        messages: { text: string; ts: string; reply_count?: number }[];
        response_metadata: { next_cursor: string };
      };
      for (const m of page.messages) texts.add(m.text);
      cursor = encodeURIComponent(page.response_metadata.next_cursor);
    } while (cursor);
    for (const t of [
      'Yes, deployed an hour ago.',
      'Following up on this one.',
      'Thanks!',
      'Noted.',
      'Also seeing it on production.',
    ])
      texts.add(t);
    expect(texts.size).toBeGreaterThan(10);

    const dump: string[] = [];
    for (const entity of ds.entityMetadatas) {
      const rows = await ds.getRepository(entity.target).find();
      dump.push(JSON.stringify(rows));
    }
    const redis = new Redis(api.config.REDIS_URL);
    try {
      for (const key of await redis.keys(`${api.config.QUEUE_PREFIX}*`)) {
        const type = await redis.type(key);
        if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') dump.push((await redis.get(key)) ?? '');
        else if (type === 'list') dump.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') dump.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') dump.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } finally {
      redis.disconnect();
    }
    // the rollup jobs the events queued are there, so Redis was looked at for real
    expect(dump.join('\n')).toContain(engagements.events);
    // the logs were written for real: the event deliveries' requests and the worker's sync
    const logs = logLines.join('\n');
    expect(logs).toContain('/api/slack/events');
    expect(logs).toContain('WorkerModule');
    expect(logs).toContain(`/api/engagements/${workerEngagement}/sync`);
    dump.push(logs);
    const all = dump.join('\n');
    for (const t of texts) expect({ text: t, found: all.includes(t) }).toEqual({ text: t, found: false });
  });

  it('suggests roster people for Slack users by e-mail; bots never appear', async () => {
    const roster = api.app.get(RosterService);
    const people = sb.manifest({ counts: false }).scenarios.slipping.people;
    const first = people[0]!;
    await ds.getRepository(PersonEntity).insert({
      id: randomUUID(),
      engagementId: engagements.events,
      displayName: first.name,
      email: first.email.toUpperCase(),
      side: first.side,
      isBot: false,
      identities: { github: [], jira: [], slack: [] },
      leftAt: null,
    } as unknown as PersonEntity);
    const slackIds = (await roster.unassigned(engagements.events)).filter((u) => u.source === 'slack');
    const authors = new Set(people.map((p) => p.slack.userId));
    expect(slackIds.length).toBeGreaterThan(0);
    // people of the channel only: the CI bot (bot_message) and the forged user are not listed
    for (const u of slackIds) expect(authors.has(u.externalId)).toBe(true);
    const suggested = slackIds.find((u) => u.externalId === first.slack.userId);
    expect(suggested).toMatchObject({ suggestedPerson: { displayName: first.name, side: first.side } });
    // matched on hashes: no Slack e-mail is returned in clear
    expect(JSON.stringify(slackIds)).not.toContain(first.email.toLowerCase());
    expect(suggested!.messages).toBeGreaterThan(0);
    expect(slackIds.filter((u) => u.suggestedPerson)).toHaveLength(1);
  });
});
