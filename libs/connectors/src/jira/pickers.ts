// The settings form's pickers: projects, boards, the story points field and bug types,
// read from the site with the credentials typed so far. Same client, outbound policy and
// error classes as a sync, so a picker fails with the words a sync would use.
import { z } from 'zod';
import type { PickerOptionDto } from '@pulse/contracts';
import type { ConnectorPickInput, ConnectorPickResult, ConnectorPicker } from '../framework/connector';
import { jiraSettingsSchema } from '../settings';
import { createJiraClient, type JiraClient } from './client';
import { classifyJiraError } from './errors';
import { detectDeployment, STORY_POINT_FIELD_NAMES, type JiraDeployment } from './site';

/** A picker answers within one request of the form: short waits, few pages. */
const MAX_OPTIONS = 500;
const PAGE = 50;

const shape = jiraSettingsSchema.shape;
/** The part of the settings a picker needs; the rest of the form is ignored (not yet valid). */
const draftSchema = z.object({
  baseUrl: shape.baseUrl,
  deployment: shape.deployment,
  email: shape.email,
  projectKeys: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'Jira project keys are upper-case, e.g. PAY'))
    .max(50)
    .default([]),
});
type Draft = z.infer<typeof draftSchema>;

interface PickContext {
  client: JiraClient;
  draft: Draft;
  deployment: JiraDeployment;
  /** What the request in flight is about ("project PAY"), for the error message. */
  subject?: string;
}

type Listing = { options: PickerOptionDto[]; truncated: boolean };

