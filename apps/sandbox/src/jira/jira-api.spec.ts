import JiraApi from 'jira-client';
import { startSandbox } from '../sandbox.server';
import { SANDBOX_JIRA_API_TOKEN, SANDBOX_JIRA_EMAIL, SANDBOX_JIRA_PAT } from '../credentials.constants';
import { type RunningSandbox } from '../sandbox.types';

jest.setTimeout(60_000);
let sb: RunningSandbox;
/** Jira Cloud (/jira): email + API token. */
const cloud = (password = SANDBOX_JIRA_API_TOKEN): JiraApi =>
  new JiraApi({ ...sb.jira, username: SANDBOX_JIRA_EMAIL, password, strictSSL: false });
/** Jira Data Center (/jira-dc): personal access token; the legacy search still works there. */
const jira = (pat = SANDBOX_JIRA_PAT): JiraApi =>
  new JiraApi({ ...sb.jira, base: 'jira-dc', bearer: pat, strictSSL: false });

interface SearchPage {
  startAt: number;
  maxResults: number;
  total: number;
  issues: {
    key: string;
    fields: { updated: string; status: { statusCategory: { key: string } } };
    changelog?: { total: number; histories: unknown[] };
  }[];
}

async function searchAll(client: JiraApi, jql: string): Promise<SearchPage['issues']> {
  const out: SearchPage['issues'] = [];
  let startAt = 0;
  for (;;) {
    const page = (await client.searchJira(jql, {
      startAt,
      maxResults: 100,
      expand: ['changelog'],
    })) as SearchPage;
    out.push(...page.issues);
    startAt += page.issues.length;
    if (page.issues.length === 0 || startAt >= page.total) return out;
  }
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 'spec' });
});
afterAll(() => sb.close());
afterEach(() => sb.reset());

