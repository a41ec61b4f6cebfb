// Malformed-input fuzzing of every route in the API's own OpenAPI document, against the
// real API on SQLite and PostgreSQL, as an admin, anonymously, with a share-link token and
// with an upload token. No response may be a 5xx, and /health must answer afterwards.
// Bounded: a fixed number of requests per database, loopback only.
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../test/api-harness';

// Sign-ins (scrypt) and API start-ups are slow on a loaded 2-core machine.
jest.setTimeout(180_000);

/** Generated requests per database, on top of the fixed cases; PostgreSQL is slower here. */
const RUNS: Record<(typeof DATABASE_KINDS)[number], number> = { sqlite: 2000, postgres: 700 };
const CONCURRENCY = 6;
const SEED = Number(process.env.PULSE_FUZZ_SEED ?? Date.now() % 2 ** 31);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface SchemaObject {
  type?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  enum?: Json[];
  nullable?: boolean;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  additionalProperties?: boolean | SchemaObject;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  example?: Json;
  format?: string;
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: SchemaObject }[];
  body?: { type: 'json' | 'multipart'; schema: SchemaObject };
}

type Actor = 'admin' | 'anonymous' | 'share' | 'upload';

interface FuzzRequest {
  op: Operation;
  actor: Actor;
  url: string;
  contentType?: string;
  body?: string | Buffer;
  multipart?: { fields: Record<string, string>; file?: { name: string; content: Buffer } };
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------
// Values

const LONE_SURROGATE = '\uD800';
const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  `x${LONE_SURROGATE}y`,
  '\uDFFFz',
  '2099-W01-1',
  '2099-13-45',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '9'.repeat(400),
  'x'.repeat(5000),
  '../../etc/passwd',
  "'; DROP TABLE engagements; --",
  '__proto__',
  '^(\\w*){16}!$',
  '*/0 * * * *',
  '0 0 31 2 *',
  'NaN',
  'Infinity',
  '💥'.repeat(100),
  '<script>alert(1)</script>',
  'null',
  'true',
  '[]',
  '{}',
];
const NASTY_NUMBERS = [2 ** 31, 2 ** 31 + 1, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 0.5, -1, -0, 1e-320];

const nastyString = fc.constantFrom(...NASTY_STRINGS);

/** Coverage reports whose counts overflow PostgreSQL's integer columns. */
const HUGE_COUNT_REPORTS: [string, Buffer][] = [
  [
    'coverage.xml',
    Buffer.from('<coverage lines-covered="3000000000" lines-valid="3000000001" line-rate="0.9"/>'),
  ],
  ['lcov.info', Buffer.from('SF:a\nLH:3000000000\nLF:3000000001\nend_of_record\n')],
];
const nastyNumber = fc.constantFrom(...NASTY_NUMBERS);

/** Arrays nested `depth` deep, as JSON text (JSON.stringify would recurse as well). */
const nestedArrayText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { depthSize: 'small' },
  fc.constant(null),
  fc.boolean(),
  nastyNumber,
  fc.integer(),
  nastyString,
  fc.string({ maxLength: 20 }),
  fc.constant<Json>([[]]),
  fc.constant<Json>({}),
  fc.constant<Json>([null]),
);

/** Values that roughly follow a schema, so validation gets past the first field. */
function fromSchema(schema: SchemaObject | undefined, depth = 0): fc.Arbitrary<Json> {
  if (!schema || depth > 5) return anyJson;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  switch (schema.type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(props);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
      return fc.record(Object.fromEntries(keys.map((k) => [k, fromSchema(props[k], depth + 1)])), {
        requiredKeys: keys.filter((k) => required.has(k)),
      }) as fc.Arbitrary<Json>;
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -5, -1000),
        max: Math.min(schema.maximum ?? 100, 1000),
      });
    case 'number':
      return fc.double({ min: -1000, max: 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return schema.example !== undefined ? fc.constant(schema.example) : fc.string({ maxLength: 12 });
    default:
      return anyJson;
  }
}

