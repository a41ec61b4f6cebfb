// What the sandbox's Slack sends to Pulse (events, slash commands): a body signed as Slack
// signs it, posted, and the exact bytes and headers kept so a test can replay or tamper.
import { createHmac } from 'node:crypto';

/** One request sent to Pulse and its answer. */
export interface SentSlackRequest {
  status: number;
  body: unknown;
  /** The exact bytes and headers sent, so a test can replay or tamper with them. */
  rawBody: string;
  headers: Record<string, string>;
}

/**
 * Slack's v0 request signature, as Slack computes it. Written here rather than imported: the
 * sandbox may only depend on @pulse/contracts (module boundaries), and it must stay an
 * independent party — the integration tests check Pulse's verifier accepts exactly this.
 */
export function signLikeSlack(
  signingSecret: string,
  rawBody: string,
  nowMs: number,
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}

/** Posts bytes and headers as they are (also a replay of a captured request). */
export async function postRaw(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
): Promise<SentSlackRequest> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Slack shows a plain-text answer as it is.
  }
  return { status: res.status, body, rawBody, headers };
}
