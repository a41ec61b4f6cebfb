import { createHash } from 'node:crypto';
// Jira REST + Agile 1.0 in two flavours over the same world:
// - Cloud under /jira: email + API token, legacy search answers 410 Gone (CHANGE-2046),
//   POST /rest/api/3/search/jql pages by nextPageToken/isLast, embedded changelogs are
//   truncated (the rest from /rest/api/3/issue/{key}/changelog), the API user is in a
//   non-UTC zone so JQL dates must be written in it.
// - Data Center under /jira-dc: personal access token (Bearer), /rest/api/2/search with
//   startAt/maxResults/total, no v3, users identified by key/name.
import { type FaultsService } from '../core/faults.service';
import { type Reply, type SandboxRequest, intParam, json, text } from '../core/http.util';
import { type Person } from '../core/world.model';
import { type WorldStore } from '../core/world.store';
import { SANDBOX_JIRA_API_TOKEN, SANDBOX_JIRA_EMAIL, SANDBOX_JIRA_PAT } from '../credentials.constants';
import { type JiraWorld } from './jira.generator';
import {
  ISSUE_TYPES,
  JIRA_STATUSES,
  type JiraIssueModel,
  PRIORITIES,
  RESOLUTIONS,
  STATUS_CATEGORIES,
  type SprintModel,
} from './jira.model';
import { type Jql, JqlError, parseJql } from './jql.parser';

const jiraTime = (t: number): string => new Date(t).toISOString().replace('Z', '+0000');
const ISSUE_FIELDS_TO_BREAK = [
  'key',
  'fields.created',
  'fields.updated',
  'fields.status',
  'fields.issuetype',
] as const;

export type JiraFlavour = 'cloud' | 'datacenter';

/** Path prefix of each flavour under the sandbox origin. */
export const JIRA_FLAVOUR_BASE: Record<JiraFlavour, string> = { cloud: 'jira', datacenter: 'jira-dc' };

/** Histories embedded per issue in search results before the changelog is truncated. */
export const EMBEDDED_HISTORIES: Record<JiraFlavour, number> = { cloud: 40, datacenter: 100 };
/** Comments embedded per issue in the `comment` field before the rest must be paged. */
const EMBEDDED_COMMENTS = 5;
/** The Cloud API user's zone: JQL dates are read in it (UTC-7, no daylight saving), so a collector writing UTC wall time misses updates. */
export const SANDBOX_JIRA_CLOUD_TIME_ZONE = 'America/Phoenix';
const CLOUD_OFFSET_MINUTES = -420;

export class JiraRoutes {
  constructor(
    private readonly world: WorldStore,
    private readonly faults: FaultsService,
    private readonly origin: () => string,
    private readonly flavour: JiraFlavour = 'cloud',
  ) {}

  private get base(): string {
    return `${this.origin()}/${JIRA_FLAVOUR_BASE[this.flavour]}`;
  }

  private get cloud(): boolean {
    return this.flavour === 'cloud';
  }

