// The Slack collector through the real WebClient against the sandbox's Slack, writing through
// the real record writer into SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import {
  connectorFor,
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  syncSlack,
  type ConnectorSyncResult,
  type SlackClock,
  type SlackSettings,
} from '@pulse/connectors';
import { ChatMessageEntity, EngagementEntity, IdentityHintEntity } from '@pulse/db';
import {
  SANDBOX_SLACK_INACTIVE_BOT_TOKEN,
  SANDBOX_SLACK_LIMITED_BOT_TOKEN,
  SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN,
  SANDBOX_SLACK_OUTSIDER_BOT_TOKEN,
  startSandbox,
} from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { writeRecordBatch } from './record-writer';

const NOW = '2026-11-20T12:00:00.000Z';
const RULES = { bugTypes: ['Bug'], storyPointsField: null };
const slack = connectorFor('slack')!;

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

/** A clock the pacer waits on without real time passing (the sandbox paces on the same one). */
export function virtualClock(start: number): SlackClock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

describe.each(DATABASE_KINDS)('the Slack collector on %s', (kind) => {
  jest.setTimeout(240_000);
  let sb: RunningSandbox;
  let db: TestDatabase;
  let engagementId: string;
  let cursor: unknown = null;
  // Slack's per-minute limits and the pacer run on this clock: minutes pass without waiting.
  const clock = virtualClock(Date.now());
  const scenario = () => sb.manifest({ counts: true }).scenarios.slipping;
  const settings = (over: Partial<SlackSettings> = {}): SlackSettings => ({
    baseUrl: sb.slackUrl.replace(/\/$/, ''),
    channelIds: scenario().slack.channels.map((c) => c.id),
    appClass: 'internal',
    ...over,
  });
  const sync = (over: Partial<SlackSettings> = {}): Promise<ConnectorSyncResult> =>
    slack.sync({
      settings: settings(over),
      secret: sb.manifest({ counts: false }).credentials.slack.botToken,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      cursor,
      now: () => Date.parse(sb.manifest({ counts: false }).now),
      rules: RULES,
      sink: {
        savePage: (page) =>
          db.dataSource.transaction((tx) => writeRecordBatch(tx, engagementId, page)).then(() => undefined),
        saveCursor: async (c) => {
          cursor = c;
        },
      },
    });

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, slackClock: () => clock.now() });
    db = await openTestDatabase(kind);
    engagementId = await insertEngagement(db);
  });
  afterAll(async () => {
    await db?.close();
    await sb?.close();
  });

  it('stores every message and reply of the monitored channels, metadata only, with the minimum calls', async () => {
    const m = scenario();
    const result = await sync();
    expect(result.error).toBeUndefined();
    const rows = await db.dataSource.getRepository(ChatMessageEntity).findBy({ engagementId });
    const expected = m.slack.channels.reduce(
      (n, c) =>
        n + m.counts!.slackByChannel[c.id]!.topLevelMessages + m.counts!.slackByChannel[c.id]!.replies,
      0,
    );
    expect(rows).toHaveLength(expected);
    for (const c of m.slack.channels) {
      const counts = m.counts!.slackByChannel[c.id]!;
      const ofChannel = rows.filter((r) => r.channel === c.id);
      expect(ofChannel.filter((r) => r.threadTs === null)).toHaveLength(counts.topLevelMessages);
      expect(ofChannel.filter((r) => r.subtype === 'bot_message')).toHaveLength(counts.botMessages);
      expect(
        ofChannel.filter((r) => r.subtype === 'channel_join' || r.subtype === 'channel_leave'),
      ).toHaveLength(counts.joinLeaveMessages);
    }
    // Request by request: one auth.test (the workspace URL for links), one users.list page, one conversations.info per channel, history
    // pages of 200, one conversations.replies per thread — nothing more.
    const requests = sb.requests().filter((r) => r.source === 'slack');
    const by = (method: string) => requests.filter((r) => r.path === `/slack/api/${method}`).length;
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(by('auth.test')).toBe(1);
    expect(by('users.list')).toBe(1);
    expect(by('conversations.info')).toBe(m.slack.channels.length);
    expect(by('conversations.history')).toBe(
      m.slack.channels.reduce(
        (n, c) => n + Math.ceil(m.counts!.slackByChannel[c.id]!.topLevelMessages / 200),
        0,
      ),
    );
    expect(by('conversations.replies')).toBe(
      m.slack.channels.reduce((n, c) => n + m.counts!.slackByChannel[c.id]!.threads, 0),
    );
    expect(requests).toHaveLength(result.apiCalls);
    // People with e-mails become identity hints for the roster (bots do not).
    const hints = await db.dataSource
      .getRepository(IdentityHintEntity)
      .findBy({ engagementId, source: 'slack' });
    expect(hints.map((h) => h.externalId).sort()).toEqual(
      sb
        .manifest({ counts: false })
        .scenarios.slipping.people.concat(sb.manifest({ counts: false }).scenarios.steady.people)
        .map((p) => p.slack.userId)
        .sort(),
    );
  });

  it('reads only what is new after an advance: new messages and the threads with new replies', async () => {
    const before = await db.dataSource.getRepository(ChatMessageEntity).countBy({ engagementId });
    const advanced = sb.advance(12);
    sb.clearRequests();
    const result = await sync();
    expect(result.error).toBeUndefined();
    const m = scenario();
    const rows = await db.dataSource.getRepository(ChatMessageEntity).findBy({ engagementId });
    const expected = m.slack.channels.reduce(
      (n, c) =>
        n + m.counts!.slackByChannel[c.id]!.topLevelMessages + m.counts!.slackByChannel[c.id]!.replies,
      0,
    );
    expect(rows).toHaveLength(expected);
    expect(rows.length).toBeGreaterThan(before);
    const changed = advanced.changed.slipping.slack;
    for (const c of m.slack.channels) {
      for (const ts of changed[c.id]!.newMessages)
        expect(rows.some((r) => r.channel === c.id && r.ts === ts)).toBe(true);
    }
    const requests = sb.requests().filter((r) => r.source === 'slack');
    const by = (method: string) => requests.filter((r) => r.path === `/slack/api/${method}`).length;
    expect(by('auth.test')).toBe(0);
    expect(by('users.list')).toBe(0);
    expect(by('conversations.info')).toBe(0);
    expect(by('conversations.history')).toBe(m.slack.channels.length);
    // the new threads and the ones with a late reply, far fewer than all threads
    const threadsToRead = m.slack.channels.reduce(
      (n, c) => n + changed[c.id]!.newMessages.length + changed[c.id]!.threadsWithNewReplies.length,
      0,
    );
    expect(by('conversations.replies')).toBe(threadsToRead);
  });

  it('the steady scenario too: exactly its messages, with the minimum calls', async () => {
    const other = await insertEngagement(db);
    const m = sb.manifest({ counts: true }).scenarios.steady;
    const channelIds = m.slack.channels.map((c) => c.id);
    sb.clearRequests();
    const result = await slack.sync({
      settings: settings({ channelIds }),
      secret: sb.manifest({ counts: false }).credentials.slack.botToken,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      cursor: null,
      now: () => Date.parse(sb.manifest({ counts: false }).now),
      rules: RULES,
      sink: {
        savePage: (page) =>
          db.dataSource.transaction((tx) => writeRecordBatch(tx, other, page)).then(() => undefined),
        saveCursor: async () => undefined,
      },
    });
    expect(result.error).toBeUndefined();
    const rows = await db.dataSource.getRepository(ChatMessageEntity).findBy({ engagementId: other });
    const counts = channelIds.map((id) => m.counts!.slackByChannel[id]!);
    expect(rows).toHaveLength(counts.reduce((n, c) => n + c.topLevelMessages + c.replies, 0));
    expect(rows.filter((r) => r.threadTs === null)).toHaveLength(
      counts.reduce((n, c) => n + c.topLevelMessages, 0),
    );
    const requests = sb.requests().filter((r) => r.source === 'slack');
    const by = (method: string) => requests.filter((r) => r.path === `/slack/api/${method}`).length;
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(by('conversations.history')).toBe(
      counts.reduce((n, c) => n + Math.ceil(c.topLevelMessages / 200), 0),
    );
    expect(by('conversations.replies')).toBe(counts.reduce((n, c) => n + c.threads, 0));
    expect(requests).toHaveLength(
      1 + 1 + channelIds.length + by('conversations.history') + by('conversations.replies'),
    );
  });

  it('under the 1 request a minute, 15 a page class, completes across several runs with the same rows', async () => {
    const other = await insertEngagement(db);
    const first = m0();
    function m0() {
      return scenario().slack.channels[0]!.id;
    }
    let limitedCursor: unknown = null;
    let runs = 0;
    const statuses: string[] = [];
    sb.clearRequests();
    for (; runs < 40; runs++) {
      const result = await syncSlack({
        settings: settings({ channelIds: [first], appClass: 'non_marketplace_2025' }),
        secret: SANDBOX_SLACK_LIMITED_BOT_TOKEN,
        outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
        cursor: limitedCursor,
        now: () => Date.parse(sb.manifest({ counts: false }).now),
        rules: RULES,
        clock,
        budgetMs: 60 * 60_000,
        onProgress: (_f, phase) => statuses.push(phase),
        sink: {
          savePage: (page) =>
            db.dataSource.transaction((tx) => writeRecordBatch(tx, other, page)).then(() => undefined),
          saveCursor: async (c) => {
            limitedCursor = c;
          },
        },
      });
      expect(result.error).toBeUndefined();
      // a new run starts after the scheduler's interval
      clock.t += 30 * 60_000;
      if (!result.counts['pending']) break;
    }
    expect(runs).toBeGreaterThan(2);
    // Slack never had to refuse a request: the pacer kept to one a minute, 15 a page.
    const limited = sb.requests().filter((r) => /conversations\.(history|replies)$/.test(r.path));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => r.status === 200)).toBe(true);
    const repo = db.dataSource.getRepository(ChatMessageEntity);
    const mine = (await repo.findBy({ engagementId: other })).map(
      (r) => `${r.ts}/${r.threadTs}/${r.authorId}`,
    );
    const tiered = (await repo.findBy({ engagementId, channel: first })).map(
      (r) => `${r.ts}/${r.threadTs}/${r.authorId}`,
    );
    expect(mine.sort()).toEqual(tiered.sort());
    expect(
      statuses.some((s) =>
        new RegExp(`^${first}: [\\d ]+ of ~[\\d ]+ messages, paced by Slack’s limits`).test(s),
      ),
    ).toBe(true);
  });
});

