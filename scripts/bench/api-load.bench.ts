// Load benchmark of the dashboard's read routes against the real API, on SQLite and on
// PostgreSQL. Starts everything itself on loopback (redis-server, PostgreSQL, the sandbox,
// the API and the worker as separate Node processes, as `npm start` does), waits until the
// demo engagements are synced and rolled up, signs in, then drives autocannon against one
// route at a time, bounded in time and connections. Run: see scripts/bench/README.md.
//
//   node -r @swc-node/register scripts/bench/api-load.bench.ts [sqlite,postgres] [--seconds=10]
//     [--connections=10] [--rate=500] [--routes=kpis,list] [--identity] [--prof] [--keep]
//     [--log-level=warn]
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { QUEUE_ROLLUP, QUEUE_SYNC, type EngagementDto, type SyncRunDto } from '@pulse/contracts';
import { redisOptionsFrom } from '@pulse/db';
import { startSandbox } from '../../apps/sandbox/src';
import { freePort, startServices, stopServices } from '../../test/services';

type DatabaseKind = 'sqlite' | 'postgres';

const ROOT = resolve(__dirname, '../..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const KINDS = (args.find((a) => !a.startsWith('--')) ?? 'sqlite,postgres').split(',') as DatabaseKind[];
const SECONDS = Number(flag('seconds', '10'));
const CONNECTIONS = Number(flag('connections', '10'));
const RATE = Number(flag('rate', '500'));
const ONLY = flag('routes', '');
const PROFILE = args.includes('--prof');
/** Ask for uncompressed answers (default: the Accept-Encoding Chromium sends). */
const IDENTITY = args.includes('--identity');
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
/** Keep the work directory (logs, the synced SQLite file) for profiling the read path offline. */
const KEEP = args.includes('--keep');
const LOG_LEVEL = flag('log-level', 'warn');
const ADMIN = { email: 'admin@pulse.local', password: randomBytes(12).toString('base64url') };
/** Generous: two engagements synced from the sandbox by one worker on a shared 2-core box. */
const SYNC_TIMEOUT_MS = 15 * 60_000;

for (const kind of KINDS) {
  if (kind !== 'sqlite' && kind !== 'postgres')
    throw new Error(`unknown database ${kind}: sqlite or postgres`);
}
if (![SECONDS, CONNECTIONS, RATE].every((n) => Number.isInteger(n) && n > 0 && n <= 1000)) {
  throw new Error('--seconds, --connections and --rate take whole numbers from 1 to 1000');
}

const log = (message: string) => process.stderr.write(`[api-load] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  alive: () => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    alive();
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
}

/** A Pulse app in its own Node process, compiled on the fly like the other benchmarks. */
function startApp(name: 'api' | 'worker', env: Record<string, string>, dir: string): Child {
  const logFile = join(dir, `${name}.log`);
  const out = createWriteStream(logFile);
  const nodeArgs = ['-r', '@swc-node/register'];
  if (PROFILE && name === 'api') nodeArgs.push('--prof', '--logfile=' + join(dir, 'api-%p.v8.log'));
  const child = spawn(process.execPath, [...nodeArgs, `apps/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, process: child, logFile };
}

function assertAlive(child: Child): () => void {
  return () => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      const tail = readFileSync(child.logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`the ${child.name} exited during start-up:\n${tail}`);
    }
  };
}

async function stopApp(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((r) => child.process.once('exit', r));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

class Session {
  private cookie = '';
  constructor(readonly base: string) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('pulse_session='));
    if (!set) throw new Error('sign-in set no pulse_session cookie');
    this.cookie = set.split(';')[0]!;
  }

  get headers(): Record<string, string> {
    return { cookie: this.cookie };
  }

  async json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!res.ok)
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
}

interface Route {
  key: string;
  label: string;
  path: string;
  /** Public routes carry no session cookie. */
  anonymous?: boolean;
  /** A different client address per request (see the share view below). */
  rotateClientIp?: boolean;
}