/** Replace the value at a random path of `value` with `replacement`. */
function mutateAt(value: Json, choices: number[], replacement: Json): Json {
  if (choices.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  if (keys.length === 0) return replacement;
  const [first, ...rest] = choices;
  const key = keys[first! % keys.length]!;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[key as number] =
      rest.length > 0 && first! % 3 !== 0 ? mutateAt(copy[key as number]!, rest, replacement) : replacement;
    return copy;
  }
  const copy = { ...value };
  copy[key] = rest.length > 0 && first! % 3 !== 0 ? mutateAt(copy[key]!, rest, replacement) : replacement;
  return copy;
}

// ---------------------------------------------------------------------------------------
// Requests

interface Fixture {
  engagementId: string;
  linkId: string;
  shareToken: string;
  uploadToken: string;
}

const PATH_VALUES = (f: Fixture, name: string): fc.Arbitrary<string> => {
  const valid = {
    id: f.engagementId,
    linkId: f.linkId,
    kind: 'github',
    token: f.shareToken,
  }[name];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(encodeURIComponent(valid ?? 'x')) },
    { weight: 1, arbitrary: fc.constantFrom('jira', 'slack', 'nope', 'GITHUB') },
    { weight: 1, arbitrary: fc.uuid().map(encodeURIComponent) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'not-a-uuid',
        '%00',
        'a%00b',
        '%ED%A0%80', // a lone surrogate, UTF-8 encoded
        '%E0%A4%A', // broken percent-encoding
        '%2e%2e%2f%2e%2e',
        'x'.repeat(600),
        '00000000-0000-0000-0000-000000000000',
        '%F0%9F%92%A5',
      ),
    },
  );
};

const QUERY_VALUE = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('2026-11-02', '2026-12-01', 'bugs', 'issues', '20', '1') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '2099-W01-1',
      '2026-02-30',
      '0000-01-01',
      '99999-01-01',
      '%00',
      '%ED%A0%80',
      '99999999999999999999',
      '2147483648',
      '-1',
      '0',
      '1e3',
      '',
      'x'.repeat(3000),
    ),
  },
);

function queryString(params: { name: string; schema: SchemaObject }[]): fc.Arbitrary<string> {
  const names = [...params.map((p) => p.name), 'from', 'unknown', 'limit[]'];
  return fc
    .array(fc.tuple(fc.constantFrom(...names), QUERY_VALUE), { maxLength: 4 })
    .map((pairs) =>
      pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : '',
    );
}

function jsonBody(schema: SchemaObject): fc.Arbitrary<{ contentType: string; body: string }> {
  const json = (v: Json) => ({ contentType: 'application/json', body: JSON.stringify(v) });
  const mutated = fc
    .tuple(fromSchema(schema), fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }), anyJson)
    .map(([v, path, r]) => json(mutateAt(v, path, r)));
  const deep = fc
    .tuple(
      fromSchema(schema),
      fc.array(fc.nat(50), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(40, 3000),
    )
    .map(([v, path, depth]) => {
      const marker = '"__DEEP__"';
      const text = JSON.stringify(mutateAt(v, path, '__DEEP__'));
      return { contentType: 'application/json', body: text.replace(marker, nestedArrayText(depth)) };
    });
  return fc.oneof(
    { weight: 2, arbitrary: fromSchema(schema).map(json) },
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: anyJson.map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { contentType: 'application/json', body: '{"a":' },
        { contentType: 'application/json', body: '' },
        { contentType: 'application/json', body: '"just a string"' },
        { contentType: 'application/json', body: '{"__proto__":{"polluted":1}}' },
        { contentType: 'application/json; charset=latin1', body: '{}' },
        { contentType: 'application/x-www-form-urlencoded', body: 'name=x&vendorName=y' },
        { contentType: 'text/plain', body: '{"name":"x"}' },
        { contentType: 'multipart/form-data; boundary=x', body: '--x\r\n\r\n--x--' },
        { contentType: 'application/json', body: `[${'1,'.repeat(10)}1]` },
      ),
    },
  );
}

