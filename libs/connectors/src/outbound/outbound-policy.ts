// The outbound-host policy every connector uses: where a request (and the token it carries)
// may go. Checked when a connection is saved or tested (with a readable refusal) and again
// at connect time, on the address actually connected to, so DNS rebinding cannot bypass it.
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ADDRESS_CLASS_TEXT, classifyAddress } from './address-class';
import { type AllowedHost, effectivePort, isAllowedHost } from './allowed-hosts';
import { createGuardedFetch } from './guarded-fetch';
import { OutboundRefusedError } from './outbound-refused.error';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** All addresses of a host name (injectable so tests can play a rebinding DNS). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  readonly allowedHosts: readonly AllowedHost[];
  /**
   * Resolves the URL's host and throws an OutboundRefusedError when Pulse must not send a
   * request there. A host that does not resolve passes (the connection then fails on its own).
   */
  check(url: string): Promise<void>;
  /** A `fetch` that applies the policy to every request and redirect, at connect time. */
  fetch: typeof fetch;
  /**
   * The http(s) agent for clients with their own HTTP stack (axios, request): it checks every
   * socket it opens, redirects included. Throws an OutboundRefusedError for a URL refused
   * outright (scheme, credentials, IP literal).
   */
  agentFor(url: string): HttpAgent;
}

const CHECK_DNS_TIMEOUT_MS = 5_000;

const defaultResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });

function describeTarget(url: URL): string {
  return `${url.hostname}:${effectivePort(url)}`;
}

function refusal(url: URL, reason: keyof typeof ADDRESS_CLASS_TEXT): OutboundRefusedError {
  const target = describeTarget(url);
  return new OutboundRefusedError(
    `Pulse does not send requests to ${target}: it is ${ADDRESS_CLASS_TEXT[reason]}. ` +
      `If this is your own server on a private network (GitHub Enterprise, Jira Data Center), ` +
      `an admin can allow it with PULSE_ALLOWED_UPSTREAM_HOSTS=${target}.`,
    target,
    reason,
  );
}

export function createOutboundPolicy(options: {
  allowedHosts: readonly AllowedHost[];
  resolve?: HostResolver;
}): OutboundPolicy {
  const allowedHosts = [...options.allowedHosts];
  const resolve = options.resolve ?? defaultResolver;

  /** What can be decided without DNS: scheme, credentials in the URL, IP literals, the allow list. */
  const checkStatic = (raw: string): { url: URL; allowed: boolean } => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRefusedError('The connection URL is not a valid URL.', raw, 'scheme');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundRefusedError('Only http and https URLs are allowed.', url.protocol, 'scheme');
    }
    if (url.username || url.password) {
      throw new OutboundRefusedError(
        'The URL must not contain a user name or password: enter the token in the token field.',
        describeTarget(url),
        'credentials',
      );
    }
    if (isAllowedHost(allowedHosts, url)) return { url, allowed: true };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const cls = classifyAddress(host);
      if (cls !== 'public') throw refusal(url, cls);
    } else if (host === 'localhost' || host.endsWith('.localhost')) {
      throw refusal(url, 'loopback');
    }
    return { url, allowed: false };
  };

  const judge = (url: URL, addresses: readonly ResolvedAddress[]): void => {
    // one non-public record refuses the host: an attacker may publish both kinds
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (cls !== 'public') throw refusal(url, cls);
    }
  };

  /** A dns.lookup replacement for one target URL: refuses non-public answers at connect time. */
  const guardedLookup =
    (url: URL): LookupFunction =>
    (hostname, lookupOptions, callback) => {
      resolve(hostname)
        .then((all) => {
          judge(url, all);
          const family =
            lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
          const usable = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
          if (usable.length === 0) {
            const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
            callback(err, '', 0);
            return;
          }
          if (lookupOptions.all)
            (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, usable);
          else callback(null, usable[0]?.address ?? '', usable[0]?.family ?? 4);
        })
        .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
    };

  /**
   * Every socket of these agents is checked when it is created, whatever client drives them
   * and wherever its redirects lead: allowed host:port as is, IP literals by class (Node
   * skips `lookup` for them), host names through the guarded lookup.
   */
  const guard = <A extends HttpAgent>(agent: A, protocol: 'http:' | 'https:'): A => {
    const create = agent.createConnection.bind(agent);
    agent.createConnection = (opts, callback) => {
      const host = String(opts.host ?? opts.hostname ?? 'localhost');
      const bracketed = isIP(host) === 6 ? `[${host}]` : host;
      const port = opts.port ?? (protocol === 'https:' ? 443 : 80);
      let target: URL;
      try {
        target = new URL(`${protocol}//${bracketed}:${port}/`);
      } catch {
        process.nextTick(() =>
          callback?.(new OutboundRefusedError('Invalid host.', host, 'reserved'), null as never),
        );
        return undefined;
      }
      if (isAllowedHost(allowedHosts, target)) return create(opts, callback);
      const cls = isIP(host)
        ? classifyAddress(host)
        : host === 'localhost' || host.endsWith('.localhost')
          ? 'loopback'
          : null;
      if (cls && cls !== 'public') {
        process.nextTick(() => callback?.(refusal(target, cls), null as never));
        return undefined;
      }
      return create({ ...opts, lookup: guardedLookup(target) } as typeof opts, callback);
    };
    return agent;
  };
  const agents = {
    http: guard(new HttpAgent({ keepAlive: true }), 'http:'),
    https: guard(new HttpsAgent({ keepAlive: true }), 'https:'),
  };
  const agentFor = (raw: string): HttpAgent => {
    // refuses with a readable message before any socket is asked for
    const { url } = checkStatic(raw);
    return url.protocol === 'https:' ? agents.https : agents.http;
  };

  return {
    allowedHosts,
    async check(raw) {
      const { url, allowed } = checkStatic(raw);
      if (allowed || isIP(url.hostname.replace(/^\[|\]$/g, ''))) return;
      let addresses: ResolvedAddress[] = [];
      let timer: NodeJS.Timeout | undefined;
      try {
        // a resolver that hangs must not hang the request that saves a connection
        addresses = await Promise.race([
          resolve(url.hostname),
          new Promise<ResolvedAddress[]>((r) => (timer = setTimeout(() => r([]), CHECK_DNS_TIMEOUT_MS))),
        ]);
      } catch {
        return;
      } finally {
        clearTimeout(timer);
      }
      judge(url, addresses);
    },
    agentFor,
    fetch: createGuardedFetch(agentFor),
  };
}