interface Figures {
  route: string;
  mode: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  /** API process CPU time per answered request. */
  cpuPerRequest: number;
  uptime: string;
}

/**
 * CPU time (user + system, ms) the process has used so far, from /proc. On a shared machine
 * wall-clock figures swing with everyone else's load; CPU per request barely does.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

const uptime = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One bounded autocannon run; percentiles come from every response's own latency. */
async function drive(
  base: string,
  route: Route,
  headers: Record<string, string>,
  options: { seconds: number; connections: number; rate?: number; pid?: number },
): Promise<Omit<Figures, 'mode' | 'uptime'>> {
  const cpuBefore = cpuMs(options.pid);
  let ip = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    ...(options.rate ? { overallRate: options.rate } : {}),
    // as the dashboard's browser asks: compressed answers where the API offers them
    headers: {
      ...(IDENTITY ? {} : { 'accept-encoding': BROWSER_ACCEPT_ENCODING }),
      ...(route.anonymous ? {} : headers),
    },
    requests: [
      {
        method: 'GET',
        path: route.path,
        ...(route.rotateClientIp
          ? {
              setupRequest: (req) => {
                ip += 1;
                const addr = `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
                return { ...req, headers: { ...req.headers, 'x-forwarded-for': addr } };
              },
            }
          : {}),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const cpu = cpuMs(options.pid) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    route: route.label,
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

/**
 * An open-loop run at a steady rate: one request every 1000/rate ms on its schedule, whether
 * or not the earlier ones were answered (autocannon's `overallRate` instead sends each
 * second's quota back to back, then idles: bursts at full concurrency). Each latency runs
 * from the request's scheduled instant, so a stalled server is not excused by sending less
 * (no coordinated omission). Bounded: `seconds` of sending, then at most 10 s for stragglers.
 */
async function drivePaced(
  base: string,
  route: Route,
  headers: Record<string, string>,
  options: { seconds: number; rate: number; pid?: number },
): Promise<Omit<Figures, 'mode' | 'uptime'>> {
  const cpuBefore = cpuMs(options.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(route.path, base);
  const latencies: number[] = [];
  let sent = 0;
  let ip = 0;
  const pending = new Set<Promise<void>>();
  const one = (scheduledAt: number): Promise<void> =>
    new Promise<void>((done) => {
      ip += 1;
      const req = http.get(
        url,
        {
          agent,
          timeout: 10_000,
          headers: {
            ...(IDENTITY ? {} : { 'accept-encoding': BROWSER_ACCEPT_ENCODING }),
            ...(route.anonymous ? {} : headers),
            ...(route.rotateClientIp
              ? { 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300)
              latencies.push(performance.now() - scheduledAt);
            done();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done());
    });
  const interval = 1000 / options.rate;
  const start = performance.now();
  const total = Math.round(options.seconds * options.rate);
  while (sent < total) {
    const due = start + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait - 0.5));
    // everything due by now goes out, each timed from its own schedule
    while (sent < total && start + sent * interval <= performance.now()) {
      const p = one(start + sent * interval);
      pending.add(p);
      void p.then(() => pending.delete(p));
      sent++;
    }
  }
  await Promise.race([Promise.all([...pending]), new Promise((r) => setTimeout(r, 10_000))]);
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuMs(options.pid) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    route: route.label,
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    requests: sent,
    // non-2xx, connection errors, timeouts and requests still unanswered at the end
    errors: sent - latencies.length,
    cpuPerRequest: cpu / Math.max(1, latencies.length),
  };
}

async function newPostgresDatabase(adminUrl: string): Promise<string> {
  const name = `pulse_bench_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

async function queuesIdle(redisUrl: string, prefix: string): Promise<boolean> {
  // Not 'delayed': every engagement's job scheduler always holds its next run there.
  const states = ['waiting', 'active', 'prioritized', 'waiting-children'] as const;
  for (const name of [QUEUE_SYNC, QUEUE_ROLLUP]) {
    const queue = new Queue(name, { connection: redisOptionsFrom(redisUrl), prefix });
    try {
      const counts = await queue.getJobCounts(...states);
      if (states.some((s) => (counts[s] ?? 0) > 0)) return false;
    } finally {
      await queue.close();
    }
  }
  return true;
}

async function benchDatabase(
  kind: DatabaseKind,
  services: { redisUrl: string; postgresUrl: string },
  sandboxUrl: string,
  workDir: string,
): Promise<Figures[]> {
  const dir = mkdtempSync(join(workDir, `${kind}-`));
  mkdirSync(join(dir, 'data'), { mode: 0o700 });
  const port = await freePort();
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: prefix,
    PULSE_DATA_DIR: join(dir, 'data'),
    PULSE_SECRET_KEY: randomBytes(32).toString('hex'),
    PULSE_ADMIN_EMAIL: ADMIN.email,
    PULSE_ADMIN_PASSWORD: ADMIN.password,
    PULSE_DEMO_SANDBOX_URL: sandboxUrl,
    // The demo's connections point at the sandbox on loopback, which the outbound policy
    // refuses unless an admin allows that host.
    PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandboxUrl).host,
    PULSE_DASHBOARD_DIR: join(dir, 'no-dashboard'),
    // The share view is limited per client address; the benchmark plays many vendors, each
    // from its own address, through X-Forwarded-For (see drive()).
    PULSE_TRUST_PROXY: 'true',
    LOG_LEVEL,
    ...(kind === 'postgres' ? { DATABASE_URL: await newPostgresDatabase(services.postgresUrl) } : {}),
  };
  const base = `http://127.0.0.1:${port}`;
  const api = startApp('api', env, dir);
  let worker: Child | undefined;
  try {
    await waitUntil(
      'the API to answer /health',
      180_000,
      async () => {
        const res = await fetch(`${base}/health`);
        return res.ok ? true : undefined;
      },
      assertAlive(api),
    );
    worker = startApp('worker', env, dir);
    const session = new Session(base);
    // Seen answering 401 to the very first sign-in now and then; wait for it to work.
    await waitUntil('the first admin to sign in', 60_000, () => session.signIn().then(() => true));

    const startedSync = Date.now();
    const engagements = await waitUntil('the demo engagements', 120_000, async () => {
      const list = await session.json<EngagementDto[]>('/api/engagements');
      return list.length >= 2 ? list : undefined;
    });
    const aliveWorker = assertAlive(worker);
    await waitUntil(
      'the demo syncs and rollups to finish',
      SYNC_TIMEOUT_MS,
      async () => {
        for (const e of engagements) {
          const runs = await session.json<SyncRunDto[]>(`/api/engagements/${e.id}/sync-runs?limit=5`);
          if (runs.length === 0 || runs.some((r) => r.status === 'queued' || r.status === 'running')) return;
          const kpis = await session.json<{ computedAt: string | null }>(`/api/engagements/${e.id}/kpis`);
          if (!kpis.computedAt) return;
        }
        return (await queuesIdle(services.redisUrl, prefix)) ? true : undefined;
      },
      aliveWorker,
    );
    log(`${kind}: demo synced and rolled up in ${((Date.now() - startedSync) / 1000).toFixed(0)} s`);
    // The worker is idle now; stopping it keeps scheduled syncs out of the measurement.
    await stopApp(worker);

    const slipping = engagements.find((e) => e.name.includes('slipping')) ?? engagements[0]!;
    const link = await session.json<{ token: string }>(`/api/engagements/${slipping.id}/share-links`, {
      method: 'POST',
      body: { allowDrillDown: true },
    });
    const e = `/api/engagements/${slipping.id}`;
    const routes: Route[] = [
      { key: 'list', label: 'GET /api/engagements (portfolio)', path: '/api/engagements' },
      { key: 'detail', label: 'GET /api/engagements/:id', path: e },
      { key: 'kpis', label: 'GET /api/engagements/:id/kpis', path: `${e}/kpis` },
      { key: 'status', label: 'GET /api/engagements/:id/health', path: `${e}/health` },
      { key: 'health', label: 'GET /health', path: '/health', anonymous: true },
      {
        key: 'drill',
        label: 'GET /api/engagements/:id/kpis/delivery.pr_cycle_time/drill-down',
        path: `${e}/kpis/delivery.pr_cycle_time/drill-down`,
      },
      {
        key: 'share',
        label: 'GET /api/share/:token (vendor view)',
        path: `/api/share/${link.token}`,
        anonymous: true,
        rotateClientIp: true,
      },
    ].filter((r) => !ONLY || ONLY.split(',').includes(r.key));

    const figures: Figures[] = [];
    for (const route of routes) {
      // Warm-up: JIT, statement caches and connection pools, not measured.
      await drive(base, route, session.headers, { seconds: 2, connections: CONNECTIONS });
      const max = await drive(base, route, session.headers, {
        seconds: SECONDS,
        connections: CONNECTIONS,
        pid: api.process.pid,
      });
      figures.push({ ...max, mode: `${CONNECTIONS} conn, max`, uptime: uptime() });
      log(
        `${kind} ${route.label}: ${max.rps.toFixed(0)} req/s, p95 ${max.p95.toFixed(1)} ms, ${max.cpuPerRequest.toFixed(2)} ms CPU/req`,
      );
      if (route.key === 'kpis' || route.key === 'share') {
        // The goal is stated at a fixed rate: p95 < 20 ms at 500 req/s.
        const fixed = await drive(base, route, session.headers, {
          seconds: SECONDS,
          connections: Math.max(CONNECTIONS, 20),
          rate: RATE,
          pid: api.process.pid,
        });
        figures.push({ ...fixed, mode: `${RATE} req/s offered (autocannon: 1 s bursts)`, uptime: uptime() });
        log(`${kind} ${route.label} at ${RATE} req/s (bursts): p95 ${fixed.p95.toFixed(1)} ms`);
        const paced = await drivePaced(base, route, session.headers, {
          seconds: SECONDS,
          rate: RATE,
          pid: api.process.pid,
        });
        figures.push({ ...paced, mode: `${RATE} req/s steady (open loop)`, uptime: uptime() });
        log(`${kind} ${route.label} at a steady ${RATE} req/s: p95 ${paced.p95.toFixed(1)} ms`);
      }
    }
    return figures;
  } finally {
    if (worker) await stopApp(worker);
    await stopApp(api);
    if (PROFILE) log(`${kind}: V8 profile of the API in ${dir} (node --prof-process <file>)`);
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const ms2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

async function main(): Promise<void> {
  log(`${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${uptime()}`);
  // Logs, SQLite files and profiles; kept when something failed or a profile was asked for.
  const workDir = mkdtempSync(join(tmpdir(), 'pulse-api-load-'));
  let keep = PROFILE || KEEP;
  const services = await startServices();
  const sandbox = await startSandbox({
    port: 0,
    // As `npm start`: the demo world ends now (to the hour), so its latest weeks are this week.
    now: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString(),
  });
  const rows: string[] = [];
  try {
    for (const kind of KINDS) {
      for (const f of await benchDatabase(kind, services, sandbox.url, workDir)) {
        rows.push(
          `| ${kind} | ${f.route} | ${f.mode} | ${f.rps.toFixed(0)} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${ms(f.max)} | ${f.requests} | ${f.errors} | ${ms2(f.cpuPerRequest)} | ${f.uptime} |`,
        );
      }
    }
  } catch (e) {
    keep = true;
    throw e;
  } finally {
    await sandbox.close();
    stopServices(services);
    if (keep) log(`logs kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(
    [
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${SECONDS} s per run, LOG_LEVEL=${LOG_LEVEL}`,
      '',
      '| db | route | load | req/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors | API CPU ms/req | load avg (1/5/15 min) at end |',
      '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`api-load failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