function multipartBody(): fc.Arbitrary<NonNullable<FuzzRequest['multipart']>> {
  const field = fc.oneof(
    nastyString,
    fc.constantFrom('acme/app', 'main', 'abcdef1', 'true', '2026-11-30T00:00:00Z'),
  );
  const valid = { repo: 'acme/app', branch: 'main', sha: 'abcdef1' };
  return fc.record({
    fields: fc.oneof(
      fc.constant(valid),
      fc
        .tuple(fc.constantFrom('repo', 'branch', 'sha', 'committedAt', 'defaultBranch', 'extra'), nastyString)
        .map(([k, v]) => ({ ...valid, [k]: v })),
      fc.record(
        { repo: field, branch: field, sha: field, committedAt: field, defaultBranch: field, extra: field },
        { requiredKeys: [] },
      ),
    ),
    file: fc.option(
      fc.record({
        name: fc.constantFrom('coverage.xml', 'lcov.info', 'coverage.json', 'x'),
        content: fc.constantFrom(
          Buffer.from('<coverage line-rate="2"><packages/></coverage>'),
          Buffer.from('SF:a\nDA:1,1\nend_of_record\n'),
          Buffer.from('{"totals":{"covered_lines":-1}}'),
          Buffer.from([0, 255, 0xed, 0xa0, 0x80]),
          Buffer.from(`<coverage ${'a="1" '.repeat(2000)}/>`),
          ...HUGE_COUNT_REPORTS.map(([, content]) => content),
        ),
      }),
      { nil: undefined, freq: 5 },
    ),
  });
}

function requestFor(op: Operation, f: Fixture): fc.Arbitrary<FuzzRequest> {
  const actors: Actor[] = op.path.startsWith('/api/share/')
    ? ['share', 'anonymous']
    : op.body?.type === 'multipart'
      ? ['upload', 'anonymous', 'admin']
      : ['admin', 'admin', 'admin', 'anonymous', 'share'];
  const path = fc
    .tuple(...op.pathParams.map((p) => PATH_VALUES(f, p)))
    .map((values) => op.pathParams.reduce((p, name, i) => p.replace(`{${name}}`, values[i]!), op.path));
  const body: fc.Arbitrary<Partial<FuzzRequest>> =
    op.body?.type === 'json'
      ? jsonBody(op.body.schema)
      : op.body?.type === 'multipart'
        ? multipartBody().map((multipart) => ({ multipart }))
        : fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: jsonBody({}) });
  const headers = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ Origin: 'https://evil.example' }) },
    { weight: 1, arbitrary: fc.constant({ 'Sec-Fetch-Site': 'cross-site' }) },
    { weight: 1, arbitrary: fc.constant({ Authorization: 'Bearer \u00ff\u00fe' }) },
  );
  return fc
    .tuple(fc.constantFrom(...actors), path, queryString(op.queryParams), body, headers)
    .map(([actor, p, q, b, h]) => ({ op, actor, url: `${p}${q}`, headers: h, ...b }));
}

