import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import { resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import {
  bodyParserErrors,
  inspectInput,
  jsonOnly,
  MAX_JSON_BYTES,
  sameOrigin,
} from './common/request-guards';
import { securityHeaders } from './common/security-headers';
import { slackSignedRequests } from './slack/slack-signed-requests';
import type { ApiConfig } from './config/api-config';
import { dashboardStatic } from './static/dashboard-static';

/** Build the API application (used by main.ts and by the integration tests). */
export async function createApp(
  config: ApiConfig,
  options: { logs?: boolean; logStream?: DestinationStream } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.logStream), {
    bufferLogs: true,
    // Our own JSON parser below: size-limited, JSON only, checked before any route.
    bodyParser: false,
    logger: options.logs === false ? false : undefined,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  app.set('trust proxy', config.PULSE_TRUST_PROXY ? 1 : false);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(cookieParser());
  // Slack's signed requests: verified on their raw bytes before any other body handling.
  app.use(slackSignedRequests({ signingSecret: config.PULSE_SLACK_SIGNING_SECRET }));
  app.use(jsonOnly);
  app.use(sameOrigin(config.PULSE_PUBLIC_URL));
  app.use(express.json({ limit: MAX_JSON_BYTES, strict: true }));
  app.use(bodyParserErrors);
  app.use(inspectInput);
  app.enableShutdownHooks();

  const openapi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Pulse API')
      .setDescription('Engagement health: engagements, connections, rosters, thresholds, syncs and KPIs.')
      .setVersion('1')
      .addCookieAuth('pulse_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, openapi, { jsonDocumentUrl: 'api/docs/openapi.json' });

  const dashboard = dashboardStatic(resolve(config.PULSE_DASHBOARD_DIR));
  if (dashboard) app.use(dashboard);
  return app;
}