describe('Jira through jira-client', () => {
  it('searches a whole project with startAt/maxResults/total and gets every issue once', async () => {
    const m = sb.manifest().scenarios.slipping;
    const me = (await cloud().getCurrentUser()) as { emailAddress: string };
    expect(me.emailAddress).toBe(SANDBOX_JIRA_EMAIL);
    const issues = await searchAll(jira(), `project in (${m.jira.projectKey}) ORDER BY updated ASC`);
    expect(new Set(issues.map((i) => i.key)).size).toBe(issues.length);
    expect(issues.length).toBe(m.counts!.jira.issues);
    const bugs = await searchAll(
      jira(),
      `project = ${m.jira.projectKey} AND issuetype in (Bug) ORDER BY updated ASC`,
    );
    expect(bugs.length).toBe(m.counts!.jira.bugs);
    // changelogs embed at most 100 histories; the rest come from the changelog endpoint
    const long = issues.find((i) => (i.changelog?.total ?? 0) > 100);
    expect(long?.changelog?.histories).toHaveLength(100);
    const rest = (await jira().getIssueChangelog(long!.key, 100, 100)) as {
      total: number;
      values: unknown[];
      isLast: boolean;
    };
    expect(rest.values.length).toBe(long!.changelog!.total - 100);
    expect(rest.isLast).toBe(true);
  });

  it('returns only changed issues for updated >= after advance', async () => {
    const m = sb.manifest().scenarios.steady;
    const adv = sb.advance(12);
    const since = adv.previousNow.slice(0, 16).replace('T', ' ');
    const changed = await searchAll(
      jira(),
      `project in (${m.jira.projectKey}) AND updated >= "${since}" ORDER BY updated ASC`,
    );
    expect(changed.map((i) => i.key).sort()).toEqual(
      [...adv.changed.steady.jira.updatedIssues, ...adv.changed.steady.jira.createdIssues].sort(),
    );
    const all = await searchAll(jira(), `project in (${m.jira.projectKey}) ORDER BY updated ASC`);
    expect(all.length).toBe(m.counts!.jira.issues + 1);
  });

  it('serves boards, sprints, sprint issues, fields, statuses and comments', async () => {
    const m = sb.manifest().scenarios.slipping;
    const boards = (await jira().getAllBoards(0, 50, undefined, undefined, m.jira.projectKey)) as {
      values: { id: number }[];
    };
    expect(boards.values[0]?.id).toBe(m.jira.boardId);
    const sprints = (await jira().getAllSprints(String(m.jira.boardId))) as {
      values: { id: number; state: string }[];
      total: number;
    };
    expect(sprints.total).toBe(m.counts!.jira.sprints);
    const closed = sprints.values.find((s) => s.state === 'closed')!;
    const inSprint = (await jira().getBoardIssuesForSprint(
      String(m.jira.boardId),
      String(closed.id),
      0,
      50,
    )) as { total: number; issues: unknown[] };
    expect(inSprint.total).toBeGreaterThan(0);
    const statuses = (await jira().listStatus()) as { name: string; statusCategory: { key: string } }[];
    expect(statuses.find((s) => s.name === 'Done')?.statusCategory.key).toBe('done');
    const fields = (await jira().listFields()) as { id: string }[];
    expect(fields.map((f) => f.id)).toContain('customfield_10016');
    const info = (await jira().getServerInfo()) as { deploymentType: string };
    expect(info.deploymentType).toBe('Server');
    expect(((await cloud().getServerInfo()) as { deploymentType: string }).deploymentType).toBe('Cloud');
    const comments = (await jira().genericGet(`issue/${m.jira.projectKey}-3/comment`)) as {
      total: number;
      comments: unknown[];
    };
    expect(comments.comments.length).toBe(comments.total);
  });

  it('answers bad JQL, bad credentials and rate limits as Jira does', async () => {
    const m = sb.manifest().scenarios.slipping;
    await expect(jira().searchJira(`project = ${m.jira.projectKey} AND colour = red`)).rejects.toThrow(
      /Field 'colour' does not exist/,
    );
    await expect(
      jira().searchJira(`project = ${m.jira.projectKey} AND updated >= "yesterday-ish"`),
    ).rejects.toThrow(/Error in the JQL Query/);
    await expect(jira('wrong').getCurrentUser()).rejects.toThrow(/Client must be authenticated/);
    await expect(cloud('wrong').getCurrentUser()).rejects.toThrow(/Client must be authenticated/);
    const res401 = await fetch(`${sb.url}/jira/rest/api/2/myself`);
    expect(res401.status).toBe(401);
    sb.setFaults({ jira: { rateLimitRate: 1, retryAfterSeconds: 3 } });
    const res429 = await fetch(`${sb.url}/jira/rest/api/2/myself`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`,
      },
    });
    expect(res429.status).toBe(429);
    expect(res429.headers.get('retry-after')).toBe('3');
    await expect(cloud().getCurrentUser()).rejects.toThrow(/Rate limit exceeded/);
    sb.setFaults({ jira: { rateLimitRate: 0, malformedRate: 1 } });
    const page = (await jira().searchJira(`project = ${m.jira.projectKey}`, { maxResults: 10 })) as {
      issues: Record<string, unknown>[];
    };
    expect(
      page.issues.some(
        (i) =>
          typeof i['key'] !== 'string' ||
          !('status' in (i['fields'] as object)) ||
          !('created' in (i['fields'] as object)) ||
          !('updated' in (i['fields'] as object)) ||
          !('issuetype' in (i['fields'] as object)) ||
          typeof (i['fields'] as Record<string, unknown>)['created'] !== 'string',
      ),
    ).toBe(true);
  });

  it('Cloud pages its projects (/project/search, a PageBean); Data Center has no such resource', async () => {
    const m = sb.manifest();
    const keys = Object.values(m.scenarios).map((s) => s.jira.projectKey);
    const first = (await cloud().genericGet('project/search?startAt=0&maxResults=1')) as {
      startAt: number;
      maxResults: number;
      total: number;
      isLast: boolean;
      nextPage?: string;
      values: { key: string }[];
    };
    expect(first).toMatchObject({ startAt: 0, maxResults: 1, total: keys.length, isLast: false });
    expect(first.nextPage).toMatch(/\/rest\/api\/2\/project\/search\?maxResults=1&startAt=1$/);
    const rest = (await cloud().genericGet('project/search?startAt=1&maxResults=50')) as {
      isLast: boolean;
      nextPage?: string;
      values: { key: string }[];
    };
    expect(rest.isLast).toBe(true);
    expect(rest.nextPage).toBeUndefined();
    expect([...first.values, ...rest.values].map((p) => p.key).sort()).toEqual([...keys].sort());
    await expect(jira().genericGet('project/search')).rejects.toThrow(/No project could be found/);
  });

  it('the forbidden fault answers every signed-in request with 403, bad credentials still 401', async () => {
    sb.setFaults({ jira: { forbidden: true } });
    await expect(cloud().getCurrentUser()).rejects.toThrow(
      /You currently don't have access to perform this operation/,
    );
    await expect(jira().genericGet('field')).rejects.toThrow(/don't have access/);
    await expect(cloud('wrong').getCurrentUser()).rejects.toThrow(/Client must be authenticated/);
    const res = await fetch(`${sb.url}/jira/rest/api/2/myself`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`,
      },
    });
    expect(res.status).toBe(403);
    sb.setFaults({ jira: { forbidden: false } });
    expect(((await cloud().getCurrentUser()) as { emailAddress: string }).emailAddress).toBe(
      SANDBOX_JIRA_EMAIL,
    );
  });

  it("Cloud: legacy search is gone (410); search/jql pages by nextPageToken in the user's zone", async () => {
    const m = sb.manifest().scenarios.steady;
    const basic = `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`;
    await expect(cloud().searchJira(`project = ${m.jira.projectKey}`)).rejects.toThrow(/CHANGE-2046/);
    for (const path of ['/rest/api/2/search', '/rest/api/3/search']) {
      const gone = await fetch(`${sb.url}/jira${path}?jql=project%3D${m.jira.projectKey}`, {
        headers: { authorization: basic },
      });
      expect(gone.status).toBe(410);
    }
    const post = (body: unknown) =>
      fetch(`${sb.url}/jira/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ jql: 'ORDER BY updated ASC' })).status).toBe(400);
    const keys: string[] = [];
    let token: string | undefined;
    let truncated = 0;
    for (;;) {
      const res = await post({
        jql: `project = ${m.jira.projectKey} ORDER BY updated ASC`,
        fields: ['status'],
        expand: 'changelog',
        maxResults: 100,
        ...(token ? { nextPageToken: token } : {}),
      });
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        issues: { key: string; changelog: { total: number; histories: unknown[] } }[];
        nextPageToken?: string;
        isLast: boolean;
        total?: number;
      };
      expect(page.total).toBeUndefined();
      keys.push(...page.issues.map((i) => i.key));
      truncated += page.issues.filter((i) => i.changelog.histories.length < i.changelog.total).length;
      if (page.isLast) break;
      token = page.nextPageToken;
      expect(token).toEqual(expect.any(String));
    }
    expect(new Set(keys).size).toBe(m.counts!.jira.issues);
    expect(truncated).toBeGreaterThan(0);
    const me = (await cloud().getCurrentUser()) as { timeZone: string };
    expect(me.timeZone).toBe('America/Phoenix');
    // JQL dates are wall times in the user's zone (UTC-7): one hour ago there still finds
    // the issues updated in the last hour, the same wall time read as UTC would be in the future
    const wall = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const now = Date.parse(sb.manifest().now);
    const count = async (since: string) =>
      (
        (await (
          await post({ jql: `project = ${m.jira.projectKey} AND updated >= "${since}"`, maxResults: 100 })
        ).json()) as { issues: unknown[] }
      ).issues.length;
    expect(await count(wall(now - 7 * 3_600_000 - 30 * 86_400_000))).toBeGreaterThan(0);
    expect(await count(wall(now - 7 * 3_600_000 + 60_000))).toBe(0);
  });
});
