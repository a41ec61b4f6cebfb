// The settings pickers through the real jira-client against the sandbox's Cloud and Data
// Center flavours: what they offer, and the error classes they fail with.
import { type RunningSandbox, type ScenarioManifest, startSandbox } from '../../../../apps/sandbox/src';
import { describeConnectionKinds } from '../framework/descriptions';
import type { ConnectorPickResult } from '../framework/connector';
import { createOutboundPolicy, parseAllowedUpstreamHosts } from '../outbound';
import { jiraConnector } from './connector';

const NOW = '2026-11-20T12:00:00.000Z';
const pickers = jiraConnector.pickers!;

function options(result: ConnectorPickResult) {
  if (!result.ok) throw new Error(`picker failed: ${JSON.stringify(result)}`);
  return result.options;
}

describe.each(['cloud', 'datacenter'] as const)('Jira settings pickers on %s', (flavour) => {
  let sb: RunningSandbox;
  let site: ScenarioManifest['jira'];
  let other: ScenarioManifest['jira'];
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, jiraFlavours: { steady: flavour, slipping: flavour } });
    const m = sb.manifest({ counts: false });
    site = m.scenarios.steady.jira;
    other = m.scenarios.slipping.jira;
  });
  afterAll(() => sb?.close());
  afterEach(() => {
    sb.setFaults({ jira: {} });
    sb.clearRequests();
  });

  const draft = (over: Record<string, unknown> = {}) => {
    const creds = sb.manifest({ counts: false }).credentials.jira;
    return {
      settings: {
        baseUrl: site.siteUrl,
        ...(flavour === 'cloud' ? { email: creds.email } : {}),
        // the rest of the form may be half-filled: ignored by the pickers
        boardIds: 'not yet',
        ...over,
      },
      secret: flavour === 'cloud' ? creds.apiToken : creds.personalAccessToken,
      outbound: createOutboundPolicy({ allowedHosts: parseAllowedUpstreamHosts(new URL(sb.url).host) }),
      now: () => Date.parse(NOW),
    };
  };

  it('projects: every project of the site, by key', async () => {
    const found = options(await pickers['projects']!(draft()));
    expect(found.map((o) => o.value).sort()).toEqual([site.projectKey, other.projectKey].sort());
    expect(found.find((o) => o.value === site.projectKey)?.label).toMatch(
      new RegExp(`^${site.projectKey} — `),
    );
    const paths = sb.requests().map((r) => r.path);
    // Cloud pages /project/search; Data Center has only the plain list
    expect(paths.some((p) => p.endsWith('/rest/api/2/project/search'))).toBe(flavour === 'cloud');
  });

  it('boards: only those of the chosen projects', async () => {
    const found = options(await pickers['boards']!(draft({ projectKeys: [site.projectKey] })));
    expect(found.map((o) => o.value)).toEqual([String(site.boardId)]);
    expect(found[0]!.hint).toContain(site.projectKey);
    const both = options(
      await pickers['boards']!(draft({ projectKeys: [site.projectKey, other.projectKey] })),
    );
    expect(both.map((o) => o.value).sort()).toEqual([String(site.boardId), String(other.boardId)].sort());
  });

  it('fields: number fields only, the story points field first', async () => {
    const found = options(await pickers['fields']!(draft()));
    expect(found[0]).toMatchObject({
      value: 'customfield_10016',
      label: 'Story point estimate (customfield_10016)',
    });
    expect(found.map((o) => o.value)).not.toContain('summary');
    expect(found.map((o) => o.value)).not.toContain('customfield_10020');
  });

  it('issue types: of the chosen projects, sub-tasks marked', async () => {
    const found = options(await pickers['issueTypes']!(draft({ projectKeys: [site.projectKey] })));
    expect(found.map((o) => o.value)).toContain('Bug');
    expect(found.find((o) => o.hint?.includes('sub-task'))).toBeDefined();
    expect(new Set(found.map((o) => o.value)).size).toBe(found.length);
  });

  it('boards and issue types need projects first; a bad URL is the form’s problem', async () => {
    expect(await pickers['boards']!(draft())).toEqual({
      ok: false,
      problems: [
        { field: 'settings.projectKeys', message: expect.stringMatching(/choose the projects first/) },
      ],
    });
    const bad = await pickers['projects']!(draft({ baseUrl: 'ftp://x' }));
    expect(bad).toMatchObject({ ok: false, problems: [{ field: 'settings.baseUrl' }] });
    expect(sb.requests()).toEqual([]);
  });

  it('a wrong token is auth, a 403 is forbidden with Jira’s words, an unknown project not_found', async () => {
    const wrong = await pickers['projects']!({ ...draft(), secret: 'not-the-token' });
    expect(wrong).toMatchObject({ ok: false, error: { class: 'auth' } });
    sb.setFaults({ jira: { forbidden: true } });
    const forbidden = await pickers['fields']!(draft());
    expect(forbidden).toMatchObject({
      ok: false,
      error: { class: 'forbidden', message: expect.stringMatching(/403.*don't have access/) },
    });
    sb.setFaults({ jira: {} });
    const missing = await pickers['issueTypes']!(draft({ projectKeys: ['NOPE'] }));
    expect(missing).toMatchObject({
      ok: false,
      error: { class: 'not_found', message: expect.stringContaining('project NOPE') },
    });
  });
});

describe('Jira pickers and the outbound policy', () => {
  it('a host that does not resolve is unreachable; a host not approved gets no request', async () => {
    const outbound = createOutboundPolicy({
      allowedHosts: parseAllowedUpstreamHosts('jira.pulse-test.invalid'),
    });
    const unreachable = await jiraConnector.pickers!['projects']!({
      settings: { baseUrl: 'http://jira.pulse-test.invalid', email: 'a@example.com' },
      secret: 'token',
      outbound,
    });
    expect(unreachable).toMatchObject({
      ok: false,
      error: {
        class: 'unreachable',
        message: expect.stringMatching(/^cannot reach jira\.pulse-test\.invalid: host not found/),
      },
    });
    const refused = await jiraConnector.pickers!['projects']!({
      settings: { baseUrl: 'http://127.0.0.1:9/jira', email: 'a@example.com' },
      secret: 'token',
      outbound: createOutboundPolicy({ allowedHosts: [] }),
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        class: 'invalid_config',
        message: expect.stringMatching(/^Pulse does not send requests to 127\.0\.0\.1:9/),
      },
    });
  });

  it('the form descriptions offer only implemented pickers, and list every kind', () => {
    const forms = describeConnectionKinds();
    expect(forms.map((f) => f.kind)).toEqual(['github', 'jira', 'slack']);
    const jira = forms.find((f) => f.kind === 'jira')!;
    expect(jira.collected).toBe(true);
    expect(
      Object.fromEntries(jira.fields.filter((f) => f.pickFrom).map((f) => [f.name, f.pickFrom])),
    ).toEqual({
      projectKeys: 'projects',
      boardIds: 'boards',
      storyPointsField: 'fields',
      bugTypes: 'issueTypes',
    });
    expect(forms.find((f) => f.kind === 'github')!.fields.some((f) => f.pickFrom)).toBe(false);
    expect(forms.find((f) => f.kind === 'slack')!.fields.map((f) => f.name)).toContain('channelIds');
  });
});
