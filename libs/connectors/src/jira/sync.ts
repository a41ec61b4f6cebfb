// The Jira walk: issues updated since the cursor (minus an overlap), oldest first, one page
// per transaction, the cursor moved after each page; then the boards' sprints.
import { z } from 'zod';
import type { EpochMs, SprintRecord } from '@pulse/contracts';
import type { ConnectorPage, ConnectorSyncInput, ConnectorSyncResult } from '../framework/connector';
import type { JiraSettings } from '../settings';
import { createJiraClient, type JiraClient } from './client';
import { classifyJiraError } from './errors';
import {
  jiraInstant,
  jqlMinute,
  mapIssue,
  mapSprint,
  sprintAdditions,
  type JiraChangelog,
  type JiraComment,
  type JiraHistory,
  type JiraIssue,
  type JiraMapContext,
  type JiraSprint,
  type MappedIssue,
} from './mappers';
import { detectDeployment, pickFields, statusCategories, userTimeZone, type JiraDeployment } from './site';

/** JQL reads `updated` to the minute in the user's zone: re-read this much before the high-water. */
export const JIRA_OVERLAP_MS = 2 * 60_000;
/** How often the stored keys are checked against the site (deleted or moved issues). */
export const JIRA_RECONCILE_EVERY_MS = 24 * 3_600_000;
const PAGE_SIZE = 100;
const AGILE_PAGE_SIZE = 50;

const cursorSchema = z.object({
  version: z.literal(1),
  /** Largest `updated` stored so far (pages are read oldest first). */
  highWater: z.number().nullable(),
  /** Closed sprints already stored: they no longer change. */
  closedSprints: z.array(z.number()),
  /** Last time the stored keys were checked against the site's. */
  reconciledAt: z.number().optional(),
});
export type JiraSyncCursor = z.infer<typeof cursorSchema>;

export function readJiraCursor(raw: unknown): JiraSyncCursor {
  const parsed = cursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : { version: 1, highWater: null, closedSprints: [] };
}

export interface JiraSyncOptions extends ConnectorSyncInput<JiraSettings> {
  maxRateLimitWaitMs?: number;
  retryBaseMs?: number;
  concurrency?: number;
}

