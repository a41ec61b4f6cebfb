// PULSE_ALLOWED_UPSTREAM_HOSTS: hosts an admin allows even though they resolve to loopback,
// private or link-local addresses (GitHub Enterprise or Jira Data Center on a private
// network, the sandbox of the demo and the tests). Comma-separated `host[:port]` entries;
// without a port, every port of the host is allowed.
import { isIP } from 'node:net';
import { z } from 'zod';

export interface AllowedHost {
  /** Lower-case host name or IP address, IPv6 in brackets (as `URL.hostname` spells it). */
  host: string;
  /** null: any port. */
  port: number | null;
}

const ENTRY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** The host as `new URL()` normalizes it (lower case, IPv4 shorthand expanded, IPv6 compressed). */
export function normalizeHost(host: string): string | null {
  try {
    const u = new URL(`http://${host}/`);
    return u.hostname;
  } catch {
    return null;
  }
}

/** One entry, or an error message saying what is wrong with it. */
export function parseAllowedHost(entry: string): AllowedHost | string {
  const m = ENTRY.exec(entry);
  if (!m?.[1]) return `"${entry}" is not host[:port] (no scheme, path or wildcard; IPv6 in brackets)`;
  const bare = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  if (m[1].startsWith('[') && isIP(bare) !== 6) return `"${entry}": ${bare} is not an IPv6 address`;
  const host = normalizeHost(m[1]);
  if (!host) return `"${entry}" is not a valid host name`;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return `"${entry}": port must be 1–65535`;
  return { host, port };
}

/** Zod schema of the variable: a comma-separated list, each entry validated. */
export const allowedUpstreamHostsSchema = z
  .string()
  .default('')
  .transform((raw, ctx): AllowedHost[] => {
    const out: AllowedHost[] = [];
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const parsed = parseAllowedHost(entry);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: `${parsed}; expected e.g. ghe.internal:443,10.0.0.5` });
        return z.NEVER;
      }
      out.push(parsed);
    }
    return out;
  });

export function parseAllowedUpstreamHosts(raw: string | undefined): AllowedHost[] {
  return allowedUpstreamHostsSchema.parse(raw ?? '');
}

/** The port a URL connects to (explicit, or the scheme's default). */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export function isAllowedHost(allowed: readonly AllowedHost[], url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const port = effectivePort(url);
  return allowed.some((a) => a.host === host && (a.port === null || a.port === port));
}

/** `scheme://host:port` of a URL, default ports included, for comparing where a token goes. */
export function upstreamOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname.toLowerCase()}:${effectivePort(u)}`;
  } catch {
    return null;
  }
}