/** Hand-written cases from the issue, each sent to every route that takes a body. */
function knownCases(ops: Operation[], f: Fixture): FuzzRequest[] {
  const cases: FuzzRequest[] = [];
  const url = (op: Operation) =>
    op.path
      .replace('{id}', f.engagementId)
      .replace('{linkId}', f.linkId)
      .replace('{kind}', 'github')
      .replace('{token}', f.shareToken);
  for (const op of ops) {
    if (op.body?.type !== 'json') continue;
    const raw = (body: string): FuzzRequest => ({
      op,
      actor: op.path === '/api/auth/login' ? 'anonymous' : 'admin',
      url: url(op),
      contentType: 'application/json',
      body,
    });
    const props = Object.keys(op.body.schema.properties ?? {});
    cases.push(raw(nestedArrayText(3000)), raw(`{"${props[0] ?? 'x'}":${nestedArrayText(3000)}}`));
    for (const prop of props) {
      cases.push(
        raw(JSON.stringify({ [prop]: null })),
        raw(JSON.stringify({ [prop]: 'a\u0000b' })),
        raw(JSON.stringify({ [prop]: [[]] })),
        raw(JSON.stringify({ [prop]: 2 ** 31 + 1 })),
        raw(JSON.stringify({ [prop]: `x${LONE_SURROGATE}` })),
        raw(JSON.stringify({ [prop]: '2099-W01-1' })),
      );
    }
  }
  const by = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)!;
  const patch = by('patch', '/api/engagements/{id}');
  const people = by('put', '/api/engagements/{id}/people');
  const share = by('post', '/api/engagements/{id}/share-links');
  const login = by('post', '/api/auth/login');
  const thresholds = by('put', '/api/engagements/{id}/thresholds');
  const create = by('post', '/api/engagements');
  const json = (op: Operation, actor: Actor, v: unknown): FuzzRequest => ({
    op,
    actor,
    url: url(op),
    contentType: 'application/json',
    body: JSON.stringify(v),
  });
  cases.push(
    json(patch, 'admin', { name: null }),
    json(people, 'admin', { people: [[]] }),
    json(share, 'admin', { expiresAt: '2099-W01-1' }),
    json(login, 'anonymous', { email: `${LONE_SURROGATE}@pulse.test`, password: 'x' }),
    json(login, 'anonymous', { email: 'a\u0000@pulse.test', password: 'x\u0000' }),
    json(patch, 'admin', { name: 'a\u0000b', settings: { bugLabels: ['\u0000'] } }),
    json(patch, 'admin', { settings: { bugLabelPattern: '^(\\w*){16}!$' } }),
    json(patch, 'admin', { settings: { bugSlaBusinessDays: { High: 2 ** 31 + 5 } } }),
    json(thresholds, 'admin', {
      thresholds: [{ kpiKey: 'delivery.pr_cycle_time', warn: 1e308, breach: 2 ** 53 }],
    }),
    json(create, 'admin', anEngagementBody({ clientCalendar: { timeZone: 'UTC', weekdays: [2 ** 31] } })),
    json(create, 'admin', anEngagementBody({ syncCron: '*/0 * * * *' })),
    json(
      create,
      'admin',
      anEngagementBody({ vendorCalendar: { timeZone: 'UTC', holidays: ['2099-W01-1'] } }),
    ),
    json(create, 'admin', anEngagementBody({ name: 'x'.repeat(300) })),
    { ...json(create, 'admin', {}), body: `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}` },
  );
  const upload = ops.find((o) => o.body?.type === 'multipart')!;
  for (const body of [
    '--x\r\nContent-Disposition: form-data; name="repo"\r\n\r\nacme/app',
    '--x--',
    '\u0000',
  ])
    cases.push({
      op: upload,
      actor: 'upload',
      url: url(upload),
      contentType: 'multipart/form-data; boundary=x',
      body,
    });
  for (const [name, content] of HUGE_COUNT_REPORTS)
    cases.push({
      op: upload,
      actor: 'upload',
      url: url(upload),
      multipart: { fields: { repo: 'acme/app', branch: 'main', sha: 'abcdef1' }, file: { name, content } },
    });
  const runs = ops.find((o) => o.path === '/api/engagements/{id}/sync-runs')!;
  for (const limit of ['2147483648', '99999999999999999999', '-5', '1e3', '%00'])
    cases.push({ op: runs, actor: 'admin', url: `${url(runs)}?limit=${limit}` });
  const kpis = ops.find((o) => o.path === '/api/engagements/{id}/kpis')!;
  for (const q of ['from=2099-W01-1', 'from=2026-01-01&from=2026-02-01', 'to=%00', 'from=0000-01-01'])
    cases.push({ op: kpis, actor: 'admin', url: `${url(kpis)}?${q}` });
  return cases;
}

// ---------------------------------------------------------------------------------------

function operations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const spec = raw as {
        parameters?: { name: string; in: string; schema?: SchemaObject }[];
        requestBody?: { content: Record<string, { schema: SchemaObject }> };
      };
      const content = spec.requestBody?.content ?? {};
      const body = content['application/json']
        ? { type: 'json' as const, schema: content['application/json'].schema }
        : content['multipart/form-data']
          ? { type: 'multipart' as const, schema: content['multipart/form-data'].schema }
          : undefined;
      ops.push({
        method: method as Operation['method'],
        path,
        pathParams: (spec.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (spec.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(body ? { body } : {}),
      });
    }
  }
  return ops;
}

/** Requests that would end the fuzzing session's own fixtures instead of testing input. */
function destroysFixture(r: FuzzRequest, f: Fixture): boolean {
  if (r.actor !== 'admin') return false;
  if (r.op.path === '/api/auth/logout') return true;
  // A new upload token replaces the one the upload requests carry.
  if (r.op.path === '/api/engagements/{id}/upload-token' && r.url.includes(f.engagementId)) return true;
  return (
    r.op.method === 'delete' &&
    (r.op.path === '/api/engagements/{id}' || r.op.path === '/api/engagements/{id}/share-links/{linkId}') &&
    r.url.startsWith(`/api/engagements/${f.engagementId}`)
  );
}

