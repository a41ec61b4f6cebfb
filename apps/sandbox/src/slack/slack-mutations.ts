// Edits and deletions in the sandbox's Slack, as a person would make them after Pulse first
// read a channel: the history then shows what Slack shows — an edited message carries
// `edited`, a deleted one is gone, a deleted thread parent with live replies stays as a
// `tombstone` — and, when Pulse's events URL is configured, the message_changed /
// message_deleted event Slack would push is built alongside.
import { type WorldStore } from '../core/world.store';
import { SLACK_TEAM } from '../core/world.model';
import { messageChangedEvent, messageDeletedEvent, type SlackEvent } from './slack-events.sender';
import { makeTs, tsKey, type ChannelWorld, type ReplyModel, type SlackMessageModel } from './slack.generator';

export type SlackChangeKind = 'edit' | 'delete';

export interface SlackChange {
  kind: SlackChangeKind;
  channel: string;
  ts: string;
  /** The parent's ts when the changed message is a thread reply. */
  threadTs?: string;
  /** When the change happened (a Slack ts on the sandbox clock). */
  changedTs: string;
  /** What Slack would push to an Events API subscriber. */
  event: SlackEvent;
}

/** How far back (days of blocks) a reply's parent is looked for. */
const THREAD_LOOKBACK_DAYS = 30;
let changeSeq = 0;

/** Slack's text for a deleted parent that keeps its thread. */
export const TOMBSTONE_TEXT = 'This message was deleted.';

/** Whether `m` still shows in the history: live, or deleted but holding live replies. */
export const visibleInHistory = (m: SlackMessageModel): boolean =>
  !m.deleted || m.replies.some((r) => !r.deleted);

/** The live replies of a thread, in order. */
export const liveReplies = (m: SlackMessageModel): ReplyModel[] => m.replies.filter((r) => !r.deleted);

function candidates(world: WorldStore, channelId: string, ts: string): SlackMessageModel[] {
  const c = world.channel(channelId);
  if (!c) return [];
  const key = tsKey(ts);
  const out: SlackMessageModel[] = [];
  const last = Math.min(c.messages.blockOfKey(key), c.messages.blockCount - 1);
  for (let b = last; b >= Math.max(0, last - THREAD_LOOKBACK_DAYS); b--) out.push(...c.messages.block(b));
  out.push(...c.messages.tail);
  return out;
}

/**
 * Edits or deletes the message `ts` of `channelId` (a top-level message or a thread reply);
 * returns the change, or an error word as Slack's chat.update / chat.delete would say it.
 */
export function changeSlackMessage(
  world: WorldStore,
  kind: SlackChangeKind,
  channelId: string,
  ts: string,
): SlackChange | { error: 'channel_not_found' | 'message_not_found' } {
  const c = world.channel(channelId);
  if (!c) return { error: 'channel_not_found' };
  const channel = c.ctx.channel.id;
  let parent: SlackMessageModel | undefined;
  let reply: ReplyModel | undefined;
  for (const m of candidates(world, channel, ts)) {
    if (m.ts === ts && !m.deleted) parent = m;
    else reply = m.replies.find((r) => r.ts === ts && !r.deleted);
    if (parent || reply) {
      parent = m;
      break;
    }
  }
  if (!parent) return { error: 'message_not_found' };
  const changedTs = makeTs(world.now, 900 + (++changeSeq % 100));
  const target = reply ?? parent;
  const apply = (m: SlackMessageModel): SlackMessageModel => {
    if (!reply)
      return kind === 'edit' ? { ...m, edited: { user: m.user, ts: changedTs } } : { ...m, deleted: true };
    return {
      ...m,
      replies: m.replies.map((r) =>
        r.ts !== ts
          ? r
          : kind === 'edit'
            ? { ...r, edited: { user: r.user, ts: changedTs } }
            : { ...r, deleted: true },
      ),
    };
  };
  const list = c.messages;
  const inTail = list.tail.findIndex((m) => m.ts === parent.ts);
  if (inTail >= 0) {
    const changed = apply(list.tail[inTail]!);
    list.tail = list.tail.map((m, i) => (i === inTail ? changed : m));
    if (list.moved.has(parent.ts)) list.moved.set(parent.ts, changed);
  } else {
    const previous = list.patches.get(parent.ts);
    list.patches.set(parent.ts, (m) => apply(previous ? previous(m) : m));
  }
  list.invalidate();
  const base = {
    channel,
    ts,
    user: target.user,
    text: target.text,
    ...(reply ? { threadTs: parent.ts } : {}),
  };
  // A deleted parent whose replies live on becomes a tombstone: Slack tells subscribers with a
  // message_changed whose new message is the tombstone, not with message_deleted.
  const now =
    !reply && kind === 'delete'
      ? (list.tail.find((m) => m.ts === parent.ts) ?? findIn(list, parent.ts))
      : undefined;
  const event =
    kind === 'edit'
      ? messageChangedEvent({ ...base, previousText: target.text, editedAt: changedTs })
      : now && visibleInHistory(now)
        ? tombstoneEvent(channel, now, target.text, changedTs)
        : messageDeletedEvent({ ...base, deletedAt: changedTs });
  return { kind, channel, ts, ...(reply ? { threadTs: parent.ts } : {}), changedTs, event };
}

/** A deleted parent that keeps its thread, as conversations.history shows it. */
export function tombstone(m: SlackMessageModel): Record<string, unknown> {
  const replies = liveReplies(m);
  const users = [...new Set(replies.map((r) => r.user))];
  return {
    type: 'message',
    subtype: 'tombstone',
    hidden: true,
    user: 'USLACKBOT',
    text: TOMBSTONE_TEXT,
    ts: m.ts,
    thread_ts: m.ts,
    parent_user_id: 'USLACKBOT',
    reply_count: replies.length,
    reply_users_count: users.length,
    latest_reply: replies[replies.length - 1]?.ts ?? '0000000000.000000',
    reply_users: users,
    is_locked: false,
    subscribed: false,
    team: SLACK_TEAM.id,
  };
}

function tombstoneEvent(
  channel: string,
  m: SlackMessageModel,
  previousText: string,
  changedTs: string,
): SlackEvent {
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel,
    ts: changedTs,
    event_ts: changedTs,
    channel_type: 'channel',
    message: tombstone(m),
    previous_message: { type: 'message', user: m.user, text: previousText, ts: m.ts, thread_ts: m.ts },
  };
}

/** The generated record `ts` as it stands now (patches applied). */
function findIn(list: ChannelWorld['messages'], ts: string): SlackMessageModel | undefined {
  const b = list.blockOfKey(tsKey(ts));
  return b >= 0 && b < list.blockCount ? list.block(b).find((m) => m.ts === ts) : undefined;
}
