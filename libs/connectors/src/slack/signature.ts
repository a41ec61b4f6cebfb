import { createHmac, timingSafeEqual } from 'node:crypto';

// Slack signs every request it sends (Events API, slash commands, interactivity) with the
// app's signing secret: `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`.
// The API verifies with this; the sandbox signs with it when it plays Slack's sender.

export const SLACK_SIGNATURE_VERSION = 'v0';
/** Slack's advice: refuse requests whose timestamp is more than five minutes away from now. */
export const SLACK_REPLAY_WINDOW_SECONDS = 300;

/** The `X-Slack-Signature` value for a body sent at `timestamp` (epoch seconds, as a string). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`${SLACK_SIGNATURE_VERSION}:${timestamp}:`);
  hmac.update(rawBody);
  return `${SLACK_SIGNATURE_VERSION}=${hmac.digest('hex')}`;
}

/** Headers Slack would send with `rawBody` (for the sandbox's sender and for tests). */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  nowMs: number,
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(signingSecret, timestamp, rawBody),
  };
}

export type SlackSignatureProblem = 'missing' | 'stale' | 'mismatch';

export type SlackSignatureCheck =
  { ok: true; timestamp: number } | { ok: false; problem: SlackSignatureProblem; message: string };

/**
 * Is this request from Slack? Checks the timestamp window first (a stale request is refused
 * without computing anything), then the signature in constant time.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  nowMs: number;
}): SlackSignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature)
    return {
      ok: false,
      problem: 'missing',
      message: 'Missing X-Slack-Request-Timestamp or X-Slack-Signature: only Slack may call this address',
    };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, problem: 'missing', message: 'X-Slack-Request-Timestamp must be epoch seconds' };
  const seconds = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - seconds) > SLACK_REPLAY_WINDOW_SECONDS)
    return {
      ok: false,
      problem: 'stale',
      message: `The request's timestamp is more than ${SLACK_REPLAY_WINDOW_SECONDS / 60} minutes from now: refused as a possible replay (check the server's clock)`,
    };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      ok: false,
      problem: 'mismatch',
      message:
        'The Slack signature does not match: check PULSE_SLACK_SIGNING_SECRET against the app\'s "Signing Secret"',
    };
  return { ok: true, timestamp: seconds };
}
