import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { loggableUrl } from './common/log-redaction';
import { CoverageUploadController } from './coverage/coverage-upload.controller';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { DatabaseModule } from './database/database.module';
import { DemoService } from './demo/demo.service';
import { ConnectionsService } from './engagements/connections.service';
import { EngagementsController } from './engagements/engagements.controller';
import { EngagementsService } from './engagements/engagements.service';
import { RosterService } from './engagements/roster.service';
import { HealthController } from './health/health.controller';
import { DrillDownService } from './kpis/drill-down.service';
import { EngagementKpisController } from './kpis/engagement-kpis.controller';
import { KpiDefinitionsController } from './kpis/kpi-definitions.controller';
import { KpisService } from './kpis/kpis.service';
import { ShareController } from './share/share.controller';
import { SlackEventsController } from './slack/slack-events.controller';
import { SlackEventsService } from './slack/slack-events.service';
import { ShareLinksService } from './share/share-links.service';
import { QueueModule } from './queue/queue.module';
import { SyncSchedulerService } from './sync/sync-scheduler.service';
import { SyncService } from './sync/sync.service';

/** Anything that could carry a secret is redacted from logs. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-upload-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
];

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    const configModule: DynamicModule = {
      module: class ApiConfigModule {},
      global: true,
      providers: [{ provide: API_CONFIG, useValue: config }],
      exports: [API_CONFIG],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            redact: { paths: LOG_REDACT, censor: '[redacted]' },
            autoLogging: {
              ignore: (req) => /^\/(health|metrics)(\?|$)/.test(req.url ?? ''),
            },
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: loggableUrl(req.url),
              }),
            },
          },
        }),
        DatabaseModule,
        QueueModule,
        AuthModule,
        TerminusModule,
      ],
      controllers: [
        HealthController,
        EngagementsController,
        EngagementKpisController,
        KpiDefinitionsController,
        ShareController,
        CoverageUploadController,
        SlackEventsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        EngagementsService,
        ConnectionsService,
        RosterService,
        SyncService,
        SyncSchedulerService,
        KpisService,
        DrillDownService,
        ShareLinksService,
        DemoService,
        SlackEventsService,
      ],
    };
  }
}
