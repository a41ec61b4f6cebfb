import { type KpiKey } from '@pulse/contracts';
import { computeKpi } from '../registry';
import { isoWeekBucket } from '../time/buckets';
import { aContext, aMessage, aReply, aTransition, aWorkItem, at, someRecords } from '../testing/builders';

const NY = 'America/New_York';
const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY); // Mon 4 Mar 05:00Z → Mon 11 Mar 04:00Z
// Vendor calendar: Berlin, UTC+1 in this period, Mon–Fri 09:00–18:00. Client: New York.

// R0 — over a weekend: carol Fri 1 Mar 17:30 CET, answered top-level by vera Mon 4 Mar 09:30 CET.
const r0 = aMessage('2024-03-01T16:30:00Z', 'carol');
const r0Answer = aMessage('2024-03-04T08:30:00Z', 'vera');
// R1 — two consecutive client messages fold into one request; a join and a bot message do not
// answer it; vince answers in the thread of the *second* message.
const r1 = aMessage('2024-03-04T09:00:00Z', 'carol');
const r1Fold = aMessage('2024-03-04T09:10:00Z', 'cid');
const join = aMessage('2024-03-04T09:20:00Z', 'vince', { subtype: 'channel_join' });
const bot = aMessage('2024-03-04T09:25:00Z', null, { botId: 'B42', subtype: 'bot_message' });
const r1Answer = aReply(r1Fold, '2024-03-04T09:30:00Z', 'vince');
// R2 — a thread request under a vendor message: a vendor top-level message does not answer it,
// a vendor reply in the thread does.
const v1 = aMessage('2024-03-05T08:00:00Z', 'vera');
const r2 = aReply(v1, '2024-03-05T10:00:00Z', 'carol');
const vinceTop = aMessage('2024-03-05T10:30:00Z', 'vince');
const r2Answer = aReply(v1, '2024-03-05T11:00:00Z', 'vera');
// R3 — another channel, answered top-level 4 business hours later.
const r3 = aMessage('2024-03-07T09:00:00Z', 'carol', { channel: 'C4' });
const r3Answer = aMessage('2024-03-07T13:00:00Z', 'vince', { channel: 'C4' });
// U1 — never answered (C2): Wed 10:00 CET; its follow-up on Friday folds into it.
const u1 = aMessage('2024-03-06T09:00:00Z', 'carol', { channel: 'C2' });
const u1Fold = aMessage('2024-03-08T16:00:00Z', 'carol', { channel: 'C2' });
// U2 — unanswered but only 3 business hours old at the end of the week (Fri 15:00 CET).
const u2 = aMessage('2024-03-08T14:00:00Z', 'carol', { channel: 'C3' });

const chatMessages = [
  r0,
  r0Answer,
  r1,
  r1Fold,
  join,
  bot,
  r1Answer,
  v1,
  r2,
  vinceTop,
  r2Answer,
  r3,
  r3Answer,
  u1,
  u1Fold,
  u2,
];
const records = someRecords({ chatMessages });
const kpi = (key: KpiKey, bucket = week, r = records) => computeKpi(key, r, bucket, aContext());

