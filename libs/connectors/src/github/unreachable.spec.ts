import { createServer } from 'node:net';
import { createOutboundPolicy, parseAllowedUpstreamHosts } from '../outbound';
import { githubConnector } from './connector';
import { classifyGithubError, syncGithub } from './index';

// A GitHub (Enterprise) host that cannot be reached is a DNS or connection failure:
// `unreachable` with the host named, never "temporary problem (500)" — Octokit reports a
// failed fetch as a status-500 RequestError, which is what this guards against.

const NOW = Date.parse('2026-11-20T12:00:00Z');
const TOKEN = 'ghp_unreachabletestunreachabletest0000';

/** A loopback port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function syncAgainst(baseUrl: string) {
  const pages: unknown[] = [];
  return {
    pages,
    result: await syncGithub({
      settings: { baseUrl, repos: ['acme/api'], coverageArtifactPattern: 'coverage*', api: 'graphql' },
      token: TOKEN,
      // the admin approved the host: the policy lets the request go, the network fails it
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(baseUrl).host) }),
      cursor: null,
      sink: {
        savePage: async (page) => void pages.push(page),
        saveCursor: async () => undefined,
      },
      now: () => NOW,
      retryBaseMs: 1,
    }),
  };
}

describe('GitHub host that cannot be reached', () => {
  it('a host name that does not resolve fails the sync as unreachable, naming the host', async () => {
    const { result, pages } = await syncAgainst('http://ghe.pulse-test.invalid/api/v3');
    expect(pages).toEqual([]);
    expect(result.error?.class).toBe('unreachable');
    expect(result.error?.message).toMatch(/^cannot reach ghe\.pulse-test\.invalid: host not found/);
    expect(result.error?.message).not.toContain(TOKEN);
  });

  it('a closed port fails the sync as unreachable: connection refused', async () => {
    const port = await closedPort();
    const { result } = await syncAgainst(`http://127.0.0.1:${port}`);
    expect(result.error).toMatchObject({ class: 'unreachable' });
    expect(result.error?.message).toMatch(
      new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port}: connection refused`),
    );
  });

  it('the connection test reports the same class and host', async () => {
    const baseUrl = 'http://ghe.pulse-test.invalid/api/v3';
    const tested = await githubConnector.test(
      { baseUrl, repos: ['acme/api'], coverageArtifactPattern: 'coverage*', api: 'graphql' },
      TOKEN,
      {
        outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts('ghe.pulse-test.invalid') }),
      },
    );
    expect(tested.ok).toBe(false);
    expect(tested.error?.class).toBe('unreachable');
    expect(tested.message).toMatch(/cannot reach ghe\.pulse-test\.invalid: host not found/);
  });

  it('a fetch failure without a network code stays temporary', () => {
    expect(classifyGithubError(new TypeError('fetch failed')).class).toBe('temporary');
  });
});
