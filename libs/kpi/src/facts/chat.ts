import { type ChatMessageRecord, type EngagementRecords, type Side } from '@pulse/contracts';
import { type ResolvedContext } from '../context';
import { BOT, type Roster } from '../people';
import { SampleSet } from '../samples';
import { type BusinessCalendar } from '../time/business-calendar';

const DAY_MS = 86_400_000;

/** A request: the first of a run of unanswered messages by one side in one conversation. */
export interface ChatRequest {
  at: number;
  /** Channel and Slack ts of the asking message (metadata only, never its text). */
  channel: string;
  ts: string;
  /** Roster person who asked. */
  askedBy: string;
  /** Instant of the first response by the other side; null when unanswered. */
  answeredAt: number | null;
  /** Roster person who gave that response; null when unanswered. */
  answeredBy?: string | null;
}

export interface ChatDirectionFacts {
  requests: ChatRequest[];
  /** Answered requests: `v` = business seconds to the response, stamped at the response. */
  firstResponse: SampleSet;
  /**
   * Unanswered-request windows: request i counts at instant E when
   * `unansweredFrom[i] <= E <= unansweredUntil[i]` (each array sorted independently).
   */
  unansweredFrom: Float64Array;
  unansweredUntil: Float64Array;
}

export interface ChatFacts {
  /** Client requests, answered by the vendor (vendor calendar). */
  clientRequests: ChatDirectionFacts;
  /** Vendor requests, answered by the client (client calendar). */
  vendorRequests: ChatDirectionFacts;
}

/** One channel's conversation state for one direction (asker → responder). */
interface ChannelState {
  /** The open (or last) top-level request. */
  top: ChatRequest | null;
  /**
   * ts of the top-level messages folded into `top` while it is open: replies in their
   * threads answer (or fold into) `top`. A small array, promoted to a Set when a run of
   * unanswered messages grows long, so membership stays cheap either way.
   */
  members: string[] | Set<string>;
  /** Thread requests, keyed by the thread's ts. */
  thread: Map<string, ChatRequest>;
}

interface DirectionState {
  channels: Map<string, ChannelState>;
  requests: ChatRequest[];
}

const newState = (): DirectionState => ({ channels: new Map(), requests: [] });

function channelState(state: DirectionState, channel: string): ChannelState {
  let cs = state.channels.get(channel);
  if (!cs) state.channels.set(channel, (cs = { top: null, members: [], thread: new Map() }));
  return cs;
}

const isMember = (members: string[] | Set<string>, ts: string): boolean =>
  Array.isArray(members) ? members.includes(ts) : members.has(ts);

/** The request a reply in thread `threadTs` belongs to: the open top-level run, else the thread's own. */
function threadRequest(cs: ChannelState, threadTs: string): ChatRequest | undefined {
  if (cs.top && cs.top.answeredAt === null && isMember(cs.members, threadTs)) return cs.top;
  return cs.thread.get(threadTs);
}

function sortedByTime(messages: ChatMessageRecord[]): ChatMessageRecord[] {
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].at < messages[i - 1].at) {
      const at = Float64Array.from(messages, (m) => m.at);
      const order = Uint32Array.from({ length: messages.length }, (_, k) => k).sort(
        (a, b) => at[a] - at[b] || a - b,
      );
      return Array.from(order, (k) => messages[k]);
    }
  }
  return messages;
}

/** The asker side's message: start a request or fold into the open one. */
function onAsk(
  state: DirectionState,
  cs: ChannelState,
  m: ChatMessageRecord,
  threadTs: string | null,
  askedBy: string,
): void {
  if (threadTs !== null) {
    const open = threadRequest(cs, threadTs);
    if (open && open.answeredAt === null) return; // folds into the open request
    const req: ChatRequest = { at: m.at, channel: m.channel, ts: m.ts, askedBy, answeredAt: null };
    state.requests.push(req);
    cs.thread.set(threadTs, req);
    return;
  }
  if (cs.top && cs.top.answeredAt === null) {
    // Folds into the open request; replies in this message's thread belong to it too.
    if (Array.isArray(cs.members)) {
      cs.members.push(m.ts);
      if (cs.members.length > 16) cs.members = new Set(cs.members);
    } else cs.members.add(m.ts);
    return;
  }
  const req: ChatRequest = { at: m.at, channel: m.channel, ts: m.ts, askedBy, answeredAt: null };
  state.requests.push(req);
  cs.top = req;
  cs.members = [m.ts];
}

