// Generates a scenario's Slack channels per day block: requests and answers (in threads or at
// top level), chatter, CI bot posts, joins and leaves.
import { type BlockSource, BlockList } from '../core/block-list.store';
import { Rng, hash32 } from '../core/random.util';
import {
  CLIENT_OFFSET,
  type ChannelDef,
  DAY,
  HOUR,
  type Person,
  SLACK_CI_BOT,
  type Scenario,
  type TimeFrame,
  VENDOR_OFFSET,
  intoWorkingHours,
  isWeekend,
  pickPerson,
  trend,
} from '../core/world.model';

const MINUTE = 60_000;

/** An edit made after the message was posted (Slack shows it as `edited`). */
export interface EditModel {
  user: string;
  ts: string;
}

export interface ReplyModel {
  ts: string;
  key: number;
  user: string;
  text: string;
  edited?: EditModel;
  /** Deleted after it was posted: gone from the thread. */
  deleted?: boolean;
}

export interface SlackMessageModel {
  scenario: Scenario;
  channel: ChannelDef;
  ts: string;
  /** sort key: milliseconds with the microsecond part as fraction */
  key: number;
  user: string;
  botId?: string;
  username?: string;
  subtype?: 'channel_join' | 'channel_leave' | 'bot_message';
  text: string;
  replies: ReplyModel[];
  edited?: EditModel;
  /** Deleted after it was posted: gone from the history, or a tombstone while replies live. */
  deleted?: boolean;
}

/** "1712345678.000123" → sort key. Same arithmetic everywhere so bounds compare exactly. */
export function tsKey(ts: string): number {
  const [sec, micro = '0'] = ts.split('.');
  return Number(sec) * 1000 + Number(micro.padEnd(6, '0').slice(0, 6)) / 1000;
}

export function makeTs(ms: number, salt: number): string {
  const sec = Math.floor(ms / 1000);
  const micro = (Math.floor(ms % 1000) * 1000 + (salt % 1000)) % 1_000_000;
  return `${sec}.${String(micro).padStart(6, '0')}`;
}

/** Shifts t to the next working minute of the side (Mon–Fri 09–18 local). */
function nextWorking(t: number, offset: number): number {
  let local = t + offset * HOUR;
  for (let guard = 0; guard < 8; guard++) {
    const d = new Date(local);
    const dow = d.getUTCDay();
    const h = d.getUTCHours() + d.getUTCMinutes() / 60;
    if (dow !== 0 && dow !== 6 && h >= 9 && h < 18) break;
    const dayStart = Math.floor(local / DAY) * DAY;
    local = h < 9 && dow !== 0 && dow !== 6 ? dayStart + 9 * HOUR : dayStart + DAY + 9 * HOUR;
  }
  return local - offset * HOUR;
}

interface SlackContext {
  seed: string;
  scale: number;
  scenario: Scenario;
  channel: ChannelDef;
  frame: TimeFrame;
}

const REQUESTS = [
  'Can someone check why staging is down?',
  'Is the release still on for Thursday?',
  'Could you look at the failing claim export?',
  'Any ETA on the login fix?',
  'Can we get a demo build today?',
];
const ANSWERS = [
  'On it, will update shortly.',
  'Yes, looking now.',
  'Fixed in the latest build.',
  'We will have it by EOD.',
];
const CHATTER = [
  'Standup notes are in the doc.',
  'Heads up: deploying to staging.',
  'PR is up for review.',
  'Retro moved to Friday.',
];

