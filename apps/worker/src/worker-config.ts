import { hostname } from 'node:os';
import { z } from 'zod';
import { allowedUpstreamHostsSchema } from '@pulse/connectors';
import { parseEnv, runtimeEnvSchema } from '@pulse/db';

export const workerEnvSchema = runtimeEnvSchema.extend({
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Shown on sync runs so an operator can tell which process ran a job. */
  WORKER_ID: z.string().min(1).max(200).default(`${hostname()}:${process.pid}`),
  /** host[:port] list a connection may reach although it is loopback/private/link-local. */
  PULSE_ALLOWED_UPSTREAM_HOSTS: allowedUpstreamHostsSchema,
  /** Where people open Pulse: the digest's buttons link there. */
  PULSE_PUBLIC_URL: z.string().url().optional(),
  /**
   * How long SIGTERM/SIGINT waits for running jobs and Redis connections to close before the
   * process exits anyway (BullMQ's close would otherwise wait for an unreachable Redis forever).
   */
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env);
}
