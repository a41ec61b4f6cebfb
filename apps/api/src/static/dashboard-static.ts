import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** Hashed build output (`assets/name-<hash>.js`) never changes under its name: cache it for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) must be revalidated, so a new release is picked up. */
const REVALIDATE = 'no-cache';

const ENCODINGS = [
  { token: 'br', suffix: '.br' },
  { token: 'gzip', suffix: '.gz' },
] as const;

const STATIC_FILE = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|json|txt|webmanifest)$/i;

const OPERATIONS_PATH = /^\/(api|admin|health|metrics)(\/|$)/;

interface StaticFile {
  /** Absolute path of the uncompressed file. */
  path: string;
  /** Precompressed variants present next to it, best first. */
  encodings: (typeof ENCODINGS)[number][];
  immutable: boolean;
}

/**
 * Serves the built dashboard: the files the build wrote (never source maps), in the
 * precompressed variant the browser accepts (brotli, then gzip), with immutable caching for
 * hashed assets and `no-cache` for index.html; any other GET outside the API gets the SPA.
 *
 * The list of files is read once at start-up, so a request path is only ever looked up in
 * that list — it can never reach a file outside the folder.
 */
export function dashboardStatic(dir: string): RequestHandler | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const files = listFiles(dir);
  const indexFile = files.get('/index.html')!;

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (OPERATIONS_PATH.test(req.path)) return next();
    if (req.path.endsWith('.map')) return notFound(res);
    const file = files.get(req.path);
    if (file) return send(req, res, next, file);
    // A missing hashed asset is a stale page asking for an old release: a 404, not the SPA.
    // (Client-side routes may hold dots, e.g. /engagements/…/kpi/delivery.pr_cycle_time.)
    if (req.path.startsWith('/assets/') || STATIC_FILE.test(req.path)) return notFound(res);
    return send(req, res, next, indexFile);
  };
}

function send(req: Request, res: Response, next: NextFunction, file: StaticFile): void {
  const accepted = acceptedEncodings(req.headers['accept-encoding']);
  const encoding = file.encodings.find((e) => accepted.has(e.token));
  res.setHeader('Cache-Control', file.immutable ? IMMUTABLE : REVALIDATE);
  res.setHeader('Vary', 'Accept-Encoding');
  // The type of the original file, not of `.br`/`.gz` (send keeps a Content-Type already set).
  res.type(extname(file.path));
  if (encoding) res.setHeader('Content-Encoding', encoding.token);
  res.sendFile(encoding ? file.path + encoding.suffix : file.path, { cacheControl: false }, (err) => {
    if (err && !res.headersSent) next(err);
  });
}

function notFound(res: Response): void {
  res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'No such file in the dashboard' });
}

function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (token && (q === undefined || Number(q) > 0)) accepted.add(token);
  }
  return accepted;
}

function listFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isFile() || /\.(br|gz|map)$/.test(entry.name)) continue;
      const url = '/' + relative(dir, path).split(sep).join('/');
      files.set(url, {
        path,
        encodings: ENCODINGS.filter((e) => existsSync(path + e.suffix)),
        immutable: url.startsWith('/assets/'),
      });
    }
  };
  walk(dir);
  return files;
}