  handle(req: SandboxRequest): Reply {
    const fault = this.faults.decide('jira');
    const auth = String(req.headers['authorization'] ?? '');
    const expected = this.cloud
      ? `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`
      : `Bearer ${SANDBOX_JIRA_PAT}`;
    if (fault.kind === 'revoked' || auth !== expected) {
      // Jira Cloud answers bad basic-auth credentials with a bare 401; Data Center likewise
      return text(401, 'Client must be authenticated to access this resource.', {
        'www-authenticate': this.cloud ? 'Basic realm="protected-by-atlassian"' : 'Bearer realm="Jira"',
      });
    }
    if (fault.kind === 'forbidden') {
      // Signed in, but the account may not do this: Jira's 403 body in its usual shape
      return json(403, {
        errorMessages: ["You currently don't have access to perform this operation."],
        errors: {},
      });
    }
    if (fault.kind === 'rateLimit') {
      return json(
        429,
        { errorMessages: ['Rate limit exceeded.'], errors: {} },
        { 'retry-after': String(fault.retryAfter), 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' },
      );
    }
    if (fault.kind === 'error5xx') return json(503, { errorMessages: ['Service Unavailable'], errors: {} });
    try {
      return this.route(req);
    } catch (e) {
      if (e instanceof JqlError)
        return json(400, { errorMessages: [e.message], errors: {}, warningMessages: [] });
      throw e;
    }
  }

  private notFound(what = 'Issue does not exist or you do not have permission to see it.'): Reply {
    return json(404, { errorMessages: [what], errors: {} });
  }

  private user(p: Person): Record<string, unknown> {
    if (!this.cloud) {
      // Data Center users have a key and a user name, no accountId
      return {
        self: `${this.base}/rest/api/2/user?key=${p.jiraAccountId}`,
        key: p.jiraAccountId,
        name: p.email.split('@')[0],
        emailAddress: p.email,
        displayName: p.name,
        active: true,
        timeZone: p.timeZone,
      };
    }
    return {
      self: `${this.base}/rest/api/2/user?accountId=${p.jiraAccountId}`,
      accountId: p.jiraAccountId,
      emailAddress: p.email,
      avatarUrls: { '48x48': `${this.base}/avatar/${p.jiraAccountId}` },
      displayName: p.name,
      active: true,
      timeZone: p.timeZone,
      accountType: 'atlassian',
    };
  }

  private status(s: JiraIssueModel['status']): Record<string, unknown> {
    const c = STATUS_CATEGORIES[s.category];
    return {
      self: `${this.base}/rest/api/2/status/${s.id}`,
      description: '',
      iconUrl: `${this.base}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: {
        self: `${this.base}/rest/api/2/statuscategory/${c.id}`,
        id: c.id,
        key: c.key,
        colorName: c.colorName,
        name: c.name,
      },
    };
  }

  private sprint(s: SprintModel, boardId: number): Record<string, unknown> {
    return {
      id: s.id,
      self: `${this.base}/rest/agile/1.0/sprint/${s.id}`,
      state: s.state,
      name: s.name,
      ...(s.state !== 'future'
        ? { startDate: new Date(s.start).toISOString(), endDate: new Date(s.end).toISOString() }
        : {}),
      ...(s.completeDate !== undefined ? { completeDate: new Date(s.completeDate).toISOString() } : {}),
      createdDate: new Date(s.start - 3 * 86_400_000).toISOString(),
      originBoardId: boardId,
      goal: s.goal,
    };
  }

  private history(h: JiraIssueModel['histories'][number]): Record<string, unknown> {
    return { id: h.id, author: this.user(h.author), created: jiraTime(h.created), items: h.items };
  }

  private comment(it: JiraIssueModel, cm: JiraIssueModel['comments'][number]): Record<string, unknown> {
    return {
      self: `${this.base}/rest/api/2/issue/${it.id}/comment/${cm.id}`,
      id: cm.id,
      author: this.user(cm.author),
      body: cm.body,
      updateAuthor: this.user(cm.author),
      created: jiraTime(cm.created),
      updated: jiraTime(cm.created),
      jsdPublic: true,
    };
  }

  private issue(
    j: JiraWorld,
    it: JiraIssueModel,
    expandChangelog: boolean,
    embedLimit = 100,
  ): Record<string, unknown> {
    const sc = j.ctx.scenario;
    const type = ISSUE_TYPES[it.type];
    const sprint = it.sprintId !== undefined ? j.sprints.find((s) => s.id === it.sprintId) : undefined;
    const fields: Record<string, unknown> = {
      summary: it.summary,
      issuetype: {
        self: `${this.base}/rest/api/2/issuetype/${type.id}`,
        id: type.id,
        name: it.type,
        subtask: type.subtask,
        hierarchyLevel: type.subtask ? -1 : 0,
      },
      project: {
        self: `${this.base}/rest/api/2/project/${sc.jiraProjectId}`,
        id: String(sc.jiraProjectId),
        key: sc.jiraKey,
        name: `${sc.name === 'steady' ? 'Steady' : 'Slipping'} Co delivery`,
        projectTypeKey: 'software',
      },
      status: this.status(it.status),
      priority: {
        self: `${this.base}/rest/api/2/priority/${PRIORITIES[it.priority]}`,
        name: it.priority,
        id: PRIORITIES[it.priority],
      },
      resolution: it.resolution
        ? {
            self: `${this.base}/rest/api/2/resolution/${RESOLUTIONS[it.resolution]}`,
            id: RESOLUTIONS[it.resolution],
            name: it.resolution,
            description: '',
          }
        : null,
      resolutiondate: it.resolutionDate !== undefined ? jiraTime(it.resolutionDate) : null,
      created: jiraTime(it.created),
      updated: jiraTime(it.updated),
      reporter: this.user(it.reporter),
      creator: this.user(it.reporter),
      assignee: it.assignee ? this.user(it.assignee) : null,
      labels: it.labels,
      environment: it.environment ?? null,
      customfield_10016: it.storyPoints ?? null,
      customfield_10020: sprint
        ? [
            {
              id: sprint.id,
              name: sprint.name,
              state: sprint.state,
              boardId: sc.boardId,
              goal: sprint.goal,
              startDate: new Date(sprint.start).toISOString(),
              endDate: new Date(sprint.end).toISOString(),
            },
          ]
        : null,
      comment: {
        comments: it.comments.slice(0, EMBEDDED_COMMENTS).map((cm) => this.comment(it, cm)),
        maxResults: EMBEDDED_COMMENTS,
        total: it.comments.length,
        startAt: 0,
      },
    };
    if (it.parentKey)
      fields['parent'] = {
        key: it.parentKey,
        id: String(sc.jiraProjectId * 100_000 + Number(it.parentKey.split('-')[1])),
      };
    const out: Record<string, unknown> = {
      expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
      id: it.id,
      self: `${this.base}/rest/api/2/issue/${it.id}`,
      key: it.key,
      fields,
    };
    if (expandChangelog) {
      const shown = it.histories.slice(0, embedLimit);
      out['changelog'] = {
        startAt: 0,
        maxResults: shown.length,
        total: it.histories.length,
        histories: shown.map((h) => this.history(h)),
      };
    }
    return out;
  }

  private issueByKey(key: string): { j: JiraWorld; it: JiraIssueModel } | undefined {
    const m = /^([A-Z][A-Z0-9]+)-(\d+)$/.exec(key.toUpperCase());
    const numeric = /^\d+$/.test(key) ? Number(key) : undefined;
    for (const s of this.world.scenarios) {
      const j = s.jira;
      let n: number | undefined;
      if (m && m[1] === s.scenario.jiraKey) n = Number(m[2]);
      if (numeric !== undefined && Math.floor(numeric / 100_000) === s.scenario.jiraProjectId)
        n = numeric % 100_000;
      if (n === undefined) continue;
      const it = j.issues.byIndex(n - 1) ?? j.issues.tail.find((x) => x.index === n - 1);
      if (it) return { j, it };
    }
    return undefined;
  }

  private route(req: SandboxRequest): Reply {
    const p = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (p[0] === 'rest' && p[1] === 'api' && (p[2] === '2' || p[2] === '3')) {
      const rest = p.slice(3);
      if (this.cloud && rest[0] === 'search' && rest[1] === undefined) {
        // Atlassian removed the legacy search endpoints from Cloud (CHANGE-2046)
        return json(410, {
          errorMessages: [
            'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
          ],
          errors: {},
        });
      }
      if (p[2] === '3' && !this.cloud) return this.notFound('Not found');
      if (this.cloud && rest[0] === 'search' && rest[1] === 'jql') return this.searchJql(req);
      return this.api(rest, req);
    }
    if (p[0] === 'rest' && p[1] === 'agile' && p[2] === '1.0') return this.agile(p.slice(3), req);
    return this.notFound('Not found');
  }

  private api(p: string[], req: SandboxRequest): Reply {
    const [a, b, c] = p;
    if (a === 'myself' && req.method === 'GET') {
      return json(200, {
        self: `${this.base}/rest/api/2/user?accountId=5b10sandbox0000pulsebot`,
        accountId: '5b10sandbox0000pulsebot',
        emailAddress: SANDBOX_JIRA_EMAIL,
        displayName: 'Pulse Sandbox Bot',
        active: true,
        timeZone: this.cloud ? SANDBOX_JIRA_CLOUD_TIME_ZONE : 'UTC',
        locale: 'en_US',
        ...(this.cloud
          ? { accountType: 'atlassian' }
          : { key: '5b10sandbox0000pulsebot', name: 'pulse-bot' }),
      });
    }
    if (a === 'serverInfo') {
      return json(200, {
        baseUrl: this.base,
        version: '1001.0.0-SNAPSHOT',
        versionNumbers: [1001, 0, 0],
        deploymentType: this.cloud ? 'Cloud' : 'Server',
        buildNumber: 100245,
        buildDate: '2026-11-01T00:00:00.000+0000',
        serverTime: jiraTime(this.world.now),
        scmInfo: 'sandbox',
        serverTitle: 'Pulse Sandbox Jira',
      });
    }
    if (a === 'field') {
      return json(200, [
        {
          id: 'summary',
          key: 'summary',
          name: 'Summary',
          custom: false,
          orderable: true,
          navigable: true,
          searchable: true,
          clauseNames: ['summary'],
          schema: { type: 'string', system: 'summary' },
        },
        {
          id: 'status',
          key: 'status',
          name: 'Status',
          custom: false,
          orderable: false,
          navigable: true,
          searchable: true,
          clauseNames: ['status'],
          schema: { type: 'status', system: 'status' },
        },
        {
          id: 'resolutiondate',
          key: 'resolutiondate',
          name: 'Resolved',
          custom: false,
          orderable: false,
          navigable: true,
          searchable: true,
          clauseNames: ['resolutiondate', 'resolved'],
          schema: { type: 'datetime', system: 'resolutiondate' },
        },
        {
          id: 'customfield_10016',
          key: 'customfield_10016',
          name: 'Story point estimate',
          custom: true,
          orderable: true,
          navigable: true,
          searchable: true,
          clauseNames: ['cf[10016]', 'Story point estimate'],
          schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: 10016 },
        },
        {
          id: 'customfield_10020',
          key: 'customfield_10020',
          name: 'Sprint',
          custom: true,
          orderable: true,
          navigable: true,
          searchable: true,
          clauseNames: ['cf[10020]', 'Sprint'],
          schema: {
            type: 'array',
            items: 'json',
            custom: 'com.pyxis.greenhopper.jira:gh-sprint',
            customId: 10020,
          },
        },
      ]);
    }
    if (a === 'status')
      return json(
        200,
        Object.values(JIRA_STATUSES).map((s) => this.status(s)),
      );
    if (a === 'statuscategory') return json(200, Object.values(STATUS_CATEGORIES));
    if (a === 'project' && b === 'search' && c === undefined && this.cloud) {
      // Cloud's paged project list (a PageBean); Data Center has no such resource
      const startAt = intParam(req.query.get('startAt'), 0, 0, 1e9);
      const maxResults = intParam(req.query.get('maxResults'), 50, 1, 100);
      const all = this.world.scenarios.map((s) => ({
        expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
        self: `${this.base}/rest/api/2/project/${s.scenario.jiraProjectId}`,
        id: String(s.scenario.jiraProjectId),
        key: s.scenario.jiraKey,
        name: `${s.scenario.name} delivery`,
        avatarUrls: { '48x48': `${this.base}/rest/api/2/universal_avatar/view/type/project/avatar/10400` },
        projectTypeKey: 'software',
        simplified: false,
        style: 'classic',
        isPrivate: false,
        properties: {},
      }));
      const values = all.slice(startAt, startAt + maxResults);
      const isLast = startAt + maxResults >= all.length;
      const self = (at: number) =>
        `${this.base}/rest/api/2/project/search?maxResults=${maxResults}&startAt=${at}`;
      return json(200, {
        self: self(startAt),
        ...(isLast ? {} : { nextPage: self(startAt + maxResults) }),
        maxResults,
        startAt,
        total: all.length,
        isLast,
        values,
      });
    }
    if (a === 'project' && b !== undefined) {
      const s = this.world.scenarios.find(
        (x) => x.scenario.jiraKey === b.toUpperCase() || String(x.scenario.jiraProjectId) === b,
      );
      if (!s) return this.notFound(`No project could be found with key '${b}'.`);
      return json(200, {
        self: `${this.base}/rest/api/2/project/${s.scenario.jiraProjectId}`,
        id: String(s.scenario.jiraProjectId),
        key: s.scenario.jiraKey,
        name: `${s.scenario.name} delivery`,
        projectTypeKey: 'software',
        issueTypes: Object.entries(ISSUE_TYPES).map(([name, t]) => ({
          id: t.id,
          name,
          untranslatedName: name,
          subtask: t.subtask,
          hierarchyLevel: t.subtask ? -1 : 0,
        })),
      });
    }
    if (a === 'project' && b === undefined) {
      return json(
        200,
        this.world.scenarios.map((s) => ({
          self: `${this.base}/rest/api/2/project/${s.scenario.jiraProjectId}`,
          id: String(s.scenario.jiraProjectId),
          key: s.scenario.jiraKey,
          name: `${s.scenario.name} delivery`,
          projectTypeKey: 'software',
        })),
      );
    }
    if (a === 'search') {
      const params: Record<string, unknown> = {};
      for (const [k, v] of req.query) params[k] = v;
      if (req.method === 'POST' && req.body) {
        try {
          Object.assign(params, JSON.parse(req.body) as Record<string, unknown>);
        } catch {
          return json(400, { errorMessages: ['Unexpected character in JSON body.'], errors: {} });
        }
      }
      return this.search(params);
    }
    if (a === 'issue' && b !== undefined) {
      const found = this.issueByKey(b);
      if (!found) return this.notFound();
      const startAt = intParam(req.query.get('startAt'), 0, 0, 1e9);
      const maxResults = intParam(req.query.get('maxResults'), c === 'comment' ? 5000 : 100, 1, 100);
      if (c === undefined)
        return json(
          200,
          this.issue(
            found.j,
            found.it,
            (req.query.get('expand') ?? '').includes('changelog'),
            Number.MAX_SAFE_INTEGER,
          ),
        );
      if (c === 'changelog') {
        const all = found.it.histories;
        const values = all.slice(startAt, startAt + maxResults).map((h) => this.history(h));
        const isLast = startAt + maxResults >= all.length;
        return json(200, {
          self: `${this.base}/rest/api/2/issue/${found.it.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`,
          ...(isLast
            ? {}
            : {
                nextPage: `${this.base}/rest/api/2/issue/${found.it.key}/changelog?maxResults=${maxResults}&startAt=${startAt + maxResults}`,
              }),
          maxResults,
          startAt,
          total: all.length,
          isLast,
          values,
        });
      }
      if (c === 'comment') {
        const all = found.it.comments;
        const comments = all.slice(startAt, startAt + maxResults).map((cm) => this.comment(found.it, cm));
        return json(200, { startAt, maxResults, total: all.length, comments });
      }
    }
    return this.notFound('Not found');
  }

  /** Issues matching a query, in its order: the part both search endpoints share. */
  private find(jql: Jql, offset: number, limit: number): { items: JiraIssueModel[]; total: number } {
    const projectClause = jql.clauses.find((c) => c.field === 'project');
    let projects = this.world.scenarios.map((s) => s.jira);
    if (projectClause && 'values' in projectClause) {
      const wanted = projectClause.values.map((v) => v.toUpperCase());
      for (const v of wanted) {
        if (!this.world.jiraProject(v))
          throw new JqlError(`The value '${v}' does not exist for the field 'project'.`);
      }
      const matches = (j: JiraWorld): boolean =>
        wanted.includes(j.ctx.scenario.jiraKey) || wanted.includes(String(j.ctx.scenario.jiraProjectId));
      projects = projects.filter((j) =>
        projectClause.op === 'in' || projectClause.op === '=' ? matches(j) : !matches(j),
      );
    }
    const { filter, from, to, sig } = this.compile(jql);
    const desc = jql.orderBy.desc;
    const only = projects[0];
    if (projects.length === 1 && only && jql.orderBy.field === 'updated') {
      return only.issues.query({
        filter,
        sig,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        desc,
        offset,
        limit,
      });
    }
    // several projects, or ordering by key/created: gather and sort (fine at demo scale)
    const all = projects.flatMap(
      (j) =>
        j.issues.query({
          filter,
          sig,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          offset: 0,
          limit: Number.MAX_SAFE_INTEGER,
        }).items,
    );
    const keyOf = (i: JiraIssueModel): number =>
      jql.orderBy.field === 'updated'
        ? i.updated
        : jql.orderBy.field === 'created'
          ? i.created
          : i.scenario.index * 1e9 + i.index;
    all.sort((x, y) => keyOf(x) - keyOf(y) || x.scenario.index - y.scenario.index || x.index - y.index);
    if (desc) all.reverse();
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  private render(items: JiraIssueModel[], withChangelog: boolean): Record<string, unknown>[] {
    const rendered = items.map((it) => {
      const j = this.world.scenarios[it.scenario.index]?.jira as JiraWorld;
      return this.issue(j, it, withChangelog, EMBEDDED_HISTORIES[this.flavour]);
    });
    return this.faults.malform('jira', rendered, ISSUE_FIELDS_TO_BREAK);
  }

  private get offsetMinutes(): number {
    return this.cloud ? CLOUD_OFFSET_MINUTES : 0;
  }

  /** Data Center's (and old Cloud's) offset-paged search. */
  private search(params: Record<string, unknown>): Reply {
    const jql = parseJql(String(params['jql'] ?? ''), this.offsetMinutes);
    const startAt = intParam(String(params['startAt'] ?? ''), 0, 0, 1e9);
    const maxResults = intParam(String(params['maxResults'] ?? ''), 50, 0, 100);
    const expandRaw = params['expand'];
    const expand = Array.isArray(expandRaw) ? expandRaw.join(',') : String(expandRaw ?? '');
    const { items, total } = this.find(jql, startAt, maxResults);
    return json(200, {
      expand: 'schema,names',
      startAt,
      maxResults,
      total,
      issues: this.render(items, expand.includes('changelog')),
    });
  }

  /** Cloud's enhanced search: nextPageToken/isLast, no startAt or total, bounded JQL only. */
  private searchJql(req: SandboxRequest): Reply {
    const params: Record<string, unknown> = {};
    for (const [k, v] of req.query) params[k] = v;
    if (req.method === 'POST') {
      try {
        Object.assign(params, JSON.parse(req.body || '{}') as Record<string, unknown>);
      } catch {
        return json(400, { errorMessages: ['Unexpected character in JSON body.'], errors: {} });
      }
    }
    const jqlText = String(params['jql'] ?? '');
    const jql = parseJql(jqlText, this.offsetMinutes);
    if (jql.clauses.length === 0) {
      return json(400, {
        errorMessages: [
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ],
        errors: {},
      });
    }
    const maxResults = intParam(String(params['maxResults'] ?? ''), 50, 1, 100);
    const expandRaw = params['expand'];
    if (Array.isArray(expandRaw)) {
      return json(400, { errorMessages: ['expand must be a comma-separated string.'], errors: {} });
    }
    const withChangelog = String(expandRaw ?? '').includes('changelog');
    let offset = 0;
    const token = params['nextPageToken'];
    if (token !== undefined && token !== null) {
      const decoded = decodePageToken(String(token), jqlText);
      if (decoded === null)
        return json(400, {
          errorMessages: ['The provided next page token is invalid or expired.'],
          errors: {},
        });
      offset = decoded;
    }
    const { items, total } = this.find(jql, offset, maxResults);
    const next = offset + items.length;
    const isLast = next >= total || items.length === 0;
    return json(200, {
      issues: this.render(items, withChangelog),
      ...(isLast ? {} : { nextPageToken: encodePageToken(next, jqlText) }),
      isLast,
    });
  }

  private compile(jql: Jql): {
    filter: (i: JiraIssueModel) => boolean;
    from?: number;
    to?: number;
    sig: string;
  } {
    let from: number | undefined;
    let to: number | undefined;
    const preds: ((i: JiraIssueModel) => boolean)[] = [];
    const sigParts: string[] = [];
    for (const c of jql.clauses) {
      if ('time' in c) {
        if (c.field === 'updated') {
          if (c.op === '>=') from = Math.max(from ?? -Infinity, c.time);
          else if (c.op === '>') from = Math.max(from ?? -Infinity, c.time + 60_000);
          else if (c.op === '<') to = Math.min(to ?? Infinity, c.time);
          else to = Math.min(to ?? Infinity, c.time + 60_000);
          continue;
        }
        const get = (i: JiraIssueModel): number | undefined =>
          c.field === 'created' ? i.created : i.resolutionDate;
        const t = c.time;
        preds.push((i) => {
          const v = get(i);
          if (v === undefined) return false;
          return c.op === '>=' ? v >= t : c.op === '>' ? v > t : c.op === '<' ? v < t : v <= t;
        });
        sigParts.push(`${c.field}${c.op}${t}`);
        continue;
      }
      if (c.field === 'project') continue;
      const vals = c.values.map((v) => v.toLowerCase());
      const positive = c.op === 'in' || c.op === '=';
      const get = (i: JiraIssueModel): string =>
        c.field === 'issuetype'
          ? i.type.toLowerCase()
          : c.field === 'status'
            ? i.status.name.toLowerCase()
            : c.field === 'key'
              ? i.key.toLowerCase()
              : String(i.sprintId ?? '');
      preds.push((i) => vals.includes(get(i)) === positive);
      sigParts.push(`${c.field}${c.op}${vals.join(',')}`);
    }
    return {
      filter: (i) => preds.every((p) => p(i)),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      sig: `jql:${sigParts.join('&')}`,
    };
  }

  private agile(p: string[], req: SandboxRequest): Reply {
    const [a, b, c, d, e] = p;
    const startAt = intParam(req.query.get('startAt'), 0, 0, 1e9);
    const maxResults = intParam(req.query.get('maxResults'), 50, 1, 50);
    const page = <T>(
      all: T[],
    ): { startAt: number; maxResults: number; total: number; isLast: boolean; values: T[] } => ({
      startAt,
      maxResults,
      total: all.length,
      isLast: startAt + maxResults >= all.length,
      values: all.slice(startAt, startAt + maxResults),
    });
    const board = (s: (typeof this.world.scenarios)[number]): Record<string, unknown> => ({
      id: s.scenario.boardId,
      self: `${this.base}/rest/agile/1.0/board/${s.scenario.boardId}`,
      name: `${s.scenario.jiraKey} board`,
      type: 'scrum',
      location: {
        projectId: s.scenario.jiraProjectId,
        projectKey: s.scenario.jiraKey,
        projectName: `${s.scenario.name} delivery`,
      },
    });
    if (a === 'board' && b === undefined) {
      const key = req.query.get('projectKeyOrId');
      return json(
        200,
        page(
          this.world.scenarios
            .filter(
              (s) =>
                !key || s.scenario.jiraKey === key.toUpperCase() || String(s.scenario.jiraProjectId) === key,
            )
            .map(board),
        ),
      );
    }
    const sc = this.world.scenarios.find((s) => String(s.scenario.boardId) === b);
    if (a === 'board' && sc) {
      if (c === undefined) return json(200, board(sc));
      if (c === 'sprint' && d === undefined) {
        const states = (req.query.get('state') ?? '').split(',').filter(Boolean);
        return json(
          200,
          page(
            sc.jira.sprints
              .filter((s) => states.length === 0 || states.includes(s.state))
              .map((s) => this.sprint(s, sc.scenario.boardId)),
          ),
        );
      }
      if (c === 'sprint' && d !== undefined && e === 'issue')
        return this.sprintIssues(Number(d), req, startAt, maxResults);
    }
    if (a === 'sprint' && b !== undefined) {
      if (c === 'issue') return this.sprintIssues(Number(b), req, startAt, maxResults);
      for (const s of this.world.scenarios) {
        const sp = s.jira.sprints.find((x) => x.id === Number(b));
        if (sp && c === undefined) return json(200, this.sprint(sp, s.scenario.boardId));
      }
    }
    return this.notFound('Not found');
  }

  private sprintIssues(sprintId: number, req: SandboxRequest, startAt: number, maxResults: number): Reply {
    const s = this.world.scenarios.find((x) => x.jira.sprints.some((sp) => sp.id === sprintId));
    if (!s) return json(404, { errorMessages: [`Sprint with id ${sprintId} does not exist.`], errors: {} });
    const { items, total } = s.jira.issues.query({
      filter: (i) => i.sprintId === sprintId,
      sig: `sprint:${sprintId}`,
      offset: startAt,
      limit: maxResults,
    });
    const withChangelog = (req.query.get('expand') ?? '').includes('changelog');
    return json(200, {
      expand: 'schema,names',
      startAt,
      maxResults,
      total,
      issues: items.map((it) => this.issue(s.jira, it, withChangelog, EMBEDDED_HISTORIES[this.flavour])),
    });
  }
}

// Opaque to clients like Cloud's: the offset and a digest of the query it belongs to. Base64
// (with its '+' and '/') so a client that URL-decodes it breaks as it would on Cloud.
function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(`${offset}|${createHash('sha256').update(jql).digest('hex').slice(0, 16)}|>?>`).toString(
    'base64',
  );
}

function decodePageToken(token: string, jql: string): number | null {
  const [offset, digest] = Buffer.from(token, 'base64').toString('utf8').split('|');
  if (digest !== createHash('sha256').update(jql).digest('hex').slice(0, 16)) return null;
  const n = Number(offset);
  return Number.isInteger(n) && n >= 0 ? n : null;
}
