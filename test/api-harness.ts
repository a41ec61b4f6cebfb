// Boots the real API (Nest + Express) on a real database and Redis for integration tests.
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import { Queue } from 'bullmq';
import request from 'supertest';
import { redisOptionsFrom, type DatabaseConfig } from '@pulse/db';
import { QUEUE_SYNC, type Role, type UserDto } from '@pulse/contracts';
import { createApp } from '../apps/api/src/app';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { loadApiConfig, type ApiConfig } from '../apps/api/src/config/api-config';
import { newDatabaseConfig, requireEnv, type TestDatabaseKind } from './databases';

export const ADMIN = { email: 'admin@pulse.test', password: 'correct horse battery staple' };

export interface ApiHarness {
  app: NestExpressApplication;
  config: ApiConfig;
  database: DatabaseConfig;
  http: () => ReturnType<typeof request>;
  /** A cookie-keeping agent signed in as the given user. */
  signIn(email: string, password: string): Promise<ReturnType<typeof request.agent>>;
  createUser(role: Role): Promise<{ user: UserDto; password: string }>;
  syncQueue: Queue;
  close(): Promise<void>;
}

export async function startApi(
  kind: TestDatabaseKind,
  env: Record<string, string> = {},
  existing?: DatabaseConfig,
  options: { logStream?: DestinationStream } = {},
): Promise<ApiHarness> {
  const database = existing ?? (await newDatabaseConfig(kind));
  const config = testApiConfig(database, env);
  // Silent unless a test reads the logs (it then sets LOG_LEVEL too).
  const app = await createApp(
    config,
    options.logStream ? { logs: true, logStream: options.logStream } : { logs: false },
  );
  await app.init();
  const server = app.getHttpServer();
  const syncQueue = new Queue(QUEUE_SYNC, {
    connection: redisOptionsFrom(config.REDIS_URL),
    prefix: config.QUEUE_PREFIX,
  });
  return {
    app,
    config,
    database,
    http: () => request(server),
    syncQueue,
    async signIn(email, password) {
      const agent = request.agent(server);
      const res = await agent.post('/api/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return agent;
    },
    async createUser(role) {
      const password = randomBytes(12).toString('hex');
      const user = await app.get(AuthService).createUser({
        email: `${role}-${randomBytes(4).toString('hex')}@pulse.test`,
        password,
        displayName: role,
        role,
      });
      return { user, password };
    },
    async close() {
      await syncQueue.obliterate({ force: true }).catch(() => undefined);
      await syncQueue.close();
      await app.close();
    },
  };
}

/** The API configuration the tests use: a fresh queue prefix and secret key, the test Redis, no logs. */
export function testApiConfig(database: DatabaseConfig, env: Record<string, string> = {}): ApiConfig {
  const config = loadApiConfig({
    NODE_ENV: 'test',
    REDIS_URL: requireEnv('PULSE_TEST_REDIS_URL'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    PULSE_DATA_DIR: requireEnv('PULSE_TEST_TMP'),
    PULSE_SECRET_KEY: randomBytes(32).toString('hex'),
    PULSE_ADMIN_EMAIL: ADMIN.email,
    PULSE_ADMIN_PASSWORD: ADMIN.password,
    PULSE_DASHBOARD_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...env,
  });
  if (database.sqlitePath) config.PULSE_DATA_DIR = database.sqlitePath.replace(/\/pulse\.sqlite$/, '');
  return config;
}

export const anEngagementBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Payments rewrite',
  vendorName: 'Manila Dev Co',
  clientCalendar: { timeZone: 'America/Chicago' },
  vendorCalendar: { timeZone: 'Asia/Manila', holidays: ['2026-12-25', '2026-12-30'] },
  ...overrides,
});
