// Chromium performance benchmark of the two screens a manager waits for: the engagement page
// (every KPI chart drawn) and the drill-down drawer (its rows on screen after the click).
// Starts everything on loopback — redis-server, the sandbox, the API serving the built
// dashboard (`nx run dashboard:build` first), the worker — lets the demo engagements sync,
// then drives Debian's /usr/bin/chromium through playwright-core. Bounded: a fixed number of
// runs, each with a deadline. Run: see scripts/bench/README.md.
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { KpiValueEntity, SyncRunEntity } from '@pulse/db';
import { startSandbox } from '../../apps/sandbox/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker-config';
import { ADMIN, startApi } from '../../test/api-harness';
import { startRedis } from '../../test/services';

// The in-page functions below run in Chromium; the root tsconfig has no DOM library, so the
// little of the DOM they use is declared here, for this file only.
interface PageElement {
  getBoundingClientRect(): { top: number; bottom: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  click(): void;
}
interface ResourceTiming {
  name: string;
  startTime: number;
  responseEnd: number;
}
declare const document: PageElement;
declare function requestAnimationFrame(callback: () => void): number;
declare const innerHeight: number;

const root = join(__dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** The drawers opened after each load, in this order (BENCH_DRAWERS=key,key… changes it). */
const DRAWERS = (
  process.env.BENCH_DRAWERS ??
  'delivery.pr_cycle_time,quality.open_bugs,delivery.prs_merged,quality.merged_without_review'
).split(',');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
/** BENCH_RETURNING=n: after the runs, n visits of a returning user (see returningVisits). */
const RETURNING = Number(process.env.BENCH_RETURNING ?? 0);
const VIEWPORT = { width: 1366, height: 900 };
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'loading',
];

async function until<T>(what: string, check: () => Promise<T | null | undefined | false | 0>): Promise<T> {
  const deadline = Date.now() + 400_000; // a loaded 2-core box has needed over 3 min
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * In the page: resolves with performance.now() (ms since navigation start) at the first
 * animation frame where every KPI card within the first two screens of the page has its chart
 * drawn (a line or, for isolated weeks, dots) and nothing is loading any more. Charts further
 * down are drawn as they come near the viewport (kpi-chart.component.tsx), so "complete" is
 * what the user sees and the next scroll.
 */
function pageComplete(): Promise<{ complete: number; scripts: number; data: number; onScreen: number }> {
  return new Promise((resolve, reject) => {
    // Where the time went: the last script and the last API answer, in ms since navigation.
    const phases = (complete: number, onScreen: number) => {
      const res = performance.getEntriesByType('resource') as unknown as ResourceTiming[];
      const end = (xs: ResourceTiming[]) => Math.max(0, ...xs.map((r) => r.responseEnd));
      return {
        complete,
        onScreen,
        scripts: end(res.filter((r) => r.name.endsWith('.js'))),
        data: end(res.filter((r) => r.name.includes('/api/'))),
      };
    };
    const deadline = performance.now() + 30_000;
    const check = () => {
      const all = [...document.querySelectorAll('[data-testid^="kpi-card-"]')];
      // Charts in the first two screens: what is on screen and the next scroll (the health
      // explanation can fill the first screen on its own on a red engagement).
      const cards = all.filter(
        (c) =>
          (c.querySelector('.kpi-chart, .kpi-chart__empty') ?? c).getBoundingClientRect().top <
          2 * innerHeight,
      );
      const drawn = cards.filter((c) =>
        c.querySelector('.recharts-line-curve[d]:not([d=""]), .recharts-line-dots circle, .kpi-chart__empty'),
      );
      const loading = document.querySelector('.loading');
      if (all.length > 0 && cards.length > 0 && drawn.length === cards.length && !loading)
        return resolve(phases(performance.now(), cards.length));
      if (performance.now() > deadline)
        return reject(new Error(`page incomplete: ${drawn.length}/${cards.length}`));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

/** In the page: clicks a KPI's drill-down link; resolves with ms from the click to its rows on screen. */
function openDrawer(key: string): Promise<{ ms: number; rows: number; api: number | null }> {
  return new Promise((resolve, reject) => {
    const link = document.querySelector(`[data-testid="drill-link-${key}"]`);
    if (!link) return reject(new Error(`no drill-down link for ${key}`));
    performance.clearResourceTimings();
    const t0 = performance.now();
    link.click();
    const check = () => {
      const drawer = document.querySelector('[data-testid="drill-down"][open]');
      const rows = drawer?.querySelectorAll('[data-testid="drill-row"]').length ?? 0;
      const empty = drawer?.querySelector('[data-testid="drill-empty"]');
      if (drawer && (rows > 0 || empty)) {
        const fetches = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/api/')) as unknown as ResourceTiming[];
        const api = fetches.length ? Math.max(...fetches.map((f) => f.responseEnd - f.startTime)) : null;
        return resolve({ ms: performance.now() - t0, rows, api });
      }
      if (performance.now() - t0 > 30_000) return reject(new Error(`drawer for ${key} did not fill`));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `median ${Math.round(median(xs))} ms, min ${Math.round(Math.min(...xs))}, max ${Math.round(Math.max(...xs))}`;

async function closeDrawer(page: Page): Promise<void> {
  await page.getByTestId('drill-close').click();
  await page.waitForSelector('[data-testid="drill-down"]', { state: 'detached', timeout: 30_000 });
}

/**
 * BENCH_PROFILE=1: a CPU profile of one more page load, top self time by function (for finding
 * hot spots); BENCH_PROFILE=cold profiles the first, cold load instead.
 */
async function startProfile(page: Page): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile: p } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const dt = new Map<number, number>();
    (p.samples ?? []).forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0)));
    for (const n of p.nodes) {
      const f = n.callFrame;
      const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
    }
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    process.stdout.write(`${top.map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n')}\n`);
  };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}
type Trace = { traceEvents: TraceEvent[] };
/** What a long task spent its time in, by the trace events nested in it. */
const TASK_PARTS: Record<string, string> = {
  'DocumentLoader::CommitNavigation': 'start the document',
  'v8.evaluateModule': 'run modules',
  FunctionCall: 'script',
  ParseHTML: 'parse HTML',
  'Document::UpdateStyleAndLayout': 'forced layout',
  Layout: 'layout',
  UpdateLayoutTree: 'style',
  Paint: 'paint',
  MinorGC: 'GC',
  MajorGC: 'GC',
};

/**
 * The page's main-thread tasks over 15 ms in a Chromium trace, in ms since navigation start
 * (placed by the trace's first paint, whose time the page reports), each with what it spent
 * its time in. Nested parts overlap (a forced layout runs inside a script).
 */
function longTasks(trace: Trace, firstPaint: number | null): string {
  const events = trace.traceEvents;
  const threads = events.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  const key = (e: { pid: number; tid: number }) => `${e.pid}:${e.tid}`;
  const count = new Map<string, number>();
  for (const e of events) if (e.ph === 'X') count.set(key(e), (count.get(key(e)) ?? 0) + 1);
  // the page's renderer: the main thread with the most work in the trace
  const main = threads.map(key).sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0))[0];
  const own = events.filter((e) => e.ph === 'X' && key(e) === main).sort((a, b) => a.ts - b.ts);
  const paint = events.find((e) => e.name === 'firstPaint' && key(e) === main);
  const origin = paint && firstPaint !== null ? paint.ts - firstPaint * 1000 : (own[0]?.ts ?? 0);
  const lines = ['main-thread tasks over 15 ms of the first load (ms since navigation):'];
  for (const task of own.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 15_000)) {
    const end = task.ts + (task.dur ?? 0);
    const parts = new Map<string, number>();
    for (const e of own) {
      const part = TASK_PARTS[e.name];
      if (part && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end)
        parts.set(part, (parts.get(part) ?? 0) + (e.dur ?? 0));
    }
    const what = [...parts]
      .filter(([, us]) => us >= 1000)
      .sort((a, b) => b[1] - a[1])
      .map(([part, us]) => `${part} ${Math.round(us / 1000)}`)
      .join(', ');
    lines.push(
      `  ${Math.round((task.ts - origin) / 1000)}–${Math.round((end - origin) / 1000)} ms (${Math.round((task.dur ?? 0) / 1000)} ms): ${what}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function profile(page: Page, url: string): Promise<void> {
  const stop = await startProfile(page);
  await page.goto(url, { waitUntil: 'commit' });
  await page.evaluate(pageComplete);
  await stop();
}

/**
 * A manager opening Pulse again another day: Chromium with one profile directory kept between
 * launches (its HTTP cache and V8's code cache survive; the renderer and everything in memory
 * do not), the browser closed and started again before each visit. The first visit is that
 * profile's first ever, as cold as the benchmark's first run. Returns each visit's "complete".
 */
async function returningVisits(base: string, url: string, visits: number): Promise<number[]> {
  const profileDir = mkdtempSync(join(tmpdir(), 'pulse-bench-profile-'));
  const complete: number[] = [];
  try {
    for (let visit = 0; visit <= visits; visit++) {
      const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: '/usr/bin/chromium',
        args: CHROMIUM_ARGS,
        viewport: VIEWPORT,
      });
      try {
        const login = await context.request.post(`${base}/api/auth/login`, {
          data: { email: ADMIN.email, password: ADMIN.password },
          headers: { Origin: base },
        });
        if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(url, { waitUntil: 'commit' });
        complete.push((await page.evaluate(pageComplete)).complete);
      } finally {
        await context.close();
      }
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
  return complete;
}

async function main(): Promise<void> {
  const dist = join(root, 'dist/dashboard');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('build the dashboard first: nx run dashboard:build');
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const redis = await startRedis(dir);
  process.env.PULSE_TEST_REDIS_URL = redis.url;
  process.env.PULSE_TEST_TMP = dir;
  const sandbox = await startSandbox({ port: 0, now: new Date().toISOString() });
  // The demo's connections point at the sandbox on loopback: allowed explicitly, as an admin would.
  const allowed = new URL(sandbox.url).host;
  const api = await startApi('sqlite', {
    PULSE_DEMO_SANDBOX_URL: sandbox.url,
    PULSE_DASHBOARD_DIR: dist,
    PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
  });
  let worker: INestApplicationContext | undefined;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await api.app.listen(0, '127.0.0.1');
    const base = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
    const db = api.app.get(DataSource);
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const engagements = (await agent.get('/api/engagements').expect(200)).body as {
      id: string;
      name: string;
    }[];
    for (const e of engagements) {
      await until(`demo sync of ${e.name}`, async () => {
        const run = await db.getRepository(SyncRunEntity).findOneBy({ engagementId: e.id, trigger: 'demo' });
        return run && !['queued', 'running'].includes(run.status) ? run : null;
      }).then((run) => process.stderr.write(`demo sync of ${e.name}: ${run.status} ${run.error ?? ''}\n`));
      await until(`rollup of ${e.name}`, () =>
        db.getRepository(KpiValueEntity).countBy({ engagementId: e.id, period: 'trailing' }),
      );
    }
    const slipping = engagements.find((e) => e.name === 'Demo: slipping');
    if (!slipping) throw new Error('the demo engagement "Demo: slipping" is missing');

    const context = await browser.newContext({ viewport: VIEWPORT });
    const login = await context.request.post(`${base}/api/auth/login`, {
      data: { email: ADMIN.email, password: ADMIN.password },
      headers: { Origin: base },
    });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    const url = `${base}/engagements/${slipping.id}`;

    // Main-thread busy time (CDP Performance.TaskDuration): unlike wall-clock time it hardly
    // depends on how many other processes share the two cores.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    };
    const since = async (before: number): Promise<number> => {
      const after = await busy();
      return after >= before ? after - before : after; // a new renderer starts from 0
    };
    const pageBusy: number[] = [];
    const drawerBusy: number[] = [];
    const complete: number[] = [];
    const scripts: number[] = [];
    const data: number[] = [];
    let charts = 0;
    let onScreen = 0;
    const drawer = new Map<string, number[]>();
    const drawerApi = new Map<string, number[]>();
    const drawerRows = new Map<string, number>();
    const apiMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const stopProfile = run === 0 && process.env.BENCH_PROFILE === 'cold' ? await startProfile(page) : null;
      // BENCH_TRACE=file: a Chromium trace of the first, cold load (DevTools' Performance panel
      // opens it): which task of the main thread took how long, and on what.
      const trace = run === 0 ? process.env.BENCH_TRACE : undefined;
      if (trace) await browser.startTracing(page, { path: trace, categories: TRACE_CATEGORIES });
      const before = await busy();
      await page.goto(url, { waitUntil: 'commit' });
      const p = await page.evaluate(pageComplete).catch(async (e: unknown) => {
        // Say what was on screen instead: a sign-in form, an error, a spinner.
        const text = (
          await page
            .locator('body')
            .innerText()
            .catch(() => '')
        ).slice(0, 600);
        throw new Error(
          `${e instanceof Error ? e.message : String(e)} at ${page.url()}; the page said: ${text}`,
        );
      });
      pageBusy.push(await since(before));
      if (trace) {
        await browser.stopTracing();
        const firstPaint = (await page.evaluate(
          "performance.getEntriesByName('first-paint')[0]?.startTime ?? null",
        )) as number | null;
        process.stdout.write(longTasks(JSON.parse(readFileSync(trace, 'utf8')) as Trace, firstPaint));
      }
      if (stopProfile) {
        await stopProfile();
        // and when each file and answer of that load arrived
        const timings = (await page.evaluate(
          "performance.getEntriesByType('resource').map((r) => [r.name, r.startTime, r.responseEnd])",
        )) as [string, number, number][];
        for (const [name, start, end] of timings)
          process.stdout.write(`${Math.round(start)}–${Math.round(end)} ms  ${name.replace(base, '')}\n`);
      }
      complete.push(p.complete);
      scripts.push(p.scripts);
      data.push(p.data);
      charts = await page.locator('.kpi-chart svg.recharts-surface').count();
      onScreen = p.onScreen;
      // BENCH_SHOTS=dir keeps a screenshot of the page and a drawer, to see what was measured.
      if (run === 0 && process.env.BENCH_SHOTS) {
        await page.screenshot({
          path: join(process.env.BENCH_SHOTS, 'bench-engagement.png'),
          fullPage: true,
        });
      }
      for (const key of DRAWERS) {
        const b = await busy();
        const r = await page.evaluate(openDrawer, key);
        drawerBusy.push(await since(b));
        drawer.set(key, [...(drawer.get(key) ?? []), r.ms]);
        drawerRows.set(key, r.rows);
        if (r.api !== null) {
          apiMs.push(r.api);
          drawerApi.set(key, [...(drawerApi.get(key) ?? []), r.api]);
        }
        if (run === 0 && process.env.BENCH_SHOTS) {
          await page.screenshot({ path: join(process.env.BENCH_SHOTS, `bench-drawer-${key}.png`) });
        }
        await closeDrawer(page);
      }
    }
    if (process.env.BENCH_PROFILE && process.env.BENCH_PROFILE !== 'cold') await profile(page, url);
    const returning = RETURNING > 0 ? await returningVisits(base, url, RETURNING) : [];
    const [l1, l5, l15] = loadavg().map((x) => x.toFixed(2));
    const lines = [
      `engagement page complete (${onScreen} cards in the first two screens, ${charts} charts drawn, ${RUNS} full loads, first is cold): ${fmt(complete)}; runs ${complete.map(Math.round).join(', ')}`,
      `  of which: last script loaded ${fmt(scripts)}; last API answer ${fmt(data)}; runs ${scripts.map((x, i) => `${Math.round(x)}/${Math.round(data[i]!)}`).join(', ')}`,
      `  main-thread busy time for it: ${fmt(pageBusy)}`,
      ...[...drawer].map(
        ([key, xs]) =>
          `drawer ${key} (${drawerRows.get(key) ?? 0} rows): ${fmt(xs)}; its API answer: ${drawerApi.has(key) ? fmt(drawerApi.get(key)!) : 'cached'}`,
      ),
      `drawer, all: ${fmt([...drawer.values()].flat())}; its API answer: ${apiMs.length ? fmt(apiMs) : 'cached'}`,
      `drawer main-thread busy time: ${fmt(drawerBusy)}`,
      ...(returning.length
        ? [
            `engagement page complete, a returning visitor (browser restarted before each visit, its profile kept; the first visit is the profile's first): first ${Math.round(returning[0]!)} ms; then ${fmt(returning.slice(1))}; runs ${returning.slice(1).map(Math.round).join(', ')}`,
          ]
        : []),
      `load average during the run: ${l1}, ${l5}, ${l15}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await worker?.close();
    await api.close();
    await sandbox.close();
    redis.process.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
