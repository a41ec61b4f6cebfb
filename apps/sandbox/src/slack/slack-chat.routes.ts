// chat.update, Block Kit checks and failures on demand for the simulated Slack's chat
// methods. chat.postMessage itself is in slack.routes.ts; both share its `posted` list, which
// /_sandbox/slack/posted shows (an update edits the record in place and counts the edit).
import { type Reply, json } from '../core/http.util';
import { SLACK_BOT, SLACK_TEAM } from '../core/world.model';
import { type WorldStore } from '../core/world.store';
import { type PostedSlackMessage } from '../sandbox.types';

/** The chat errors a test or the demo can ask for (what Slack answers in each case). */
export const CHAT_FAILURES = [
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'ratelimited',
] as const;
export type ChatFailureCode = (typeof CHAT_FAILURES)[number];

export interface ChatFailure {
  /** `chat.postMessage`, `chat.update`, or `chat.*` for both. */
  method: 'chat.postMessage' | 'chat.update' | 'chat.*';
  error: ChatFailureCode;
  /** How many calls fail before the method works again (default 1). */
  times: number;
  /** Only calls to this channel fail, when set. */
  channel?: string;
  /** ratelimited: the Retry-After seconds (default 1). */
  retryAfter?: number;
}

// Slack's documented Block Kit limits, checked the way Slack refuses (`invalid_blocks`).
const MAX_BLOCKS = 50;
const TEXT_LIMITS: Record<string, number> = { header: 150, section: 3000, context: 3000 };

function blockProblems(raw: string): string[] {
  let blocks: unknown;
  try {
    blocks = JSON.parse(raw);
  } catch {
    return ['blocks is not valid JSON'];
  }
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const problems: string[] = [];
  if (blocks.length > MAX_BLOCKS)
    problems.push(`no more than ${MAX_BLOCKS} items allowed [json-pointer:/blocks]`);
  blocks.forEach((b: Record<string, unknown>, i) => {
    if (typeof b?.['type'] !== 'string')
      problems.push(`missing required field: type [json-pointer:/blocks/${i}]`);
    const limit = TEXT_LIMITS[String(b?.['type'])];
    const text = (b?.['text'] as { text?: unknown } | undefined)?.text;
    if (limit && typeof text === 'string' && text.length > limit)
      problems.push(`must be less than ${limit + 1} characters [json-pointer:/blocks/${i}/text/text]`);
  });
  return problems;
}

export class SlackChatRoutes {
  private failures: ChatFailure[] = [];

  constructor(
    private readonly world: WorldStore,
    private readonly posted: PostedSlackMessage[],
  ) {}

  reset(): void {
    this.failures = [];
  }

  /** POST /_sandbox/slack/fail: queue failures of the chat methods. */
  setFailures(body: unknown): Reply {
    const list = Array.isArray(body) ? body : [body];
    const parsed: ChatFailure[] = [];
    for (const raw of list as Record<string, unknown>[]) {
      const method = raw?.['method'] ?? 'chat.*';
      const error = raw?.['error'];
      if (method !== 'chat.postMessage' && method !== 'chat.update' && method !== 'chat.*')
        return json(400, { error: 'method must be chat.postMessage, chat.update or chat.*' });
      if (!CHAT_FAILURES.includes(error as ChatFailureCode))
        return json(400, { error: `error must be one of ${CHAT_FAILURES.join(', ')}` });
      const times = raw['times'] === undefined ? 1 : Number(raw['times']);
      const retryAfter = raw['retryAfter'] === undefined ? 1 : Number(raw['retryAfter']);
      if (!Number.isInteger(times) || times < 1 || times > 1000)
        return json(400, { error: 'times must be 1..1000' });
      if (!Number.isInteger(retryAfter) || retryAfter < 0 || retryAfter > 3600)
        return json(400, { error: 'retryAfter must be 0..3600 seconds' });
      parsed.push({
        method,
        error: error as ChatFailureCode,
        times,
        retryAfter,
        ...(typeof raw['channel'] === 'string' ? { channel: raw['channel'] } : {}),
      });
    }
    this.failures.push(...parsed);
    return json(200, { failures: this.failures });
  }

  /** The answer of a failure queued for this call, or undefined to go on. */
  failure(method: string, params: Record<string, string>): Reply | undefined {
    const i = this.failures.findIndex(
      (f) =>
        (f.method === method || f.method === 'chat.*') &&
        (f.channel === undefined || f.channel === params['channel']),
    );
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    f.times -= 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    if (f.error === 'ratelimited')
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.retryAfter ?? 1) });
    return json(200, { ok: false, error: f.error });
  }

  /** `invalid_blocks` as Slack answers it, or undefined when the blocks are acceptable. */
  invalidBlocks(params: Record<string, string>): Reply | undefined {
    if (params['blocks'] === undefined) return undefined;
    const problems = blockProblems(params['blocks']);
    return problems.length ? json(200, { ok: false, error: 'invalid_blocks', errors: problems }) : undefined;
  }

  /** chat.update: replaces text and blocks of a message the bot posted. */
  update(params: Record<string, string>): Reply {
    const c = this.world.channel(params['channel'] ?? '');
    if (!c) return json(200, { ok: false, error: 'channel_not_found' });
    const channel = c.ctx.channel.id;
    const ts = params['ts'];
    if (!ts) return json(200, { ok: false, error: 'invalid_arguments' });
    const rec = this.posted.find((p) => p.channel === channel && p.ts === ts);
    if (!rec) return json(200, { ok: false, error: 'message_not_found' });
    const text = params['text'] ?? '';
    if (!text && params['blocks'] === undefined) return json(200, { ok: false, error: 'no_text' });
    rec.text = text;
    if (params['blocks'] !== undefined) rec.blocks = parseJson(params['blocks']);
    rec.updatedAt = new Date().toISOString();
    rec.updates = (rec.updates ?? 0) + 1;
    return json(200, {
      ok: true,
      channel,
      ts,
      text,
      message: {
        type: 'message',
        user: SLACK_BOT.userId,
        bot_id: SLACK_BOT.botId,
        app_id: SLACK_BOT.appId,
        team: SLACK_TEAM.id,
        text,
        ...(rec.blocks !== undefined ? { blocks: rec.blocks } : {}),
        edited: { user: SLACK_BOT.userId, ts: String(Math.floor(this.world.now / 1000)) + '.000000' },
      },
    });
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
