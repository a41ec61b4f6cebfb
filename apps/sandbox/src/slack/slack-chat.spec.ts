import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { startSandbox } from '../sandbox.server';
import { SANDBOX_SLACK_BOT_TOKEN, SANDBOX_SLACK_SIGNING_SECRET } from '../credentials.constants';
import { type RunningSandbox } from '../sandbox.types';
import { sendSlashCommand } from './slack-commands.sender';

let sb: RunningSandbox;
const CHANNEL = 'C0SLIPGEN';
const slack = (): WebClient =>
  new WebClient(SANDBOX_SLACK_BOT_TOKEN, {
    slackApiUrl: sb.slackUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
const fail = (body: unknown) =>
  fetch(`${sb.url}/_sandbox/slack/fail`, { method: 'POST', body: JSON.stringify(body) });
const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }];

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 'spec' });
});
afterAll(() => sb.close());
afterEach(() => sb.reset());

describe('Slack chat methods', () => {
  it('captures chat.postMessage and edits the record on chat.update', async () => {
    const posted = await slack().chat.postMessage({ channel: CHANNEL, text: 'one', blocks });
    const ts = posted.ts!;
    await slack().chat.update({ channel: CHANNEL, ts, text: 'two', blocks: [{ type: 'divider' }] });
    const messages = sb.posted();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      channel: CHANNEL,
      ts,
      text: 'two',
      blocks: [{ type: 'divider' }],
      updates: 1,
    });
    const missing = await slack()
      .chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })
      .catch((e: WebAPIPlatformError) => e);
    expect((missing as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it.each(['not_in_channel', 'channel_not_found', 'is_archived', 'invalid_auth'])(
    'fails with %s on demand, once',
    async (error) => {
      expect((await fail({ method: 'chat.postMessage', error })).status).toBe(200);
      const e = (await slack()
        .chat.postMessage({ channel: CHANNEL, text: 'x' })
        .catch((x: unknown) => x)) as WebAPIPlatformError;
      expect(e.code).toBe(ErrorCode.PlatformError);
      expect(e.data.error).toBe(error);
      await expect(slack().chat.postMessage({ channel: CHANNEL, text: 'x' })).resolves.toMatchObject({
        ok: true,
      });
    },
  );

  it('rate limits with Retry-After', async () => {
    await fail({ method: 'chat.*', error: 'ratelimited', retryAfter: 7 });
    const e = (await slack()
      .chat.postMessage({ channel: CHANNEL, text: 'x' })
      .catch((x: unknown) => x)) as WebAPIRateLimitedError;
    expect(e.code).toBe(ErrorCode.RateLimitedError);
    expect(e.retryAfter).toBe(7);
  });

  it('refuses blocks beyond Slack limits as invalid_blocks', async () => {
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const e = (await slack()
      .chat.postMessage({ channel: CHANNEL, text: 'x', blocks: many })
      .catch((x: unknown) => x)) as WebAPIPlatformError;
    expect(e.data.error).toBe('invalid_blocks');
    expect((await fail({ error: 'nope' })).status).toBe(400);
  });
});

describe('slash command sender', () => {
  it('posts a form body signed with the app signing secret', async () => {
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ response_type: 'ephemeral', text: 'ok' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const sent = await sendSlashCommand(`http://127.0.0.1:${port}/api/slack/commands`, {
        text: 'status',
        channelId: CHANNEL,
      });
      expect(sent.body).toEqual({ response_type: 'ephemeral', text: 'ok' });
      const got = seen[0]!;
      const ts = String(got.headers['x-slack-request-timestamp']);
      const expected = `v0=${createHmac('sha256', SANDBOX_SLACK_SIGNING_SECRET).update(`v0:${ts}:${got.body}`).digest('hex')}`;
      expect(got.headers['x-slack-signature']).toBe(expected);
      const form = new URLSearchParams(got.body);
      expect(form.get('command')).toBe('/pulse');
      expect(form.get('text')).toBe('status');
      expect(form.get('channel_id')).toBe(CHANNEL);
      expect(form.get('response_url')).toMatch(/^https:\/\/hooks\.slack\.com\/commands\//);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('slash command response_url', () => {
  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('takes up to five JSON answers per URL, as Slack does, and shows them', async () => {
    const path = '/slack/commands/T0SANDBOX/1001/abc';
    for (let i = 0; i < 5; i++) {
      const res = await post(path, JSON.stringify({ text: `answer ${i}`, replace_original: false }));
      expect(res.status).toBe(200);
    }
    const sixth = await post(path, JSON.stringify({ text: 'one too many' }));
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    // another command's URL is counted on its own
    expect((await post('/slack/commands/T0SANDBOX/1002/def', '{"text":"other"}')).status).toBe(200);
    expect(sb.slashResponses().map((r) => (r.body as { text: string }).text)).toEqual([
      'answer 0',
      'answer 1',
      'answer 2',
      'answer 3',
      'answer 4',
      'other',
    ]);
    const listed = (await (await fetch(`${sb.url}/_sandbox/slack/responses`)).json()) as {
      responses: unknown[];
    };
    expect(listed.responses).toHaveLength(6);
  });

  it('refuses a body that is not JSON', async () => {
    const path = '/slack/commands/T0SANDBOX/1003/ghi';
    expect((await post(path, 'text=hello', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await post(path, '{not json')).status).toBe(400);
    expect(sb.slashResponses()).toHaveLength(0);
  });
});