describe('responsiveness: chat', () => {
  it('chat_first_response: median business minutes of requests answered in the bucket', () => {
    // R0: Fri 17:30–18:00 + Mon 09:00–09:30 = 60 (not 64 h); R1: 10:00 → 10:30 = 30 (from the
    // first folded message, answered in the thread of the second); R2: 11:00 → 12:00 = 60;
    // R3: 10:00 → 14:00 = 240. Sorted 30, 60, 60, 240 → (60 + 60) / 2 = 60.
    expect(kpi('responsiveness.chat_first_response')).toEqual({ value: 60, n: 4, dropped: 0 });
  });

  it('chat_first_response_p90: nearest rank', () => {
    // n = 4 → rank ⌈3.6⌉ = 4 → 240.
    expect(kpi('responsiveness.chat_first_response_p90')).toEqual({ value: 240, n: 4, dropped: 0 });
  });

  it('input order does not matter', () => {
    const shuffled = someRecords({ chatMessages: [...chatMessages].reverse() });
    expect(kpi('responsiveness.chat_first_response', week, shuffled).value).toBe(60);
  });

  it('unanswered_requests: without response at bucket end and older than 1 business day', () => {
    // At Mon 11 Mar 05:00 CET: U1 is Wed 10:00 → 8 + 9 + 9 = 26 business hours old → counted
    // (its Friday follow-up folded, not a new request); U2 is 3 h old → not yet.
    expect(kpi('responsiveness.unanswered_requests')).toEqual({ value: 1, n: 1, dropped: 0 });
  });

  it('unanswered_requests: a request answered later is not unanswered in the weeks after', () => {
    const answered = someRecords({
      chatMessages: [...chatMessages, aMessage('2024-03-12T09:00:00Z', 'vera', { channel: 'C2' })],
    });
    const next = isoWeekBucket(at('2024-03-13T12:00:00Z'), NY);
    // Next week: U1 answered Tue 12; U2 still unanswered and old → 1. This week: still U1 → 1.
    expect(kpi('responsiveness.unanswered_requests', next, answered).value).toBe(1);
    expect(kpi('responsiveness.unanswered_requests', week, answered).value).toBe(1);
  });

  it('unanswered_requests stops counting requests older than the max age (28 days by default)', () => {
    const muchLater = isoWeekBucket(at('2024-05-01T12:00:00Z'), NY);
    expect(kpi('responsiveness.unanswered_requests', muchLater).value).toBe(0);
    const forever = aContext({ rules: { unansweredMaxAgeDays: null } });
    expect(computeKpi('responsiveness.unanswered_requests', records, muchLater, forever).value).toBe(2);
  });

  it('a request over the weekend lands in the week of its answer', () => {
    const before = isoWeekBucket(at('2024-02-28T12:00:00Z'), NY);
    expect(kpi('responsiveness.chat_first_response', before)).toEqual({ value: null, n: 0, dropped: 0 });
  });

  it('people off the roster and bots neither ask nor answer', () => {
    const r = someRecords({
      chatMessages: [
        aMessage('2024-03-05T09:00:00Z', 'carol', { channel: 'C7' }),
        aMessage('2024-03-05T09:05:00Z', 'stranger', { channel: 'C7' }),
        aMessage('2024-03-05T09:06:00Z', 'ci-helper', { channel: 'C7' }),
        aMessage('2024-03-05T09:10:00Z', 'vince', { channel: 'C7' }),
      ],
    });
    // Answered by vince at 10:10 CET, 10 minutes after 10:00.
    expect(kpi('responsiveness.chat_first_response', week, r).value).toBe(10);
  });

  it('client_chat_first_response: vendor requests answered by the client, client business hours', () => {
    const r = someRecords({
      chatMessages: [
        // vince asks Tue 10:00 EST; carol answers top-level at 10:45 EST → 45 min.
        aMessage('2024-03-05T15:00:00Z', 'vince', { channel: 'C9' }),
        aMessage('2024-03-05T15:45:00Z', 'carol', { channel: 'C9' }),
        // val asks in a thread under carol's message Wed 17:30 EST; cid answers there Thu 09:15 EST → 30 + 15.
        aMessage('2024-03-06T22:00:00Z', 'carol', { channel: 'C8', ts: 'P1' }),
        aMessage('2024-03-06T22:30:00Z', 'val', { channel: 'C8', threadTs: 'P1' }),
        aMessage('2024-03-07T14:15:00Z', 'cid', { channel: 'C8', threadTs: 'P1' }),
      ],
    });
    // carol's C8 message answers nothing (no open vendor request there). Samples 45, 45 → 45.
    expect(kpi('responsiveness.client_chat_first_response', week, r)).toEqual({
      value: 45,
      n: 2,
      dropped: 0,
    });
  });
});

describe('responsiveness: issues', () => {
  it('issue_first_response: client-reported issues to the first vendor comment or status change', () => {
    const r = someRecords({
      workItems: [
        aWorkItem({
          // carol reports Mon 17:00 CET; cid (client) comments; vince moves it Tue 11:00 CET → 1 h + 2 h = 3 h.
          reporterId: 'carol',
          createdAt: at('2024-03-04T16:00:00Z'),
          comments: [
            { authorId: 'cid', at: at('2024-03-04T16:30:00Z') },
            { authorId: 'vera', at: at('2024-03-05T12:00:00Z') },
          ],
          transitions: [aTransition('2024-03-05T10:00:00Z', 'todo', 'in_progress', 'vince')],
        }),
        aWorkItem({
          // carol reports Wed 10:00 CET; vera comments at 10:30 CET → 0.5 h
          reporterId: 'carol',
          createdAt: at('2024-03-06T09:00:00Z'),
          comments: [{ authorId: 'vera', at: at('2024-03-06T09:30:00Z') }],
        }),
        // reported by the vendor: not a client request
        aWorkItem({
          reporterId: 'vince',
          createdAt: at('2024-03-05T09:00:00Z'),
          comments: [{ authorId: 'vera', at: at('2024-03-05T09:10:00Z') }],
        }),
        // no vendor response yet: excluded
        aWorkItem({ reporterId: 'carol', createdAt: at('2024-03-05T09:00:00Z') }),
      ],
    });
    // Samples 3 h and 0.5 h → median 1.75 h.
    expect(kpi('responsiveness.issue_first_response', week, r)).toEqual({ value: 1.75, n: 2, dropped: 0 });
  });
});
