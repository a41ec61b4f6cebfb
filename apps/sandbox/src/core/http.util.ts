// Minimal HTTP plumbing on node:http: request context, replies, ETags, pagination links.
import { createHash } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface SandboxRequest {
  method: string;
  /** path below the source prefix, e.g. "/repos/o/r/pulls" */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** absolute URL of the request, built on the sandbox origin */
  url: URL;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

export function etagOf(body: string | Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a form-encoded or JSON body into a flat record of strings. */
export function parseParams(req: SandboxRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) out[k] = v;
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length > 0) {
    if (type.includes('application/json')) {
      try {
        const parsed: unknown = JSON.parse(req.body);
        if (parsed && typeof parsed === 'object') {
          for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
            out[k] = typeof v === 'string' ? v : JSON.stringify(v);
          }
        }
      } catch {
        // malformed JSON is treated as no parameters, as lenient APIs do
      }
    } else {
      for (const [k, v] of new URLSearchParams(req.body)) out[k] = v;
    }
  }
  return out;
}

export function intParam(
  value: string | null | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

/** RFC 5988 Link header as GitHub sends it. */
export function linkHeader(url: URL, page: number, lastPage: number): string | undefined {
  const at = (p: number): string => {
    const u = new URL(url.toString());
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) parts.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) parts.push(`${at(1)}; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
export const isoOrNull = (t: number | undefined): string | null => (t === undefined ? null : iso(t));
