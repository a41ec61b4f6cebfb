// The authorization matrix (issue 14): EVERY route of the API, as the OpenAPI document and the
// Express router list them, called by every kind of caller, compared with the table below.
// A route missing from the table fails the test, and so does any cell that differs.
//
// Adding a route: add one line to EXPECTED with one of the rows (or a new row), and if its
// path has a new {parameter}, say in `paramValue` what to put there.
import type request from 'supertest';
import type { ShareLinkDto } from '@pulse/contracts';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { DATABASE_KINDS } from '../../../../test/databases';
import { AuthService } from '../auth/auth.service';

/** The callers, in the order of the table's columns. */
const ACTORS = [
  'anonymous',
  'viewerMember', // manager role, `viewer` rights on the engagement
  'editorMember', // manager role, `editor` rights
  'outsider', // manager role, not a member
  'owner', // manager role, created the engagement
  'admin',
  'shareToken', // a valid vendor share link's token, and no session
  'revokedShareToken',
  'viewerRoleEditor', // `viewer` user role although an `editor` member: changes nothing
] as const;
type Actor = (typeof ACTORS)[number];

/**
 * What the access checks answer: `ok` = let through to the handler (which may still answer
 * 400/404/409 about the request itself), 401/403, 404 = "No engagement …" from the
 * membership guard, 410 = a revoked link.
 */
type Outcome = 'ok' | 401 | 403 | 404 | 410;
type Row = Record<Actor, Outcome>;
const row = (...cells: Outcome[]): Row => Object.fromEntries(ACTORS.map((a, i) => [a, cells[i]!])) as Row;

