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
  app.enableShutdownHooks();
  process.stdout.write(`Pulse worker ${config.WORKER_ID} ready\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulse worker failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
