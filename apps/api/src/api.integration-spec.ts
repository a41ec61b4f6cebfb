import { DataSource } from 'typeorm';
import { ConnectionEntity, SecretBox } from '@pulse/db';
import { KPI_DEFINITIONS, syncSchedulerId } from '@pulse/contracts';
import { DATABASE_KINDS } from '../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../test/api-harness';

describe.each(DATABASE_KINDS)('API on %s', (kind) => {
  let api: ApiHarness;
  beforeAll(async () => {
    // 127.0.0.1:9 stands for a GitHub Enterprise an admin allowed on the private network
    // A long first delay: on a loaded machine the 6th guess may come more than a second after
    // the 5th (each failure is also written to the audit trail), and must still be held back.
    api = await startApi(kind, {
      LOGIN_RATE_LIMIT: '5',
      LOGIN_BACKOFF_BASE_MS: '600000',
      PULSE_ALLOWED_UPSTREAM_HOSTS: '127.0.0.1:9',
    });
  });
  afterAll(() => api.close());

  it('reports database and Redis health, with details for signed-in users only', async () => {
    const anonymous = await api.http().get('/health').expect(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const res = await agent.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database).toEqual({
      status: 'up',
      type: kind === 'sqlite' ? 'better-sqlite3' : 'postgres',
    });
    expect(res.body.info.redis.status).toBe('up');
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await api.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/engagements',
        '/api/engagements/{id}/connections/{kind}',
      ]),
    );
    const page = await api.http().get('/api/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger');
  });

  it('answers 401 on every /api route but login when there is no session', async () => {
    const doc = (await api.http().get('/api/docs/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    // Routes whose credential is a token of their own: a vendor share link (unknown → 404)
    // or a coverage upload token (missing → 401).
    const ownToken: Record<string, number> = {
      'get /api/share/{token}': 404,
      'get /api/share/{token}/kpis/{key}/drill-down': 404,
      'post /api/engagements/{id}/coverage': 401,
      // An invitation link is its own credential: unknown → 404; accepting needs a body → 400.
      'get /api/invitations/{token}': 404,
      'post /api/invitations/{token}': 400,
      // Which sign-in methods exist is public; SSO routes are 404 while OIDC is not configured.
      'get /api/auth/methods': 200,
      'get /api/auth/oidc/login': 404,
      'get /api/auth/oidc/callback': 404,
      // Slack's signed requests: refused (403) while no signing secret is configured.
      'post /api/slack/commands': 403,
      'post /api/slack/events': 403,
    };
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (!path.startsWith('/api/') || path === '/api/auth/login') continue;
        const url = path
          .replace('{id}', '00000000-0000-4000-8000-000000000000')
          .replace('{linkId}', '00000000-0000-4000-8000-000000000001')
          .replace('{kind}', 'github')
          .replace('{key}', 'delivery.prs_merged')
          .replace('{token}', 'x'.repeat(43));
        const res = await (
          api.http() as unknown as Record<string, (u: string) => Promise<{ status: number }>>
        )[method]!(url);
        const route = `${method} ${path}`;
        expect({ route, status: res.status }).toEqual({ route, status: ownToken[route] ?? 401 });
        checked.push(route);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(25);
    expect(checked).toEqual(expect.arrayContaining(Object.keys(ownToken)));
  });

  it('signs in with an HTTP-only SameSite=Lax cookie, and signs out', async () => {
    const res = await api.http().post('/api/auth/login').send(ADMIN).expect(200);
    expect(res.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
    expect(res.body.passwordHash).toBeUndefined();
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/pulse_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    await agent.get('/api/auth/me').expect(200);
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/auth/me').expect(401);
  });

  it('rejects wrong passwords and unknown accounts alike, then rate limits', async () => {
    const wrong = await api
      .http()
      .post('/api/auth/login')
      .send({ email: 'nobody@pulse.test', password: 'x' })
      .expect(401);
    expect(wrong.body.message).toBe('Wrong email or password');
    const badBody = await api.http().post('/api/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(badBody.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['email', 'password']),
    );
    let last = 0;
    for (let i = 0; i < 6; i++) {
      last = (
        await api
          .http()
          .post('/api/auth/login')
          .send({ email: 'victim@pulse.test', password: `guess-${i}` })
      ).status;
    }
    expect(last).toBe(429);
  });

  it('creates, reads, updates and deletes an engagement with its schedule and default thresholds', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const created = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: 'Payments rewrite',
      reportingTimeZone: 'America/Chicago',
      syncCron: '*/30 * * * *',
      clientCalendar: {
        timeZone: 'America/Chicago',
        weekdays: [1, 2, 3, 4, 5],
        start: '09:00',
        end: '18:00',
        holidays: [],
      },
      vendorCalendar: { timeZone: 'Asia/Manila', holidays: ['2026-12-25', '2026-12-30'] },
      settings: { bugTypes: ['Bug'] },
    });
    const scheduler = await api.syncQueue.getJobScheduler(syncSchedulerId(id));
    expect(scheduler).toMatchObject({ pattern: '*/30 * * * *', tz: 'America/Chicago' });

    const thresholds = await agent.get(`/api/engagements/${id}/thresholds`).expect(200);
    const withDefaults = KPI_DEFINITIONS.filter((d) => d.defaultThreshold);
    expect(thresholds.body).toHaveLength(withDefaults.length);
    expect(thresholds.body).toContainEqual({
      kpiKey: 'delivery.pr_cycle_time',
      warn: 72,
      breach: 168,
      minN: null,
    });

    const list = await agent.get('/api/engagements').expect(200);
    expect(list.body.map((e: { id: string }) => e.id)).toContain(id);

    const patched = await agent
      .patch(`/api/engagements/${id}`)
      .send({ name: 'Payments v2', syncCron: '0 * * * *', reportingTimeZone: 'Europe/Berlin' })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Payments v2',
      syncCron: '0 * * * *',
      reportingTimeZone: 'Europe/Berlin',
    });
    expect(await api.syncQueue.getJobScheduler(syncSchedulerId(id))).toMatchObject({
      pattern: '0 * * * *',
      tz: 'Europe/Berlin',
    });

    await agent.delete(`/api/engagements/${id}`).expect(204);
    await agent.get(`/api/engagements/${id}`).expect(404);
    expect(await api.syncQueue.getJobScheduler(syncSchedulerId(id))).toBeUndefined();
  });

  it('names the offending field of a bad request', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const res = await agent
      .post('/api/engagements')
      .send(
        anEngagementBody({
          clientCalendar: { timeZone: 'Mars/Olympus', start: '25:00' },
          syncCron: 'every day',
          extra: 1,
        }),
      )
      .expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['clientCalendar.timeZone', 'clientCalendar.start', 'syncCron', 'extra']),
    );
    expect(res.body.message).toContain('Mars/Olympus');
    await agent.get('/api/engagements/not-a-uuid').expect(400);
    const order = await agent
      .post('/api/engagements')
      .send(anEngagementBody({ vendorCalendar: { timeZone: 'Asia/Manila', start: '18:00', end: '09:00' } }))
      .expect(400);
    expect(order.body.details).toEqual([
      { field: 'vendorCalendar.end', message: 'end must be later than start' },
    ]);
  });

  it('stores connection secrets encrypted and never returns them', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: engagement } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const secret = 'ghp_super_secret_token_value_1234567890';
    await agent
      .put(`/api/engagements/${engagement.id}/connections/github`)
      .send({ settings: { repos: ['not a repo'] }, secret })
      .expect(400)
      .expect((r) => expect(r.body.details[0].field).toBe('settings.repos.0'));
    await agent
      .put(`/api/engagements/${engagement.id}/connections/github`)
      .send({ settings: { baseUrl: 'http://127.0.0.1:9/github/api/v3', repos: ['acme/payments'] } })
      .expect(400)
      .expect((r) => expect(r.body.details[0].field).toBe('secret'));
    const put = await agent
      .put(`/api/engagements/${engagement.id}/connections/github`)
      .send({ settings: { baseUrl: 'http://127.0.0.1:9/github/api/v3/', repos: ['acme/payments'] }, secret })
      .expect(200);
    expect(put.body).toMatchObject({
      kind: 'github',
      hasSecret: true,
      settings: {
        baseUrl: 'http://127.0.0.1:9/github/api/v3',
        repos: ['acme/payments'],
        coverageArtifactPattern: 'coverage*',
      },
    });
    const responses = [
      put.text,
      (await agent.get(`/api/engagements/${engagement.id}/connections/github`).expect(200)).text,
      (await agent.get(`/api/engagements/${engagement.id}/connections`).expect(200)).text,
    ];
    for (const text of responses) expect(text).not.toContain(secret);
    expect(responses.join()).not.toMatch(/ciphertext|v1\./);

    // Updating settings without a secret keeps the stored one.
    await agent
      .put(`/api/engagements/${engagement.id}/connections/github`)
      .send({
        settings: { baseUrl: 'http://127.0.0.1:9/github/api/v3', repos: ['acme/payments', 'acme/web'] },
      })
      .expect(200);
    const row = await api.app
      .get(DataSource)
      .getRepository(ConnectionEntity)
      .createQueryBuilder('c')
      .addSelect('c.secretCiphertext')
      .where('c.engagement_id = :id', { id: engagement.id })
      .getOneOrFail();
    expect(row.secretCiphertext).not.toContain(secret);
    expect(api.app.get(SecretBox).decrypt(row.secretCiphertext!)).toBe(secret);

    await agent.put(`/api/engagements/${engagement.id}/connections/teams`).send({ settings: {} }).expect(400);
    await agent.delete(`/api/engagements/${engagement.id}/connections/github`).expect(204);
    await agent.get(`/api/engagements/${engagement.id}/connections/github`).expect(404);
  });

  it('keeps managers to their own engagements', async () => {
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: adminsOwn } = await admin
      .post('/api/engagements')
      .send(anEngagementBody({ name: 'Admin only' }))
      .expect(201);
    const { user, password } = await api.createUser('manager');
    const manager = await api.signIn(user.email, password);
    const { body: mine } = await manager
      .post('/api/engagements')
      .send(anEngagementBody({ name: 'Mine' }))
      .expect(201);
    const list = await manager.get('/api/engagements').expect(200);
    expect(list.body.map((e: { name: string }) => e.name)).toEqual(['Mine']);
    await manager.get(`/api/engagements/${adminsOwn.id}`).expect(404);
    await manager.patch(`/api/engagements/${adminsOwn.id}`).send({ name: 'hijacked' }).expect(404);
    await manager.get(`/api/engagements/${adminsOwn.id}/connections`).expect(404);
    await admin.get(`/api/engagements/${mine.id}`).expect(200);
    await manager.get('/admin/queues').expect(403);
  });

  it('replaces the roster and refuses an identity linked twice', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: e } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const people = [
      {
        displayName: 'Ana (client)',
        email: 'Ana@Client.example',
        side: 'client',
        identities: { github: ['ana'], slack: ['U01ANA'] },
      },
      { displayName: 'Ben (vendor)', side: 'vendor', identities: { github: ['ben'], jira: ['acc-ben'] } },
    ];
    const put = await agent.put(`/api/engagements/${e.id}/people`).send({ people }).expect(200);
    expect(put.body).toHaveLength(2);
    expect(put.body[0]).toMatchObject({
      displayName: 'Ana (client)',
      email: 'ana@client.example',
      isBot: false,
    });
    const dup = await agent
      .put(`/api/engagements/${e.id}/people`)
      .send({
        people: [...people, { displayName: 'Ana again', side: 'vendor', identities: { github: ['ANA'] } }],
      })
      .expect(400);
    expect(dup.body.details[0].field).toBe('people.2.identities.github');
    // Keeping one person by id, dropping the other.
    const kept = await agent
      .put(`/api/engagements/${e.id}/people`)
      .send({ people: [{ ...people[1], id: put.body[1].id }] })
      .expect(200);
    expect(kept.body).toEqual([expect.objectContaining({ id: put.body[1].id, displayName: 'Ben (vendor)' })]);
    await agent
      .put(`/api/engagements/${e.id}/people`)
      .send({ people: [{ displayName: 'X', side: 'both', identities: {} }] })
      .expect(400);
  });

  it('edits thresholds and checks their order against the KPI direction', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: e } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const ok = await agent
      .put(`/api/engagements/${e.id}/thresholds`)
      .send({
        thresholds: [
          { kpiKey: 'coverage.line', warn: 80, breach: 60 },
          { kpiKey: 'delivery.prs_merged', warn: 5, breach: null },
        ],
      })
      .expect(200);
    expect(ok.body).toContainEqual({ kpiKey: 'coverage.line', warn: 80, breach: 60, minN: null });
    expect(ok.body).toContainEqual({ kpiKey: 'delivery.prs_merged', warn: 5, breach: null, minN: null });
    const wrongOrder = await agent
      .put(`/api/engagements/${e.id}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 100, breach: 50 }] })
      .expect(400);
    expect(wrongOrder.body.details[0].field).toBe('thresholds.0.breach');
    await agent
      .put(`/api/engagements/${e.id}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'made.up', warn: 1, breach: 2 }] })
      .expect(400);
  });

  it('enqueues one sync while one is queued, says so, and lists the run', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: e } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const first = await agent.post(`/api/engagements/${e.id}/sync`).expect(202);
    const second = await agent.post(`/api/engagements/${e.id}/sync`).expect(202);
    expect(first.body).toMatchObject({ created: true, reason: null });
    expect(first.body.run).toMatchObject({ status: 'queued', trigger: 'manual' });
    // Pressed again while the first is queued: the same run, and the answer says so.
    expect(second.body).toMatchObject({ created: false, run: { id: first.body.run.id } });
    expect(second.body.reason).toMatch(/already queued/);
    const job = await api.syncQueue.getJob(first.body.run.jobId);
    expect(job?.data).toMatchObject({ engagementId: e.id, trigger: 'manual' });
    const runs = await agent.get(`/api/engagements/${e.id}/sync-runs`).expect(200);
    expect(runs.body.map((r: { id: string }) => r.id)).toEqual([first.body.run.id]);
  });

  it('gates Bull Board to admins and exposes queue depth metrics', async () => {
    await api.http().get('/admin/queues').expect(401);
    const admin = await api.signIn(ADMIN.email, ADMIN.password);
    const board = await admin.get('/admin/queues').expect(200);
    expect(board.text).toMatch(/<html/i);
    await api.http().get('/metrics').expect(401);
    const metrics = await admin.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/pulse_queue_jobs\{queue="sync",state="waiting"\} \d+/);
  });
});
