// Plays Slack's Events API sender: wraps an event in an `event_callback` envelope, signs the
// exact body with the app's signing secret (v0 HMAC over "v0:timestamp:body") and POSTs it to
// Pulse's /api/slack/events. Used by tests and by the demo after /_sandbox/advance.
import { SLACK_BOT, SLACK_TEAM } from '../core/world.model';
import { SANDBOX_SLACK_SIGNING_SECRET } from '../credentials.constants';
import { postRaw, signLikeSlack, type SentSlackRequest } from './slack-sender';

/** A Slack event (`event` of the envelope): message, message_changed, member_joined_channel… */
export type SlackEvent = Record<string, unknown> & { type: string };

/** An event sent to Pulse, its answer and its event id. */
export interface SentSlackEvent extends SentSlackRequest {
  eventId: string;
}

let seq = 0;

/** `Ev` + 10 upper-case alphanumerics, as Slack's event ids look. */
function eventId(): string {
  seq++;
  return `Ev0SBX${String(seq).padStart(6, '0')}`;
}

/** The envelope Slack posts for one event. */
export function eventEnvelope(event: SlackEvent, id: string, eventTimeSec: number): Record<string, unknown> {
  return {
    token: 'sandbox-verification-token-deprecated',
    team_id: SLACK_TEAM.id,
    context_team_id: SLACK_TEAM.id,
    api_app_id: SLACK_BOT.appId,
    event,
    type: 'event_callback',
    event_id: id,
    event_time: eventTimeSec,
    authorizations: [
      { team_id: SLACK_TEAM.id, user_id: SLACK_BOT.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** A new message in a public channel, as `message.channels` delivers it (text included). */
export function messageEvent(m: {
  channel: string;
  ts: string;
  user?: string;
  text: string;
  threadTs?: string;
  subtype?: string;
  botId?: string;
}): SlackEvent {
  return {
    type: 'message',
    ...(m.subtype ? { subtype: m.subtype } : {}),
    channel: m.channel,
    ...(m.user ? { user: m.user } : {}),
    ...(m.botId ? { bot_id: m.botId } : {}),
    text: m.text,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: m.user } : {}),
    team: SLACK_TEAM.id,
    event_ts: m.ts,
    channel_type: 'channel',
  };
}

/** An edit: Slack sends the whole new message, and the previous one, under a new event ts. */
export function messageChangedEvent(m: {
  channel: string;
  ts: string;
  user: string;
  text: string;
  previousText: string;
  editedAt: string;
  threadTs?: string;
}): SlackEvent {
  const thread = m.threadTs ? { thread_ts: m.threadTs } : {};
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: m.channel,
    ts: m.editedAt,
    event_ts: m.editedAt,
    channel_type: 'channel',
    message: {
      type: 'message',
      user: m.user,
      text: m.text,
      ts: m.ts,
      ...thread,
      edited: { user: m.user, ts: m.editedAt },
    },
    previous_message: { type: 'message', user: m.user, text: m.previousText, ts: m.ts, ...thread },
  };
}

/** A deletion: `deleted_ts` names the message, `previous_message` still carries its text. */
export function messageDeletedEvent(m: {
  channel: string;
  ts: string;
  user: string;
  text: string;
  deletedAt: string;
  threadTs?: string;
}): SlackEvent {
  const thread = m.threadTs ? { thread_ts: m.threadTs } : {};
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: m.channel,
    ts: m.deletedAt,
    deleted_ts: m.ts,
    event_ts: m.deletedAt,
    channel_type: 'channel',
    previous_message: { type: 'message', user: m.user, text: m.text, ts: m.ts, ...thread },
  };
}

/** member_joined_channel / member_left_channel. */
export function memberEvent(
  kind: 'joined' | 'left',
  m: { channel: string; user: string; eventTs: string },
): SlackEvent {
  return {
    type: kind === 'joined' ? 'member_joined_channel' : 'member_left_channel',
    user: m.user,
    channel: m.channel,
    channel_type: 'C',
    team: SLACK_TEAM.id,
    event_ts: m.eventTs,
  };
}

/** The url_verification challenge Slack sends when the Request URL is saved. */
export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({
    token: 'sandbox-verification-token-deprecated',
    challenge,
    type: 'url_verification',
  });
}

/** Signs and posts `rawBody` to `url` as Slack would at `nowMs`. */
export async function postSigned(
  url: string,
  rawBody: string,
  options: { signingSecret?: string; nowMs?: number; retryNum?: number } = {},
): Promise<SentSlackRequest> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...signLikeSlack(
      options.signingSecret ?? SANDBOX_SLACK_SIGNING_SECRET,
      rawBody,
      options.nowMs ?? Date.now(),
    ),
    ...(options.retryNum
      ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {}),
  };
  return postRaw(url, rawBody, headers);
}

/** Sends one event to Pulse, signed. */
export async function sendSlackEvent(
  url: string,
  event: SlackEvent,
  options: { signingSecret?: string; nowMs?: number; eventId?: string } = {},
): Promise<SentSlackEvent> {
  const nowMs = options.nowMs ?? Date.now();
  const id = options.eventId ?? eventId();
  const rawBody = JSON.stringify(eventEnvelope(event, id, Math.floor(nowMs / 1000)));
  return { ...(await postSigned(url, rawBody, { ...options, nowMs })), eventId: id };
}
