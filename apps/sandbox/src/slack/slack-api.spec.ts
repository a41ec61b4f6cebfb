import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, WebClient } from '@slack/web-api';
import { startSandbox } from '../sandbox.server';
import { SANDBOX_SLACK_BOT_TOKEN } from '../credentials.constants';
import { type RunningSandbox } from '../sandbox.types';

jest.setTimeout(60_000);
let sb: RunningSandbox;
const slack = (
  token = SANDBOX_SLACK_BOT_TOKEN,
  opts: ConstructorParameters<typeof WebClient>[1] = {},
): WebClient => new WebClient(token, { slackApiUrl: sb.slackUrl, retryConfig: { retries: 0 }, ...opts });

interface Msg {
  ts?: string;
  user?: string;
  thread_ts?: string;
  reply_count?: number;
  subtype?: string;
  edited?: { user?: string; ts?: string };
}

async function history(
  client: WebClient,
  channel: string,
  extra: Record<string, string> = {},
): Promise<Msg[]> {
  const out: Msg[] = [];
  for await (const page of client.paginate('conversations.history', { channel, limit: 200, ...extra }))
    out.push(...((page as { messages?: Msg[] }).messages ?? []));
  return out;
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 'spec' });
});
afterAll(() => sb.close());
afterEach(() => sb.reset());

