// The sandbox's Slack per token: the 2025 class's limits on a virtual clock, the errors of a
// bot that was not invited or lacks a scope, users.info, chat.getPermalink, history cursors
// that stay valid while messages arrive, and the signed events of an advance.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { createHmac } from 'node:crypto';
import { startSandbox } from '../sandbox.server';
import {
  SANDBOX_SLACK_BOT_TOKEN,
  SANDBOX_SLACK_LIMITED_BOT_TOKEN,
  SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN,
  SANDBOX_SLACK_OUTSIDER_BOT_TOKEN,
  SANDBOX_SLACK_SIGNING_SECRET,
} from '../credentials.constants';
import { type RunningSandbox } from '../sandbox.types';

jest.setTimeout(60_000);
let sb: RunningSandbox;
const clock = { t: Date.UTC(2026, 10, 20, 12) };
const slack = (token: string): WebClient =>
  new WebClient(token, {
    slackApiUrl: sb.slackUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
const channelOf = () => sb.manifest({ counts: false }).scenarios.slipping.slack.channels[0]!.id;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 'spec', slackClock: () => clock.t });
});
afterAll(() => sb.close());

describe('the 2025 non-Marketplace class', () => {
  it('gets one history request a minute and at most 15 messages a page; the tiered token is not limited', async () => {
    const limited = slack(SANDBOX_SLACK_LIMITED_BOT_TOKEN);
    const first = await limited.conversations.history({ channel: channelOf(), limit: 200 });
    expect(first.messages).toHaveLength(15);
    await expect(limited.conversations.history({ channel: channelOf() })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 60,
    });
    clock.t += 59_000;
    await expect(limited.conversations.history({ channel: channelOf() })).rejects.toMatchObject({
      retryAfter: 1,
    });
    clock.t += 1_000;
    const next = await limited.conversations.history({
      channel: channelOf(),
      cursor: first.response_metadata!.next_cursor!,
    });
    expect(next.messages).toHaveLength(15);
    expect(Number(next.messages![0]!.ts)).toBeLessThan(Number(first.messages![14]!.ts));
    const tiered = slack(SANDBOX_SLACK_BOT_TOKEN);
    for (let i = 0; i < 3; i++)
      expect(
        (await tiered.conversations.history({ channel: channelOf(), limit: 200 })).messages,
      ).toHaveLength(200);
  });
});

describe('errors and lookups', () => {
  it('not_in_channel, missing_scope with the scope needed', async () => {
    await expect(
      slack(SANDBOX_SLACK_OUTSIDER_BOT_TOKEN).conversations.history({ channel: channelOf() }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'not_in_channel' } });
    await expect(
      slack(SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN).conversations.replies({
        channel: channelOf(),
        ts: '1.000001',
      }),
    ).rejects.toMatchObject({ data: { error: 'missing_scope', needed: 'channels:history' } });
  });

  it('users.info and chat.getPermalink', async () => {
    const client = slack(SANDBOX_SLACK_BOT_TOKEN);
    const person = sb.manifest({ counts: false }).scenarios.slipping.people[0]!;
    const info = await client.users.info({ user: person.slack.userId });
    expect(info.user).toMatchObject({
      id: person.slack.userId,
      is_bot: false,
      profile: { email: person.email },
    });
    await expect(client.users.info({ user: 'U0NOBODY0' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    const ts = (await client.conversations.history({ channel: channelOf(), limit: 1 })).messages![0]!.ts!;
    const link = await client.chat.getPermalink({ channel: channelOf(), message_ts: ts });
    expect(link.permalink).toBe(
      `https://pulse-sandbox.slack.com/archives/${channelOf()}/p${ts.replace('.', '')}`,
    );
  });

  it('history cursors name the next message: they stay valid when new messages arrive', async () => {
    const client = slack(SANDBOX_SLACK_BOT_TOKEN);
    const first = await client.conversations.history({ channel: channelOf(), limit: 50 });
    sb.advance(6);
    const next = await client.conversations.history({
      channel: channelOf(),
      limit: 50,
      cursor: first.response_metadata!.next_cursor!,
    });
    // the page continues right after the first one, not shifted by the new messages
    const oldestOfFirst = Number(first.messages![49]!.ts);
    expect(Number(next.messages![0]!.ts)).toBeLessThan(oldestOfFirst);
    const all = await client.conversations.history({
      channel: channelOf(),
      limit: 999,
      latest: first.messages![49]!.ts,
    });
    expect(next.messages![0]!.ts).toBe(all.messages![0]!.ts);
  });
});

describe('the Events API sender', () => {
  it('posts an advance’s new messages and replies to the configured URL, signed', async () => {
    const received: { body: string; headers: IncomingMessage['headers'] }[] = [];
    const target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/api/slack/events`;
    const sender = await startSandbox({ port: 0, seed: 'spec', slackEventsUrl: url });
    try {
      const res = await fetch(`${sender.url}/_sandbox/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hours: 6 }),
      });
      const advanced = (await res.json()) as {
        changed: Record<string, { slack: Record<string, { newMessages: string[] }> }>;
      };
      const newMessages = Object.values(advanced.changed).flatMap((s) =>
        Object.values(s.slack).flatMap((c) => c.newMessages),
      );
      expect(newMessages.length).toBeGreaterThan(0);
      const events = received.map(
        (r) => JSON.parse(r.body) as { type: string; event: { ts: string; type: string } },
      );
      for (const ts of newMessages) expect(events.some((e) => e.event.ts === ts)).toBe(true);
      for (const r of received) {
        // Slack's v0 signature over exactly the bytes sent (Pulse's verifier is tested against it
        // in apps/api/src/slack).
        const timestamp = r.headers['x-slack-request-timestamp'] as string;
        expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
        const hmac = createHmac('sha256', SANDBOX_SLACK_SIGNING_SECRET)
          .update(`v0:${timestamp}:${r.body}`)
          .digest('hex');
        expect(r.headers['x-slack-signature']).toBe(`v0=${hmac}`);
      }
      expect(events.every((e) => e.type === 'event_callback' && e.event.type === 'message')).toBe(true);
    } finally {
      await sender.close();
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});
