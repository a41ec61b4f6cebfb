// The Jira client never opens a socket the outbound policy refuses, and never retries one.
import { OutboundRefusedError, type OutboundPolicy } from '../outbound';
import { createJiraClient } from './client';
import { classifyJiraError } from './errors';

const refusal = () =>
  new OutboundRefusedError(
    'Pulse does not send requests to jira.internal:80: it is a private address.',
    'jira.internal:80',
    'private',
  );

function policy(over: Partial<Pick<OutboundPolicy, 'check' | 'agentFor'>>): {
  outbound: Pick<OutboundPolicy, 'check' | 'agentFor'>;
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    outbound: {
      check: async (url) => {
        calls.push(`check ${url}`);
        await over.check?.(url);
      },
      agentFor: (url) => {
        calls.push(`agentFor ${url}`);
        if (!over.agentFor) throw new Error('no agent in this test');
        return over.agentFor(url);
      },
    },
  };
}

describe('Jira client and the outbound policy', () => {
  it('a refused site: check throws, no agent is asked for, no retry, invalid_config', async () => {
    const p = policy({
      check: async () => {
        throw refusal();
      },
    });
    const client = createJiraClient({
      baseUrl: 'http://jira.internal/jira',
      token: 't',
      outbound: p.outbound,
      sleep: async () => undefined,
    });
    const first = await client.get('2', '/serverInfo').catch((e: unknown) => e);
    const second = await client.get('2', '/myself').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OutboundRefusedError);
    expect(second).toBeInstanceOf(OutboundRefusedError);
    expect(classifyJiraError(first, { host: client.host })).toEqual({
      class: 'invalid_config',
      message: refusal().message,
    });
    // asked once, before the first request; no socket, no attempt counted
    expect(p.calls).toEqual(['check http://jira.internal/jira']);
    expect(client.stats).toEqual({ apiCalls: 0, retries: 0, rateLimitWaits: 0 });
  });

  it('an agent refused outright after the check passed: invalid_config, not retried', async () => {
    const p = policy({
      agentFor: () => {
        throw refusal();
      },
    });
    const client = createJiraClient({
      baseUrl: 'http://jira.internal/jira',
      token: 't',
      outbound: p.outbound,
      retries: 3,
      sleep: async () => undefined,
    });
    const e = await client.get('2', '/serverInfo').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OutboundRefusedError);
    expect(classifyJiraError(e, { host: client.host }).class).toBe('invalid_config');
    expect(client.stats.apiCalls).toBe(1);
    expect(client.stats.retries).toBe(0);
  });
});
