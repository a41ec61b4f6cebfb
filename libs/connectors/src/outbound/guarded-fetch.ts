// A `fetch` over node:http(s) whose sockets come from the outbound policy's agents, so the
// address check happens on the address actually connected to (global fetch offers no hook
// for that). Follows redirects itself, re-checking each hop and dropping credentials when a
// redirect leaves the origin (GitHub sends artifact downloads to blob storage).
import { type Agent, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { OutboundRefusedError } from './outbound-refused.error';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function bodyOf(init: RequestInit | undefined): Buffer | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('guarded fetch: only string and byte bodies are supported');
}

function send(
  url: URL,
  method: string,
  headers: Headers,
  body: Buffer | undefined,
  agent: Agent,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const flat: Record<string, string> = {};
    headers.forEach((v, k) => (flat[k] = v));
    if (body) flat['content-length'] = String(body.length);
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      headers: flat,
      agent,
      ...(signal ? { signal } : {}),
    });
    req.once('response', resolve);
    req.once('error', (err) => {
      if (signal?.aborted) reject(abortReason(signal));
      // as global fetch does: a TypeError whose cause is the socket error (or our refusal)
      else reject(new TypeError('fetch failed', { cause: err }));
    });
    req.end(body);
  });
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(createGunzip());
  if (encoding === 'deflate') return res.pipe(createInflate());
  if (encoding === 'br') return res.pipe(createBrotliDecompress());
  return res;
}

export function createGuardedFetch(agentFor: (url: string) => Agent): typeof fetch {
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    let method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
    let body = bodyOf(init);
    const signal = init?.signal ?? undefined;
    for (let hop = 0; ; hop++) {
      if (signal?.aborted) throw abortReason(signal);
      let agent: Agent;
      try {
        agent = agentFor(url.href);
      } catch (e) {
        throw new TypeError('fetch failed', { cause: e });
      }
      const res = await send(url, method, headers, body, agent, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location && init?.redirect !== 'manual') {
        res.resume();
        if (init?.redirect === 'error' || hop >= MAX_REDIRECTS) {
          throw new TypeError('fetch failed', {
            cause: new OutboundRefusedError('Too many redirects.', url.host, 'redirects'),
          });
        }
        const next = new URL(location, url);
        if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) headers.delete(h);
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers.delete('content-type');
        }
        url = next;
        continue;
      }
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        responseHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
      }
      const hasBody = !NULL_BODY.has(status) && method !== 'HEAD';
      if (!hasBody) res.resume();
      const stream = hasBody ? (Readable.toWeb(decoded(res)) as ReadableStream<Uint8Array>) : null;
      const response = new Response(stream, {
        status,
        statusText: res.statusMessage ?? '',
        headers: responseHeaders,
      });
      Object.defineProperty(response, 'url', { value: url.href });
      return response;
    }
  };
  return guardedFetch as typeof fetch;
}
