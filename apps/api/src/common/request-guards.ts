import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorBody } from '@pulse/contracts';

// Express middleware that runs before Nest routes: what a request body may be, where a
// state change may come from, and what no input may contain. Each refusal is an
// ApiErrorBody saying what to do.

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The coverage upload is the one multipart route (CI sends a file with its upload token). */
const MULTIPART_ROUTE = /^\/api\/engagements\/[^/]+\/coverage\/?$/;

/**
 * Routes whose credential is not the session cookie, so a cross-site request carries no
 * ambient authority: the coverage upload (bearer upload token) and Slack's signed requests.
 */
const SLACK_ROUTE = /^\/api\/slack\//;
const NOT_COOKIE_AUTHENTICATED = [MULTIPART_ROUTE, SLACK_ROUTE];

/** Deepest nesting any request body may have (the real ones need 4). */
export const MAX_BODY_DEPTH = 32;
/** Largest JSON body (a roster of 2 000 people fits). */
export const MAX_JSON_BYTES = 1024 * 1024;

function refuse(res: Response, status: number, message: string, field?: string): void {
  const body: ApiErrorBody = {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message: field ? `${field}: ${message}` : message,
    ...(field ? { details: [{ field, message }] } : {}),
  };
  res.status(status).json(body);
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * State changes accept JSON only (multipart only on the coverage upload). A form or
 * text/plain body is what a cross-site page can send without a CORS preflight.
 */
export function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  if (!STATE_CHANGING.has(req.method) || !hasBody(req)) return next();
  // Slack's routes were read and verified by slackSignedRequests (JSON or form-encoded).
  if (SLACK_ROUTE.test(req.path)) return next();
  if (MULTIPART_ROUTE.test(req.path)) {
    if (req.is('multipart/form-data')) return next();
    return refuse(res, 415, 'Send the report as multipart/form-data with the file in the field "report"');
  }
  if (req.is('application/json')) return next();
  refuse(res, 415, 'Send the body as JSON with the header Content-Type: application/json');
}

/**
 * Cookie-authenticated state changes (sign-in included) must come from the server's own
 * origin: browsers send `Sec-Fetch-Site` and `Origin` on cross-site requests. Clients that
 * send neither (curl, CI scripts) are not browsers and carry no ambient cookie risk.
 */
export function sameOrigin(publicUrl: string | undefined) {
  const publicHost = publicUrl ? new URL(publicUrl).host.toLowerCase() : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!STATE_CHANGING.has(req.method) || NOT_COOKIE_AUTHENTICATED.some((r) => r.test(req.path)))
      return next();
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return refuse(res, 403, 'Cross-site requests may not change anything: use Pulse from its own address');
    const origin = req.get('origin');
    if (origin === undefined) return next();
    let host: string | undefined;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      host = undefined;
    }
    const own = req.get('host')?.toLowerCase();
    if (host !== undefined && (host === own || host === publicHost)) return next();
    refuse(res, 403, 'Cross-site requests may not change anything: use Pulse from its own address');
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with one string, if anything (PostgreSQL refuses NULs; neither can be stored as UTF-8). */
function badText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it contains a lone surrogate)';
  return undefined;
}

/** The first problem in a parsed JSON/query value, walked iteratively (no recursion to overflow). */
export function findInputProblem(
  root: unknown,
  rootName: string,
): { field: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  const name = (path: string) => (path === '' ? rootName : path);
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = badText(value);
      if (problem) return { field: name(path), message: problem };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { field: name(path), message: 'must be a finite number' };
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_BODY_DEPTH)
        return { field: name(path), message: `nests deeper than ${MAX_BODY_DEPTH} levels: flatten it` };
      for (const [key, child] of Object.entries(value)) {
        const keyProblem = badText(key);
        const childPath = path === '' ? key : `${path}.${key}`;
        if (keyProblem) return { field: name(path), message: `has a field name that ${keyProblem}` };
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Refuses NULs, lone surrogates and over-deep nesting anywhere in the path, query or body. */
export function inspectInput(req: Request, res: Response, next: NextFunction): void {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return refuse(res, 400, 'The address is not valid percent-encoded UTF-8', 'path');
  }
  const pathProblem = badText(path);
  if (pathProblem) return refuse(res, 400, pathProblem, 'path');
  const problem = findInputProblem(req.query, 'query') ?? findInputProblem(req.body, '(body)');
  if (problem) return refuse(res, 400, problem.message, problem.field);
  next();
}

/** Errors of the body parser (malformed JSON, too large, bad charset) as ApiErrorBody. */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string') return next(err);
  if (e.type === 'entity.too.large')
    return refuse(res, 413, `The body is larger than ${MAX_JSON_BYTES / 1024} KB: send less at once`);
  if (e.type === 'entity.parse.failed')
    return refuse(res, 400, 'The body is not valid JSON: check quotes, commas and brackets');
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  refuse(res, status, e.expose && e.message ? e.message : 'The body could not be read');
}
