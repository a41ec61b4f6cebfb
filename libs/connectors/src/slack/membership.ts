// Channel joins and leaves reach Pulse two ways: as `channel_join` / `channel_leave` messages
// in conversations.history (each with its own ts) and as `member_joined_channel` /
// `member_left_channel` events (an `event_ts`, no message ts). Both become the same chat
// record; the two stamps need not be equal, so one join is recognised by channel + user +
// subtype within a short window. Decision: the pull's record (the history message, which
// Slack keeps) supersedes the event's; an event arriving after the pull stored the join adds
// nothing.
import type { ChatMessageRecord } from '@pulse/contracts';
import { isSlackTs, slackTsToMs } from './mappers';

/** Stamps of the same join or leave closer than this are one membership change. */
export const MEMBERSHIP_MATCH_WINDOW_MS = 120_000;

export const MEMBERSHIP_SUBTYPES: readonly string[] = ['channel_join', 'channel_leave'];

export interface SlackMemberEventMeta {
  type: string;
  channel?: unknown;
  user?: unknown;
  event_ts?: unknown;
}

/** The record of a member_joined_channel / member_left_channel event, or null for others. */
export function mapSlackMemberEvent(event: SlackMemberEventMeta): ChatMessageRecord | null {
  const subtype =
    event.type === 'member_joined_channel'
      ? 'channel_join'
      : event.type === 'member_left_channel'
        ? 'channel_leave'
        : null;
  if (!subtype || !isSlackTs(event.event_ts)) return null;
  if (typeof event.channel !== 'string' || !event.channel || event.channel.length > 40) return null;
  if (typeof event.user !== 'string' || !event.user || event.user.length > 40) return null;
  return {
    channel: event.channel,
    ts: event.event_ts,
    at: slackTsToMs(event.event_ts),
    threadTs: null,
    authorId: event.user,
    subtype,
    botId: null,
  };
}

/** True for a join or leave record with an author (the ones matched across pull and events). */
export const isMembershipRecord = (r: Pick<ChatMessageRecord, 'subtype' | 'authorId'>): boolean =>
  r.authorId !== null && r.subtype !== null && MEMBERSHIP_SUBTYPES.includes(r.subtype);
