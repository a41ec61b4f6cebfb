import { z } from 'zod';

// What Pulse reads of an Events API request. Objects keep only the listed keys, so `text`,
// `blocks`, `attachments`, `files` and `reactions` are dropped by the parse itself — before
// anything is logged, queued or stored.

const ts = z.string().regex(/^\d{1,12}\.\d{1,6}$/, 'must be a Slack ts such as 1717400000.123456');
const id = z.string().min(1).max(40);

/** A message's metadata (the message of a message_changed, the previous_message of a deletion). */
const messageMeta = z.object({
  ts,
  thread_ts: ts.optional(),
  user: id.optional(),
  subtype: z.string().max(60).optional(),
  bot_id: id.optional(),
  edited: z.object({ ts: ts.optional() }).optional(),
});

export const slackEventSchema = z.object({
  type: z.string().max(60),
  subtype: z.string().max(60).optional(),
  channel: id.optional(),
  user: id.optional(),
  bot_id: id.optional(),
  ts: ts.optional(),
  thread_ts: ts.optional(),
  deleted_ts: ts.optional(),
  event_ts: z.string().max(40).optional(),
  channel_type: z.string().max(20).optional(),
  message: messageMeta.optional(),
  previous_message: messageMeta.optional(),
});
export type SlackEventMeta = z.infer<typeof slackEventSchema>;

export const slackEventsBodySchema = z.object({
  type: z.enum(['url_verification', 'event_callback', 'app_rate_limited']),
  challenge: z.string().max(200).optional(),
  team_id: id.optional(),
  event_id: z.string().max(40).optional(),
  event_time: z.number().optional(),
  event: slackEventSchema.optional(),
});
export type SlackEventsBody = z.infer<typeof slackEventsBodySchema>;