export function slackSource(ctx: SlackContext): BlockSource<SlackMessageModel> {
  const { seed, scenario, channel, frame } = ctx;
  return {
    blockCount: Math.ceil((frame.end - frame.start) / DAY),
    start: frame.start,
    end: frame.end,
    generate(b) {
      const start = frame.start + b * DAY;
      const end = Math.min(start + DAY, frame.end);
      const rng = new Rng(seed, channel.id, 'block', b);
      const weekend = isWeekend(start + 12 * HOUR, VENDOR_OFFSET);
      const n = Math.floor(channel.rate * ctx.scale * (weekend ? 0.08 : 1) + rng.next());
      const out: SlackMessageModel[] = [];
      let salt = hash32(seed, channel.id, b) % 500;
      const msg = (at: number, user: string, text: string): SlackMessageModel => ({
        scenario,
        channel,
        ts: makeTs(at, salt++),
        key: 0,
        user,
        text,
        replies: [],
      });
      const reply = (at: number, user: string, text: string): ReplyModel => ({
        ts: makeTs(at, salt++),
        key: 0,
        user,
        text,
      });
      // joins and leaves
      scenario.people.forEach((p, i) => {
        const joinAt = p.joinedAt ?? frame.start + 30 * MINUTE + i * 7 * MINUTE;
        if (joinAt >= start && joinAt < end)
          out.push({
            ...msg(joinAt, p.slackId, `<@${p.slackId}> has joined the channel`),
            subtype: 'channel_join',
          });
        if (p.leftAt !== undefined && p.leftAt >= start && p.leftAt < end)
          out.push({
            ...msg(p.leftAt, p.slackId, `<@${p.slackId}> has left the channel`),
            subtype: 'channel_leave',
          });
      });
      for (let k = 0; k < n; k++) {
        const roll = rng.next();
        if (roll < 0.38) {
          // a client request; the vendor answers in the thread or at top level
          const at = intoWorkingHours(start + rng.next() * (end - start), CLIENT_OFFSET, rng.next());
          if (at < start || at >= end) continue;
          const client = pickPerson(scenario.people, 'client', at, rng.next());
          const m = msg(at, client.slackId, rng.pick(REQUESTS));
          out.push(m);
          const tr = trend(scenario, frame, at);
          if (rng.chance(0.03 + 0.12 * tr)) continue; // never answered
          const delay = rng.lognormal(12 * (1 + 14 * tr), 0.7) * MINUTE;
          const answerAt = nextWorking(at, VENDOR_OFFSET) + delay;
          const vendor = pickPerson(scenario.people, 'vendor', at, rng.next());
          if (rng.chance(0.15) && at + delay * 0.3 < frame.end)
            m.replies.push(reply(at + delay * 0.3, client.slackId, 'Also seeing it on production.'));
          if (answerAt >= frame.end) continue;
          if (rng.chance(0.3) && answerAt < end) out.push(msg(answerAt, vendor.slackId, rng.pick(ANSWERS)));
          else m.replies.push(reply(answerAt, vendor.slackId, rng.pick(ANSWERS)));
          if (rng.chance(0.3) && answerAt + 20 * MINUTE < frame.end)
            m.replies.push(reply(answerAt + 20 * MINUTE, client.slackId, 'Thanks!'));
        } else if (roll < 0.55) {
          // a vendor request answered by the client
          const at = intoWorkingHours(start + rng.next() * (end - start), VENDOR_OFFSET, rng.next());
          if (at < start || at >= end) continue;
          const vendor = pickPerson(scenario.people, 'vendor', at, rng.next());
          const m = msg(at, vendor.slackId, 'Could you confirm the acceptance criteria for this one?');
          out.push(m);
          const answerAt = nextWorking(at, CLIENT_OFFSET) + rng.lognormal(40, 0.7) * MINUTE;
          if (answerAt < frame.end && rng.chance(0.92)) {
            m.replies.push(
              reply(
                answerAt,
                pickPerson(scenario.people, 'client', at, rng.next()).slackId,
                'Confirmed, go ahead.',
              ),
            );
          }
        } else if (roll < 0.8) {
          const side = rng.chance(0.6) ? 'vendor' : 'client';
          const at = intoWorkingHours(
            start + rng.next() * (end - start),
            side === 'vendor' ? VENDOR_OFFSET : CLIENT_OFFSET,
            rng.next(),
          );
          if (at < start || at >= end) continue;
          const who: Person = pickPerson(scenario.people, side, at, rng.next());
          const m = msg(at, who.slackId, rng.pick(CHATTER));
          out.push(m);
          const nReplies = rng.chance(0.3) ? rng.int(1, 3) : 0;
          for (let rI = 0; rI < nReplies; rI++) {
            const rAt = at + (rI + 1) * rng.lognormal(15, 0.5) * MINUTE;
            if (rAt < frame.end)
              m.replies.push(
                reply(
                  rAt,
                  pickPerson(scenario.people, rng.chance(0.5) ? 'vendor' : 'client', rAt, rng.next()).slackId,
                  'Noted.',
                ),
              );
          }
        } else {
          const at = start + rng.next() * (end - start);
          out.push({
            ...msg(
              at,
              SLACK_CI_BOT.userId,
              `Build #${b * 10 + k} ${rng.chance(0.9) ? 'passed' : 'failed'} on main`,
            ),
            botId: SLACK_CI_BOT.botId,
            username: SLACK_CI_BOT.name,
            subtype: 'bot_message',
          });
        }
      }
      // A thread whose last word is the client's ("Confirmed", "Thanks!") gets the vendor's
      // short acknowledgement, as delivery channels do: by Pulse's definition (docs/kpis.md)
      // a client message nobody on the vendor side follows up is an unanswered request.
      // Picked by hash, not by `rng`, so the rest of the block stays as it was.
      const clientIds = new Set(scenario.people.filter((p) => p.side === 'client').map((p) => p.slackId));
      for (const m of out) {
        const last = m.replies[m.replies.length - 1];
        if (!last || !clientIds.has(last.user)) continue;
        const ackAt = tsKey(last.ts) + 10 * MINUTE;
        if (ackAt >= frame.end) continue;
        const vendor = pickPerson(
          scenario.people,
          'vendor',
          ackAt,
          (hash32(seed, channel.id, last.ts) % 1000) / 1000,
        );
        m.replies.push(reply(ackAt, vendor.slackId, 'Thanks, noted.'));
      }
      for (const m of out) {
        m.key = tsKey(m.ts);
        m.replies.sort((a, c) => tsKey(a.ts) - tsKey(c.ts));
        for (const r of m.replies) r.key = tsKey(r.ts);
      }
      // A few people fix a typo minutes later: Slack's history then carries `edited`.
      // Picked by hash, so the rest of the block stays as it was.
      const edit = (ts: string, user: string): EditModel | undefined => {
        if (hash32(seed, channel.id, ts, 'edit') % 100 >= 4) return undefined;
        const at = tsKey(ts) + (2 + (hash32(seed, ts, 'edit-after') % 28)) * MINUTE;
        return at < frame.end ? { user, ts: makeTs(at, hash32(seed, ts) % 1000) } : undefined;
      };
      for (const m of out) {
        if (m.subtype === undefined) {
          const e = edit(m.ts, m.user);
          if (e) m.edited = e;
        }
        for (const r of m.replies) {
          const e = edit(r.ts, r.user);
          if (e) r.edited = e;
        }
      }
      out.sort((a, c) => a.key - c.key);
      return out;
    },
  };
}

export interface ChannelWorld {
  ctx: SlackContext;
  messages: BlockList<SlackMessageModel>;
}

export function buildChannelWorld(
  seed: string,
  scale: number,
  scenario: Scenario,
  channel: ChannelDef,
  frame: TimeFrame,
): ChannelWorld {
  const ctx: SlackContext = { seed, scale, scenario, channel, frame };
  return {
    ctx,
    messages: new BlockList(
      slackSource(ctx),
      (m) => m.key,
      (m) => m.ts,
    ),
  };
}
