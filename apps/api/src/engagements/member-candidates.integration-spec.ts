// An engagement's owner finds a user by e-mail to add as a member, without the admin-only
// user list; nobody else can use the lookup on that engagement.
import { DataSource } from 'typeorm';
import { UserEntity } from '@pulse/db';
import { anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';

describe.each(DATABASE_KINDS)('member candidates on %s', (kind) => {
  let api: ApiHarness;
  let owner: Awaited<ReturnType<ApiHarness['signIn']>>;
  let engagementId: string;
  let colleague: Awaited<ReturnType<ApiHarness['createUser']>>;

  beforeAll(async () => {
    api = await startApi(kind);
    const me = await api.createUser('manager');
    owner = await api.signIn(me.user.email, me.password);
    engagementId = (
      (await owner.post('/api/engagements').send(anEngagementBody()).expect(201)).body as { id: string }
    ).id;
    colleague = await api.createUser('manager');
  });
  afterAll(() => api?.close());

  const lookup = (agent: typeof owner, email: string) =>
    agent.get(`/api/engagements/${engagementId}/member-candidates`).query({ email });

  it('gives the owner the active user with that exact e-mail, in any letter case', async () => {
    const res = await lookup(owner, colleague.user.email.toUpperCase()).expect(200);
    expect(res.body).toEqual({
      userId: colleague.user.id,
      email: colleague.user.email,
      displayName: colleague.user.displayName,
    });
    // …which is what PUT …/members takes
    await owner
      .put(`/api/engagements/${engagementId}/members`)
      .send({ members: [{ userId: res.body.userId, rights: 'editor' }] })
      .expect(200);
  });

  it('answers 404 with what to do for an unknown or deactivated address, 400 for a malformed one', async () => {
    const unknown = await lookup(owner, 'nobody@pulse.test').expect(404);
    expect(unknown.body.message).toMatch(/invite them on the People page/);
    const gone = await api.createUser('manager');
    await api.app.get(DataSource).getRepository(UserEntity).update({ id: gone.user.id }, { disabled: true });
    await lookup(owner, gone.user.email).expect(404);
    await lookup(owner, 'not-an-address').expect(400);
  });

  it('is not for editors, outsiders or strangers', async () => {
    const editor = await api.signIn(colleague.user.email, colleague.password);
    await lookup(editor, colleague.user.email).expect(403);
    const outsider = await api.createUser('manager');
    await lookup(await api.signIn(outsider.user.email, outsider.password), colleague.user.email).expect(404);
    await api.http().get(`/api/engagements/${engagementId}/member-candidates?email=a@b.c`).expect(401);
  });
});