describe('Slack through WebClient', () => {
  it('cursor-paginates history and replies and gets every message once', async () => {
    const m = sb.manifest().scenarios.slipping;
    const channel = m.slack.channels[0]!.id;
    const counts = m.counts!.slackByChannel[channel]!;
    const top = await history(slack(), channel);
    expect(new Set(top.map((x) => x.ts)).size).toBe(top.length);
    expect(top.length).toBe(counts.topLevelMessages);
    expect(top.some((x) => x.subtype === 'channel_join')).toBe(true);
    expect(top.some((x) => x.subtype === 'channel_leave')).toBe(true);
    let replies = 0;
    for (const parent of top.filter((x) => (x.reply_count ?? 0) > 0)) {
      for await (const page of slack().paginate('conversations.replies', {
        channel,
        ts: parent.ts!,
        limit: 2,
      })) {
        replies += ((page as { messages?: Msg[] }).messages ?? []).filter((r) => r.ts !== parent.ts).length;
      }
    }
    expect(replies).toBe(counts.replies);
    const users = await slack().users.list({});
    const ids = new Set(users.members?.map((u) => u.id));
    for (const p of m.people) expect(ids.has(p.slack.userId)).toBe(true);
  });

  it('returns only new messages for oldest after advance', async () => {
    const m = sb.manifest().scenarios.steady;
    const channel = m.slack.channels[0]!.id;
    const before = sb.manifest().now;
    const adv = sb.advance(3);
    const oldest = String(Date.parse(before) / 1000);
    const fresh = await history(slack(), channel, { oldest });
    expect(fresh.map((x) => x.ts)).toEqual(adv.changed.steady.slack[channel]!.newMessages);
    const thread = adv.changed.steady.slack[channel]!.threadsWithNewReplies[0]!;
    const replies = await slack().conversations.replies({ channel, ts: thread, oldest });
    expect(replies.messages?.filter((r) => r.ts !== thread)).toHaveLength(1);
  });

  it('shows edits and deletions as Slack does: edited, gone, a tombstone that keeps its thread', async () => {
    const channel = sb.manifest().scenarios.slipping.slack.channels[0]!.id;
    const before = await history(slack(), channel);
    // the generated world has a few messages edited minutes after they were posted
    expect(before.some((m) => m.edited !== undefined)).toBe(true);
    const plain = before.filter((m) => !m.subtype && !m.reply_count && !m.edited);
    const threads = before.filter((m) => !m.subtype && (m.reply_count ?? 0) >= 2);
    const [toDelete, toEdit] = plain;
    const [parent, other] = threads;
    expect(sb.changeSlackMessage('delete', channel, toDelete!.ts!)).toMatchObject({
      event: { subtype: 'message_deleted', deleted_ts: toDelete!.ts },
    });
    expect(sb.changeSlackMessage('edit', channel, toEdit!.ts!)).toMatchObject({
      event: { subtype: 'message_changed', message: { ts: toEdit!.ts, edited: { user: toEdit!.user } } },
    });
    // a parent with replies becomes a tombstone, announced as a message_changed
    expect(sb.changeSlackMessage('delete', channel, parent!.ts!)).toMatchObject({
      event: {
        subtype: 'message_changed',
        message: { subtype: 'tombstone', user: 'USLACKBOT', ts: parent!.ts },
      },
    });
    const replyTs = (
      (await slack().conversations.replies({ channel, ts: other!.ts! })).messages as Msg[]
    ).filter((m) => m.ts !== other!.ts)[0]!.ts!;
    expect(sb.changeSlackMessage('delete', channel, replyTs)).toMatchObject({ threadTs: other!.ts });
    expect(sb.changeSlackMessage('delete', channel, replyTs)).toEqual({ error: 'message_not_found' });

    const after = await history(slack(), channel);
    expect(after).toHaveLength(before.length - 1);
    expect(after.some((m) => m.ts === toDelete!.ts)).toBe(false);
    expect(after.find((m) => m.ts === toEdit!.ts)?.edited?.user).toBe(toEdit!.user);
    expect(after.find((m) => m.ts === parent!.ts)).toMatchObject({
      subtype: 'tombstone',
      user: 'USLACKBOT',
      reply_count: parent!.reply_count,
    });
    expect(after.find((m) => m.ts === other!.ts)?.reply_count).toBe(other!.reply_count! - 1);
    const thread = (await slack().conversations.replies({ channel, ts: other!.ts! })).messages as Msg[];
    expect(thread.map((m) => m.ts)).not.toContain(replyTs);
    expect(thread).toHaveLength(other!.reply_count!);
    // the manifest's counts follow what the history shows
    expect(sb.manifest().scenarios.slipping.counts!.slackByChannel[channel]!.topLevelMessages).toBe(
      after.length,
    );
    // and over HTTP, with a clear 4xx for what is not there
    const post = (kind: string, body: unknown) =>
      fetch(`${sb.url}/_sandbox/slack/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('edit', { channel, ts: plain[2]!.ts })).status).toBe(200);
    expect((await post('delete', { channel, ts: '1.000001' })).status).toBe(404);
    expect((await post('delete', { channel })).status).toBe(400);
  });

  it('sends Slack errors: invalid_auth, channel_not_found, ratelimited (429 + Retry-After)', async () => {
    await expect(slack('xoxb-wrong').auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'invalid_auth' },
    });
    await expect(slack().conversations.history({ channel: 'C0NOPE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    sb.setFaults({ slack: { rateLimitRate: 1, retryAfterSeconds: 2 } });
    await expect(
      slack(SANDBOX_SLACK_BOT_TOKEN, { rejectRateLimitedCalls: true }).auth.test(),
    ).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 2 });
    sb.setFaults({ slack: { rateLimitRate: 0, error5xxRate: 1 } });
    await expect(slack().auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    sb.setFaults({ slack: { error5xxRate: 0, tokenRevoked: true } });
    await expect(slack().auth.test()).rejects.toMatchObject({ data: { error: 'token_revoked' } });
  });

  it('stores chat.postMessage and lists it on /_sandbox/slack/posted', async () => {
    const channel = sb.manifest().scenarios.slipping.slack.channels[0]!.id;
    const res = await slack().chat.postMessage({ channel, text: 'Weekly health: amber' });
    expect(res.ok).toBe(true);
    expect(res.message?.bot_id).toBeDefined();
    const posted = (await (await fetch(`${sb.url}/_sandbox/slack/posted`)).json()) as {
      messages: { channel: string; text: string; ts: string }[];
    };
    expect(posted.messages).toEqual([
      expect.objectContaining({ channel, text: 'Weekly health: amber', ts: res.ts }),
    ]);
  });

  it('parses a recorded Slack response and a sandbox response alike', async () => {
    const examples = JSON.parse(
      readFileSync(join(__dirname, '../__fixtures__/slack-openapi-examples.json'), 'utf8'),
    ) as Record<string, unknown>;
    const recordedFetch = async (input: string | URL | Request): Promise<Response> => {
      const u = new URL(
        typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url,
      );
      const body = examples[u.pathname.replace(/^.*\//, '/')];
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const recorded = new WebClient('xoxb-recorded', { fetch: recordedFetch, retryConfig: { retries: 0 } });
    const toRecord = (x: Msg): { ts: number; user: string; thread: string | undefined } => ({
      ts: Number(x.ts),
      user: String(x.user),
      thread: x.thread_ts,
    });
    const valid = (r: ReturnType<typeof toRecord>): boolean =>
      Number.isFinite(r.ts) && /^[UW][A-Z0-9]+$/.test(r.user);
    const rec = await recorded.conversations.history({ channel: 'C1' });
    expect((rec.messages as Msg[]).map(toRecord).every(valid)).toBe(true);
    expect(rec.response_metadata?.next_cursor).toBeTruthy();
    const recReplies = await recorded.conversations.replies({ channel: 'C1', ts: '1482960137.003543' });
    expect(
      (recReplies.messages as Msg[]).map(toRecord).every((r) => valid(r) && r.thread === '1482960137.003543'),
    ).toBe(true);

    const channel = sb.manifest().scenarios.steady.slack.channels[0]!.id;
    const mine = await slack().conversations.history({ channel, limit: 50 });
    const people = (mine.messages as Msg[]).filter((x) => !x.subtype);
    expect(people.map(toRecord).every(valid)).toBe(true);
    expect(mine.response_metadata?.next_cursor).toBeTruthy();
    const parent = people.find((x) => (x.reply_count ?? 0) > 0)!;
    const replies = await slack().conversations.replies({ channel, ts: parent.ts! });
    expect((replies.messages as Msg[]).map(toRecord).every((r) => valid(r) && r.thread === parent.ts)).toBe(
      true,
    );
  });
});
