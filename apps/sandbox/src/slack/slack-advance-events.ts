// After /_sandbox/advance, Slack would have pushed the new messages to Pulse: this builds the
// message events of an advance (new top-level messages, their replies, late replies in older
// threads) and sends them, signed, to the configured events URL.
import { type WorldStore } from '../core/world.store';
import { type AdvanceResult } from '../sandbox.types';
import { type SlackMessageModel, tsKey } from './slack.generator';
import { messageEvent, sendSlackEvent, type SentSlackEvent, type SlackEvent } from './slack-events.sender';

function findMessage(world: WorldStore, channel: string, ts: string): SlackMessageModel | undefined {
  const c = world.channel(channel);
  if (!c) return undefined;
  const b = c.messages.blockOfKey(tsKey(ts));
  if (b >= 0 && b < c.messages.blockCount) {
    const hit = c.messages.block(b).find((m) => m.ts === ts);
    if (hit) return hit;
  }
  return c.messages.tail.find((m) => m.ts === ts);
}

/** The events Slack would have sent for what an advance added, oldest first. */
export function advanceEvents(world: WorldStore, result: AdvanceResult, previousNowMs: number): SlackEvent[] {
  const events: { at: number; event: SlackEvent }[] = [];
  for (const scenario of Object.values(result.changed)) {
    for (const [channel, change] of Object.entries(scenario.slack)) {
      for (const ts of change.newMessages) {
        const m = findMessage(world, channel, ts);
        if (!m) continue;
        events.push({ at: m.key, event: messageEvent({ channel, ts, user: m.user, text: m.text }) });
        for (const r of m.replies)
          events.push({
            at: r.key,
            event: messageEvent({ channel, ts: r.ts, user: r.user, text: r.text, threadTs: m.ts }),
          });
      }
      for (const ts of change.threadsWithNewReplies) {
        const m = findMessage(world, channel, ts);
        for (const r of m?.replies ?? [])
          if (r.key > previousNowMs)
            events.push({
              at: r.key,
              event: messageEvent({ channel, ts: r.ts, user: r.user, text: r.text, threadTs: ts }),
            });
      }
    }
  }
  return events.sort((a, b) => a.at - b.at).map((e) => e.event);
}

/** Sends an advance's events to `url`; resolves with what Pulse answered to each. */
export async function sendAdvanceEvents(
  url: string,
  world: WorldStore,
  result: AdvanceResult,
): Promise<SentSlackEvent[]> {
  const sent: SentSlackEvent[] = [];
  for (const event of advanceEvents(world, result, Date.parse(result.previousNow)))
    sent.push(await sendSlackEvent(url, event));
  return sent;
}
