// `npm start` checks the port early, but another process can take it before the API binds:
// the API must then say which port and what to do, exit non-zero, and leave nothing
// half-made — the next start, once the port is free, simply works.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createDataSource, EngagementEntity, UserEntity, type DatabaseConfig } from '@pulse/db';
import { startSandbox } from '../../sandbox/src';
import { testApiConfig } from '../../../test/api-harness';
import { newDatabaseConfig } from '../../../test/databases';
import { PortUnavailableError, serve } from './serve';

const root = join(__dirname, '../../..');

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve({ server, port: address.port });
      else reject(new Error('no port'));
    });
  });
}

async function countRows(database: DatabaseConfig): Promise<{ engagements: number; users: number }> {
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  try {
    return {
      engagements: await dataSource.getRepository(EngagementEntity).count(),
      users: await dataSource.getRepository(UserEntity).count(),
    };
  } finally {
    await dataSource.destroy();
  }
}

describe('starting the API on a port that is taken', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
  });
  afterAll(() => sandbox?.close());

  it('refuses with the port and what to do, creates no demo data, and the next start works', async () => {
    const database = await newDatabaseConfig('sqlite');
    const blocker = await occupyPort();
    const config = testApiConfig(database, {
      PORT: String(blocker.port),
      HOST: '127.0.0.1',
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: new URL(sandbox.url).host,
    });

    const refused = await serve(config, { logs: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PortUnavailableError);
    expect((refused as Error).message).toContain(`port ${blocker.port} on 127.0.0.1 is already in use`);
    expect((refused as Error).message).toContain(`PORT=${blocker.port + 1} npm start`);
    // Nothing was made: not the first admin, not the demo engagements.
    expect(await countRows(database)).toEqual({ engagements: 0, users: 0 });

    await new Promise((r) => blocker.server.close(r));
    const app = await serve(config, { logs: false });
    try {
      const health = await fetch(`http://127.0.0.1:${blocker.port}/health`);
      expect(health.status).toBe(200);
      expect(await countRows(database)).toEqual({ engagements: 2, users: 1 });
    } finally {
      await app.close();
    }
  });

  it('the API process prints one clear line (no stack) and exits non-zero', async () => {
    const database = await newDatabaseConfig('sqlite');
    const blocker = await occupyPort();
    try {
      const env = {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(testApiConfig(database))
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
        PORT: String(blocker.port),
        HOST: '127.0.0.1',
      };
      const child = spawn(
        process.execPath,
        ['--require', require.resolve('@swc-node/register'), join(root, 'apps/api/src/main.ts')],
        { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`pulse api: port ${blocker.port} on 127.0.0.1 is already in use`);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(await countRows(database)).toEqual({ engagements: 0, users: 0 });
    } finally {
      await new Promise((r) => blocker.server.close(r));
    }
  });
});