//                               anon  viewerM editorM outsider owner admin share revoked viewerRole
const PUBLIC = /*            */ row('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok');
const SIGNED_IN = /*         */ row(401, 'ok', 'ok', 'ok', 'ok', 'ok', 401, 401, 'ok');
const MANAGER_ROLE = /*      */ row(401, 'ok', 'ok', 'ok', 'ok', 'ok', 401, 401, 403);
const ADMIN_ONLY = /*        */ row(401, 403, 403, 403, 403, 'ok', 401, 401, 403);
const READ = /*              */ row(401, 'ok', 'ok', 404, 'ok', 'ok', 401, 401, 'ok');
const EDIT = /*              */ row(401, 403, 'ok', 404, 'ok', 'ok', 401, 401, 403);
const MANAGE = /*            */ row(401, 403, 403, 404, 'ok', 'ok', 401, 401, 403);
const SHARE_LINK = /*        */ row('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 410, 'ok');
const UPLOAD_TOKEN_ONLY = /* */ row(401, 401, 401, 401, 401, 401, 401, 401, 401);
// Slack's routes: the signature is the only credential, and this harness configures no
// signing secret, so everyone is refused (signed requests: apps/api/src/slack/*.spec.ts).
const SLACK_SIGNED = /*      */ row(403, 403, 403, 403, 403, 403, 403, 403, 403);

/** `METHOD /path` (as in the OpenAPI document; `?query` variants are extra rows) → expected row. */
const EXPECTED: Record<string, Row> = {
  'GET /health': PUBLIC,
  'GET /metrics': ADMIN_ONLY,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': SIGNED_IN,
  'GET /api/auth/me': SIGNED_IN,
  'POST /api/auth/password': SIGNED_IN,
  // Single sign-on (h-people): browser navigations; 404 "not configured" here, as OIDC is off.
  'GET /api/auth/methods': PUBLIC,
  'GET /api/auth/oidc/login': PUBLIC,
  'GET /api/auth/oidc/callback': PUBLIC,
  'GET /api/kpi-definitions': SIGNED_IN,
  'GET /api/connectors': SIGNED_IN,

  'GET /api/users': ADMIN_ONLY,
  'POST /api/users': ADMIN_ONLY,
  'PATCH /api/users/{id}': ADMIN_ONLY,
  'POST /api/users/{id}/reset-link': ADMIN_ONLY,
  'GET /api/invitations': ADMIN_ONLY,
  'DELETE /api/invitations/{id}': ADMIN_ONLY,
  'GET /api/invitations/{token}': PUBLIC,
  'POST /api/invitations/{token}': PUBLIC,
  'GET /api/audit': ADMIN_ONLY,
  'GET /api/audit?engagementId={id}': EDIT,

  'GET /api/engagements': SIGNED_IN,
  'POST /api/engagements': MANAGER_ROLE,
  'GET /api/engagements/{id}': READ,
  'PATCH /api/engagements/{id}': EDIT,
  'DELETE /api/engagements/{id}': MANAGE,
  'GET /api/engagements/{id}/members': READ,
  'PUT /api/engagements/{id}/members': MANAGE,
  'GET /api/engagements/{id}/members/candidates': MANAGE,
  'GET /api/engagements/{id}/connections': READ,
  'GET /api/engagements/{id}/connections/{kind}': READ,
  'PUT /api/engagements/{id}/connections/{kind}': EDIT,
  'DELETE /api/engagements/{id}/connections/{kind}': EDIT,
  'POST /api/engagements/{id}/connections/{kind}/test': EDIT,
  'POST /api/engagements/{id}/connections/{kind}/resync': EDIT,
  'POST /api/engagements/{id}/connections/{kind}/options/{picker}': EDIT,
  // Per-person views: editors and admins only (issue 16, apps/api/src/privacy/people-access.ts).
  'GET /api/engagements/{id}/people': EDIT,
  'PUT /api/engagements/{id}/people': EDIT,
  'GET /api/engagements/{id}/people/unassigned': EDIT,
  'GET /api/engagements/{id}/thresholds': READ,
  'PUT /api/engagements/{id}/thresholds': EDIT,
  'POST /api/engagements/{id}/sync': EDIT,
  'POST /api/engagements/{id}/rollup': EDIT,
  'GET /api/engagements/{id}/sync-runs': READ,
  'GET /api/engagements/{id}/share-links': READ,
  'POST /api/engagements/{id}/share-links': EDIT,
  'DELETE /api/engagements/{id}/share-links/{linkId}': EDIT,
  'POST /api/engagements/{id}/upload-token': EDIT,
  'GET /api/engagements/{id}/coverage': READ,
  'POST /api/engagements/{id}/coverage': UPLOAD_TOKEN_ONLY,
  'GET /api/engagements/{id}/kpis': READ,
  'GET /api/engagements/{id}/health': READ,
  'GET /api/engagements/{id}/kpis/{key}/drill-down': READ,

  'GET /api/engagements/{id}/digest/preview': EDIT,
  'POST /api/engagements/{id}/digest/send': EDIT,
  'GET /api/engagements/{id}/digests': READ,
  'GET /api/engagements/{id}/digest/settings': READ,
  'PUT /api/engagements/{id}/digest/settings': EDIT,
  'POST /api/slack/commands': SLACK_SIGNED,
  'POST /api/slack/events': SLACK_SIGNED,

  'POST /api/privacy/erasures': ADMIN_ONLY,
  'GET /api/privacy/export': ADMIN_ONLY,
  'GET /api/engagements/{id}/export': ADMIN_ONLY,

  'GET /api/share/{token}': SHARE_LINK,
  'GET /api/share/{token}/kpis/{key}/drill-down': SHARE_LINK,
};

/** Requests that change what later requests rely on: run against a fresh fixture. */
const DESTRUCTIVE = new Set(['DELETE /api/engagements/{id}', 'POST /api/auth/logout']);

interface Fixture {
  engagementId: string;
  users: Record<
    Exclude<Actor, 'anonymous' | 'shareToken' | 'revokedShareToken'>,
    { id: string; email: string }
  >;
  cookies: Partial<Record<Actor, string>>;
  shareToken: string;
  revokedShareToken: string;
  spareLinkId: string;
  invitation: { id: string; token: string };
  /** Revoked by DELETE /api/invitations/{id}, so that `invitation` stays usable. */
  spareInvitationId: string;
}

/** Bodies for routes that take more than `{}` (JSON) to reach their access check. */
const BODIES: Record<string, (req: request.Test) => request.Test> = {
  'POST /api/engagements/{id}/coverage': (req) =>
    req
      .field('repo', 'acme/payments')
      .attach('report', Buffer.from('SF:a.ts\nLF:1\nLH:1\nend_of_record\n'), 'lcov.info'),
};

describe.each(DATABASE_KINDS)('authorization matrix on %s', (kind) => {
  let api: ApiHarness;
  let fx: Fixture;
  const password = 'matrix password that is long enough';

  beforeAll(async () => {
    api = await startApi(kind);
    fx = await buildFixture();
  });
  afterAll(() => api?.close());

  async function cookieFor(email: string, pw = password): Promise<string> {
    const res = await api.http().post('/api/auth/login').send({ email, password: pw });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status}`);
    return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  }

  async function newEngagement(cookies: Fixture['cookies'], users: Fixture['users']): Promise<string> {
    const { body } = await api
      .http()
      .post('/api/engagements')
      .set('Cookie', cookies.owner!)
      .send(anEngagementBody())
      .expect(201);
    await api
      .http()
      .put(`/api/engagements/${body.id}/members`)
      .set('Cookie', cookies.owner!)
      .send({
        members: [
          { userId: users.viewerMember.id, rights: 'viewer' },
          { userId: users.editorMember.id, rights: 'editor' },
          { userId: users.viewerRoleEditor.id, rights: 'editor' },
        ],
      })
      .expect(200);
    return body.id as string;
  }

  async function buildFixture(): Promise<Fixture> {
    const auth = api.app.get(AuthService);
    const make = async (name: string, role: 'manager' | 'viewer') =>
      auth.createUser({ email: `${name}-${kind}@pulse.test`, password, displayName: name, role });
    const users: Fixture['users'] = {
      viewerMember: await make('viewer-member', 'manager'),
      editorMember: await make('editor-member', 'manager'),
      outsider: await make('outsider', 'manager'),
      owner: await make('owner', 'manager'),
      admin: { id: '', email: ADMIN.email },
      viewerRoleEditor: await make('viewer-role', 'viewer'),
    };
    const cookies: Fixture['cookies'] = {};
    for (const [actor, user] of Object.entries(users))
      cookies[actor as Actor] = await cookieFor(user.email, actor === 'admin' ? ADMIN.password : password);
    users.admin.id = (await api.http().get('/api/auth/me').set('Cookie', cookies.admin!)).body.id;
    const engagementId = await newEngagement(cookies, users);
    const link = async (): Promise<ShareLinkDto> =>
      (
        await api
          .http()
          .post(`/api/engagements/${engagementId}/share-links`)
          .set('Cookie', cookies.owner!)
          .send({ allowDrillDown: true })
          .expect(201)
      ).body;
    const valid = await link();
    const revoked = await link();
    const spareLink = await link();
    await api
      .http()
      .delete(`/api/engagements/${engagementId}/share-links/${revoked.id}`)
      .set('Cookie', cookies.owner!)
      .expect(204);
    const invite = async (email: string) =>
      (
        await api
          .http()
          .post('/api/users')
          .set('Cookie', cookies.admin!)
          .send({ email, role: 'viewer' })
          .expect(201)
      ).body as { invitation: { id: string }; token: string };
    const invited = await invite(`invited-${kind}@pulse.test`);
    const spare = await invite(`spare-${kind}@pulse.test`);
    return {
      engagementId,
      users,
      cookies,
      shareToken: valid.token!,
      revokedShareToken: revoked.token!,
      spareLinkId: spareLink.id,
      invitation: { id: invited.invitation.id, token: invited.token },
      spareInvitationId: spare.invitation.id,
    };
  }

  /** What to put in a path parameter, for this route and caller. */
  function paramValue(name: string, path: string, actor: Actor, engagementId: string): string {
    switch (name) {
      case 'id':
        if (path.startsWith('/api/users/')) return fx.users.viewerMember.id;
        if (path.startsWith('/api/invitations/')) return fx.spareInvitationId;
        return engagementId;
      case 'token':
        if (path.startsWith('/api/invitations/')) return fx.invitation.token;
        return actor === 'revokedShareToken' ? fx.revokedShareToken : fx.shareToken;
      case 'kind':
        return 'github';
      case 'linkId':
        return fx.spareLinkId;
      case 'picker':
        return 'projects';
      case 'key':
        return 'delivery.prs_merged';
      default:
        throw new Error(`${path}: say in paramValue() what to put in {${name}}`);
    }
  }

  async function call(
    route: string,
    actor: Actor,
  ): Promise<{ outcome: Outcome | 'server error'; detail: string }> {
    const [method, target] = route.split(' ') as [string, string];
    const [path, query] = target.split('?') as [string, string | undefined];
    let engagementId = fx.engagementId;
    if (DESTRUCTIVE.has(route) && path.includes('{id}'))
      engagementId = await newEngagement(fx.cookies, fx.users);
    const url =
      path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name, path, actor, engagementId)) +
      (query ? `?${query.replace('{id}', engagementId)}` : '');
    let req = (api.http() as unknown as Record<string, (u: string) => request.Test>)[method.toLowerCase()]!(
      url,
    );
    const cookie = fx.cookies[actor];
    if (cookie) req = req.set('Cookie', cookie);
    if (actor === 'shareToken' || actor === 'revokedShareToken') {
      // A share token is no session and no bearer credential, however it is presented.
      const token = actor === 'shareToken' ? fx.shareToken : fx.revokedShareToken;
      req = req.set('Cookie', `pulse_session=${token}`).set('Authorization', `Bearer ${token}`);
    }
    if (BODIES[route]) req = BODIES[route](req);
    else if (['POST', 'PUT', 'PATCH'].includes(method)) req = req.send({});
    const res = await req;
    if (route === 'POST /api/auth/logout' && cookie) {
      const user = Object.entries(fx.users).find(([a]) => a === actor)![1];
      fx.cookies[actor] = await cookieFor(user.email, actor === 'admin' ? ADMIN.password : password);
    }
    const message = String((res.body as { message?: unknown })?.message ?? '');
    const detail = `${res.status} ${message}`.trim();
    if (res.status >= 500) return { outcome: 'server error', detail };
    if (res.status === 401 || res.status === 403 || res.status === 410)
      return { outcome: res.status, detail };
    if (res.status === 404 && message === `No engagement ${engagementId}`) return { outcome: 404, detail };
    return { outcome: 'ok', detail };
  }

  async function documentedRoutes(): Promise<string[]> {
    const doc = (await api.http().get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
  }

  it('lists every route of the API in the expected table, and no route that is gone', async () => {
    const documented = await documentedRoutes();
    // Nest's router, so that a route hidden from the OpenAPI document cannot escape the table.
    const routed = routerRoutes(api);
    const notDocumented = routed.filter((r) => !documented.includes(r));
    expect({ routesMissingFromOpenApi: notDocumented }).toEqual({ routesMissingFromOpenApi: [] });
    const missing = documented.filter((r) => !(r in EXPECTED));
    expect({ routesWithoutAnExpectedRow: missing }).toEqual({ routesWithoutAnExpectedRow: [] });
    const stale = Object.keys(EXPECTED).filter((r) => !documented.includes(r.split('?')[0]!));
    expect({ rowsForRoutesThatDoNotExist: stale }).toEqual({ rowsForRoutesThatDoNotExist: [] });
    expect(documented.length).toBeGreaterThanOrEqual(45);
  });

  it('answers every route × caller as the table says', async () => {
    const differences: string[] = [];
    for (const route of Object.keys(EXPECTED)) {
      for (const actor of ACTORS) {
        const expected = EXPECTED[route]![actor];
        const { outcome, detail } = await call(route, actor);
        if (outcome !== expected)
          differences.push(`${route} as ${actor}: expected ${expected}, got ${outcome} (${detail})`);
      }
    }
    expect(differences).toEqual([]);
  });
});

/** `METHOD /path/{param}` of every route Express has from Nest (not the static dashboard). */
function routerRoutes(api: ApiHarness): string[] {
  const instance = api.app.getHttpAdapter().getInstance() as {
    router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    _router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const routes = stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
  if (routes.length < 20)
    throw new Error(`could not read the Express router (found ${routes.length} routes)`);
  // Swagger UI's pages are documentation; the `*` catch-alls are Nest's 404 for unknown paths.
  return routes.filter((r) => !/ \/api\/docs/.test(r) && !r.includes('*'));
}
