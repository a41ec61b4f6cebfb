// What a sync and a connection test learn from the site before reading issues: which
// flavour it is, the API user's time zone, status categories and the fields we need.
import type { StatusCategory } from '@pulse/contracts';
import type { JiraSettings } from '../settings';
import type { JiraClient } from './client';
import { JiraConfigError } from './errors';
import { categoryFromKey } from './mappers';

export type JiraDeployment = 'cloud' | 'datacenter';

/** Field names Jira sites use for story points (company- and team-managed projects). */
export const STORY_POINT_FIELD_NAMES = ['story points', 'story point estimate'];

export interface JiraField {
  id?: unknown;
  name?: unknown;
  schema?: { custom?: unknown };
}

export async function detectDeployment(client: JiraClient, settings: JiraSettings): Promise<JiraDeployment> {
  const info = await client.get<{ deploymentType?: unknown }>('2', '/serverInfo');
  const detected: JiraDeployment = info.deploymentType === 'Cloud' ? 'cloud' : 'datacenter';
  if (settings.deployment !== 'auto' && settings.deployment !== detected) {
    throw new JiraConfigError(
      `The site is Jira ${detected === 'cloud' ? 'Cloud' : 'Data Center'}, but the connection says ${settings.deployment === 'cloud' ? 'Cloud' : 'Data Center'}: set the deployment to "auto" or to the right one.`,
    );
  }
  if (detected === 'cloud' && !settings.email) {
    throw new JiraConfigError(
      'Jira Cloud signs in with the account email and an API token: add the email to the connection settings.',
    );
  }
  return detected;
}

export async function userTimeZone(
  client: JiraClient,
): Promise<{ timeZone: string; accountId: string | null }> {
  const me = await client.get<{ timeZone?: unknown; accountId?: unknown; key?: unknown }>('2', '/myself');
  let timeZone = typeof me.timeZone === 'string' ? me.timeZone : 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    timeZone = 'UTC';
  }
  const id = typeof me.accountId === 'string' ? me.accountId : typeof me.key === 'string' ? me.key : null;
  return { timeZone, accountId: id };
}

export async function statusCategories(client: JiraClient): Promise<Map<string, StatusCategory>> {
  const statuses = await client.get<{ id?: unknown; statusCategory?: { key?: unknown } }[]>('2', '/status');
  const out = new Map<string, StatusCategory>();
  for (const s of Array.isArray(statuses) ? statuses : []) {
    if (s && s.id !== undefined) out.set(String(s.id), categoryFromKey(s.statusCategory?.key));
  }
  return out;
}

export interface JiraFieldChoice {
  storyPoints: { id: string; name: string } | null;
  sprint: { id: string; name: string } | null;
}

/** The story points field (configured id, else by name) and the sprint field, from /field. */
export async function pickFields(client: JiraClient, configured: string | null): Promise<JiraFieldChoice> {
  const fields = await client.get<JiraField[]>('2', '/field');
  const list = (Array.isArray(fields) ? fields : []).filter(
    (f): f is { id: string; name: string; schema?: { custom?: unknown } } =>
      typeof f?.id === 'string' && typeof f?.name === 'string',
  );
  const storyPoints = configured
    ? (list.find((f) => f.id === configured || f.name.toLowerCase() === configured.toLowerCase()) ?? null)
    : (STORY_POINT_FIELD_NAMES.map((n) => list.find((f) => f.name.toLowerCase() === n)).find(Boolean) ??
      null);
  const sprint =
    list.find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-sprint') ??
    list.find((f) => f.name === 'Sprint') ??
    null;
  return {
    storyPoints: storyPoints ? { id: storyPoints.id, name: storyPoints.name } : null,
    sprint: sprint ? { id: sprint.id, name: sprint.name } : null,
  };
}
