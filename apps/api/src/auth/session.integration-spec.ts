import { DataSource } from 'typeorm';
import { SessionEntity, UserEntity } from '@pulse/db';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';
import { SESSION_CACHE_MS, SessionService } from './session.service';

describe.each(DATABASE_KINDS)('sessions on %s', (kind) => {
  let api: ApiHarness;
  let sessions: SessionService;
  let dataSource: DataSource;

  beforeAll(async () => {
    api = await startApi(kind);
    sessions = api.app.get(SessionService);
    dataSource = api.app.get(DataSource);
  }, 180_000);
  afterAll(async () => {
    await api?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  const adminId = async () =>
    (await dataSource.getRepository(UserEntity).findOneByOrFail({ email: ADMIN.email })).id;

  it('resolves a session from the database once for a burst of requests', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const lookups = jest.spyOn(dataSource.getRepository(SessionEntity), 'findOneBy');
    for (let i = 0; i < 10; i++) await agent.get('/api/auth/me').expect(200);
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('signing out takes effect at once, although the session was cached', async () => {
    const login = await api.http().post('/api/auth/login').send(ADMIN).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    await api.http().get('/api/auth/me').set('Cookie', cookie).expect(200);
    await api.http().post('/api/auth/logout').set('Cookie', cookie).expect(204);
    // A browser drops the cleared cookie; a copy of it kept elsewhere must not work either.
    await api.http().get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it('refuses a cached session once it has expired', async () => {
    const now = Date.now();
    // Created so that it expires one second from `now`.
    const { token, expiresAt } = await sessions.create(await adminId(), now - sessions.ttlMs + 1000);
    expect(await sessions.resolve(token, now)).toMatchObject({ email: ADMIN.email });
    expect(await sessions.resolve(token, expiresAt)).toBeNull();
  });

  it('asks the database again when the cache window has passed', async () => {
    const now = Date.now();
    const { token } = await sessions.create(await adminId(), now);
    expect(await sessions.resolve(token, now)).toMatchObject({ email: ADMIN.email });
    // Deleted behind the service's back (another API instance signed it out).
    await dataSource.getRepository(SessionEntity).clear();
    expect(await sessions.resolve(token, now + 1)).toMatchObject({ email: ADMIN.email });
    expect(await sessions.resolve(token, now + SESSION_CACHE_MS)).toBeNull();
  });

  it('never caches an unknown token', async () => {
    const lookups = jest.spyOn(dataSource.getRepository(SessionEntity), 'findOneBy');
    expect(await sessions.resolve('x'.repeat(43))).toBeNull();
    expect(await sessions.resolve('x'.repeat(43))).toBeNull();
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
