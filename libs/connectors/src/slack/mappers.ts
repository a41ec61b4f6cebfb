// Slack messages to records: metadata only. Text, attachments, files, blocks and reactions
// are never read into a record — the mapper picks the fields it keeps, it does not delete.
import type { ChatMessageRecord } from '@pulse/contracts';

/** The parts of a Slack message (history, replies or an event) Pulse may keep. */
export interface SlackMessageMeta {
  ts?: unknown;
  thread_ts?: unknown;
  user?: unknown;
  subtype?: unknown;
  bot_id?: unknown;
  edited?: unknown;
  reply_count?: unknown;
  latest_reply?: unknown;
}

const SLACK_TS = /^\d{1,12}\.\d{1,6}$/;

export const isSlackTs = (v: unknown): v is string => typeof v === 'string' && SLACK_TS.test(v);

/** Orders two Slack ts exactly (a double cannot hold 16 digits): negative, 0 or positive. */
export function compareSlackTs(a: string, b: string): number {
  const [as = '0', au = ''] = a.split('.');
  const [bs = '0', bu = ''] = b.split('.');
  const bySeconds = Number(as) - Number(bs);
  return bySeconds !== 0 ? bySeconds : Number(au.padEnd(6, '0')) - Number(bu.padEnd(6, '0'));
}

/** `1717400000.123456` → epoch ms. */
export const slackTsToMs = (ts: string): number => Math.round(Number(ts) * 1000);

const str = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : null;

/** The record of one message in `channel`, or null when it has no usable `ts`. */
export function mapSlackMessage(channel: string, m: SlackMessageMeta): ChatMessageRecord | null {
  if (!isSlackTs(m.ts)) return null;
  // A thread's parent carries thread_ts = ts only once it has replies (history shows it, the
  // event that announced it did not): both are the same top-level message, stored as null.
  const threadTs = isSlackTs(m.thread_ts) && m.thread_ts !== m.ts ? m.thread_ts : null;
  const record: ChatMessageRecord = {
    channel,
    ts: m.ts,
    at: slackTsToMs(m.ts),
    threadTs,
    authorId: str(m.user, 40),
    subtype: str(m.subtype, 60),
    botId: str(m.bot_id, 40),
  };
  if (m.edited !== undefined && m.edited !== null) record.edited = true;
  return record;
}

/** Only the metadata fields of a message: what may be logged, queued or kept. */
export function slackMessageMeta(m: SlackMessageMeta): SlackMessageMeta {
  const out: SlackMessageMeta = {};
  for (const k of ['ts', 'thread_ts', 'user', 'subtype', 'bot_id', 'reply_count', 'latest_reply'] as const)
    if (m[k] !== undefined) out[k] = m[k];
  if (m.edited) out.edited = true;
  return out;
}

/** A thread needs reading when it has replies and its latest reply is newer than the stored one. */
export function threadHasNewReplies(m: SlackMessageMeta, storedLatest: string | undefined): boolean {
  const count = typeof m.reply_count === 'number' ? m.reply_count : 0;
  if (count <= 0 || !isSlackTs(m.latest_reply)) return false;
  return storedLatest === undefined || Number(m.latest_reply) > Number(storedLatest);
}

/** `https://<workspace>.slack.com/archives/<channel>/p<ts without the dot>`. */
export function slackPermalink(workspaceUrl: string, channel: string, ts: string): string {
  return `${workspaceUrl.replace(/\/+$/, '')}/archives/${channel}/p${ts.replace('.', '')}`;
}
