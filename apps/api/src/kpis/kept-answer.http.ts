import type { Request, Response } from 'express';
import type { KpisAnswer, KpisService } from './kpis.service';

/**
 * Sends a kept answer (`KpisService.seriesAnswer`, `sharedViewAnswer`): JSON with its ETag
 * (a matching `If-None-Match` gets 304 and no body), `private, no-cache` so the browser asks
 * again each time, and the gzip form to clients that accept it.
 */
export async function sendKeptAnswer(
  req: Request,
  res: Response,
  answer: KpisAnswer,
  kpis: KpisService,
): Promise<void> {
  res.setHeader('cache-control', 'private, no-cache');
  res.setHeader('etag', answer.etag);
  res.setHeader('vary', 'Accept-Encoding');
  if (etagMatches(req.headers['if-none-match'], answer.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type('application/json; charset=utf-8');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('content-encoding', 'gzip');
    res.end(await kpis.gzipped(answer));
  } else res.end(answer.body);
}

/** `If-None-Match` (a list, or `*`) names `etag`, weak or strong. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
