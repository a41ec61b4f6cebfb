// The connection test: the token, then each monitored channel, reported by name.
import type { ConnectorCheck, ConnectorTestOptions, ConnectorTestResult } from '../framework/connector';
import type { SlackSettings } from '../settings';
import { createSlackClient } from './client';
import { classifySlackError } from './errors';

export async function testSlackConnection(
  settings: SlackSettings,
  secret: string,
  options: ConnectorTestOptions,
): Promise<ConnectorTestResult> {
  const client = createSlackClient({
    baseUrl: settings.baseUrl,
    token: secret,
    outbound: options.outbound,
    rejectRateLimitedCalls: true,
    retries: 0,
  });
  const classify = (e: unknown, channel?: string) =>
    classifySlackError(e, {
      host: client.host,
      ...(channel ? { channel } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  const checks: ConnectorCheck[] = [];
  let workspaceUrl: string | undefined;
  try {
    const me = await client.call<{ team?: unknown; user?: unknown; url?: unknown }>('auth.test', {});
    if (typeof me.url === 'string') workspaceUrl = me.url;
    checks.push({
      name: 'auth',
      ok: true,
      detail: `signed in as ${typeof me.user === 'string' ? `@${me.user}` : 'the bot'}${
        typeof me.team === 'string' ? ` in ${me.team}` : ''
      }`,
    });
  } catch (e) {
    const error = classify(e);
    return {
      ok: false,
      message: error.message,
      checks: [{ name: 'auth', ok: false, detail: error.message }],
      error,
    };
  }
  for (const channel of settings.channelIds) {
    try {
      const info = await client.call<{ channel?: { name?: unknown; is_member?: unknown } }>(
        'conversations.info',
        {
          channel,
        },
      );
      const name = typeof info.channel?.name === 'string' ? `#${info.channel.name}` : channel;
      checks.push(
        info.channel?.is_member === false
          ? {
              name: `channel ${channel}`,
              ok: false,
              detail: `Pulse is not a member of ${name}: invite @Pulse to ${name}`,
            }
          : { name: `channel ${channel}`, ok: true, detail: `${name}, Pulse is a member` },
      );
    } catch (e) {
      checks.push({ name: `channel ${channel}`, ok: false, detail: classify(e, channel).message });
    }
  }
  const failed = checks.filter((c) => !c.ok);
  return {
    ok: failed.length === 0,
    message: checks.map((c) => `${c.name}: ${c.detail}`).join('; '),
    checks,
    ...(workspaceUrl ? { details: { workspaceUrl } } : {}),
  };
}
