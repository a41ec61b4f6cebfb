// REST fidelity: the sandbox's answers to every route Pulse's GitHub collector calls are
// checked against GitHub's official OpenAPI description (@octokit/openapi).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_GITHUB_TOKEN } from '../credentials.constants';
import { startSandbox } from '../sandbox.server';
import { type RunningSandbox } from '../sandbox.types';
import { checkAgainst, responseSchema } from './openapi-check';

type Json = Record<string, unknown> & { [k: string]: unknown };

/** The `GET /…` routes named in the collector's sources (its specs' literals excluded). */
function routesPulseCalls(): string[] {
  const dir = join(__dirname, '../../../../libs/connectors/src/github');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !/spec\.ts$/.test(f),
  );
  const routes = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'GET (\/[^'?]+)'/g))
      routes.add(m[1] as string);
  }
  return [...routes].sort();
}

describe('sandbox REST answers conform to GitHub’s OpenAPI description', () => {
  let sb: RunningSandbox;
  let repo: string;
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${sb.githubUrl}${path}`, {
      headers: { authorization: `token ${SANDBOX_GITHUB_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  /** Route template → the concrete paths checked for it. */
  const cases = new Map<string, string[]>();

  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
    repo = sb.manifest().scenarios.slipping.github.repos[0]!.fullName;
    const pulls = (await get(
      `/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=100`,
    )) as Json[];
    const issues = ((await get(`/repos/${repo}/issues?state=all&per_page=100`)) as Json[]).filter(
      (i) => !i['pull_request'],
    );
    const deployments = (await get(`/repos/${repo}/deployments?per_page=100`)) as Json[];
    const runs = ((await get(`/repos/${repo}/actions/runs?per_page=100`)) as { workflow_runs: Json[] })
      .workflow_runs;
    // PRs with reviews, review comments, drafts, merges and bots are among the first 12
    const numbers = pulls.slice(0, 12).map((p) => p['number'] as number);
    const r = `/repos/${repo}`;
    cases.set('/user', ['/user']);
    cases.set('/repos/{owner}/{repo}', [r]);
    cases.set('/repos/{owner}/{repo}/pulls', [
      `${r}/pulls?state=all&sort=updated&direction=desc&per_page=100`,
    ]);
    cases.set(
      '/repos/{owner}/{repo}/pulls/{pull_number}',
      numbers.map((n) => `${r}/pulls/${n}`),
    );
    for (const part of ['reviews', 'comments', 'commits'])
      cases.set(
        `/repos/{owner}/{repo}/pulls/{pull_number}/${part}`,
        numbers.map((n) => `${r}/pulls/${n}/${part}`),
      );
    cases.set(
      '/repos/{owner}/{repo}/issues/{issue_number}/timeline',
      [...numbers, ...issues.slice(0, 5).map((i) => i['number'] as number)].map(
        (n) => `${r}/issues/${n}/timeline`,
      ),
    );
    cases.set('/repos/{owner}/{repo}/issues', [
      `${r}/issues?state=all&sort=updated&direction=desc&per_page=100`,
    ]);
    cases.set(
      '/repos/{owner}/{repo}/issues/{issue_number}',
      issues.slice(0, 5).map((i) => `${r}/issues/${String(i['number'])}`),
    );
    cases.set('/repos/{owner}/{repo}/deployments', [`${r}/deployments?per_page=100`]);
    cases.set(
      '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      deployments.slice(0, 5).map((d) => `${r}/deployments/${String(d['id'])}/statuses`),
    );
    cases.set('/repos/{owner}/{repo}/releases', [`${r}/releases?per_page=100`]);
    cases.set('/repos/{owner}/{repo}/actions/runs', [
      `${r}/actions/runs?branch=main&status=success&event=push&per_page=100`,
    ]);
    cases.set(
      '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
      runs.slice(0, 5).map((x) => `${r}/actions/runs/${String(x['id'])}/artifacts`),
    );
    for (const part of ['status', 'check-runs'])
      cases.set(
        `/repos/{owner}/{repo}/commits/{ref}/${part}`,
        runs.slice(0, 5).map((x) => `${r}/commits/${String(x['head_sha'])}/${part}`),
      );
  });

  afterAll(async () => {
    await sb.close();
  });

  it('covers every JSON route the collector calls', () => {
    // the artifact download answers with a zip (a redirect to blob storage), not JSON
    const json = routesPulseCalls().filter((r) => !r.endsWith('/{archive_format}'));
    expect(json.length).toBeGreaterThanOrEqual(17);
    expect([...cases.keys()].sort()).toEqual(json);
  });

  it('every answer matches the route’s 200 response schema', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [route, paths] of cases) {
      expect(paths.length).toBeGreaterThan(0);
      const schema = responseSchema(route);
      for (const path of paths) {
        const body = await get(path);
        checked++;
        for (const p of checkAgainst(schema, body).slice(0, 5)) problems.push(`GET ${path} ${p}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });

  it('the check finds a missing required field, a wrong type and a null where none is allowed', async () => {
    const pull = (await get(`/repos/${repo}/pulls?state=all&per_page=1`)) as Json[];
    const broken = structuredClone(pull);
    delete broken[0]!['number'];
    (broken[0]!['user'] as Json)['login'] = 42;
    broken[0]!['created_at'] = null;
    const problems = checkAgainst(responseSchema('/repos/{owner}/{repo}/pulls'), broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        '$[0].number: required, missing',
        '$[0].user.login: expected string, got number',
        '$[0].created_at: is null, not nullable',
      ]),
    );
  });
});