class SinkFailure extends Error {
  constructor(readonly original: unknown) {
    super('sink failed');
  }
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;

interface Walk {
  client: JiraClient;
  deployment: JiraDeployment;
  ctx: JiraMapContext;
  concurrency: number;
  counts: Record<string, number>;
  skipped: string[];
  /** Changelogs completed in this sync, so the sprint phase does not fetch them again. */
  completed: Map<string, JiraHistory[]>;
}

/** The rest of a truncated embedded changelog. */
async function completeHistories(
  w: Walk,
  key: string,
  embedded: JiraChangelog | undefined,
): Promise<JiraHistory[]> {
  const have = embedded?.histories ?? [];
  const total = typeof embedded?.total === 'number' ? embedded.total : have.length;
  if (have.length >= total) return have;
  const known = w.completed.get(key);
  if (known && known.length >= total) return known;
  w.counts['changelogsCompleted'] = (w.counts['changelogsCompleted'] ?? 0) + 1;
  const full = await fetchHistories(w, key, have);
  w.completed.set(key, full);
  return full;
}

async function fetchHistories(w: Walk, key: string, have: JiraHistory[]): Promise<JiraHistory[]> {
  if (w.deployment === 'datacenter') {
    const full = await w.client.get<{ changelog?: JiraChangelog }>('2', `/issue/${encodeURIComponent(key)}`, {
      expand: 'changelog',
      fields: 'created',
    });
    return full.changelog?.histories ?? have;
  }
  const all: JiraHistory[] = [];
  for (let startAt = 0; ;) {
    const page = await w.client.get<{ values?: JiraHistory[]; isLast?: boolean; total?: number }>(
      '3',
      `/issue/${encodeURIComponent(key)}/changelog`,
      { startAt, maxResults: PAGE_SIZE },
    );
    const values = page.values ?? [];
    all.push(...values);
    startAt += values.length;
    if (
      page.isLast === true ||
      values.length === 0 ||
      (typeof page.total === 'number' && startAt >= page.total)
    )
      break;
  }
  return all;
}

/** All comment authors and times (bodies arrive with them and are dropped here). */
async function completeComments(w: Walk, key: string, field: unknown): Promise<JiraComment[]> {
  const embedded = (field ?? {}) as { comments?: JiraComment[]; total?: number };
  const have = Array.isArray(embedded.comments) ? embedded.comments : [];
  const total = typeof embedded.total === 'number' ? embedded.total : have.length;
  const strip = (cs: JiraComment[]) => cs.map((c) => ({ author: c.author ?? null, created: c.created }));
  if (have.length >= total) return strip(have);
  const all: JiraComment[] = [];
  for (let startAt = 0; ;) {
    const page = await w.client.get<{ comments?: JiraComment[]; total?: number }>(
      '2',
      `/issue/${encodeURIComponent(key)}/comment`,
      { startAt, maxResults: PAGE_SIZE },
    );
    const values = page.comments ?? [];
    all.push(...strip(values));
    startAt += values.length;
    if (values.length === 0 || startAt >= (page.total ?? 0)) break;
  }
  return all;
}

async function mapPage(w: Walk, issues: JiraIssue[]): Promise<MappedIssue[]> {
  const mapped = await pool(issues, w.concurrency, async (issue) => {
    const key = typeof issue.key === 'string' ? issue.key : '';
    const fields = issue.fields ?? {};
    const [histories, comments] = key
      ? await Promise.all([
          completeHistories(w, key, issue.changelog),
          completeComments(w, key, fields['comment']),
        ])
      : [[], []];
    const result = mapIssue(issue, histories, comments, w.ctx);
    if (!result.ok) {
      w.skipped.push(result.reason);
      return null;
    }
    return result.issue;
  });
  return mapped.filter((m): m is MappedIssue => m !== null);
}

/** One page of the issue search, Cloud's token-paged endpoint or Data Center's offset-paged one. */
async function searchPage(
  w: Walk,
  jql: string,
  fields: string[],
  position: { token?: string; startAt: number },
  withChangelog = true,
): Promise<{ issues: JiraIssue[]; next: { token?: string; startAt: number } | null; total?: number }> {
  if (w.deployment === 'cloud') {
    const page = await w.client.post<{ issues?: JiraIssue[]; nextPageToken?: string; isLast?: boolean }>(
      '3',
      '/search/jql',
      {
        jql,
        fields,
        ...(withChangelog ? { expand: 'changelog' } : {}),
        maxResults: PAGE_SIZE,
        ...(position.token ? { nextPageToken: position.token } : {}),
      },
    );
    const issues = Array.isArray(page.issues) ? page.issues : [];
    const more =
      page.isLast === false || (page.isLast === undefined && typeof page.nextPageToken === 'string');
    return { issues, next: more && page.nextPageToken ? { token: page.nextPageToken, startAt: 0 } : null };
  }
  const page = await w.client.post<{ issues?: JiraIssue[]; total?: number }>('2', '/search', {
    jql,
    fields,
    ...(withChangelog ? { expand: ['changelog'] } : {}),
    startAt: position.startAt,
    maxResults: PAGE_SIZE,
  });
  const issues = Array.isArray(page.issues) ? page.issues : [];
  const startAt = position.startAt + issues.length;
  const total = typeof page.total === 'number' ? page.total : startAt;
  return { issues, next: issues.length > 0 && startAt < total ? { startAt } : null, total };
}

async function sprintMembers(
  w: Walk,
  sprintId: number,
): Promise<{ key: string; createdAt: EpochMs; addedAt: EpochMs | undefined }[]> {
  const members: { key: string; createdAt: EpochMs; addedAt: EpochMs | undefined }[] = [];
  const fields = ['created', ...(w.ctx.sprintField ? [w.ctx.sprintField] : [])].join(',');
  for (let startAt = 0; ;) {
    const page = await w.client.get<{ issues?: JiraIssue[]; total?: number }>(
      'agile',
      `/sprint/${sprintId}/issue`,
      {
        startAt,
        maxResults: AGILE_PAGE_SIZE,
        fields,
        expand: 'changelog',
      },
    );
    const issues = Array.isArray(page.issues) ? page.issues : [];
    await pool(issues, w.concurrency, async (issue) => {
      if (typeof issue.key !== 'string') return;
      const createdAt = jiraInstant(issue.fields?.['created']);
      if (createdAt === null) return;
      const histories = await completeHistories(w, issue.key, issue.changelog);
      members.push({
        key: issue.key,
        createdAt,
        addedAt: sprintAdditions(histories, w.ctx.sprintField).get(sprintId),
      });
    });
    startAt += issues.length;
    if (issues.length === 0 || startAt >= (page.total ?? 0)) break;
  }
  return members;
}

export async function syncJira(options: JiraSyncOptions): Promise<ConnectorSyncResult> {
  const { settings, sink, now } = options;
  const client = createJiraClient({
    baseUrl: settings.baseUrl,
    email: settings.email,
    token: options.secret,
    outbound: options.outbound,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxRateLimitWaitMs !== undefined ? { maxRateLimitWaitMs: options.maxRateLimitWaitMs } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  });
  const cursor = readJiraCursor(options.cursor);
  const counts: Record<string, number> = { workItems: 0, sprints: 0, changelogsCompleted: 0, skipped: 0 };
  const skipped: string[] = [];
  let touchedFrom: EpochMs | null = null;
  let subject: string | undefined;
  const progress = (f: number, phase: string) => options.onProgress?.(Math.min(Math.max(f, 0), 1), phase);

  const save = async (page: ConnectorPage) => {
    try {
      await sink.savePage(page);
      await sink.saveCursor(structuredClone(cursor));
    } catch (e) {
      throw new SinkFailure(e);
    }
  };
  const result = (error?: ReturnType<typeof classifyJiraError>): ConnectorSyncResult => ({
    counts: { ...counts, skipped: skipped.length },
    apiCalls: client.stats.apiCalls,
    notModified: 0,
    touchedFrom,
    skippedReasons: skipped.slice(0, 100),
    ...(error ? { error } : {}),
  });

  try {
    progress(0, 'Jira: reading the site');
    const deployment = await detectDeployment(client, settings);
    const { timeZone } = await userTimeZone(client);
    const statusCategoryById = await statusCategories(client);
    const chosen = await pickFields(client, settings.storyPointsField ?? options.rules.storyPointsField);
    const bugTypes = new Set(
      [...options.rules.bugTypes, ...(settings.bugTypes ?? [])].map((t) => t.toLowerCase()),
    );
    const w: Walk = {
      client,
      deployment,
      concurrency: options.concurrency ?? 4,
      counts,
      skipped,
      completed: new Map(),
      ctx: {
        siteUrl: settings.baseUrl,
        statusCategoryById,
        storyPointsField: chosen.storyPoints?.id ?? null,
        sprintField: chosen.sprint?.id ?? null,
        bugTypes,
      },
    };
    const fields = [
      'issuetype',
      'priority',
      'status',
      'created',
      'updated',
      'resolutiondate',
      'resolution',
      'reporter',
      'assignee',
      'labels',
      'environment',
      'comment',
      ...(w.ctx.storyPointsField ? [w.ctx.storyPointsField] : []),
      ...(w.ctx.sprintField ? [w.ctx.sprintField] : []),
    ];

    // Issues, oldest update first, so the high-water can move after every page and a
    // killed sync resumes where it stopped.
    subject = `projects ${settings.projectKeys.join(', ')}`;
    const since = cursor.highWater !== null ? jqlMinute(cursor.highWater - JIRA_OVERLAP_MS, timeZone) : null;
    const jql = `project in (${settings.projectKeys.map(quote).join(', ')})${since ? ` AND updated >= ${quote(since)}` : ''} ORDER BY updated ASC`;
    let position: { token?: string; startAt: number } | null = { startAt: 0 };
    const seen = new Set<string>();
    while (position) {
      if (options.signal?.aborted)
        return result({
          class: 'temporary',
          message: 'Jira sync was cancelled; it will continue next time.',
        });
      const page = await searchPage(w, jql, fields, position);
      const mapped = await mapPage(w, page.issues);
      const records = mapped.map((m) => m.record);
      if (records.length > 0) {
        for (const r of records) {
          seen.add(r.key);
          cursor.highWater = Math.max(cursor.highWater ?? 0, r.updatedAt);
          touchedFrom = Math.min(touchedFrom ?? Infinity, r.createdAt);
        }
        await save({ workItems: records });
        counts['workItems'] = seen.size;
      }
      progress(
        page.total ? Math.min(0.8, (0.8 * seen.size) / page.total) : 0.4,
        `Jira: ${seen.size} issue(s)`,
      );
      position = page.next;
    }

    // Issues deleted or moved to another project never show up as updated: once a day,
    // list every key (no changelogs) and drop the stored ones that are gone.
    const at = now();
    if (since === null) {
      cursor.reconciledAt = at;
    } else if (sink.retainWorkItems && (cursor.reconciledAt ?? 0) + JIRA_RECONCILE_EVERY_MS <= at) {
      const projects = `project in (${settings.projectKeys.map(quote).join(', ')}) ORDER BY created ASC`;
      const keys: string[] = [];
      for (let pos: { token?: string; startAt: number } | null = { startAt: 0 }; pos;) {
        const page = await searchPage(w, projects, ['created'], pos, false);
        for (const i of page.issues) if (typeof i.key === 'string') keys.push(i.key);
        pos = page.next;
      }
      try {
        counts['removed'] = await sink.retainWorkItems('jira', keys);
      } catch (e) {
        throw new SinkFailure(e);
      }
      cursor.reconciledAt = at;
      await sink.saveCursor(structuredClone(cursor)).catch((e: unknown) => {
        throw new SinkFailure(e);
      });
    }

    // Sprints of each board: closed ones once, active ones every time (scope still moves).
    for (const [index, boardId] of settings.boardIds.entries()) {
      subject = `board ${boardId}`;
      const sprints: JiraSprint[] = [];
      for (let startAt = 0; ;) {
        const page = await client.get<{ values?: JiraSprint[]; isLast?: boolean }>(
          'agile',
          `/board/${boardId}/sprint`,
          {
            startAt,
            maxResults: AGILE_PAGE_SIZE,
          },
        );
        const values = Array.isArray(page.values) ? page.values : [];
        sprints.push(...values);
        startAt += values.length;
        if (page.isLast !== false || values.length === 0) break;
      }
      for (const sprint of sprints) {
        const id = Number(sprint.id);
        if (sprint.state === 'future' || !Number.isInteger(id) || cursor.closedSprints.includes(id)) continue;
        subject = `sprint ${id} of board ${boardId}`;
        const record: SprintRecord | null = mapSprint(sprint, await sprintMembers(w, id));
        if (!record) {
          skipped.push(`sprint ${String(sprint.id)}: no start or end date`);
          continue;
        }
        if (sprint.state === 'closed') cursor.closedSprints.push(id);
        touchedFrom = Math.min(touchedFrom ?? Infinity, record.startAt);
        await save({ sprints: [record] });
        counts['sprints'] = (counts['sprints'] ?? 0) + 1;
      }
      progress(0.8 + (0.2 * (index + 1)) / settings.boardIds.length, `Jira: board ${boardId} sprints`);
    }
    await sink.saveCursor(structuredClone(cursor)).catch((e: unknown) => {
      throw new SinkFailure(e);
    });
    progress(1, 'Jira: done');
    return result();
  } catch (e) {
    if (e instanceof SinkFailure) throw e.original;
    return result(classifyJiraError(e, { host: client.host, ...(subject ? { subject } : {}), now }));
  }
}
