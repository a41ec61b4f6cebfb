// The connection test: each thing the collector needs, checked and reported by name.
import type { ConnectorCheck, ConnectorTestOptions, ConnectorTestResult } from '../framework/connector';
import type { JiraSettings } from '../settings';
import { createJiraClient } from './client';
import { classifyJiraError } from './errors';
import { detectDeployment, pickFields } from './site';

export async function testJiraConnection(
  settings: JiraSettings,
  secret: string,
  options: ConnectorTestOptions & { storyPointsField?: string | null },
): Promise<ConnectorTestResult> {
  const client = createJiraClient({
    baseUrl: settings.baseUrl,
    email: settings.email,
    token: secret,
    outbound: options.outbound,
    maxRateLimitWaitMs: 5_000,
    retries: 1,
  });
  const classify = (e: unknown, subject?: string) =>
    classifyJiraError(e, {
      host: client.host,
      ...(subject ? { subject } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  const checks: ConnectorCheck[] = [];
  let deployment: string;
  try {
    deployment = await detectDeployment(client, settings);
    checks.push({
      name: 'deployment',
      ok: true,
      detail: deployment === 'cloud' ? 'Jira Cloud' : 'Jira Data Center',
    });
    const me = await client.get<{ displayName?: unknown; emailAddress?: unknown }>('2', '/myself');
    checks.push({
      name: 'auth',
      ok: true,
      detail: `signed in as ${typeof me.displayName === 'string' ? me.displayName : 'the API user'}`,
    });
  } catch (e) {
    const error = classify(e);
    return {
      ok: false,
      message: error.message,
      checks: [...checks, { name: 'auth', ok: false, detail: error.message }],
      error,
    };
  }
  for (const key of settings.projectKeys) {
    try {
      const p = await client.get<{ name?: unknown }>('2', `/project/${encodeURIComponent(key)}`);
      checks.push({
        name: `project ${key}`,
        ok: true,
        detail: `reachable${typeof p.name === 'string' ? ` (${p.name})` : ''}`,
      });
    } catch (e) {
      checks.push({ name: `project ${key}`, ok: false, detail: classify(e, `project ${key}`).message });
    }
  }
  for (const id of settings.boardIds) {
    try {
      const b = await client.get<{ name?: unknown }>('agile', `/board/${id}`);
      checks.push({
        name: `board ${id}`,
        ok: true,
        detail: `reachable${typeof b.name === 'string' ? ` (${b.name})` : ''}`,
      });
    } catch (e) {
      checks.push({ name: `board ${id}`, ok: false, detail: classify(e, `board ${id}`).message });
    }
  }
  try {
    const fields = await pickFields(client, settings.storyPointsField ?? options.storyPointsField ?? null);
    checks.push(
      fields.storyPoints
        ? {
            name: 'story points field',
            ok: true,
            detail: `${fields.storyPoints.name} (${fields.storyPoints.id})`,
          }
        : {
            name: 'story points field',
            ok: false,
            detail: 'no field named "Story Points" or "Story point estimate": pick the field in the settings',
          },
    );
  } catch (e) {
    checks.push({ name: 'story points field', ok: false, detail: classify(e).message });
  }
  const failed = checks.filter((c) => !c.ok);
  return {
    ok: failed.length === 0,
    message: failed.length
      ? `${checks
          .filter((c) => c.ok)
          .map((c) => `${c.name}: ${c.detail}`)
          .join('; ')}. Problems: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`
      : checks.map((c) => `${c.name}: ${c.detail}`).join('; '),
    checks,
    details: { deployment },
  };
}
