import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, databaseConfigFrom, redisOptionsFrom, SecretBox, secretBoxFrom } from '@pulse/db';
import { QUEUE_NAMES } from '@pulse/contracts';
import { COLLECTORS } from './collectors/collector';
import { allConnectors, createOutboundPolicy } from '@pulse/connectors';
import { ConnectorCollector } from './collectors/connector.collector';
import { DigestProcessor } from './digest/digest.processor';
import { DigestService } from './digest/digest.service';
import { SlackPoster } from './digest/slack-poster';
import { RollupProcessor } from './rollup/rollup.processor';
import { RollupService } from './rollup/rollup.service';
import { RetentionProcessor } from './retention/retention.processor';
import { RetentionService } from './retention/retention.service';
import { SyncProcessor } from './sync/sync.processor';
import { SyncRunnerService } from './sync/sync-runner.service';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

/** Waits for the API to have migrated the schema: the worker never migrates. */
async function openDatabase(config: WorkerConfig): Promise<DataSource> {
  const dataSource = createDataSource(databaseConfigFrom(config));
  await dataSource.initialize();
  for (let attempt = 0; await dataSource.showMigrations(); attempt++) {
    if (attempt === 0) process.stdout.write('worker: waiting for the API to apply database migrations…\n');
    if (attempt > 600)
      throw new Error('database schema is not up to date after 10 minutes: start the API (it migrates)');
    await new Promise((r) => setTimeout(r, 1000));
  }
  return dataSource;
}

@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({ connection: redisOptionsFrom(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: DataSource, useFactory: () => openDatabase(config) },
        { provide: SecretBox, useFactory: () => secretBoxFrom(config) },
        // One collector per registered connector: adding a source never touches the worker.
        // All share one outbound policy built from PULSE_ALLOWED_UPSTREAM_HOSTS.
        {
          provide: COLLECTORS,
          useFactory: () => {
            const outbound = createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS });
            return allConnectors().map((c) => new ConnectorCollector(c, outbound));
          },
        },
        {
          provide: SlackPoster,
          useFactory: () =>
            new SlackPoster(createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS })),
        },
        DigestService,
        DigestProcessor,
        SyncRunnerService,
        SyncProcessor,
        RollupService,
        RollupProcessor,
        RetentionService,
        RetentionProcessor,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
