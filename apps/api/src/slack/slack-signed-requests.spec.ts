import express from 'express';
import request from 'supertest';
import { signSlackRequest } from '@pulse/connectors';
import { jsonOnly } from '../common/request-guards';
import { MAX_SLACK_BODY_BYTES, SlackReplayGuard, slackSignedRequests } from './slack-signed-requests';

const SECRET = 'test-signing-secret-0001';

/** An app wired as createApp does: the Slack middleware, then jsonOnly and express.json. */
function appWith(options: { secret?: string; now?: () => number; status?: number }) {
  const received: unknown[] = [];
  const app = express();
  app.use(
    slackSignedRequests({
      signingSecret: options.secret,
      now: options.now,
      replayGuard: new SlackReplayGuard(),
    }),
  );
  app.use(jsonOnly);
  app.use(express.json());
  app.post('/api/slack/test', (req, res) => {
    received.push(req.body);
    res.status(options.status ?? 200).json({ ok: true, slack: res.locals.slack });
  });
  return { app, received };
}

const NOW = 1_800_000_000_000;

function signed(body: string, at = NOW, secret = SECRET) {
  return signSlackRequest(secret, body, at);
}

describe('slackSignedRequests', () => {
  it('passes a signed JSON event on, parsed, with its retry headers', async () => {
    const { app, received } = appWith({ secret: SECRET, now: () => NOW });
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1' });
    const res = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'application/json')
      .set(signed(body))
      .set('x-slack-retry-num', '2')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body.slack).toEqual({ timestamp: NOW / 1000, retryNum: 2, retryReason: null });
    expect(received).toEqual([{ type: 'event_callback', event_id: 'Ev1' }]);
  });

  it('passes a signed form-encoded slash command on (jsonOnly lets Slack through)', async () => {
    const { app, received } = appWith({ secret: SECRET, now: () => NOW });
    const body = 'command=%2Fpulse&text=status&channel_id=C123';
    const res = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set(signed(body))
      .send(body);
    expect(res.status).toBe(200);
    expect(received).toEqual([{ command: '/pulse', text: 'status', channel_id: 'C123' }]);
  });

  it('refuses unsigned, forged, stale and replayed requests with 401 before the handler', async () => {
    const { app, received } = appWith({ secret: SECRET, now: () => NOW });
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev2' });
    const post = () => request(app).post('/api/slack/test').set('content-type', 'application/json');

    const unsigned = await post().send(body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.message).toMatch(/X-Slack-Signature/);

    const forged = await post()
      .set(signed(body, NOW, 'another-secret'))
      .send(body);
    expect(forged.status).toBe(401);
    expect(forged.body.message).toMatch(/does not match/);

    const stale = await post()
      .set(signed(body, NOW - 6 * 60_000))
      .send(body);
    expect(stale.status).toBe(401);
    expect(stale.body.message).toMatch(/replay/);

    const headers = signed(body);
    expect((await post().set(headers).send(body)).status).toBe(200);
    const replay = await post().set(headers).send(body);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/already received/);
    expect(received).toHaveLength(1);
  });

  it('lets Slack re-deliver a request the handler refused', async () => {
    const { app, received } = appWith({ secret: SECRET, now: () => NOW, status: 400 });
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev3' });
    const headers = signed(body);
    for (let i = 0; i < 2; i++) {
      const res = await request(app)
        .post('/api/slack/test')
        .set('content-type', 'application/json')
        .set(headers)
        .send(body);
      expect(res.status).toBe(400);
    }
    expect(received).toHaveLength(2);
  });

  it('refuses everything when no signing secret is configured, saying what to set', async () => {
    const { app, received } = appWith({ now: () => NOW });
    const body = '{}';
    const res = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'application/json')
      .set(signed(body))
      .send(body);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/PULSE_SLACK_SIGNING_SECRET/);
    expect(received).toHaveLength(0);
  });

  it('refuses malformed JSON, other content types and oversized bodies with 4xx', async () => {
    const { app, received } = appWith({ secret: SECRET, now: () => NOW });
    const bad = '{"type":';
    const badJson = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'application/json')
      .set(signed(bad))
      .send(bad);
    expect(badJson.status).toBe(400);
    const text = 'hello';
    const plain = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'text/plain')
      .set(signed(text))
      .send(text);
    expect(plain.status).toBe(415);
    const big = JSON.stringify({ pad: 'x'.repeat(MAX_SLACK_BODY_BYTES) });
    const tooLarge = await request(app)
      .post('/api/slack/test')
      .set('content-type', 'application/json')
      .set(signed(big))
      .send(big);
    expect(tooLarge.status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('forgets accepted signatures once they are past the window, and stays bounded', () => {
    const guard = new SlackReplayGuard(3);
    guard.remember('a', 0);
    expect(guard.has('a', 1000)).toBe(true);
    expect(guard.has('a', 11 * 60_000)).toBe(false);
    for (const key of ['b', 'c', 'd', 'e']) guard.remember(key, 1000);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => guard.has(k, 2000))).toEqual(['c', 'd', 'e']);
  });
});
