// Coverage uploads cannot stop the API: oversized reports get a clear 413, hostile XML a clear
// 400, and a large report is parsed on a worker thread while the API keeps answering.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

describe('coverage upload under hostile input', () => {
  let api: ApiHarness;
  let base: string;
  let engagementId: string;
  let token: string;

  beforeAll(async () => {
    api = await startApi('sqlite');
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    engagementId = (await agent.post('/api/engagements').send(anEngagementBody()).expect(201)).body.id;
    token = (await agent.post(`/api/engagements/${engagementId}/upload-token`).expect(201)).body.token;
  });
  afterAll(() => api?.close());

  async function upload(report: string | Buffer): Promise<{ status: number; body: { message?: string } }> {
    const form = new FormData();
    form.set('repo', 'acme/payments');
    form.set('branch', 'main');
    form.set('sha', 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0');
    form.set('committedAt', '2026-11-18T10:00:00Z');
    form.set('report', new Blob([report]), 'coverage.xml');
    const res = await fetch(`${base}/api/engagements/${engagementId}/coverage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  }

  it('refuses a report over 10 MB with 413 and says what to upload instead', async () => {
    const res = await upload(Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than 10 MB/);
  });

  it('refuses 500 000 attributes on one element with 400, naming the problem', async () => {
    const hostile = `<coverage${Array.from({ length: 500_000 }, (_, i) => ` a${i}="1"`).join('')}/>`;
    expect(hostile.length).toBeLessThan(10 * 1024 * 1024);
    const res = await upload(hostile);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/more than 64 attributes/);
  });

  it('refuses over a million elements with 400', async () => {
    const res = await upload(`<coverage>${'<a/>'.repeat(1_200_000)}</coverage>`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/more than 1000000 XML elements/);
  });

  it('parses a large report off the event loop: /health keeps answering during it', async () => {
    // ~8 MB of <line> elements and no totals on the root, so every element must be parsed
    // and counted: seconds of CPU that used to run on the API's only thread.
    const lines = 240_000;
    const body = Array.from({ length: lines }, (_, i) => `<line number="${i + 1}" hits="${i % 2}"/>`).join(
      '',
    );
    const report = `<?xml version="1.0" ?><coverage version="7.6"><packages><package name="p"><classes><class name="c" filename="c.py"><lines>${body}</lines></class></classes></package></packages></coverage>`;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    let uploadDone = false;
    const uploading = upload(report).finally(() => (uploadDone = true));

    // Ask for /health one request after another for as long as the upload runs.
    const healthLatencies: number[] = [];
    while (!uploadDone) {
      const t = Date.now();
      const res = await fetch(`${base}/health`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      if (!uploadDone) healthLatencies.push(Date.now() - t);
    }
    const result = await uploading;
    const uploadMs = Date.now() - started;
    delay.disable();

    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ linesCovered: lines / 2, linesValid: lines });
    // /health was answered while the upload was still being processed…
    expect(healthLatencies.length).toBeGreaterThan(0);
    // …and never had to wait out the parse: in-process, one /health request and the event loop
    // stalled for about as long as the whole upload.
    expect(Math.max(...healthLatencies)).toBeLessThan(uploadMs / 2);
    expect(delay.max / 1e6).toBeLessThan(uploadMs / 2);
  });
});
