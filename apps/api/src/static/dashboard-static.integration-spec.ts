// Production is production: the dashboard is built exactly as `nx run dashboard:build` builds
// it, but under NODE_ENV=test (what `npm test` exports, and what leaked into `npm start`
// through Nx's machine-wide cache), then served by the real API as users get it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startApi, type ApiHarness } from '../../../../test/api-harness';

const root = join(__dirname, '../../../..');

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET (fetch would decompress on its own and hide Content-Encoding's effect). */
function get(base: string, path: string, acceptEncoding?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard as served in production', () => {
  let out: string;
  let api: ApiHarness;
  let base: string;
  let scripts: string[];

  beforeAll(async () => {
    out = mkdtempSync(join(process.env.PULSE_TEST_TMP!, 'dashboard-'));
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/dashboard/vite.config.mts',
        '--outDir',
        out,
        '--logLevel',
        'error',
      ],
      { cwd: root, env: { ...process.env, NODE_ENV: 'test' }, stdio: 'pipe' },
    );
    scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    // A stray source map must not be served even if one ends up in the folder.
    writeFileSync(join(out, 'assets', `${scripts[0]}.map`), '{"sources":["secret.ts"]}');
    api = await startApi('sqlite', { PULSE_DASHBOARD_DIR: out });
    await api.app.listen(0, '127.0.0.1');
    base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await api?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('is React’s production build even when built under NODE_ENV=test, with no source maps', () => {
    const code = scripts.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    expect(code).toContain('Minified React error');
    expect(code).not.toContain('react-dom.development');
    expect(code).not.toContain('Each child in a list should have a unique');
    expect(code).not.toMatch(/sourceMappingURL/);
    expect(readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.map'))).toEqual([`${scripts[0]}.map`]);
  });

  it('serves hashed assets precompressed (brotli, else gzip) with immutable caching', async () => {
    const asset = `/assets/${scripts[0]}`;
    const original = readFileSync(join(out, 'assets', scripts[0]!));

    const br = await get(base, asset, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);

    const gz = await get(base, asset, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);

    const plain = await get(base, asset);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('serves every script compressed with exactly the bytes of the built file', async () => {
    // Copies compressed before Vite finished rewriting its chunks kept its __VITE_PRELOAD__
    // placeholder, and every lazily loaded page failed in the browser.
    for (const script of scripts) {
      const original = readFileSync(join(out, 'assets', script));
      const br = await get(base, `/assets/${script}`, 'br');
      expect({ script, same: brotliDecompressSync(br.body).equals(original) }).toEqual({
        script,
        same: true,
      });
      const gz = await get(base, `/assets/${script}`, 'gzip');
      expect({ script, same: gunzipSync(gz.body).equals(original) }).toEqual({ script, same: true });
    }
    expect(scripts.length).toBeGreaterThan(3);
  });

  it('serves index.html (and client-side routes) compressed with no-cache', async () => {
    for (const path of [
      '/',
      '/engagements/1234/drill-down',
      '/engagements/1234/kpi/delivery.pr_cycle_time',
    ]) {
      const res = await get(base, path, 'br');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(brotliDecompressSync(res.body).toString()).toContain('<div id="root">');
    }
  });

  it('never serves source maps, and answers 404 for missing assets instead of the page', async () => {
    expect((await get(base, `/assets/${scripts[0]}.map`)).status).toBe(404);
    expect((await get(base, '/assets/gone-1234abcd.js')).status).toBe(404);
    expect((await get(base, '/assets/../../package.json')).status).toBe(404);
    // The API is not shadowed by the dashboard.
    expect((await get(base, '/health')).headers['content-type']).toMatch(/json/);
  });

  it('the Nx build of the dashboard is keyed on NODE_ENV, so a cached build never crosses environments', () => {
    const project = JSON.parse(readFileSync(join(root, 'apps/dashboard/project.json'), 'utf8')) as {
      targets: { build: { inputs?: unknown[] } };
    };
    expect(project.targets.build.inputs).toEqual(expect.arrayContaining([{ env: 'NODE_ENV' }]));
  });
});