/** Follows a Jira page bean (`values`, `isLast`, `startAt`) until the last page or the cap. */
async function pageBean<T>(
  fetchPage: (startAt: number) => Promise<{ values?: unknown; isLast?: unknown; total?: unknown }>,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  for (let startAt = 0; ;) {
    const page = await fetchPage(startAt);
    const values = Array.isArray(page.values) ? (page.values as T[]) : [];
    items.push(...values);
    const last =
      page.isLast === true ||
      values.length === 0 ||
      (typeof page.total === 'number' && startAt + values.length >= page.total);
    if (last) return { items, truncated: false };
    if (items.length >= MAX_OPTIONS) return { items: items.slice(0, MAX_OPTIONS), truncated: true };
    startAt += values.length;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function needProjects(draft: Draft, what: string): ConnectorPickResult | null {
  return draft.projectKeys.length
    ? null
    : {
        ok: false,
        problems: [
          { field: 'settings.projectKeys', message: `choose the projects first: ${what} are read from them` },
        ],
      };
}

async function listProjects({ client, deployment }: PickContext): Promise<Listing> {
  interface Project {
    key?: unknown;
    name?: unknown;
    projectTypeKey?: unknown;
  }
  let projects: Project[];
  let truncated = false;
  if (deployment === 'cloud') {
    // Cloud pages its project list (GET /project is deprecated there)
    const all = await pageBean<Project>((startAt) =>
      client.get('2', '/project/search', { startAt, maxResults: PAGE, orderBy: 'key' }),
    );
    projects = all.items;
    truncated = all.truncated;
  } else {
    const all = await client.get<unknown>('2', '/project');
    projects = Array.isArray(all) ? (all as Project[]) : [];
  }
  const options = projects.flatMap((p): PickerOptionDto[] => {
    const key = str(p.key);
    if (!key) return [];
    const type = str(p.projectTypeKey);
    return [{ value: key, label: `${key} — ${str(p.name) ?? key}`, ...(type ? { hint: type } : {}) }];
  });
  options.sort((a, b) => a.value.localeCompare(b.value));
  return { options: options.slice(0, MAX_OPTIONS), truncated: truncated || options.length > MAX_OPTIONS };
}

async function listBoards(ctx: PickContext): Promise<Listing> {
  interface Board {
    id?: unknown;
    name?: unknown;
    type?: unknown;
    location?: { projectKey?: unknown };
  }
  const { client, draft } = ctx;
  const seen = new Map<string, PickerOptionDto>();
  let truncated = false;
  for (const key of draft.projectKeys) {
    // one cap over all projects, so 50 projects cannot mean 50 × 10 pages in one request
    if (seen.size >= MAX_OPTIONS) {
      truncated = true;
      break;
    }
    ctx.subject = `boards of project ${key}`;
    const boards = await pageBean<Board>((startAt) =>
      client.get('agile', '/board', { projectKeyOrId: key, startAt, maxResults: PAGE }),
    );
    truncated ||= boards.truncated;
    for (const b of boards.items) {
      if (typeof b.id !== 'number') continue;
      const type = str(b.type);
      const project = str(b.location?.projectKey) ?? key;
      seen.set(String(b.id), {
        value: String(b.id),
        label: `${str(b.name) ?? `Board ${b.id}`} (${b.id})`,
        hint: [project, type].filter(Boolean).join(', '),
      });
    }
  }
  return {
    options: [...seen.values()].slice(0, MAX_OPTIONS),
    truncated: truncated || seen.size > MAX_OPTIONS,
  };
}

async function listStoryPointFields({ client }: PickContext): Promise<Listing> {
  const fields = await client.get<unknown>('2', '/field');
  const numeric = (Array.isArray(fields) ? fields : []).flatMap(
    (f: { id?: unknown; name?: unknown; schema?: { type?: unknown } }): PickerOptionDto[] => {
      const id = str(f?.id);
      const name = str(f?.name);
      // story points are a number field; offering text or date fields would only mislead
      if (!id || !name || f.schema?.type !== 'number') return [];
      return [{ value: id, label: `${name} (${id})` }];
    },
  );
  // the names the collector looks for first, then alphabetical
  const rank = (o: PickerOptionDto) => {
    const name = o.label.slice(0, o.label.lastIndexOf(' (')).toLowerCase();
    const i = STORY_POINT_FIELD_NAMES.indexOf(name);
    return i === -1 ? STORY_POINT_FIELD_NAMES.length : i;
  };
  numeric.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  for (const o of numeric) if (rank(o) < STORY_POINT_FIELD_NAMES.length) o.hint = 'found by name if not set';
  return { options: numeric.slice(0, MAX_OPTIONS), truncated: numeric.length > MAX_OPTIONS };
}

async function listIssueTypes(ctx: PickContext): Promise<Listing> {
  interface IssueType {
    name?: unknown;
    untranslatedName?: unknown;
    subtask?: unknown;
  }
  const { client, draft } = ctx;
  const byName = new Map<string, PickerOptionDto>();
  for (const key of draft.projectKeys) {
    ctx.subject = `project ${key}`;
    const project = await client.get<{ issueTypes?: unknown }>('2', `/project/${encodeURIComponent(key)}`);
    for (const t of Array.isArray(project.issueTypes) ? (project.issueTypes as IssueType[]) : []) {
      const name = str(t.name);
      if (!name || byName.has(name)) continue;
      const untranslated = str(t.untranslatedName);
      const hints = [
        untranslated && untranslated !== name ? `untranslated: ${untranslated}` : null,
        t.subtask === true ? 'sub-task' : null,
      ].filter((h): h is string => h !== null);
      byName.set(name, { value: name, label: name, ...(hints.length ? { hint: hints.join(', ') } : {}) });
    }
  }
  return { options: [...byName.values()], truncated: false };
}

/** Wraps a listing in the shared steps: parse the draft, sign in, classify failures. */
function picker(list: (ctx: PickContext) => Promise<Listing>, needs?: { projects: string }): ConnectorPicker {
  return async (input: ConnectorPickInput): Promise<ConnectorPickResult> => {
    const parsed = draftSchema.safeParse(input.settings);
    if (!parsed.success) {
      return {
        ok: false,
        problems: parsed.error.issues.map((i) => ({
          field: ['settings', ...i.path].join('.'),
          message: i.message,
        })),
      };
    }
    const draft = parsed.data;
    if (needs) {
      const missing = needProjects(draft, needs.projects);
      if (missing) return missing;
    }
    const client = createJiraClient({
      baseUrl: draft.baseUrl,
      email: draft.email,
      token: input.secret,
      outbound: input.outbound,
      timeoutMs: 15_000,
      maxRateLimitWaitMs: 5_000,
      retries: 1,
    });
    const ctx: Partial<PickContext> = { client, draft };
    try {
      ctx.deployment = await detectDeployment(client, { ...draft, boardIds: [] });
      return { ok: true, ...(await list(ctx as PickContext)) };
    } catch (e) {
      return {
        ok: false,
        error: classifyJiraError(e, {
          host: client.host,
          ...(ctx.subject ? { subject: ctx.subject } : {}),
          ...(input.now ? { now: input.now } : {}),
        }),
      };
    }
  };
}

export const jiraPickers: Readonly<Record<string, ConnectorPicker>> = {
  projects: picker(listProjects),
  boards: picker(listBoards, { projects: 'boards' }),
  fields: picker(listStoryPointFields),
  issueTypes: picker(listIssueTypes, { projects: 'issue types' }),
};
