import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { SLACK_REPLAY_WINDOW_SECONDS, verifySlackSignature } from '@pulse/connectors';
import type { ApiErrorBody } from '@pulse/contracts';

// Every request under /api/slack/ comes from Slack (Events API, slash commands) and carries
// no session: its only credential is the signature over the raw body. This middleware runs
// before any body parser, reads the raw bytes, verifies them, refuses replays, and only then
// hands the parsed body on. Route handlers under /api/slack/ may trust `req.body` came from
// Slack; nothing reaches them unverified.

export const SLACK_ROUTE = /^\/api\/slack\//;
/** Slack's event payloads are small; a megabyte leaves room for large message blocks. */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

/** What the verified request said about itself, on `res.locals.slack`. */
export interface SlackRequestInfo {
  timestamp: number;
  /** `X-Slack-Retry-Num` when Slack re-delivers an event it thinks we missed. */
  retryNum: number | null;
  retryReason: string | null;
}

/**
 * Signatures already accepted within the replay window: the same signed request sent again
 * (a captured request replayed) is refused. Remembered only once a request succeeded, so
 * Slack's re-delivery of a request that failed is still let through. Bounded: entries expire
 * with the window, and the oldest go first past `maxEntries`.
 */
export class SlackReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  has(signature: string, nowMs: number): boolean {
    const expires = this.seen.get(signature);
    return expires !== undefined && expires > nowMs;
  }

  remember(signature: string, nowMs: number): void {
    for (const [key, expires] of this.seen) {
      if (expires > nowMs && this.seen.size < this.maxEntries) break;
      this.seen.delete(key);
    }
    this.seen.set(signature, nowMs + 2 * SLACK_REPLAY_WINDOW_SECONDS * 1000);
  }
}

function refuse(res: Response, status: number, message: string): void {
  const body: ApiErrorBody = { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  res.status(status).json(body);
}

function readRaw(req: Request, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function parseBody(req: Request, raw: Buffer): { ok: true; body: unknown } | { ok: false; message: string } {
  const text = raw.toString('utf8');
  if (req.is('application/json')) {
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, message: 'The body is not valid JSON' };
    }
  }
  if (req.is('application/x-www-form-urlencoded')) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(text)) };
  }
  return { ok: false, message: 'Slack sends application/json or application/x-www-form-urlencoded' };
}

export function slackSignedRequests(options: {
  signingSecret: string | undefined;
  replayGuard?: SlackReplayGuard;
  now?: () => number;
}) {
  const guard = options.replayGuard ?? new SlackReplayGuard();
  const now = options.now ?? Date.now;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!SLACK_ROUTE.test(req.path) || req.method !== 'POST') return next();
    const secret = options.signingSecret;
    if (!secret)
      return refuse(
        res,
        403,
        'Slack requests are refused: this Pulse has no Slack signing secret. Set PULSE_SLACK_SIGNING_SECRET to the app\'s "Signing Secret" and restart.',
      );
    readRaw(req, MAX_SLACK_BODY_BYTES).then(
      (raw) => {
        if (raw === 'too_large')
          return refuse(res, 413, `The body is larger than ${MAX_SLACK_BODY_BYTES / 1024} KB`);
        const signature = req.get('x-slack-signature');
        const nowMs = now();
        const check = verifySlackSignature({
          signingSecret: secret,
          timestamp: req.get('x-slack-request-timestamp'),
          signature,
          rawBody: raw,
          nowMs,
        });
        if (!check.ok) return refuse(res, 401, check.message);
        if (guard.has(signature!, nowMs))
          return refuse(res, 401, 'This signed request was already received: refused as a replay');
        const parsed = parseBody(req, raw);
        if (!parsed.ok) return refuse(res, req.is('json') ? 400 : 415, parsed.message);
        req.body = parsed.body;
        // Tells express.json() the body is already read.
        (req as Request & { _body?: boolean })._body = true;
        const retry = req.get('x-slack-retry-num');
        const info: SlackRequestInfo = {
          timestamp: check.timestamp,
          retryNum: retry && /^\d{1,3}$/.test(retry) ? Number(retry) : null,
          retryReason: req.get('x-slack-retry-reason') ?? null,
        };
        res.locals.slack = info;
        res.on('finish', () => {
          if (res.statusCode < 400) guard.remember(signature!, nowMs);
        });
        next();
      },
      () => refuse(res, 400, 'The body could not be read'),
    );
  };
}
