import { DataSource } from 'typeorm';
import { ShareLinkEntity, UserEntity } from '@pulse/db';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';
import { LAST_USED_PRECISION_MS, ShareLinksService } from './share-links.service';

describe.each(DATABASE_KINDS)('share link "last used" on %s', (kind) => {
  let api: ApiHarness;
  let links: ShareLinksService;
  let repo: ReturnType<DataSource['getRepository']>;
  let engagementId: string;
  let userId: string;

  beforeAll(async () => {
    api = await startApi(kind);
    links = api.app.get(ShareLinksService);
    const dataSource = api.app.get(DataSource);
    repo = dataSource.getRepository(ShareLinkEntity);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    engagementId = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id;
    userId = (await dataSource.getRepository(UserEntity).findOneByOrFail({ email: ADMIN.email })).id;
  }, 180_000);
  afterAll(() => api?.close());
  afterEach(() => jest.restoreAllMocks());

  it('records a view, but writes at most once per minute however often the page is read', async () => {
    const t0 = Date.now();
    const created = await links.create(engagementId, userId, {}, t0);
    const token = created.token!;
    const writes = jest.spyOn(repo, 'update');

    expect(await links.check(token, t0)).toMatchObject({ ok: true });
    for (let i = 1; i <= 20; i++) expect(await links.check(token, t0 + i * 1000)).toMatchObject({ ok: true });
    expect(writes).toHaveBeenCalledTimes(1);
    expect((await repo.findOneByOrFail({ id: created.id })).lastUsedAt).toBe(t0);

    const later = t0 + LAST_USED_PRECISION_MS;
    expect(await links.check(token, later)).toMatchObject({ ok: true });
    expect(writes).toHaveBeenCalledTimes(2);
    expect((await repo.findOneByOrFail({ id: created.id })).lastUsedAt).toBe(later);
  });
});
