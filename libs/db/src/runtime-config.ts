import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SecretBox } from './secret-box';
import type { DatabaseConfig } from './data-source';

/**
 * The environment every Pulse process reads (api, worker, scripts). One schema, validated
 * at start-up; a bad value stops the process with a message naming the variable.
 */
export const runtimeEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PULSE_DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL (leave unset for the embedded SQLite)')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL'),
  PULSE_SECRET_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, {
      message: 'must be 32 bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)',
    })
    .optional(),
  /** Key prefix of the BullMQ queues, so several Pulse installs can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
    .default('pulse'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RuntimeEnv = z.infer<typeof runtimeEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse `env` with `schema`, or throw a ConfigError naming each bad variable. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

export function databaseConfigFrom(env: Pick<RuntimeEnv, 'DATABASE_URL' | 'PULSE_DATA_DIR'>): DatabaseConfig {
  return env.DATABASE_URL
    ? { databaseUrl: env.DATABASE_URL }
    : { sqlitePath: resolve(join(env.PULSE_DATA_DIR, 'pulse.sqlite')) };
}

export function secretBoxFrom(env: Pick<RuntimeEnv, 'PULSE_SECRET_KEY' | 'PULSE_DATA_DIR'>): SecretBox {
  return env.PULSE_SECRET_KEY
    ? SecretBox.fromString(env.PULSE_SECRET_KEY)
    : SecretBox.fromKeyFile(resolve(join(env.PULSE_DATA_DIR, 'secret.key')));
}

/** BullMQ/ioredis connection options from a redis:// URL. */
export function redisOptionsFrom(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
} {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Required by BullMQ workers: blocking commands must not be retried by ioredis.
    maxRetriesPerRequest: null,
  };
}
