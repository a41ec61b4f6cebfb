// Starts the real services the integration and end-to-end tests need — Debian's
// redis-server and PostgreSQL — on free loopback ports in a private temp directory, and
// stops them afterwards. Nothing here is a mock: tests talk to the real servers.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServices {
  redisUrl: string;
  postgresUrl: string;
  dir: string;
  redisPid: number;
  postgresDataDir: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  throw new Error(
    'PostgreSQL server binaries not found: run `npm test` (it installs them) or apt-get install -y postgresql',
  );
}

const isRoot = process.getuid?.() === 0;

/** Run a PostgreSQL binary as the postgres user when we are root (postgres refuses root). */
function asPostgres(cmd: string, args: string[]): string[] {
  return isRoot ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function run(argv: string[]): void {
  const [cmd, ...args] = argv;
  const result = spawnSync(cmd!, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startRedis(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  await waitFor(
    () =>
      spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG',
    'redis-server',
  );
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

export async function startPostgres(dir: string): Promise<{ url: string; dataDir: string }> {
  const bin = pgBinDir();
  const dataDir = join(dir, 'pg');
  const port = await freePort();
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run(
    asPostgres(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]),
  );
  run(
    asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      join(dir, 'pg.log'),
      '-w',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]),
  );
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir };
}

export async function startServices(): Promise<RunningServices> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-test-'));
  chmodSync(dir, 0o777);
  const redis = await startRedis(dir);
  const pg = await startPostgres(dir);
  const services: RunningServices = {
    redisUrl: redis.url,
    postgresUrl: pg.url,
    dir,
    redisPid: redis.process.pid!,
    postgresDataDir: pg.dataDir,
  };
  writeFileSync(join(dir, 'services.json'), JSON.stringify(services));
  return services;
}

export function stopServices(services: RunningServices): void {
  try {
    process.kill(services.redisPid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const bin = pgBinDir();
  const [cmd, ...args] = asPostgres(join(bin, 'pg_ctl'), [
    '-D',
    services.postgresDataDir,
    '-m',
    'immediate',
    'stop',
  ]);
  spawnSync(cmd!, args);
  rmSync(services.dir, { recursive: true, force: true });
}
