import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ConnectionEntity,
  createDataSource,
  EngagementEntity,
  MIGRATIONS,
  UserEntity,
  WorkItemEntity,
} from '@pulse/db';
import { DATABASE_KINDS, newDatabaseConfig } from '../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../test/api-harness';
import { syncedConnectionRow } from '../../../test/connection-rows';

// Sign-ins (scrypt) and API start-ups are slow on a loaded 2-core machine.
jest.setTimeout(180_000);

const PUBLIC_URL = 'https://pulse.example.test';
const METRICS_TOKEN = randomBytes(24).toString('hex');

describe.each(DATABASE_KINDS)('HTTP edge on %s', (kind) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(kind, { PULSE_METRICS_TOKEN: METRICS_TOKEN });
  }, 180_000);
  afterAll(() => api.close());

  it('refuses the ReDoS bug label pattern and matches bug label lists exactly', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const e = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body as {
      id: string;
      settings: { bugLabels: string[] };
    };
    expect(e.settings.bugLabels).toEqual(['bug', 'defect', 'regression']);
    const redos = await agent
      .patch(`/api/engagements/${e.id}`)
      .send({ settings: { bugLabelPattern: '^(\\w*){16}!$' } })
      .expect(400);
    expect(redos.body.details).toEqual([
      { field: 'settings.bugLabelPattern', message: expect.stringMatching(/replaced by bugLabels/) },
    ]);
    await agent
      .patch(`/api/engagements/${e.id}`)
      .send({ settings: { bugLabels: ['Crash', '(\\w*){16}!'] } })
      .expect(200);

    const now = Date.now();
    const issue = (key: string, labels: string[]): WorkItemEntity => ({
      id: randomUUID(),
      engagementId: e.id,
      key,
      source: 'github',
      type: 'issue',
      isSubtask: false,
      priority: null,
      statusCategory: 'todo',
      createdAt: now - 86_400_000,
      updatedAt: now - 86_400_000,
      reopenedAt: null,
      resolvedAt: null,
      resolution: null,
      reporterId: null,
      assigneeId: null,
      storyPoints: null,
      labels,
      environment: null,
      isBug: null,
      isEscaped: null,
      transitions: [],
      comments: [],
      url: null,
    });
    await api.app
      .get(DataSource)
      .getRepository(WorkItemEntity)
      .insert([
        issue('acme/app#1', ['crash']),
        issue('acme/app#2', ['bug']),
        issue('acme/app#3', ['crash-report']),
        // As a regular expression this label would take hours against the stored pattern.
        issue('acme/app#4', [`${'a'.repeat(40)}`]),
      ]);
    // The GitHub source has synced (a count is a value only then), so the drill-down lists
    // the bugs opened in the trailing window as the engagement's label list defines them.
    await api.app
      .get(DataSource)
      .getRepository(ConnectionEntity)
      .insert(
        syncedConnectionRow(e.id, 'github', now, {
          baseUrl: 'https://api.github.com',
          repos: ['acme/app'],
        }),
      );
    const bugs = await agent.get(`/api/engagements/${e.id}/kpis/quality.bugs_opened/drill-down`).expect(200);
    expect(bugs.body.rows.map((b: { id: string }) => b.id)).toEqual(['acme/app#1']);
    expect(bugs.body.n).toBe(1);
  });

  it('accepts JSON only for state changes (multipart only for the coverage upload)', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const form = await agent.post('/api/engagements').type('form').send('name=x&vendorName=y').expect(415);
    expect(form.body.message).toMatch(/Content-Type: application\/json/);
    await agent
      .post('/api/auth/login')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(ADMIN))
      .expect(415);
    const upload = await api
      .http()
      .post(`/api/engagements/${randomUUID()}/coverage`)
      .set('Content-Type', 'application/json')
      .send('{}')
      .expect(415);
    expect(upload.body.message).toMatch(/multipart\/form-data/);
  });

  it('refuses cross-site state changes, sign-in included, and allows its own origin', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    await agent
      .post('/api/engagements')
      .set('Origin', 'https://evil.example')
      .send(anEngagementBody())
      .expect(403);
    await agent
      .post('/api/engagements')
      .set('Sec-Fetch-Site', 'cross-site')
      .send(anEngagementBody())
      .expect(403);
    await api.http().post('/api/auth/login').set('Origin', 'null').send(ADMIN).expect(403);
    await api.http().post('/api/auth/login').set('Origin', 'https://evil.example').send(ADMIN).expect(403);
    await agent
      .post('/api/engagements')
      .set('Host', 'pulse.internal:8080')
      .set('Origin', 'http://pulse.internal:8080')
      .send(anEngagementBody())
      .expect(201);
  });

  it('sends security headers', async () => {
    const res = await api.http().get('/health').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('keeps /health terse and /metrics behind the metrics token or an admin', async () => {
    expect((await api.http().get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const detailed = await api.http().get('/health').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(detailed.body.info.redis.status).toBe('up');
    await api.http().get('/metrics').expect(401);
    await api.http().get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token').expect(401);
    const { user, password } = await api.createUser('manager');
    const manager = await api.signIn(user.email, password);
    await manager.get('/metrics').expect(403);
    const metrics = await api
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(metrics.text).toMatch(/pulse_queue_jobs/);
  });

  it('migrates stored bug label patterns into label lists', async () => {
    const config = await newDatabaseConfig(kind);
    const names = MIGRATIONS.map((m) => m.name);
    const mine = names.indexOf('BugLabelLists1795410000000');
    const before = createDataSource(config);
    before.setOptions({ migrations: MIGRATIONS.slice(0, mine) });
    await before.initialize();
    await before.runMigrations();
    const owner = randomUUID();
    await before.getRepository(UserEntity).insert({
      id: owner,
      email: `${owner}@pulse.test`,
      displayName: 'o',
      passwordHash: 'x',
      role: 'manager',
      disabled: false,
      createdAt: 1,
      updatedAt: 1,
    });
    const row = (id: string, settings: Record<string, unknown>) => ({
      id,
      name: id,
      vendorName: 'v',
      reportingTimeZone: 'UTC',
      clientCalendar: { timeZone: 'UTC', weekdays: [1], start: '09:00', end: '18:00', holidays: [] },
      vendorCalendar: { timeZone: 'UTC', weekdays: [1], start: '09:00', end: '18:00', holidays: [] },
      syncCron: '*/30 * * * *',
      settings: settings as unknown as EngagementEntity['settings'],
      ownerId: owner,
      createdAt: 1,
      updatedAt: 1,
    });
    const [simple, hostile] = [randomUUID(), randomUUID()];
    await before
      .getRepository(EngagementEntity)
      .insert([
        row(simple, { bugTypes: ['Bug'], bugLabelPattern: '^(crash|p0)$' }),
        row(hostile, { bugTypes: ['Defect'], bugLabelPattern: '^(\\w*){16}!$' }),
      ]);
    await before.destroy();

    const after = createDataSource(config);
    await after.initialize();
    try {
      await after.runMigrations();
      const repo = after.getRepository(EngagementEntity);
      expect((await repo.findOneByOrFail({ id: simple })).settings).toEqual({
        bugTypes: ['Bug'],
        bugLabels: ['crash', 'p0'],
      });
      expect((await repo.findOneByOrFail({ id: hostile })).settings).toEqual({
        bugTypes: ['Defect'],
        bugLabels: ['bug', 'defect', 'regression'],
      });
    } finally {
      await after.destroy();
    }
  });
});

describe('HTTP edge behind an https public URL', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('sqlite', { PULSE_PUBLIC_URL: PUBLIC_URL });
  }, 180_000);
  afterAll(() => api.close());

  it('accepts sign-in from the public origin and makes the session cookie Secure', async () => {
    const res = await api
      .http()
      .post('/api/auth/login')
      .set('Origin', PUBLIC_URL)
      .set('Sec-Fetch-Site', 'same-origin')
      .send(ADMIN)
      .expect(200);
    expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    await api
      .http()
      .post('/api/auth/login')
      .set('Origin', 'http://pulse.example.test.evil')
      .send(ADMIN)
      .expect(403);
  });
});
