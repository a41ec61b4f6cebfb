import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { EngagementAccessGuard } from './access/engagement-access.guard';
import { EngagementAccessService } from './access/engagement-access.service';
import { AuditController } from './audit/audit.controller';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { OidcModule } from './auth/oidc/oidc.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { loggableUrl } from './common/log-redaction';
import { CoverageUploadController } from './coverage/coverage-upload.controller';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { DatabaseModule } from './database/database.module';
import { DigestController } from './digest/digest.controller';
import { DigestSchedulerService } from './digest/digest-scheduler.service';
import { DigestService } from './digest/digest.service';
import { SlackCommandsController } from './slack/slack-commands.controller';
import { SlashCommandService } from './slack/slash-command.service';
import { DemoService } from './demo/demo.service';
import { ConnectionsService } from './engagements/connections.service';
import { ConnectorsController } from './connectors/connectors.controller';
import { EngagementsController } from './engagements/engagements.controller';
import { EngagementsService } from './engagements/engagements.service';
import { RosterService } from './engagements/roster.service';
import { MembersController } from './engagements/members.controller';
import { MembersService } from './engagements/members.service';
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
import { InvitationsController } from './users/invitations.controller';
import { InvitationsService } from './users/invitations.service';
import { MailerService } from './users/mailer.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { EngagementJobsService } from './privacy/engagement-jobs.service';
import { ErasureService } from './privacy/erasure.service';
import { ExportService } from './privacy/export.service';
import { EngagementExportController, PrivacyController } from './privacy/privacy.controller';

/** Anything that could carry a secret is redacted from logs. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-upload-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.secret',
  '*.token',
];

const withStream = (
  options: PinoHttpOptions,
  stream: DestinationStream | undefined,
): PinoHttpOptions | [PinoHttpOptions, DestinationStream] => (stream ? [options, stream] : options);

@Module({})
export class AppModule {
  /** `logStream` receives the JSON log lines instead of stdout (tests read what would be logged). */
  static forRoot(config: ApiConfig, logStream?: DestinationStream): DynamicModule {
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
          pinoHttp: withStream(
            {
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
            logStream,
          ),
        }),
        DatabaseModule,
        QueueModule,
        AuditModule,
        AuthModule,
        OidcModule,
        TerminusModule,
      ],
      controllers: [
        HealthController,
        EngagementsController,
        ConnectorsController,
        EngagementKpisController,
        KpiDefinitionsController,
        ShareController,
        CoverageUploadController,
        MembersController,
        UsersController,
        InvitationsController,
        AuditController,
        PrivacyController,
        EngagementExportController,
        DigestController,
        SlackCommandsController,
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
        DigestSchedulerService,
        DigestService,
        SlashCommandService,
        KpisService,
        DrillDownService,
        ShareLinksService,
        DemoService,
        EngagementAccessService,
        EngagementAccessGuard,
        MembersService,
        UsersService,
        InvitationsService,
        MailerService,
        EngagementJobsService,
        ErasureService,
        ExportService,
        SlackEventsService,
      ],
    };
  }
}
