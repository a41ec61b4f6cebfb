// Pure mapping from Jira payloads (Cloud v3 and Data Center v2 alike) to normalized records.
// Summaries, descriptions and comment bodies are never read into a record.
import type {
  EpochMs,
  SprintRecord,
  StatusCategory,
  StatusTransitionRecord,
  WorkItemRecord,
} from '@pulse/contracts';

export interface JiraUser {
  accountId?: string;
  /** Data Center identifies users by `key`/`name` (no accountId). */
  key?: string;
  name?: string;
}

export interface JiraHistoryItem {
  field?: string;
  fieldId?: string;
  /** Ids (status ids, sprint ids); the display strings are not read. */
  from?: string | null;
  to?: string | null;
}

export interface JiraHistory {
  id?: string;
  author?: JiraUser | null;
  created?: string;
  items?: JiraHistoryItem[];
}

export interface JiraChangelog {
  startAt?: number;
  maxResults?: number;
  total?: number;
  histories?: JiraHistory[];
}

export interface JiraComment {
  author?: JiraUser | null;
  created?: string;
}

export interface JiraIssue {
  id?: string;
  key?: unknown;
  fields?: Record<string, unknown>;
  changelog?: JiraChangelog;
}

/** Everything the mapper needs besides the issue, read once per sync from the site. */
export interface JiraMapContext {
  siteUrl: string;
  statusCategoryById: ReadonlyMap<string, StatusCategory>;
  storyPointsField: string | null;
  sprintField: string | null;
  /** Engagement bug type names, lower-cased. */
  bugTypes: ReadonlySet<string>;
}

/** Jira status category keys → ours. */
export function categoryFromKey(key: unknown): StatusCategory {
  return key === 'done' ? 'done' : key === 'indeterminate' ? 'in_progress' : 'todo';
}

export function userId(u: JiraUser | null | undefined): string | null {
  if (!u) return null;
  return u.accountId ?? u.key ?? u.name ?? null;
}

