import type { ConnectionKind } from '@pulse/contracts';
import { githubConnector } from '../github/connector';
import { jiraConnector } from '../jira/connector';
import { slackConnector } from '../slack/connector';
import type { Connector } from './connector';
import { CONNECTION_SETTINGS_SCHEMAS } from '../settings';

// The one list of sources Pulse collects. The worker, the API's settings validation and
// connection test, and the settings form read it; nothing else switches on the kind.
const CONNECTORS: readonly Connector<unknown>[] = [githubConnector, jiraConnector, slackConnector];

/** The connector of a kind, or undefined when that kind is not collected. */
export function connectorFor(kind: ConnectionKind): Connector<unknown> | undefined {
  return CONNECTORS.find((c) => c.kind === kind);
}

export function allConnectors(): readonly Connector<unknown>[] {
  return CONNECTORS;
}

export interface SettingsProblem {
  field: string;
  message: string;
}

export function parseConnectionSettings(
  kind: ConnectionKind,
  input: unknown,
): { ok: true; settings: Record<string, unknown> } | { ok: false; problems: SettingsProblem[] } {
  // Collected kinds validate with their connector's schema; the others (Slack) keep theirs.
  const schema = connectorFor(kind)?.settingsSchema ?? CONNECTION_SETTINGS_SCHEMAS[kind];
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data as Record<string, unknown> };
  return {
    ok: false,
    problems: result.error.issues.map((i) => ({
      field: ['settings', ...i.path].join('.'),
      message: i.message,
    })),
  };
}