/** The responder side's message: answer the open request it can see. */
function onAnswer(cs: ChannelState, m: ChatMessageRecord, threadTs: string | null, by: string): void {
  const open = threadTs !== null ? threadRequest(cs, threadTs) : cs.top;
  if (open && open.answeredAt === null) {
    open.answeredAt = m.at;
    open.answeredBy = by;
  }
}

/**
 * Finds requests and responses in both directions with one pass over the messages in time
 * order (see docs/kpis.md "Responsiveness"). Bots, people not on the roster and ignored
 * subtypes (joins, leaves, topic changes…) take no part. A reply in the thread of any
 * message of a top-level request answers (or folds into) that request; a thread request is
 * answered only inside its thread.
 */
export function buildChatFacts(records: EngagementRecords, roster: Roster, ctx: ResolvedContext): ChatFacts {
  const client = newState();
  const vendor = newState();
  const ignored = ctx.ignoredChatSubtypes;
  for (const m of sortedByTime(records.chatMessages)) {
    // A deleted message no longer asks nor answers; bots never do.
    if (m.deleted === true || m.botId !== null || m.authorId === null) continue;
    if (m.subtype !== null && (m.subtype === 'bot_message' || ignored.has(m.subtype))) continue;
    const who = roster.slack(m.authorId);
    if (who === undefined || who === BOT) continue;
    const threadTs = m.threadTs !== null && m.threadTs !== m.ts ? m.threadTs : null;
    const side: Side = who.side;
    const asker = side === 'client' ? client : vendor;
    const responder = side === 'client' ? vendor : client;
    onAsk(asker, channelState(asker, m.channel), m, threadTs, who.id);
    onAnswer(channelState(responder, m.channel), m, threadTs, who.id);
  }
  return {
    clientRequests: directionFacts(client.requests, ctx.vendor, ctx),
    vendorRequests: directionFacts(vendor.requests, ctx.client, ctx),
  };
}

function directionFacts(
  requests: ChatRequest[],
  owing: BusinessCalendar,
  ctx: ResolvedContext,
): ChatDirectionFacts {
  const firstResponse = new SampleSet();
  const from: number[] = [];
  const until: number[] = [];
  // "Older than N business days": whole business seconds strictly above the limit.
  const limitMs = (ctx.rules.unansweredAfterBusinessDays * owing.workingDaySeconds + 1) * 1000;
  const maxAgeMs =
    ctx.rules.unansweredMaxAgeDays === null ? Infinity : ctx.rules.unansweredMaxAgeDays * DAY_MS;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    if (r.answeredAt !== null)
      firstResponse.add(r.answeredAt, owing.businessSeconds(r.at, r.answeredAt), 1, i);
    const start = owing.addBusinessMs(r.at, limitMs);
    // Unanswered at E while the response is not before E and the request is not too old.
    const end = Math.min(r.answeredAt ?? Infinity, r.at + maxAgeMs);
    if (end >= start) {
      from.push(start);
      until.push(end);
    }
  }
  return {
    requests,
    firstResponse: firstResponse.finish(),
    unansweredFrom: Float64Array.from(from).sort(),
    unansweredUntil: Float64Array.from(until).sort(),
  };
}

/** Scan path: is request `r` counted as unanswered at instant `e`? */
export function isUnansweredAt(
  r: ChatRequest,
  e: number,
  owing: BusinessCalendar,
  ctx: ResolvedContext,
): boolean {
  if (r.at >= e) return false;
  if (r.answeredAt !== null && r.answeredAt < e) return false;
  const maxAge = ctx.rules.unansweredMaxAgeDays;
  if (maxAge !== null && e > r.at + maxAge * DAY_MS) return false;
  return owing.businessSeconds(r.at, e) > ctx.rules.unansweredAfterBusinessDays * owing.workingDaySeconds;
}