describe.each(DATABASE_KINDS)('malformed requests on %s', (kind) => {
  let api: ApiHarness;
  let base: string;
  let cookie: string;
  let fixture: Fixture;
  let doc: { paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    // A high login limit keeps the fuzzed sign-ins reaching validation instead of a 429.
    api = await startApi(kind, { LOGIN_RATE_LIMIT: '100000' });
    const server = api.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await request(base).post('/api/auth/login').send(ADMIN).expect(200);
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const e = await request(base)
      .post('/api/engagements')
      .set('Cookie', cookie)
      .send(anEngagementBody())
      .expect(201);
    const link = await request(base)
      .post(`/api/engagements/${e.body.id}/share-links`)
      .set('Cookie', cookie)
      .send({ allowDrillDown: true })
      .expect(201);
    const upload = await request(base)
      .post(`/api/engagements/${e.body.id}/upload-token`)
      .set('Cookie', cookie)
      .expect(201);
    fixture = {
      engagementId: e.body.id,
      linkId: link.body.id,
      shareToken: link.body.token,
      uploadToken: upload.body.token,
    };
    doc = (await request(base).get('/api/docs/openapi.json').expect(200)).body;
  }, 180_000);
  afterAll(() => api.close());

  async function send(r: FuzzRequest): Promise<{ status: number; text: string }> {
    let req = request(base)[r.op.method](r.url);
    if (r.actor === 'admin') req = req.set('Cookie', cookie);
    if (r.actor === 'share') req = req.set('Authorization', `Bearer ${fixture.shareToken}`);
    if (r.actor === 'upload') req = req.set('Authorization', `Bearer ${fixture.uploadToken}`);
    for (const [k, v] of Object.entries(r.headers ?? {})) req = req.set(k, v);
    if (r.multipart) {
      for (const [k, v] of Object.entries(r.multipart.fields)) req = req.field(k, v);
      if (r.multipart.file) req = req.attach('report', r.multipart.file.content, r.multipart.file.name);
    } else if (r.body !== undefined) {
      req = req.set('Content-Type', r.contentType ?? 'application/json').send(r.body);
    }
    const res = await req.timeout({ response: 60_000 }).ok(() => true);
    return { status: res.status, text: res.text };
  }

  it('answers every malformed request below 500, and /health still answers afterwards', async () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const perRoute = Math.ceil(RUNS[kind] / ops.length);
    const generated = ops.flatMap((op) =>
      fc.sample(requestFor(op, fixture), { numRuns: perRoute, seed: SEED + ops.indexOf(op) }),
    );
    const all = [...knownCases(ops, fixture), ...generated].filter((r) => !destroysFixture(r, fixture));

    const failures: string[] = [];
    const statusesByRoute = new Map<string, Set<number>>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < all.length) {
          const r = all[next++]!;
          const { status, text } = await send(r);
          const route = `${r.op.method} ${r.op.path}`;
          if (!statusesByRoute.has(route)) statusesByRoute.set(route, new Set());
          statusesByRoute.get(route)!.add(status);
          if (status >= 500 && failures.length < 20) {
            const body =
              typeof r.body === 'string' ? r.body.slice(0, 200) : JSON.stringify(r.multipart?.fields);
            failures.push(
              `${status} ${r.actor} ${r.op.method.toUpperCase()} ${r.url.slice(0, 200)} ${body} → ${text.slice(0, 200)}`,
            );
          }
        }
      }),
    );

    if (process.env.PULSE_FUZZ_REPORT)
      process.stdout.write(
        `${[...statusesByRoute].map(([r, st]) => `${r}: ${[...st].sort().join(',')}`).join('\n')}\n`,
      );
    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect(all.length).toBeGreaterThanOrEqual(kind === 'sqlite' ? 2000 : 700);
    // Every documented route was exercised.
    expect([...statusesByRoute.keys()].sort()).toEqual(ops.map((o) => `${o.method} ${o.path}`).sort());

    const deadline = Date.now() + 30_000;
    let health = 0;
    while (health !== 200 && Date.now() < deadline) {
      health = (
        await request(base)
          .get('/health')
          .timeout({ response: 30_000 })
          .ok(() => true)
      ).status;
    }
    expect(health).toBe(200);
  }, 240_000);
});
