import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ShareLinkEntity } from '@pulse/db';
import { QUEUE_ROLLUP } from '@pulse/contracts';
import { Queue } from 'bullmq';
import { redisOptionsFrom } from '@pulse/db';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

const cobertura = readFileSync(
  join(__dirname, '../../../../libs/connectors/src/coverage/__fixtures__/coveragepy-y-branch.cobertura.xml'),
);

describe('vendor share links and coverage uploads', () => {
  let api: ApiHarness;
  let engagementId: string;
  beforeAll(async () => {
    api = await startApi('postgres');
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    engagementId = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id;
    await agent
      .put(`/api/engagements/${engagementId}/people`)
      .send({
        people: [
          {
            displayName: 'Ana',
            email: 'ana@client.example',
            side: 'client',
            identities: { github: ['ana'] },
          },
        ],
      })
      .expect(200);
  });
  afterAll(() => api.close());

  it('shows only the shared families, read-only, and nothing private', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const created = await agent
      .post(`/api/engagements/${engagementId}/share-links`)
      .send({ families: ['delivery', 'coverage'] })
      .expect(201);
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.url).toBe(`/share/${created.body.token}`);
    const listed = await agent.get(`/api/engagements/${engagementId}/share-links`).expect(200);
    expect(listed.body[0].token).toBeUndefined();

    const view = await api.http().get(`/api/share/${created.body.token}`).expect(200);
    expect(view.body.engagement).toEqual({
      name: 'Payments rewrite',
      vendorName: 'Manila Dev Co',
      reportingTimeZone: 'America/Chicago',
    });
    expect(new Set(view.body.kpis.kpis.map((k: { family: string }) => k.family))).toEqual(
      new Set(['delivery', 'coverage']),
    );
    for (const secretish of ['ana@client.example', 'ownerId', 'settings', 'clientCalendar', engagementId]) {
      expect(view.text).not.toContain(secretish);
    }
    // The share token opens nothing else.
    await api
      .http()
      .get(`/api/engagements/${engagementId}`)
      .set('Authorization', `Bearer ${created.body.token}`)
      .expect(401);
    await api.http().get(`/api/share/${created.body.token}/kpis/delivery.prs_merged/drill-down`).expect(404);
  });

  it('serves a kept view with its ETag, and shows an engagement or threshold edit at the next request', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { token } = (
      await agent
        .post(`/api/engagements/${engagementId}/share-links`)
        .send({ families: ['delivery'] })
        .expect(201)
    ).body as { token: string };
    const first = await api.http().get(`/api/share/${token}`).expect(200);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    await api.http().get(`/api/share/${token}`).set('If-None-Match', etag).expect(304);
    const zipped = await api.http().get(`/api/share/${token}`).set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.engagement.name).toBe(first.body.engagement.name);

    await agent
      .patch(`/api/engagements/${engagementId}`)
      .send({ name: 'Payments rewrite, phase 2' })
      .expect(200);
    const renamed = await api.http().get(`/api/share/${token}`).set('If-None-Match', etag).expect(200);
    expect(renamed.body.engagement.name).toBe('Payments rewrite, phase 2');
    const threshold = (body: { kpis: { kpis: { key: string; threshold: unknown }[] } }) =>
      body.kpis.kpis.find((k) => k.key === 'delivery.pr_cycle_time')?.threshold;
    await agent
      .put(`/api/engagements/${engagementId}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 30, breach: 90 }] })
      .expect(200);
    expect(threshold((await api.http().get(`/api/share/${token}`).expect(200)).body)).toEqual({
      warn: 30,
      breach: 90,
    });
    await agent.patch(`/api/engagements/${engagementId}`).send({ name: 'Payments rewrite' }).expect(200);
  });

  it('refuses revoked, expired and unknown links', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const revoked = (await agent.post(`/api/engagements/${engagementId}/share-links`).send({}).expect(201))
      .body;
    await api.http().get(`/api/share/${revoked.token}`).expect(200);
    await agent.delete(`/api/engagements/${engagementId}/share-links/${revoked.id}`).expect(204);
    const gone = await api.http().get(`/api/share/${revoked.token}`).expect(410);
    expect(gone.body.message).toMatch(/no longer valid/);

    const expiring = (
      await agent
        .post(`/api/engagements/${engagementId}/share-links`)
        .send({ expiresAt: '2099-01-01T00:00:00Z' })
        .expect(201)
    ).body;
    await api.app
      .get(DataSource)
      .getRepository(ShareLinkEntity)
      .update({ id: expiring.id }, { expiresAt: Date.now() - 1000 });
    await api.http().get(`/api/share/${expiring.token}`).expect(410);

    await api
      .http()
      .get(`/api/share/${'y'.repeat(43)}`)
      .expect(404);
    await agent
      .post(`/api/engagements/${engagementId}/share-links`)
      .send({ families: ['gossip'] })
      .expect(400);
    await agent
      .post(`/api/engagements/${engagementId}/share-links`)
      .send({ expiresAt: '2001-01-01T00:00:00Z' })
      .expect(400);
  });

  it('accepts a coverage report with the upload token, and only with it', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { token } = (await agent.post(`/api/engagements/${engagementId}/upload-token`).expect(201)).body;
    const upload = (auth: string, report: Buffer = cobertura) =>
      api
        .http()
        .post(`/api/engagements/${engagementId}/coverage`)
        .set('Authorization', auth)
        .field('repo', 'acme/payments')
        .field('branch', 'main')
        .field('sha', 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0')
        .field('committedAt', '2026-11-18T10:00:00Z')
        .attach('report', report, 'coverage.xml');

    await upload('Bearer pulse_up_wrong').expect(401);
    const bad = await upload(`Bearer ${token}`, Buffer.from('<coverage><packages>')).expect(400);
    expect(bad.body.details[0].field).toBe('report');

    const ok = await upload(`Bearer ${token}`).expect(201);
    // The fixture's known answer: lines 4/5 = 80 %, branches 1/2.
    expect(ok.body).toMatchObject({
      linesCovered: 4,
      linesValid: 5,
      lineRate: 80,
      branchesCovered: 1,
      branchesValid: 2,
      isDefaultBranch: true,
    });
    await upload(`Bearer ${token}`).expect(201); // same commit again: an upsert, not a second sample
    const samples = await agent.get(`/api/engagements/${engagementId}/coverage`).expect(200);
    expect(samples.body).toHaveLength(1);

    const rollups = new Queue(QUEUE_ROLLUP, {
      connection: redisOptionsFrom(api.config.REDIS_URL),
      prefix: api.config.QUEUE_PREFIX,
    });
    const jobs = await rollups.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data)).toContainEqual({ engagementId, weeks: ['2026-11-16'] });
    await rollups.close();

    // Rotating the token retires the old one.
    await agent.post(`/api/engagements/${engagementId}/upload-token`).expect(201);
    await upload(`Bearer ${token}`).expect(401);
  });
});
