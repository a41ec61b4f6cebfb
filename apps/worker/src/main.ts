import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@pulse/db';
import { WorkerModule } from './worker.module';
import { loadWorkerConfig, type WorkerConfig } from './worker-config';

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
    logger: config.LOG_LEVEL === 'silent' ? false : ['error', 'warn', 'log'],
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
