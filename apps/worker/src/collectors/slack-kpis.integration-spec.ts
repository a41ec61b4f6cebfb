// The chat KPIs from what the Slack collector stores: the slipping scenario's vendor replies
// slow from minutes to hours, and the unanswered-request drill-down lists exactly the n of
// the value — read back from SQLite and PostgreSQL, never with any message text.
import { randomUUID } from 'node:crypto';
import {
  connectorFor,
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  type ConnectorPage,
} from '@pulse/connectors';
import { EngagementEntity, loadEngagementRecords, PersonEntity } from '@pulse/db';
import { computeSeries, drillDownTable, engagementContext, isoWeekBuckets, trailingWindow } from '@pulse/kpi';
import { startSandbox } from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';
import { writeRecordBatch } from './record-writer';

const NOW = '2026-11-20T12:00:00.000Z';
const WEEK = 7 * 86_400_000;

describe.each(DATABASE_KINDS)('chat KPIs from the Slack collector on %s', (kind) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  let db: TestDatabase;
  let engagement: EngagementEntity;

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW });
    db = await openTestDatabase(kind);
    const m = sb.manifest({ counts: false });
    const s = m.scenarios.slipping;
    const calendar = (c: typeof s.calendars.client) => ({
      timeZone: c.timeZone,
      weekdays: c.workdays,
      start: c.start,
      end: c.end,
      holidays: [] as string[],
    });
    engagement = {
      id: randomUUID(),
      name: s.engagementName,
      vendorName: 'V',
      reportingTimeZone: s.calendars.client.timeZone,
      clientCalendar: calendar(s.calendars.client),
      vendorCalendar: calendar(s.calendars.vendor),
      syncCron: '*/30 * * * *',
      settings: {} as EngagementEntity['settings'],
      ownerId: randomUUID(),
      createdAt: 0,
      updatedAt: 0,
      scheduleError: null,
    } as unknown as EngagementEntity;
    await db.dataSource.getRepository(EngagementEntity).insert(engagement);
    await db.dataSource.getRepository(PersonEntity).insert(
      s.people.map((p) => ({
        id: randomUUID(),
        engagementId: engagement.id,
        displayName: p.name,
        email: p.email,
        side: p.side,
        isBot: false,
        identities: { github: [], jira: [], slack: [p.slack.userId] },
        leftAt: null,
      })) as PersonEntity[],
    );
    const result = await connectorFor('slack')!.sync({
      settings: { baseUrl: sb.slackUrl, channelIds: s.slack.channels.map((c) => c.id), appClass: 'internal' },
      secret: m.credentials.slack.botToken,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      cursor: null,
      now: () => Date.parse(NOW),
      rules: { bugTypes: [], storyPointsField: null },
      sink: {
        savePage: (page: ConnectorPage) =>
          db.dataSource.transaction((tx) => writeRecordBatch(tx, engagement.id, page)).then(() => undefined),
        saveCursor: async () => undefined,
      },
    });
    expect(result.error).toBeUndefined();
  });
  afterAll(async () => {
    await db?.close();
    await sb?.close();
  });

  it('vendor replies slow from minutes to hours; the unanswered drill-down lists exactly n, by channel and time only', async () => {
    const records = await loadEngagementRecords(db.dataSource, engagement.id, ['slack']);
    const now = Date.parse(NOW);
    const context = engagementContext(engagement, now);
    const start = Date.parse(sb.manifest({ counts: false }).historyStart);
    const zone = engagement.reportingTimeZone;
    const early = isoWeekBuckets(start + WEEK, start + 5 * WEEK, zone);
    const late = isoWeekBuckets(now - 5 * WEEK, now - WEEK, zone);
    const key = 'responsiveness.chat_first_response' as const;
    const values = (buckets: typeof early) =>
      computeSeries(records, context, buckets, [key])
        .map((r) => r.value)
        .filter((v): v is number => v !== null);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const earlyValues = values(early);
    const lateValues = values(late);
    expect(earlyValues.length).toBeGreaterThan(2);
    expect(lateValues.length).toBeGreaterThan(2);
    // business minutes: ~7 at the start, several times slower (~40–80) at the end
    expect(median(earlyValues)).toBeLessThan(60);
    expect(median(lateValues)).toBeGreaterThan(3 * median(earlyValues));

    // Every week and the trailing window: the drill-down lists exactly the card's n.
    const weeks = [...isoWeekBuckets(start, now, zone), trailingWindow(now, zone)];
    const unanswered = computeSeries(records, context, weeks, ['responsiveness.unanswered_requests']);
    let listed = 0;
    const tables = [];
    for (const [i, week] of weeks.entries()) {
      const table = drillDownTable('responsiveness.unanswered_requests', records, context, week)!;
      expect({ week: week.start, rows: table.rows.length }).toEqual({
        week: week.start,
        rows: unanswered[i]!.n,
      });
      for (const row of table.rows) {
        expect(row.id).toMatch(/^C0SLIP[A-Z]+\/\d+\.\d{6}$/);
        expect(row.cells['askedSide']).toBe('client');
        // answered later perhaps, but not by the end of the week it is listed for
        const answeredAt = row.cells['answeredAt'];
        if (typeof answeredAt === 'string') expect(Date.parse(answeredAt)).toBeGreaterThan(week.end);
      }
      listed += table.rows.length;
      tables.push(table);
    }
    expect(listed).toBeGreaterThan(0);
    const answered = drillDownTable(key, records, context, late[late.length - 1]!)!;
    expect(answered.rows.length).toBeGreaterThan(0);
    expect(
      answered.rows.every((r) => r.cells['answeredSide'] === 'vendor' && r.cells['answeredBy'] !== null),
    ).toBe(true);
    const json = JSON.stringify([tables, answered]);
    for (const text of ['Can someone check why staging is down?', 'On it, will update shortly.', 'Any ETA'])
      expect(json).not.toContain(text);
  });

  it('a roster vendor’s channel leave feeds continuity: a departure with the leave’s time', async () => {
    // The slipping scenario's key vendor leaves the engagement (and so the channels) 24 days
    // before the end of the history: in Slack that is a channel_leave message, nothing else.
    const leaver = sb.manifest({ counts: false }).scenarios.slipping.people.find((p) => p.leftAt)!;
    expect(leaver.side).toBe('vendor');
    const person = await db.dataSource
      .getRepository(PersonEntity)
      .findOneByOrFail({ engagementId: engagement.id, displayName: leaver.name });
    const records = await loadEngagementRecords(db.dataSource, engagement.id, ['slack']);
    expect(
      records.chatMessages.some((m) => m.authorId === leaver.slack.userId && m.subtype === 'channel_leave'),
    ).toBe(true);
    const now = Date.parse(NOW);
    const context = engagementContext(engagement, now);
    const window = trailingWindow(now, engagement.reportingTimeZone);
    const table = drillDownTable('continuity.contributor_departures', records, context, window)!;
    const row = table.rows.find((r) => r.id === person.id);
    expect(row?.cells).toMatchObject({ departed: true, leftChannelAt: leaver.leftAt });
    const [value] = computeSeries(records, context, [window], ['continuity.contributor_departures']);
    expect(value!.value).toBeGreaterThanOrEqual(1);
    // The leave time comes from that channel_leave record: without it there is none.
    const withoutLeave = {
      ...records,
      chatMessages: records.chatMessages.filter(
        (m) => !(m.authorId === leaver.slack.userId && m.subtype === 'channel_leave'),
      ),
    };
    const rowWithout = drillDownTable(
      'continuity.contributor_departures',
      withoutLeave,
      context,
      window,
    )!.rows.find((r) => r.id === person.id);
    expect(rowWithout?.cells['leftChannelAt'] ?? null).toBeNull();
  });
});
