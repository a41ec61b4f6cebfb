// The `/kpis` answer is served again while nothing it depends on changed, and rebuilt the
// moment something did: stored values (a rollup), thresholds, a connection's sync state.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import {
  ConnectionEntity,
  CoverageSampleEntity,
  EngagementEntity,
  KpiValueEntity,
  ratingInputsVersion,
  ThresholdEntity,
} from '@pulse/db';
import type { EngagementKpisDto } from '@pulse/contracts';
import { DATABASE_KINDS } from '../../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { syncedConnectionRow } from '../../../../test/connection-rows';
import { KpisService } from './kpis.service';

const WEEK = 7 * 86_400_000;

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe.each(DATABASE_KINDS)('the /kpis answer on %s', (kind) => {
  let api: ApiHarness;
  let ds: DataSource;
  let agent: Awaited<ReturnType<ApiHarness['signIn']>>;
  let id: string;

  const value = (
    kpiKey: string,
    period: 'week' | 'trailing',
    bucketStart: number,
    v: number,
  ): KpiValueEntity => ({
    id: randomUUID(),
    engagementId: id,
    period,
    kpiKey,
    bucketStart,
    bucketEnd: bucketStart + (period === 'week' ? WEEK : 28 * 86_400_000),
    value: v,
    n: 12,
    dropped: 0,
    computedAt: Date.now(),
  });
  const get = (headers: Record<string, string> = {}) => {
    const req = agent.get(`/api/engagements/${id}/kpis`);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req;
  };
  const trailingOf = (body: EngagementKpisDto, key: string) => body.kpis.find((k) => k.key === key)?.current;

  beforeAll(async () => {
    api = await startApi(kind);
    ds = api.app.get(DataSource);
    agent = await api.signIn(ADMIN.email, ADMIN.password);
    id = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id as string;
    const now = Date.now();
    // GitHub synced a moment ago: its KPIs are delivered, not gaps
    await ds
      .getRepository(ConnectionEntity)
      .insert(
        syncedConnectionRow(id, 'github', now, { baseUrl: 'https://api.github.com', repos: ['acme/api'] }),
      );
    const monday = now - ((new Date(now).getUTCDay() + 6) % 7) * 86_400_000 - (now % 86_400_000);
    await ds
      .getRepository(KpiValueEntity)
      .insert([
        value('delivery.pr_cycle_time', 'week', monday - 2 * WEEK, 20),
        value('delivery.pr_cycle_time', 'week', monday - WEEK, 30),
        value('delivery.pr_cycle_time', 'trailing', now - 28 * 86_400_000, 30),
      ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is the series answer, served again with its ETag (304) and gzip while nothing changed', async () => {
    const first = await get().expect(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const body = first.body as EngagementKpisDto;
    expect(body.engagementId).toBe(id);
    expect(trailingOf(body, 'delivery.pr_cycle_time')).toMatchObject({ value: 30, status: 'ok' });

    const again = await get({ 'if-none-match': etag }).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers['etag']).toBe(etag);
    await get({ 'if-none-match': `W/"other", ${etag}` }).expect(304);
    await get({ 'if-none-match': '"something-else"' }).expect(200);

    const zipped = await get({ 'accept-encoding': 'gzip' })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('Accept-Encoding');
    const raw = zipped.body as Buffer;
    // supertest may already have inflated it; either way it is the same JSON
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    expect((JSON.parse(text) as EngagementKpisDto).engagementId).toBe(id);
  });

  it('is byte for byte what the series read answers for the same second', async () => {
    const service = api.app.get(KpisService);
    const engagement = await ds.getRepository(EngagementEntity).findOneByOrFail({ id });
    const at = Date.parse('2026-11-20T12:00:00.789Z');
    const answer = await service.seriesAnswer(engagement, undefined, undefined, at);
    const second = Math.floor(at / 1000) * 1000;
    const direct = await service.series(
      engagement,
      undefined,
      undefined,
      undefined,
      Math.floor(at / 1000) * 1000,
    );
    expect(answer.body.toString('utf8')).toBe(JSON.stringify(direct));
    // the same second, the same answer object
    expect(await service.seriesAnswer(engagement, undefined, undefined, at + 150)).toBe(answer);
    // a second later, nothing else changed: the last answer at once, this second's built meanwhile
    const next = await service.seriesAnswer(engagement, undefined, undefined, at + 1_000);
    expect(next).toBe(answer);
    await waitUntil(
      async () =>
        (await service.seriesAnswer(engagement, undefined, undefined, at + 1_000)).second === second + 1_000,
    );
    // far behind the clock (the page was left open): never served, rebuilt first
    const later = await service.seriesAnswer(engagement, undefined, undefined, at + 60_000);
    expect(later.second).toBe(second + 60_000);
    expect(later.body.toString('utf8')).toBe(
      JSON.stringify(await service.series(engagement, undefined, undefined, undefined, second + 60_000)),
    );
  });

  it('changes at the very next request after a threshold change, a rollup and a sync', async () => {
    const before = await get().expect(200);
    // a threshold the stored 30 h now breaches
    await agent
      .put(`/api/engagements/${id}/thresholds`)
      .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 10, breach: 20 }] })
      .expect(200);
    const afterThreshold = await get({ 'if-none-match': before.headers['etag'] as string }).expect(200);
    expect(trailingOf(afterThreshold.body as EngagementKpisDto, 'delivery.pr_cycle_time')).toMatchObject({
      value: 30,
      status: 'breach',
    });
    // a rollup writes a new trailing value
    await ds
      .getRepository(KpiValueEntity)
      .update(
        { engagementId: id, period: 'trailing', kpiKey: 'delivery.pr_cycle_time' },
        { value: 5, computedAt: Date.now() + 1 },
      );
    const afterRollup = await get().expect(200);
    expect(trailingOf(afterRollup.body as EngagementKpisDto, 'delivery.pr_cycle_time')).toMatchObject({
      value: 5,
      status: 'ok',
    });
    // GitHub's next sync fails: the sources say so at once
    await ds.getRepository(ConnectionEntity).update(
      { engagementId: id, kind: 'github' },
      {
        lastAttemptAt: Date.now(),
        lastErrorClass: 'auth',
        lastErrorMessage: 'the token was revoked: paste a new one',
        lastErrorAt: Date.now() + 1,
        failureCount: 1,
      },
    );
    const afterSync = await get().expect(200);
    expect(afterSync.headers['etag']).not.toBe(afterRollup.headers['etag']);
    expect(JSON.stringify(afterSync.body)).toContain('the token was revoked');
    expect(JSON.stringify(afterRollup.body)).not.toContain('the token was revoked');
  });

  it('names every input of the rating: each change gives another version, none is missed', async () => {
    const version = () => ratingInputsVersion(ds, id);
    const seen = new Set<string>([await version()]);
    const changed = async (what: string) => {
      const v = await version();
      expect({ what, new: !seen.has(v) }).toEqual({ what, new: true });
      seen.add(v);
    };
    await ds
      .getRepository(ThresholdEntity)
      .update({ engagementId: id, kpiKey: 'delivery.pr_cycle_time' }, { minN: 7 });
    await changed('a threshold’s minimum sample');
    await ds
      .getRepository(ConnectionEntity)
      .update({ engagementId: id, kind: 'github' }, { lastSuccessAt: Date.now() + 5 });
    await changed('a successful sync');
    await ds
      .getRepository(ConnectionEntity)
      .update({ engagementId: id, kind: 'github' }, { lastErrorMessage: 'other words' });
    await changed('an error message');
    await ds.getRepository(CoverageSampleEntity).insert({
      id: randomUUID(),
      engagementId: id,
      repo: 'acme/api',
      branch: 'main',
      isDefaultBranch: true,
      sha: 'a'.repeat(40),
      committedAt: Date.now(),
      linesCovered: 80,
      linesValid: 100,
      branchesCovered: null,
      branchesValid: null,
      source: 'upload',
    });
    await changed('a coverage sample');
    // retention deletes the oldest weeks and writes nothing (docs/privacy.md)
    const weeks = await ds.getRepository(KpiValueEntity).find({
      where: { engagementId: id, period: 'week' },
      order: { bucketStart: 'ASC' },
    });
    expect(weeks.length).toBeGreaterThan(0);
    await ds
      .getRepository(KpiValueEntity)
      .delete({ engagementId: id, period: 'week', bucketStart: weeks[0]!.bucketStart });
    await changed('the oldest week removed by retention');
    await ds.getRepository(KpiValueEntity).delete({ engagementId: id, period: 'week' });
    await changed('every week removed');
    // reading twice with nothing changed gives the same version
    expect(await version()).toBe(await version());
  });
});
