// The Slack walk: per monitored channel, conversations.history since the last stored message
// (re-reading a short window to notice new replies in recent threads), page by page with the
// cursor saved after each; then conversations.replies for the threads whose latest reply is
// newer than the one stored. Paced to Slack's limits; a run that spends its time budget
// stops cleanly and the next run continues from the saved cursor.
import { z } from 'zod';
import type { ChatMessageRecord, EpochMs } from '@pulse/contracts';
import type {
  ChatReconcileScope,
  ConnectorPage,
  ConnectorSyncInput,
  ConnectorSyncResult,
} from '../framework/connector';
import type { SlackSettings } from '../settings';
import { createSlackClient, type SlackClient } from './client';
import { classifySlackError } from './errors';
import {
  compareSlackTs,
  isSlackTs,
  mapSlackMessage,
  slackTsToMs,
  threadHasNewReplies,
  type SlackMessageMeta,
} from './mappers';
import {
  messagesPerPage,
  realClock,
  SlackBudgetSpent,
  SlackPacer,
  type SlackAppClass,
  type SlackClock,
} from './pacer';

/** Re-read this much history before the last stored message: recent threads get late replies. */
export const SLACK_THREAD_REVISIT_MS = 2 * 86_400_000;
/** How often the workspace's users are listed again (people, bots, e-mails). */
export const SLACK_USERS_EVERY_MS = 24 * 3_600_000;
/** A run's default time budget: beyond it the sync stops and continues next run. */
export const SLACK_RUN_BUDGET_MS = 10 * 60_000;
/**
 * A re-read counts as whole up to this long before it began (or its newest message): a
 * message Pulse stored from an event at the edge of Slack's clock is not taken for deleted.
 */
export const SLACK_CLOCK_MARGIN_MS = 5 * 60_000;

const channelCursorSchema = z.object({
  name: z.string().optional(),
  /** Channel creation, epoch seconds (the start of a first backfill, for the estimate). */
  created: z.number().optional(),
  /** Newest ts stored with every older page down to the previous high-water. */
  highWater: z.string().nullable(),
  /** A history pass in progress: resumes at `cursor`. */
  pass: z
    .object({
      oldest: z.string().nullable(),
      cursor: z.string(),
      newest: z.string().nullable(),
      seen: z.number(),
      reachedTs: z.string().nullable(),
      /** When the pass began (ms): the span it reads whole ends near here. */
      startedAt: z.number().optional(),
      /** A re-read of stored history: the ts it found, to notice the ones deleted since. */
      present: z.array(z.string()).optional(),
    })
    .optional(),
  /** Thread parent ts → latest reply ts stored. */
  threads: z.record(z.string(), z.string()),
  /** Thread parent ts → reply count Slack reported when it was last read (fewer now: deletions). */
  replyCounts: z.record(z.string(), z.number()).optional(),
  /**
   * Threads to read: parent ts, latest reply ts and reply count Slack reported, a page cursor
   * when started; `full` re-reads the whole thread (replies were deleted) collecting `present`.
   */
  pendingThreads: z.array(
    z.object({
      ts: z.string(),
      latest: z.string(),
      cursor: z.string().optional(),
      count: z.number().optional(),
      full: z.boolean().optional(),
      present: z.array(z.string()).optional(),
    }),
  ),
});

const cursorSchema = z.object({
  version: z.literal(1),
  /** `https://<workspace>.slack.com/` from auth.test: the drill-down links messages with it. */
  workspaceUrl: z.string().optional(),
  usersSyncedAt: z.number().optional(),
  pace: z.record(z.string(), z.array(z.number())),
  channels: z.record(z.string(), channelCursorSchema),
  /**
   * Channels brought up to date in the current round: a sync spread over several runs does
   * not re-read a finished channel's recent window before the others had their turn.
   */
  roundDone: z.array(z.string()).optional(),
});
export type SlackSyncCursor = z.infer<typeof cursorSchema>;
type ChannelCursor = z.infer<typeof channelCursorSchema>;