describe('Slack collector errors, with the action to take', () => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW });
  });
  afterAll(() => sb?.close());

  const run = (secret: string, channelIds?: string[]) => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    return slack.sync({
      settings: {
        baseUrl: sb.slackUrl,
        channelIds: channelIds ?? [m.slack.channels[0]!.id],
        appClass: 'internal',
      },
      secret,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      cursor: null,
      now: () => Date.parse(NOW),
      rules: RULES,
      sink: { savePage: async () => undefined, saveCursor: async () => undefined },
    });
  };

  it('not_in_channel: invite @Pulse to the channel, named', async () => {
    const error = (await run(SANDBOX_SLACK_OUTSIDER_BOT_TOKEN)).error!;
    expect(error).toEqual({
      class: 'forbidden',
      message: expect.stringMatching(
        /^Pulse is not a member of #steady-delivery \(not_in_channel\): invite @Pulse to #steady-delivery/,
      ),
    });
  });

  it('missing_scope names the scope', async () => {
    const error = (await run(SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN)).error!;
    expect(error.class).toBe('forbidden');
    expect(error.message).toMatch(/lacks the scope channels:history \(missing_scope\)/);
  });

  it('invalid_auth and account_inactive pause with "reinstall"', async () => {
    for (const [token, code] of [
      ['xoxb-not-a-sandbox-token', 'invalid_auth'],
      [SANDBOX_SLACK_INACTIVE_BOT_TOKEN, 'account_inactive'],
    ] as const) {
      const error = (await run(token)).error!;
      expect(error.class).toBe('auth');
      expect(error.message).toContain(`(${code})`);
    }
  });

  it('channel_not_found for an unknown channel, while the others are still collected', async () => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    const alone = (await run(sb.manifest({ counts: false }).credentials.slack.botToken, ['C0NOSUCH1']))
      .error!;
    expect(alone.class).toBe('not_found');
    expect(alone.message).toContain('(channel_not_found)');
    const mixed = await run(sb.manifest({ counts: false }).credentials.slack.botToken, [
      'C0NOSUCH1',
      m.slack.channels[1]!.id,
    ]);
    expect(mixed.error).toBeUndefined();
    expect(mixed.skippedReasons.some((r) => r.includes('channel_not_found'))).toBe(true);
    expect(mixed.counts['chatMessages']).toBeGreaterThan(0);
  });

  it('connection test: auth and each channel by name; a bad token fails with the action', async () => {
    const m = sb.manifest({ counts: false }).scenarios.steady;
    const outbound = createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) });
    const settings = {
      baseUrl: sb.slackUrl,
      channelIds: [m.slack.channels[0]!.id, 'C0NOSUCH1'],
      appClass: 'internal' as const,
    };
    const tested = await slack.test(settings, sb.manifest({ counts: false }).credentials.slack.botToken, {
      outbound,
    });
    expect(tested.checks.map((c) => [c.name, c.ok])).toEqual([
      ['auth', true],
      [`channel ${m.slack.channels[0]!.id}`, true],
      ['channel C0NOSUCH1', false],
    ]);
    expect(tested.checks[1]!.detail).toBe('#steady-delivery, Pulse is a member');
    expect(tested.details).toEqual({ workspaceUrl: 'https://pulse-sandbox.slack.com/' });
    const bad = await slack.test(settings, 'xoxb-wrong', { outbound });
    expect(bad).toMatchObject({ ok: false, error: { class: 'auth' } });
    expect(bad.message).toContain('(invalid_auth)');
  });

  it('ratelimited: Retry-After is honoured by WebClient, then reported when Slack keeps refusing', async () => {
    sb.setFaults({ slack: { rateLimitRate: 1, retryAfterSeconds: 1 } });
    try {
      const m = sb.manifest({ counts: false }).scenarios.steady;
      const result = await slack.sync({
        settings: { baseUrl: sb.slackUrl, channelIds: [m.slack.channels[0]!.id], appClass: 'internal' },
        secret: sb.manifest({ counts: false }).credentials.slack.botToken,
        outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
        cursor: null,
        now: () => Date.parse(NOW),
        rules: RULES,
        sink: { savePage: async () => undefined, saveCursor: async () => undefined },
      });
      expect(result.error).toMatchObject({ class: 'rate_limited', retryAfter: Date.parse(NOW) + 1000 });
      expect(result.error!.message).toMatch(/^Slack rate limit reached \(ratelimited\)/);
      // WebClient waited and retried before giving up: more than one request was made.
      expect(result.apiCalls).toBeGreaterThan(1);
    } finally {
      sb.setFaults({ slack: {} });
    }
  });
});
