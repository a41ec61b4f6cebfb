// The settings form's pickers and connector descriptions through the real API (Nest,
// auth, zod, outbound policy) and the real jira-client against the sandbox's Jira.
import { startSandbox } from '../../../sandbox/src';
import type { RunningSandbox } from '../../../sandbox/src/sandbox.types';
import type { ConnectionPickerDto, ConnectorDescriptionDto } from '@pulse/contracts';
import { DATABASE_KINDS } from '../../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

const NOW = '2026-11-20T12:00:00.000Z';

describe.each(DATABASE_KINDS)('connection settings pickers on %s', (kind) => {
  jest.setTimeout(180_000);
  let sb: RunningSandbox;
  let api: ApiHarness;
  let site: { siteUrl: string; projectKey: string; boardId: number };
  let creds: { email: string; apiToken: string };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: NOW, jiraFlavours: { steady: 'cloud' } });
    api = await startApi(kind, { PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sb.url).host });
    const m = sb.manifest({ counts: false });
    site = m.scenarios.steady.jira;
    creds = m.credentials.jira;
  });
  afterAll(async () => {
    await api?.close();
    await sb?.close();
  });
  afterEach(() => sb.setFaults({ jira: {} }));

  async function anEngagement() {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    return { agent, id: body.id as string };
  }
  const draft = (over: Record<string, unknown> = {}) => ({
    baseUrl: site.siteUrl,
    email: creds.email,
    projectKeys: [site.projectKey],
    ...over,
  });

  it('describes every kind’s form, with the Jira pickers, and documents the new routes', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const forms = (await agent.get('/api/connectors').expect(200)).body as ConnectorDescriptionDto[];
    expect(forms.map((f) => f.kind)).toEqual(['github', 'jira', 'slack']);
    const jira = forms.find((f) => f.kind === 'jira')!;
    expect(jira.secretLabel).toMatch(/API token/);
    expect(jira.fields.find((f) => f.name === 'projectKeys')).toMatchObject({
      kind: 'list',
      required: true,
      pickFrom: 'projects',
    });
    expect(jira.fields.find((f) => f.name === 'deployment')?.choices).toEqual([
      'auto',
      'cloud',
      'datacenter',
    ]);
    await api.http().get('/api/connectors').expect(401);
    const doc = (await api.http().get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/connectors',
        '/api/engagements/{id}/connections/{kind}/options/{picker}',
      ]),
    );
  });

  it('reads projects with the typed token, then boards with the saved one', async () => {
    const { agent, id } = await anEngagement();
    const projects = (
      await agent
        .post(`/api/engagements/${id}/connections/jira/options/projects`)
        .send({ settings: draft({ projectKeys: [] }), secret: creds.apiToken })
        .expect(200)
    ).body as ConnectionPickerDto;
    expect(projects.picker).toBe('projects');
    expect(projects.truncated).toBe(false);
    expect(projects.options.map((o) => o.value)).toContain(site.projectKey);
    expect(JSON.stringify(projects)).not.toContain(creds.apiToken);

    // nothing saved yet: without a token there is none to use
    const none = await agent
      .post(`/api/engagements/${id}/connections/jira/options/boards`)
      .send({ settings: draft() })
      .expect(400);
    expect(none.body.details).toEqual([
      { field: 'secret', message: expect.stringMatching(/enter the API token/) },
    ]);

    await agent
      .put(`/api/engagements/${id}/connections/jira`)
      .send({ settings: draft(), secret: creds.apiToken })
      .expect(200);
    const boards = (
      await agent
        .post(`/api/engagements/${id}/connections/jira/options/boards`)
        .send({ settings: draft() })
        .expect(200)
    ).body as ConnectionPickerDto;
    expect(boards.options.map((o) => o.value)).toEqual([String(site.boardId)]);
    const fields = (
      await agent
        .post(`/api/engagements/${id}/connections/jira/options/fields`)
        .send({ settings: draft() })
        .expect(200)
    ).body as ConnectionPickerDto;
    expect(fields.options[0]?.value).toBe('customfield_10016');
    const types = (
      await agent
        .post(`/api/engagements/${id}/connections/jira/options/issueTypes`)
        .send({ settings: draft() })
        .expect(200)
    ).body as ConnectionPickerDto;
    expect(types.options.map((o) => o.value)).toContain('Bug');

    // the saved token never goes to another host than the one it was saved for
    const moved = await agent
      .post(`/api/engagements/${id}/connections/jira/options/projects`)
      .send({ settings: draft({ baseUrl: 'https://jira.pulse-test.invalid' }) })
      .expect(400);
    expect(moved.body.details).toEqual([{ field: 'secret', message: expect.stringMatching(/another host/) }]);
  });

  it('maps the source’s failures to 4xx with their class, never a 5xx', async () => {
    const { agent, id } = await anEngagement();
    const post = (picker: string, body: Record<string, unknown>) =>
      agent.post(`/api/engagements/${id}/connections/jira/options/${picker}`).send(body);

    const auth = await post('projects', { settings: draft(), secret: 'wrong-token' }).expect(422);
    expect(auth.body).toMatchObject({
      class: 'auth',
      message: expect.stringMatching(/^Jira rejected the credentials/),
    });

    sb.setFaults({ jira: { forbidden: true } });
    const forbidden = await post('fields', { settings: draft(), secret: creds.apiToken }).expect(422);
    expect(forbidden.body).toMatchObject({ class: 'forbidden', message: expect.stringMatching(/\(403\)/) });

    sb.setFaults({ jira: {} }); // knobs merge: clear the 403 first
    sb.setFaults({ jira: { rateLimitRate: 1, retryAfterSeconds: 600 } });
    const limited = await post('fields', { settings: draft(), secret: creds.apiToken }).expect(429);
    expect(limited.body).toMatchObject({ class: 'rate_limited', retryAfter: expect.any(String) });
    sb.setFaults({ jira: {} });

    const missing = await post('issueTypes', {
      settings: draft({ projectKeys: ['NOPE'] }),
      secret: creds.apiToken,
    });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      class: 'not_found',
      message: expect.stringContaining('project NOPE'),
    });

    const wrongDeployment = await post('projects', {
      settings: draft({ deployment: 'datacenter' }),
      secret: creds.apiToken,
    }).expect(422);
    expect(wrongDeployment.body).toMatchObject({
      class: 'invalid_config',
      message: expect.stringMatching(/^The site is Jira Cloud, but the connection says Data Center/),
    });

    const unreachable = await post('projects', {
      settings: draft({ baseUrl: 'https://jira.pulse-test.invalid' }),
      secret: 'token',
    }).expect(424);
    expect(unreachable.body).toMatchObject({
      class: 'unreachable',
      message: expect.stringMatching(/^cannot reach jira\.pulse-test\.invalid: host not found/),
    });
  });

  it('refuses bad input with a 400 saying what to do', async () => {
    const { agent, id } = await anEngagement();
    const post = (path: string, body: unknown) =>
      agent.post(`/api/engagements/${id}/connections/${path}`).send(body as object);

    // a host the outbound policy forbids gets no request, with or without a token
    const internal = await post('jira/options/projects', {
      settings: draft({ baseUrl: 'http://10.0.0.1/jira' }),
      secret: 'token',
    }).expect(400);
    expect(internal.body.details).toEqual([
      { field: 'settings.baseUrl', message: expect.stringMatching(/private/) },
    ]);
    const unknownPicker = await post('jira/options/teams', { settings: draft(), secret: 'x' }).expect(400);
    expect(unknownPicker.body.message).toMatch(
      /no picker "teams"; it has: projects, boards, fields, issueTypes/,
    );
    await post('github/options/projects', { settings: {}, secret: 'x' }).expect(400);
    await post('gitlab/options/projects', { settings: {}, secret: 'x' }).expect(400);
    await post('jira/options/pro..jects', { settings: {}, secret: 'x' }).expect(400);
    await post('jira/options/projects', { settings: draft(), secret: 'x', extra: 1 }).expect(400);
    await post('jira/options/projects', { secret: 'x' }).expect(400);
    const noProjects = await post('jira/options/boards', {
      settings: draft({ projectKeys: [] }),
      secret: creds.apiToken,
    }).expect(400);
    expect(noProjects.body.details).toEqual([
      { field: 'settings.projectKeys', message: expect.stringMatching(/choose the projects first/) },
    ]);
  });

  it('is for the engagement’s owner and admins only', async () => {
    const { id } = await anEngagement();
    const { user, password } = await api.createUser('manager');
    const other = await api.signIn(user.email, password);
    await other
      .post(`/api/engagements/${id}/connections/jira/options/projects`)
      .send({ settings: draft(), secret: creds.apiToken })
      .expect(404);
    await api
      .http()
      .post(`/api/engagements/${id}/connections/jira/options/projects`)
      .send({ settings: draft(), secret: creds.apiToken })
      .expect(401);
  });
});