export function readSlackCursor(raw: unknown): SlackSyncCursor {
  const parsed = cursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : { version: 1, pace: {}, channels: {} };
}

export interface SlackSyncOptions extends ConnectorSyncInput<SlackSettings> {
  /** Pacing clock (tests pass a virtual one; WebClient itself is never replaced). */
  clock?: SlackClock;
  /** This run's time budget on `clock` (default 10 minutes). */
  budgetMs?: number;
  rejectRateLimitedCalls?: boolean;
}

interface HistoryPage {
  messages?: SlackMessageMeta[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

interface SlackUser {
  id?: unknown;
  deleted?: unknown;
  is_bot?: unknown;
  is_app_user?: unknown;
  profile?: { email?: unknown; bot_id?: unknown };
}

class SinkFailure extends Error {
  constructor(readonly original: unknown) {
    super('sink failed');
  }
}

/** "1200" → "1 200". */
const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

export async function syncSlack(options: SlackSyncOptions): Promise<ConnectorSyncResult> {
  const { settings, sink, now } = options;
  const appClass: SlackAppClass = settings.appClass ?? 'internal';
  const clock = options.clock ?? realClock;
  const cursor = readSlackCursor(options.cursor);
  const pacer = new SlackPacer(appClass, clock, options.budgetMs ?? SLACK_RUN_BUDGET_MS, cursor.pace);
  const client: SlackClient = createSlackClient({
    baseUrl: settings.baseUrl,
    token: options.secret,
    outbound: options.outbound,
    ...(options.rejectRateLimitedCalls !== undefined
      ? { rejectRateLimitedCalls: options.rejectRateLimitedCalls }
      : {}),
  });
  const counts: Record<string, number> = { chatMessages: 0, threads: 0, chatUsers: 0, deletedUpstream: 0 };
  const skipped: string[] = [];
  let touchedFrom: EpochMs | null = null;
  let subject: string | undefined;
  const pageSize = messagesPerPage(appClass);
  const progress = (f: number, phase: string) => options.onProgress?.(Math.min(Math.max(f, 0), 1), phase);

  const saveCursor = async () => {
    cursor.pace = pacer.snapshot();
    await sink.saveCursor(structuredClone(cursor)).catch((e: unknown) => {
      throw new SinkFailure(e);
    });
  };
  const savePage = async (page: ConnectorPage) => {
    try {
      await sink.savePage(page);
    } catch (e) {
      throw new SinkFailure(e);
    }
  };
  const call = async <T>(method: string, args: Record<string, unknown>): Promise<T> => {
    if (options.signal?.aborted) throw new SlackBudgetSpent(method, clock.now());
    await pacer.pace(method);
    return client.call<T>(method, args);
  };
  const result = (error?: ReturnType<typeof classifySlackError>): ConnectorSyncResult => ({
    counts: { ...counts, skipped: skipped.length },
    apiCalls: client.stats.apiCalls,
    notModified: 0,
    touchedFrom,
    skippedReasons: skipped.slice(0, 100),
    ...(error ? { error } : {}),
  });
  const keep = (records: ChatMessageRecord[]) => {
    for (const r of records) touchedFrom = Math.min(touchedFrom ?? Infinity, r.at);
    counts['chatMessages'] = (counts['chatMessages'] ?? 0) + records.length;
  };
  // Deleted upstream: a span read whole no longer has some stored messages (pull-only
  // installs learn of deletions this way; the Events API says so at once).
  const markDeleted = async (scope: ChatReconcileScope, present: readonly string[], fromMs: number) => {
    if (!sink.markChatDeleted) return;
    let marked: number;
    try {
      marked = await sink.markChatDeleted(scope, present);
    } catch (e) {
      throw new SinkFailure(e);
    }
    if (marked > 0) {
      counts['deletedUpstream'] = (counts['deletedUpstream'] ?? 0) + marked;
      touchedFrom = Math.min(touchedFrom ?? Infinity, fromMs);
    }
  };

  let lastStatus = '';
  const channelErrors: { channel: string; error: ReturnType<typeof classifySlackError> }[] = [];
  try {
    if (cursor.workspaceUrl === undefined) {
      const me = await call<{ url?: unknown }>('auth.test', {});
      if (typeof me.url === 'string' && /^https:\/\/[^/]+\/?$/.test(me.url)) cursor.workspaceUrl = me.url;
    }

    // People, bots and e-mails, once a day: for roster suggestions and bot recognition.
    if ((cursor.usersSyncedAt ?? -Infinity) + SLACK_USERS_EVERY_MS <= now()) {
      subject = undefined;
      progress(0, 'Slack: reading the workspace’s people');
      let next: string | undefined;
      do {
        const page = await call<{ members?: SlackUser[]; response_metadata?: { next_cursor?: string } }>(
          'users.list',
          { limit: 200, ...(next ? { cursor: next } : {}) },
        );
        const users = (page.members ?? []).flatMap((u) =>
          typeof u.id === 'string'
            ? [
                {
                  id: u.id,
                  email: typeof u.profile?.email === 'string' ? u.profile.email.toLowerCase() : null,
                  isBot: u.is_bot === true || typeof u.profile?.bot_id === 'string',
                  deleted: u.deleted === true,
                },
              ]
            : [],
        );
        if (users.length) await savePage({ chatUsers: users });
        counts['chatUsers'] = (counts['chatUsers'] ?? 0) + users.length;
        next = page.response_metadata?.next_cursor || undefined;
      } while (next);
      cursor.usersSyncedAt = now();
      await saveCursor();
    }

    // A new round once every channel had its turn in the last one.
    const done = new Set(cursor.roundDone ?? []);
    if (settings.channelIds.every((c) => done.has(c))) done.clear();
    const finish = async (channel: string) => {
      done.add(channel);
      cursor.roundDone = [...done];
      await saveCursor();
    };
    for (const [index, channel] of settings.channelIds.entries()) {
      if (done.has(channel)) continue;
      const state: ChannelCursor = (cursor.channels[channel] ??= {
        highWater: null,
        threads: {},
        pendingThreads: [],
      });
      subject = channel;
      try {
        if (state.name === undefined) {
          const info = await call<{ channel?: { name?: unknown; created?: unknown } }>('conversations.info', {
            channel,
          });
          if (typeof info.channel?.name === 'string') state.name = info.channel.name;
          if (typeof info.channel?.created === 'number') state.created = info.channel.created;
        }
        subject = state.name ? `#${state.name}` : channel;

        // History, newest first within [oldest, now]: the high-water moves once the pass is whole.
        // A new pass only once the last one's threads are read: a run that resumes inside the
        // thread reading must not re-read the recent window first.
        if (!state.pass && state.pendingThreads.length === 0) {
          const oldest =
            state.highWater !== null
              ? ((slackTsToMs(state.highWater) - SLACK_THREAD_REVISIT_MS) / 1000).toFixed(6)
              : null;
          state.pass = {
            oldest,
            cursor: '',
            newest: null,
            seen: 0,
            reachedTs: null,
            startedAt: now(),
            ...(oldest !== null && sink.markChatDeleted ? { present: [] } : {}),
          };
        }
        const pass = state.pass;
        for (; pass;) {
          const page = await call<HistoryPage>('conversations.history', {
            channel,
            limit: pageSize,
            inclusive: false,
            ...(pass.oldest ? { oldest: pass.oldest } : {}),
            ...(pass.cursor ? { cursor: pass.cursor } : {}),
          });
          const messages = page.messages ?? [];
          const records: ChatMessageRecord[] = [];
          for (const m of messages) {
            // A deleted parent whose replies live on: not a message any more, its thread still is.
            const tombstone = m.subtype === 'tombstone';
            const r = mapSlackMessage(channel, m);
            if (!r) {
              skipped.push(`${channel}: a message without a valid ts`);
              continue;
            }
            if (!tombstone) {
              records.push(r);
              pass.present?.push(r.ts);
            }
            queueThread(state, r.ts, m);
          }
          if (records.length) await savePage({ chatMessages: records });
          keep(records);
          for (const r of records) {
            if (pass.newest === null || Number(r.ts) > Number(pass.newest)) pass.newest = r.ts;
            if (pass.reachedTs === null || Number(r.ts) < Number(pass.reachedTs)) pass.reachedTs = r.ts;
          }
          pass.seen += records.length;
          const next = page.response_metadata?.next_cursor;
          if (page.has_more && next) pass.cursor = next;
          else {
            if (pass.present && pass.oldest !== null) {
              const upTo = Math.max(
                pass.newest !== null ? slackTsToMs(pass.newest) : -Infinity,
                (pass.startedAt ?? now()) - SLACK_CLOCK_MARGIN_MS,
              );
              const upToTs =
                pass.newest !== null && slackTsToMs(pass.newest) === upTo ? pass.newest : msToSlackTs(upTo);
              if (compareSlackTs(upToTs, pass.oldest) > 0)
                await markDeleted(
                  { channel, kind: 'top-level', afterTs: pass.oldest, upToTs },
                  pass.present,
                  slackTsToMs(pass.oldest),
                );
            }
            if (
              pass.newest !== null &&
              (state.highWater === null || Number(pass.newest) > Number(state.highWater))
            )
              state.highWater = pass.newest;
            delete state.pass;
          }
          await saveCursor();
          lastStatus = historyStatus(channel, pass, state, appClass);
          progress((index + 0.5) / settings.channelIds.length, lastStatus);
          if (!state.pass) break;
        }

        // Threads with replies newer than the stored ones.
        while (state.pendingThreads.length > 0) {
          const thread = state.pendingThreads[0]!;
          const storedLatest = thread.full ? undefined : state.threads[thread.ts];
          let page: HistoryPage;
          try {
            page = await call<HistoryPage>('conversations.replies', {
              channel,
              ts: thread.ts,
              limit: pageSize,
              inclusive: false,
              ...(storedLatest ? { oldest: storedLatest } : {}),
              ...(thread.cursor ? { cursor: thread.cursor } : {}),
            });
          } catch (e) {
            // The parent and every reply were deleted between history and now: nothing to read.
            if (!(e instanceof Error && /thread_not_found/.test(e.message))) throw e;
            page = { messages: [], has_more: false };
          }
          const records: ChatMessageRecord[] = [];
          for (const m of page.messages ?? []) {
            // the parent comes first on every page; it is stored from history already
            if (m.ts === thread.ts) continue;
            const r = mapSlackMessage(channel, m);
            if (r) records.push(r);
          }
          if (records.length) await savePage({ chatMessages: records });
          keep(records);
          if (thread.full) (thread.present ??= []).push(...records.map((r) => r.ts));
          const next = page.response_metadata?.next_cursor;
          if (page.has_more && next) thread.cursor = next;
          else {
            if (thread.full) {
              const present = thread.present ?? [];
              await markDeleted(
                { channel, kind: 'thread', threadTs: thread.ts },
                present,
                slackTsToMs(thread.ts),
              );
              const newest = present.reduce<string | null>(
                (a, ts) => (a === null || compareSlackTs(ts, a) > 0 ? ts : a),
                null,
              );
              if (newest !== null) state.threads[thread.ts] = newest;
              else delete state.threads[thread.ts];
            } else {
              const newest = records.reduce(
                (a, r) => (Number(r.ts) > Number(a) ? r.ts : a),
                storedLatest ?? thread.latest,
              );
              state.threads[thread.ts] = Number(newest) > Number(thread.latest) ? newest : thread.latest;
            }
            if (thread.count !== undefined) (state.replyCounts ??= {})[thread.ts] = thread.count;
            state.pendingThreads.shift();
            counts['threads'] = (counts['threads'] ?? 0) + 1;
          }
          await saveCursor();
          lastStatus = `${channel}: ${state.pendingThreads.length} thread(s) left to read${
            appClass === 'non_marketplace_2025' ? ', paced by Slack’s limits' : ''
          }`;
          progress((index + 0.9) / settings.channelIds.length, lastStatus);
        }
        await finish(channel);
      } catch (e) {
        if (e instanceof SlackBudgetSpent || e instanceof SinkFailure) throw e;
        const error = classifySlackError(e, { host: client.host, channel: subject, now });
        // One channel's access problem must not stop the others; a token problem stops all.
        if (error.class === 'forbidden' || error.class === 'not_found') {
          channelErrors.push({ channel, error });
          skipped.push(error.message);
          await finish(channel);
          continue;
        }
        throw e;
      }
    }
    await saveCursor();
    progress(1, 'Slack: done');
    if (channelErrors.length > 0 && channelErrors.length === settings.channelIds.length)
      return result(channelErrors[0]!.error);
    return result();
  } catch (e) {
    if (e instanceof SinkFailure) throw e.original;
    if (e instanceof SlackBudgetSpent) {
      await sink.saveCursor(structuredClone({ ...cursor, pace: pacer.snapshot() })).catch((err: unknown) => {
        throw err;
      });
      counts['pending'] = 1;
      const status = lastStatus || `${subject ?? 'Slack'}: waiting for Slack's limits`;
      progress(0.99, `${status}; continues next run`);
      skipped.push(`${status}; continues next run`);
      return result();
    }
    return result(
      classifySlackError(e, { host: client.host, ...(subject ? { channel: subject } : {}), now }),
    );
  }
}

/**
 * Queues the thread of history message `m` (ts `ts`) for reading when it has replies newer
 * than the stored ones, or fewer replies than when last read (some were deleted: the whole
 * thread is read again). A thread known and unchanged just has its count noted.
 */
function queueThread(state: ChannelCursor, ts: string, m: SlackMessageMeta): void {
  if (state.pendingThreads.some((t) => t.ts === ts)) return;
  const count = typeof m.reply_count === 'number' && m.reply_count >= 0 ? m.reply_count : 0;
  const storedCount = state.replyCounts?.[ts];
  const storedLatest = state.threads[ts];
  const latest = isSlackTs(m.latest_reply) ? m.latest_reply : (storedLatest ?? ts);
  if (storedCount !== undefined && count < storedCount)
    state.pendingThreads.push({ ts, latest, count, full: true });
  else if (threadHasNewReplies(m, storedLatest)) state.pendingThreads.push({ ts, latest, count });
  else if (storedCount === undefined && storedLatest !== undefined && count > 0)
    (state.replyCounts ??= {})[ts] = count;
}

/** Epoch ms → a Slack ts. */
const msToSlackTs = (ms: number): string => (Math.floor(ms) / 1000).toFixed(6);

/** "C0SLIPDLV: 1 200 of ~3 000 messages, paced by Slack's limits". */
function historyStatus(
  channel: string,
  pass: NonNullable<ChannelCursor['pass']>,
  state: ChannelCursor,
  appClass: SlackAppClass,
): string {
  const paced = appClass === 'non_marketplace_2025' ? ', paced by Slack’s limits' : '';
  const from = pass.oldest !== null ? Number(pass.oldest) : (state.created ?? null);
  let estimate = pass.seen;
  if (pass.newest !== null && pass.reachedTs !== null && from !== null && isSlackTs(pass.newest)) {
    const covered = Number(pass.newest) - Number(pass.reachedTs);
    const span = Number(pass.newest) - from;
    if (covered > 0 && span > covered && state.pass) estimate = (pass.seen * span) / covered;
  }
  return `${channel}: ${grouped(pass.seen)} of ~${grouped(Math.max(estimate, pass.seen))} messages${paced}`;
}
