// Issue 14 against the real API, SQLite and PostgreSQL: invitations and reset links, own
// password change, roles and (de)activation with the last-admin rule, engagement membership
// and the audit trail (with no secret in it).
import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity, InvitationEntity } from '@pulse/db';
import type { AuditEventDto, IssuedInvitationDto, Role } from '@pulse/contracts';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';
import { InvitationsService } from './invitations.service';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const GOOD_PASSWORD = 'violet tractor under seven lamps';
const CONNECTION_SECRET = 'ghp_membership_test_secret_0123456789abcdef';

type Agent = ReturnType<typeof request.agent>;

describe.each(DATABASE_KINDS)('users, teams and audit on %s', (kind) => {
  let api: ApiHarness;
  let admin: Agent;
  /** Every token and password handed out in this suite: none may reach the audit trail. */
  const secrets: string[] = [ADMIN.password, CONNECTION_SECRET, GOOD_PASSWORD];

  beforeAll(async () => {
    api = await startApi(kind, {
      PULSE_ALLOWED_UPSTREAM_HOSTS: '127.0.0.1:9',
      PULSE_PUBLIC_URL: 'http://pulse.test',
    });
    admin = await api.signIn(ADMIN.email, ADMIN.password);
  });
  afterAll(() => api?.close());

  const invite = async (email: string, role: Role): Promise<IssuedInvitationDto> => {
    const res = await admin.post('/api/users').send({ email, role }).expect(201);
    const issued = res.body as IssuedInvitationDto;
    secrets.push(issued.token);
    return issued;
  };

  /** Invites, accepts and returns the new user's signed-in agent. */
  const onboard = async (email: string, role: Role, password = GOOD_PASSWORD) => {
    const issued = await invite(email, role);
    const agent = request.agent(api.app.getHttpServer());
    const res = await agent.post(`/api/invitations/${issued.token}`).send({ password }).expect(200);
    return { agent, user: res.body as { id: string; email: string; role: Role } };
  };

  const auditEvents = async (query: Record<string, string> = {}): Promise<AuditEventDto[]> =>
    (
      await admin
        .get('/api/audit')
        .query({ pageSize: '200', ...query })
        .expect(200)
    ).body.events;

  describe('invitations', () => {
    it('gives the admin a single-use link whose token is stored only as a hash', async () => {
      const issued = await invite('dana@pulse.test', 'manager');
      expect(issued.url).toBe(`http://pulse.test/invitations/${issued.token}`);
      expect(Buffer.from(issued.token, 'base64url')).toHaveLength(32);
      expect(issued.email).toEqual({ sent: false });
      expect(issued.invitation).toMatchObject({
        email: 'dana@pulse.test',
        role: 'manager',
        status: 'pending',
      });
      const row = await api.app
        .get(DataSource)
        .getRepository(InvitationEntity)
        .findOneByOrFail({ id: issued.invitation.id });
      expect(row.tokenHash).toBe(sha256(issued.token));
      expect(JSON.stringify(row)).not.toContain(issued.token);
      // Listing shows it, without the token.
      const list = await admin.get('/api/invitations').expect(200);
      expect(list.text).not.toContain(issued.token);
      expect(list.body.map((i: { id: string }) => i.id)).toContain(issued.invitation.id);

      const preview = await api.http().get(`/api/invitations/${issued.token}`).expect(200);
      expect(preview.body).toEqual({
        kind: 'invite',
        email: 'dana@pulse.test',
        role: 'manager',
        displayName: null,
        expiresAt: issued.invitation.expiresAt,
      });
    });

    it('accepting sets a password (refusing common and short ones), signs in, and works once', async () => {
      const issued = await invite('erin@pulse.test', 'manager');
      const agent = request.agent(api.app.getHttpServer());
      for (const weak of ['Password123!', 'qwertyuiop123', 'Summer 2026!!', 'short']) {
        const res = await agent.post(`/api/invitations/${issued.token}`).send({ password: weak }).expect(400);
        expect(res.body.details[0].field).toBe('password');
        expect(res.body.message).toMatch(/common|at least 12/);
      }
      const accepted = await agent
        .post(`/api/invitations/${issued.token}`)
        .send({ password: GOOD_PASSWORD, displayName: 'Erin' })
        .expect(200);
      expect(accepted.body).toMatchObject({ email: 'erin@pulse.test', role: 'manager', displayName: 'Erin' });
      expect(String(accepted.headers['set-cookie'])).toMatch(/pulse_session=.*HttpOnly/);
      await agent.get('/api/auth/me').expect(200);
      // Single use.
      const again = await api
        .http()
        .post(`/api/invitations/${issued.token}`)
        .send({ password: GOOD_PASSWORD });
      expect(again.status).toBe(410);
      expect(again.body.message).toMatch(/accepted/);
      await api.http().get(`/api/invitations/${issued.token}`).expect(410);
      // The new account signs in with the password it chose.
      await api.signIn('erin@pulse.test', GOOD_PASSWORD);
      // Inviting an address that has an account is refused.
      const dup = await admin
        .post('/api/users')
        .send({ email: 'ERIN@pulse.test', role: 'viewer' })
        .expect(409);
      expect(dup.body.message).toMatch(/already has an account/);
    });

    it('revoked and expired links no longer work; unknown tokens are 404', async () => {
      const revoked = await invite('fay@pulse.test', 'viewer');
      await admin.delete(`/api/invitations/${revoked.invitation.id}`).expect(204);
      const res = await api
        .http()
        .post(`/api/invitations/${revoked.token}`)
        .send({ password: GOOD_PASSWORD });
      expect(res.status).toBe(410);
      expect(res.body.message).toMatch(/revoked/);

      const service = api.app.get(InvitationsService);
      const old = await service.invite(
        { id: null, email: ADMIN.email, ip: null },
        { email: 'gus@pulse.test', role: 'viewer' },
        Date.now() - 8 * 24 * 3600 * 1000,
      );
      secrets.push(old.token);
      const expired = await api.http().get(`/api/invitations/${old.token}`).expect(410);
      expect(expired.body.message).toMatch(/expired/);

      await api
        .http()
        .get(`/api/invitations/${'A'.repeat(43)}`)
        .expect(404);
      const malformed = await api.http().get('/api/invitations/short').expect(400);
      expect(malformed.body.message).toMatch(/token/);
    });

    it('only admins invite, list users and invitations', async () => {
      const { agent } = await onboard('hal@pulse.test', 'manager');
      await agent.post('/api/users').send({ email: 'x@pulse.test', role: 'admin' }).expect(403);
      await agent.get('/api/users').expect(403);
      await agent.get('/api/invitations').expect(403);
      const bad = await admin.post('/api/users').send({ email: 'nope', role: 'owner' }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'role']);
    });
  });

  describe('passwords', () => {
    it('changing one’s own password needs the current one and ends the other sessions', async () => {
      const { agent: first, user } = await onboard('ida@pulse.test', 'manager');
      const second = await api.signIn(user.email, GOOD_PASSWORD);
      const next = 'amber kettle over nine hills';
      secrets.push(next);
      const wrong = await first
        .post('/api/auth/password')
        .send({ currentPassword: 'not the password', newPassword: next })
        .expect(400);
      expect(wrong.body.details[0].field).toBe('currentPassword');
      const common = await first
        .post('/api/auth/password')
        .send({ currentPassword: GOOD_PASSWORD, newPassword: 'letmein123456' })
        .expect(400);
      expect(common.body.message).toMatch(/common/);
      await second.get('/api/auth/me').expect(200);

      await first
        .post('/api/auth/password')
        .send({ currentPassword: GOOD_PASSWORD, newPassword: next })
        .expect(204);
      await first.get('/api/auth/me').expect(200);
      await second.get('/api/auth/me').expect(401);
      await api
        .http()
        .post('/api/auth/login')
        .send({ email: user.email, password: GOOD_PASSWORD })
        .expect(401);
      await api.signIn(user.email, next);
      const events = await auditEvents({ actorId: user.id, action: 'auth.password_changed' });
      expect(events).toHaveLength(1);
    });

    it('a reset link sets a new password and ends every session of the account', async () => {
      const { agent, user } = await onboard('jo@pulse.test', 'manager');
      await agent.get('/api/auth/me').expect(200);
      const reset = (await admin.post(`/api/users/${user.id}/reset-link`).expect(201))
        .body as IssuedInvitationDto;
      secrets.push(reset.token);
      expect(reset.invitation).toMatchObject({ kind: 'reset', userId: user.id, email: user.email });
      const preview = await api.http().get(`/api/invitations/${reset.token}`).expect(200);
      expect(preview.body.kind).toBe('reset');
      const next = 'copper meadow beneath quiet rain';
      secrets.push(next);
      const fresh = request.agent(api.app.getHttpServer());
      await fresh.post(`/api/invitations/${reset.token}`).send({ password: next }).expect(200);
      await fresh.get('/api/auth/me').expect(200);
      await agent.get('/api/auth/me').expect(401);
      await api
        .http()
        .post('/api/auth/login')
        .send({ email: user.email, password: GOOD_PASSWORD })
        .expect(401);
      await api.signIn(user.email, next);
      expect(await auditEvents({ action: 'auth.password_reset', actorId: user.id })).toHaveLength(1);
      expect(await auditEvents({ action: 'reset_link.created' })).toEqual(
        expect.arrayContaining([expect.objectContaining({ targetId: user.id })]),
      );
    });
  });

  describe('roles and deactivation', () => {
    it('deactivation ends the user’s sessions at once, even a session just used', async () => {
      const { agent, user } = await onboard('kim@pulse.test', 'manager');
      for (let i = 0; i < 3; i++) await agent.get('/api/auth/me').expect(200);
      const res = await admin.patch(`/api/users/${user.id}`).send({ active: false }).expect(200);
      expect(res.body).toMatchObject({ id: user.id, active: false });
      await agent.get('/api/auth/me').expect(401);
      await agent.get('/api/engagements').expect(401);
      await api
        .http()
        .post('/api/auth/login')
        .send({ email: user.email, password: GOOD_PASSWORD })
        .expect(401);
      await admin.patch(`/api/users/${user.id}`).send({ active: true }).expect(200);
      await api.signIn(user.email, GOOD_PASSWORD);
      const actions = (await auditEvents({ actorId: (await me(admin)).id }))
        .filter((e) => e.targetId === user.id)
        .map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['user.deactivated', 'user.reactivated']));
    });

    it('a new role applies to the next request', async () => {
      const { agent, user } = await onboard('lee@pulse.test', 'manager');
      await agent.get('/api/users').expect(403);
      await admin.patch(`/api/users/${user.id}`).send({ role: 'admin' }).expect(200);
      await agent.get('/api/users').expect(200);
      await admin.patch(`/api/users/${user.id}`).send({ role: 'viewer' }).expect(200);
      await agent.get('/api/users').expect(403);
      await agent.post('/api/engagements').send(anEngagementBody()).expect(403);
      const [changed] = await auditEvents({ action: 'user.role_changed' });
      expect(changed!.summary).toEqual({ email: user.email, role: { from: 'admin', to: 'viewer' } });
    });

    it('the last active admin can be neither demoted nor deactivated', async () => {
      const self = await me(admin);
      const others = (
        (await admin.get('/api/users').expect(200)).body as { id: string; role: Role; active: boolean }[]
      ).filter((u) => u.role === 'admin' && u.active && u.id !== self.id);
      for (const other of others)
        await admin.patch(`/api/users/${other.id}`).send({ role: 'manager' }).expect(200);

      for (const change of [{ role: 'manager' }, { active: false }, { role: 'viewer', active: false }]) {
        const res = await admin.patch(`/api/users/${self.id}`).send(change).expect(409);
        expect(res.body.message).toMatch(/last active admin/);
      }
      await admin.get('/api/auth/me').expect(200);
      // With a second admin, the first may step down.
      const { agent: second, user } = await onboard('max@pulse.test', 'admin');
      await admin.patch(`/api/users/${self.id}`).send({ role: 'manager' }).expect(200);
      const res = await second.patch(`/api/users/${user.id}`).send({ active: false }).expect(409);
      expect(res.body.message).toMatch(/last active admin/);
      await second.patch(`/api/users/${self.id}`).send({ role: 'admin' }).expect(200);
      await admin.get('/api/users').expect(200);

      // Two admins demoting each other at the same moment: one wins; the other is refused,
      // by the last-admin rule (409) or, when it arrives after the change, as a non-admin (403).
      const outcomes = await Promise.all([
        admin.patch(`/api/users/${user.id}`).send({ role: 'manager' }),
        second.patch(`/api/users/${self.id}`).send({ role: 'manager' }),
      ]);
      const [won, lost] = outcomes.map((r) => r.status).sort();
      expect(won).toBe(200);
      expect([403, 409]).toContain(lost);
      const users = (await api.app
        .get(DataSource)
        .query(
          `SELECT id FROM users WHERE role = 'admin' AND disabled = ${kind === 'postgres' ? 'false' : '0'}`,
        )) as { id: string }[];
      expect(users).toHaveLength(1);
      // Whoever is still the admin restores the first one, for the tests that follow.
      const winner = users[0]!.id === self.id ? admin : second;
      await winner.patch(`/api/users/${self.id}`).send({ role: 'admin' }).expect(200);
      await admin.get('/api/users').expect(200);
    });

    it('refuses an empty or unknown change with a clear 4xx', async () => {
      const self = await me(admin);
      const empty = await admin.patch(`/api/users/${self.id}`).send({}).expect(400);
      expect(empty.body.message).toMatch(/at least one of role, active, displayName/);
      await admin
        .patch('/api/users/00000000-0000-4000-8000-000000000000')
        .send({ role: 'viewer' })
        .expect(404);
      await admin.patch('/api/users/not-a-uuid').send({ role: 'viewer' }).expect(400);
    });
  });

  describe('engagement membership', () => {
    it('managers see what they own or are members of; rights decide what they may change', async () => {
      const owner = await onboard('nia@pulse.test', 'manager');
      const colleague = await onboard('oli@pulse.test', 'manager');
      const reader = await onboard('pat@pulse.test', 'viewer');
      const { body: engagement } = await owner.agent
        .post('/api/engagements')
        .send(anEngagementBody())
        .expect(201);
      const url = `/api/engagements/${engagement.id}`;
      const thresholds = { thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 30, breach: 60 }] };

      // The owner picks members among the active users (the owner is not offered).
      const candidates = (await owner.agent.get(`${url}/members/candidates`).expect(200)).body as {
        userId: string;
      }[];
      expect(candidates.map((c) => c.userId)).toEqual(
        expect.arrayContaining([colleague.user.id, reader.user.id]),
      );
      expect(candidates.map((c) => c.userId)).not.toContain(owner.user.id);
      await colleague.agent.get(`${url}/members/candidates`).expect(404);

      // Not a member yet: the engagement does not exist for them.
      await colleague.agent.get(url).expect(404);
      expect((await colleague.agent.get('/api/engagements').expect(200)).body).toEqual([]);

      const put = await owner.agent
        .put(`${url}/members`)
        .send({
          members: [
            { userId: colleague.user.id, rights: 'viewer' },
            { userId: reader.user.id, rights: 'editor' },
          ],
        })
        .expect(200);
      expect(put.body.owner).toMatchObject({ userId: owner.user.id });
      expect(put.body.members.map((m: { email: string; rights: string }) => [m.email, m.rights])).toEqual([
        ['oli@pulse.test', 'viewer'],
        ['pat@pulse.test', 'editor'],
      ]);
      expect(
        (await colleague.agent.get('/api/engagements').expect(200)).body.map((e: { id: string }) => e.id),
      ).toEqual([engagement.id]);
      // Each caller is told what they may do, so that the dashboard offers only that.
      expect((await colleague.agent.get(url).expect(200)).body.myAccess).toEqual(['read']);
      expect((await reader.agent.get(url).expect(200)).body.myAccess).toEqual(['read']);
      expect((await owner.agent.get(url).expect(200)).body.myAccess).toEqual(['read', 'edit', 'manage']);
      expect((await colleague.agent.get('/api/engagements').expect(200)).body[0].myAccess).toEqual(['read']);
      await colleague.agent.get(`${url}/members`).expect(200);
      const denied = await colleague.agent.put(`${url}/thresholds`).send(thresholds).expect(403);
      expect(denied.body.message).toMatch(/editor rights/);
      // A viewer user role changes nothing, even with editor rights.
      await reader.agent.get(`${url}/thresholds`).expect(200);
      const viewerRole = await reader.agent.put(`${url}/thresholds`).send(thresholds).expect(403);
      expect(viewerRole.body.message).toMatch(/role is viewer/);

      await owner.agent
        .put(`${url}/members`)
        .send({ members: [{ userId: colleague.user.id, rights: 'editor' }] })
        .expect(200);
      expect((await colleague.agent.get(url).expect(200)).body.myAccess).toEqual(['read', 'edit']);
      await colleague.agent.put(`${url}/thresholds`).send(thresholds).expect(200);
      await colleague.agent.patch(url).send({ name: 'Renamed by an editor' }).expect(200);
      // Editors do not manage members or delete the engagement.
      await colleague.agent.put(`${url}/members`).send({ members: [] }).expect(403);
      await colleague.agent.delete(url).expect(403);
      // The removed member is a stranger again.
      await reader.agent.get(url).expect(404);

      const bad = await owner.agent
        .put(`${url}/members`)
        .send({ members: [{ userId: owner.user.id, rights: 'editor' }] })
        .expect(400);
      expect(bad.body.details[0]).toEqual({
        field: 'members.0.userId',
        message: expect.stringMatching(/owner/),
      });
      const unknown = await owner.agent
        .put(`${url}/members`)
        .send({ members: [{ userId: '00000000-0000-4000-8000-000000000000', rights: 'viewer' }] })
        .expect(400);
      expect(unknown.body.message).toMatch(/invite them first/);
      const twice = await owner.agent
        .put(`${url}/members`)
        .send({
          members: [
            { userId: colleague.user.id, rights: 'viewer' },
            { userId: colleague.user.id, rights: 'editor' },
          ],
        })
        .expect(400);
      expect(twice.body.details[0].field).toBe('members.1.userId');
      // Admins see every engagement.
      expect(
        (await admin.get('/api/engagements').expect(200)).body.map((e: { id: string }) => e.id),
      ).toContain(engagement.id);
    });
  });

  describe('audit trail', () => {
    it('records each change with what changed, and editors see their engagement’s events only', async () => {
      const owner = await onboard('quinn@pulse.test', 'manager');
      const editor = await onboard('ray@pulse.test', 'manager');
      const reader = await onboard('sam@pulse.test', 'manager');
      const { body: engagement } = await owner.agent
        .post('/api/engagements')
        .send(anEngagementBody())
        .expect(201);
      const { body: other } = await owner.agent
        .post('/api/engagements')
        .send(anEngagementBody({ name: 'Other' }))
        .expect(201);
      const url = `/api/engagements/${engagement.id}`;
      await owner.agent
        .put(`${url}/members`)
        .send({
          members: [
            { userId: editor.user.id, rights: 'editor' },
            { userId: reader.user.id, rights: 'viewer' },
          ],
        })
        .expect(200);

      const before = (await editor.agent.get(`${url}/thresholds`).expect(200)).body.find(
        (t: { kpiKey: string }) => t.kpiKey === 'delivery.pr_cycle_time',
      );
      await editor.agent
        .put(`${url}/thresholds`)
        .send({ thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 40, breach: 80 }] })
        .expect(200);
      const settings = { baseUrl: 'http://127.0.0.1:9/github/api/v3/', repos: ['acme/payments'] };
      await editor.agent
        .put(`${url}/connections/github`)
        .send({ settings, secret: CONNECTION_SECRET })
        .expect(200);
      await editor.agent
        .put(`${url}/connections/github`)
        .send({ settings: { ...settings, repos: ['acme/payments', 'acme/ledger'] } })
        .expect(200);
      await editor.agent
        .put(`${url}/connections/github`)
        .send({ settings, secret: `${CONNECTION_SECRET}-2` })
        .expect(200);
      secrets.push(`${CONNECTION_SECRET}-2`);
      await editor.agent.delete(`${url}/connections/github`).expect(204);
      const link = (await editor.agent.post(`${url}/share-links`).send({}).expect(201)).body;
      secrets.push(link.token);
      await editor.agent.delete(`${url}/share-links/${link.id}`).expect(204);
      const upload = (await editor.agent.post(`${url}/upload-token`).expect(201)).body;
      secrets.push(upload.token);
      await owner.agent.patch(`/api/engagements/${other.id}`).send({ name: 'Other, renamed' }).expect(200);

      const page = (
        await editor.agent
          .get('/api/audit')
          .query({ engagementId: engagement.id, pageSize: '200' })
          .expect(200)
      ).body;
      const actions = page.events.map((e: AuditEventDto) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'engagement.created',
          'members.changed',
          'thresholds.changed',
          'connection.created',
          'connection.changed',
          'connection.secret_replaced',
          'connection.deleted',
          'share_link.created',
          'share_link.revoked',
          'upload_token.rotated',
        ]),
      );
      expect(page.events.every((e: AuditEventDto) => e.engagementId === engagement.id)).toBe(true);
      const thresholdsEvent = page.events.find((e: AuditEventDto) => e.action === 'thresholds.changed');
      expect(thresholdsEvent).toMatchObject({ actorId: editor.user.id, actorEmail: 'ray@pulse.test' });
      expect(thresholdsEvent.ip).toMatch(/127\.0\.0\.1/);
      expect(thresholdsEvent.summary).toEqual({
        changes: [
          {
            kpiKey: 'delivery.pr_cycle_time',
            from: { warn: before.warn, breach: before.breach, minN: before.minN },
            to: { warn: 40, breach: 80, minN: before.minN },
          },
        ],
      });
      const changed = page.events.find((e: AuditEventDto) => e.action === 'connection.changed');
      expect(changed.summary).toEqual({ kind: 'github', settings: ['repos'] });

      // Viewers and strangers do not read the trail; nobody but admins reads all of it.
      await reader.agent.get('/api/audit').query({ engagementId: engagement.id }).expect(403);
      await editor.agent.get('/api/audit').query({ engagementId: other.id }).expect(404);
      const all = await editor.agent.get('/api/audit').expect(403);
      expect(all.body.message).toMatch(/engagementId/);

      // Admin filters and pages.
      const byAction = await auditEvents({ action: 'share_link.created', engagementId: engagement.id });
      expect(byAction).toHaveLength(1);
      const first = (
        await admin.get('/api/audit').query({ engagementId: engagement.id, pageSize: '2' }).expect(200)
      ).body;
      const second = (
        await admin
          .get('/api/audit')
          .query({ engagementId: engagement.id, pageSize: '2', page: '2' })
          .expect(200)
      ).body;
      expect(first.total).toBe(page.total);
      expect(first.events).toHaveLength(2);
      expect(second.events[0].id).not.toBe(first.events[1].id);
      expect(first.events.concat(second.events).map((e: AuditEventDto) => e.id)).toEqual(
        page.events.slice(0, 4).map((e: AuditEventDto) => e.id),
      );
      const future = await auditEvents({ from: new Date(Date.now() + 3600_000).toISOString() });
      expect(future).toEqual([]);
      const window = await auditEvents({
        engagementId: engagement.id,
        from: new Date(Date.parse(page.events.at(-1).at)).toISOString(),
        to: new Date(Date.parse(page.events[0].at)).toISOString(),
      });
      expect(window).toHaveLength(page.events.length);
      for (const [field, value] of [
        ['action', 'nope'],
        ['pageSize', '0'],
        ['from', 'yesterday'],
      ]) {
        const bad = await admin
          .get('/api/audit')
          .query({ [field!]: value })
          .expect(400);
        expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
      }

      // Deleting the engagement is recorded, and its trail outlives it.
      await owner.agent.delete(url).expect(204);
      const deleted = await auditEvents({ action: 'engagement.deleted', engagementId: engagement.id });
      expect(deleted).toEqual([
        expect.objectContaining({
          actorId: owner.user.id,
          summary: expect.objectContaining({ name: engagement.name }),
        }),
      ]);
    });

    it('records sign-in success and failure with the address, never the password', async () => {
      const tried = 'wrong password that must not be stored';
      secrets.push(tried);
      await api
        .http()
        .post('/api/auth/login')
        .set('x-forwarded-for', '203.0.113.5')
        .send({ email: ADMIN.email, password: tried })
        .expect(401);
      await api.signIn(ADMIN.email, ADMIN.password);
      const [failed] = await auditEvents({ action: 'auth.sign_in_failed' });
      expect(failed).toMatchObject({
        actorId: null,
        actorEmail: ADMIN.email,
        summary: { method: 'password' },
      });
      expect(failed!.ip).toBeTruthy();
      const [ok] = await auditEvents({ action: 'auth.sign_in' });
      expect(ok).toMatchObject({ actorEmail: ADMIN.email, targetType: 'user' });
    });

    it('holds no token, password or connection secret anywhere (checked last)', async () => {
      const rows = await api.app.get(DataSource).getRepository(AuditEventEntity).find();
      const dump = JSON.stringify(rows);
      expect(rows.length).toBeGreaterThan(30);
      const actions = new Set(rows.map((r) => r.action));
      for (const a of [
        'invitation.created',
        'invitation.accepted',
        'invitation.revoked',
        'auth.password_reset',
      ])
        expect(actions).toContain(a);
      for (const secret of secrets)
        expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
      expect(secrets.length).toBeGreaterThan(15);
    });
  });

  async function me(agent: Agent): Promise<{ id: string }> {
    return (await agent.get('/api/auth/me').expect(200)).body;
  }
});
