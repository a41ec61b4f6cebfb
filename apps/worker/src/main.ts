import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@pulse/db';
import { WorkerModule } from './worker.module';
import { loadWorkerConfig, type WorkerConfig } from './worker-config';

const ORDER = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
const FROM_PINO: Record<WorkerConfig['LOG_LEVEL'], number> = {
  fatal: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
  trace: 5,
  silent: -1,
};

/** Map the shared LOG_LEVEL onto Nest's logger levels. */
function nestLogLevels(level: WorkerConfig['LOG_LEVEL']) {
  const upTo = FROM_PINO[level];
  return upTo < 0 ? false : ORDER.slice(0, upTo + 1).filter((l) => l !== 'fatal');
}

async function main(): Promise<void> {
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`pulse worker: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  // An application context: no HTTP server, only BullMQ processors.
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: nestLogLevels(config.LOG_LEVEL),
  });
  stopOnSignals(app, config.WORKER_SHUTDOWN_TIMEOUT_MS);
  process.stdout.write(`Pulse worker ${config.WORKER_ID} ready\n`);
}

/**
 * Closes on SIGTERM/SIGINT within a deadline. Nest's own shutdown hooks wait for BullMQ to
 * close, which never happens while Redis is unreachable; so after `deadlineMs` (or a second
 * signal) the process exits anyway. Jobs cut short this way are picked up again by another
 * worker once their lock expires.
 */
function stopOnSignals(app: { close(): Promise<void> }, deadlineMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`pulse worker: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(
        `pulse worker: not closed ${deadlineMs} ms after ${signal} (is Redis reachable?); exiting anyway\n`,
      );
      process.exit(1);
    }, deadlineMs);
    app.close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (e: unknown) => {
        clearTimeout(timer);
        process.stderr.write(
          `pulse worker: error while closing: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulse worker failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