/** Jira's `2026-11-20T12:00:00.000+0000` (and ISO) as epoch ms; null when absent or unreadable. */
export function jiraInstant(v: unknown): EpochMs | null {
  if (typeof v !== 'string' || v === '') return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Sprint ids of a changelog Sprint value ("12, 13"). */
function sprintIds(v: string | null | undefined): number[] {
  return (v ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

function isSprintItem(item: JiraHistoryItem, sprintField: string | null): boolean {
  return item.field === 'Sprint' || (sprintField !== null && item.fieldId === sprintField);
}

/** When an issue was put into each sprint, from the Sprint items of its changelog. */
export function sprintAdditions(
  histories: readonly JiraHistory[],
  sprintField: string | null,
): Map<number, EpochMs> {
  const out = new Map<number, EpochMs>();
  const sorted = [...histories].sort((a, b) => (jiraInstant(a.created) ?? 0) - (jiraInstant(b.created) ?? 0));
  for (const h of sorted) {
    const at = jiraInstant(h.created);
    if (at === null) continue;
    for (const item of h.items ?? []) {
      if (!isSprintItem(item, sprintField)) continue;
      const before = new Set(sprintIds(item.from));
      for (const id of sprintIds(item.to)) if (!before.has(id)) out.set(id, at);
    }
  }
  return out;
}

export interface MappedIssue {
  record: WorkItemRecord & { updatedAt: EpochMs; url: string };
  /** Sprint ids the issue is in now (the sprint field). */
  sprintIds: number[];
  /** When the issue was put into each sprint (changelog), for commitment vs scope change. */
  sprintAddedAt: Map<number, EpochMs>;
}

export type MapResult = { ok: true; issue: MappedIssue } | { ok: false; reason: string };

/**
 * One issue with its complete changelog and comment metadata. Malformed issues (no key,
 * no created time, no type or status) are refused with a reason, never half-stored.
 */
export function mapIssue(
  issue: JiraIssue,
  histories: readonly JiraHistory[],
  comments: readonly JiraComment[],
  ctx: JiraMapContext,
): MapResult {
  const key = str(issue.key);
  const f = obj(issue.fields);
  if (!key || !f) return { ok: false, reason: `issue ${String(issue.id ?? '?')} without key or fields` };
  const createdAt = jiraInstant(f['created']);
  const updatedAt = jiraInstant(f['updated']) ?? createdAt;
  const type = obj(f['issuetype']);
  const status = obj(f['status']);
  const typeName = str(type?.['name']);
  if (createdAt === null || updatedAt === null || !typeName || !status) {
    return { ok: false, reason: `${key}: malformed (created, updated, issue type or status missing)` };
  }
  const untranslated = str(type?.['untranslatedName']);
  const isSubtask = type?.['subtask'] === true || type?.['hierarchyLevel'] === -1;
  const category = obj(status['statusCategory']);
  const statusCategory = category
    ? categoryFromKey(category['key'])
    : (ctx.statusCategoryById.get(String(status['id'])) ?? 'todo');

  const sorted = [...histories].sort((a, b) => (jiraInstant(a.created) ?? 0) - (jiraInstant(b.created) ?? 0));
  const transitions: StatusTransitionRecord[] = [];
  // Reopened (KPIS.md): the resolution cleared after being set. Issues that never had a
  // resolution leave it undefined, so the engine falls back to leaving the done category.
  const reopenedAt: EpochMs[] = [];
  let everResolved = false;
  for (const h of sorted) {
    const at = jiraInstant(h.created);
    if (at === null) continue;
    for (const item of h.items ?? []) {
      if (item.field === 'status') {
        const from = item.from ? (ctx.statusCategoryById.get(item.from) ?? null) : null;
        const to = item.to ? ctx.statusCategoryById.get(item.to) : undefined;
        if (to === undefined || from === to) continue;
        transitions.push({ at, from, to, authorId: userId(h.author) });
      } else if (item.field === 'resolution') {
        if (item.to) everResolved = true;
        if (item.from && !item.to) reopenedAt.push(at);
      }
    }
  }

  const priority = str(obj(f['priority'])?.['name']);
  const resolution = str(obj(f['resolution'])?.['name']);
  if (resolution !== null) everResolved = true;
  const resolvedAt = jiraInstant(f['resolutiondate']);
  const points = ctx.storyPointsField ? f[ctx.storyPointsField] : null;
  const labels = Array.isArray(f['labels'])
    ? f['labels'].filter((l): l is string => typeof l === 'string')
    : [];
  const environment = str(f['environment']);
  const sprintValue = ctx.sprintField ? f[ctx.sprintField] : null;
  const currentSprints = Array.isArray(sprintValue)
    ? sprintValue
        .map((s) => (typeof s === 'object' && s !== null ? Number((s as { id?: unknown }).id) : NaN))
        .filter((n) => Number.isInteger(n) && n > 0)
    : [];
  // The engine matches bug types on the type name with the engagement's current rules; a
  // match only on the untranslated name (a site in another language) is decided here.
  const nameIsBug = ctx.bugTypes.has(typeName.toLowerCase());
  const untranslatedIsBug = untranslated !== null && ctx.bugTypes.has(untranslated.toLowerCase());

  return {
    ok: true,
    issue: {
      record: {
        key,
        source: 'jira',
        type: typeName,
        isSubtask,
        priority,
        statusCategory,
        createdAt,
        updatedAt,
        resolvedAt: statusCategory === 'done' || resolution !== null ? resolvedAt : null,
        resolution,
        reporterId: userId(obj(f['reporter']) as JiraUser | null),
        assigneeId: userId(obj(f['assignee']) as JiraUser | null),
        storyPoints: typeof points === 'number' && Number.isFinite(points) ? points : null,
        labels,
        environment: environment ? environment.slice(0, 200) : null,
        ...(!nameIsBug && untranslatedIsBug ? { isBug: true } : {}),
        ...(everResolved ? { reopenedAt } : {}),
        transitions,
        comments: comments
          .map((c) => ({ authorId: userId(c.author), at: jiraInstant(c.created) }))
          .filter((c): c is { authorId: string; at: EpochMs } => c.authorId !== null && c.at !== null),
        url: `${ctx.siteUrl}/browse/${key}`,
      },
      sprintIds: currentSprints,
      sprintAddedAt: sprintAdditions(sorted, ctx.sprintField),
    },
  };
}

export interface JiraSprint {
  id?: unknown;
  name?: unknown;
  state?: unknown;
  startDate?: unknown;
  endDate?: unknown;
  completeDate?: unknown;
}

/**
 * A sprint with its commitment: issues in it whose addition happened at or before its start
 * (or that were created into it before it started) are committed; later ones are scope added.
 * Sprints never started (future) have no record.
 */
export function mapSprint(
  sprint: JiraSprint,
  members: readonly { key: string; createdAt: EpochMs; addedAt: EpochMs | undefined }[],
): SprintRecord | null {
  const id = Number(sprint.id);
  const startAt = jiraInstant(sprint.startDate);
  const endAt = jiraInstant(sprint.endDate);
  if (!Number.isInteger(id) || startAt === null || endAt === null) return null;
  const atStart: string[] = [];
  const added: string[] = [];
  for (const m of members) {
    const joined = m.addedAt ?? m.createdAt;
    (joined <= startAt ? atStart : added).push(m.key);
  }
  return {
    id: String(id),
    ...(typeof sprint.name === 'string' ? { name: sprint.name.slice(0, 200) } : {}),
    startAt,
    endAt,
    completedAt: sprint.state === 'closed' ? (jiraInstant(sprint.completeDate) ?? endAt) : null,
    issueKeysAtStart: atStart.sort(),
    issueKeysAddedAfterStart: added.sort(),
  };
}

/** `yyyy-MM-dd HH:mm` of an instant in a time zone: the format JQL reads in the user's zone. */
export function jqlMinute(at: EpochMs, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
