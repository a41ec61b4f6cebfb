import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { redisOptionsFrom } from '@pulse/db';
import { QUEUE_NAMES } from '@pulse/contracts';
import { AuthModule } from '../auth/auth.module';
import { SESSION_COOKIE, SessionService } from '../auth/session.service';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from './redis.provider';
import { RedisGate } from './redis-gate.service';

export const BULL_BOARD_ROUTE = '/admin/queues';

/** Bull Board runs outside Nest's guards, so it gets its own admin-only gate. */
function adminOnly(sessions: SessionService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const user = await sessions
      .resolve((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE])
      .catch(() => null);
    if (!user)
      return void res
        .status(401)
        .json({ statusCode: 401, error: 'Unauthorized', message: 'Sign in first: no valid session' });
    if (user.role !== 'admin')
      return void res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'Admins only' });
    next();
  };
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => ({
        connection: redisOptionsFrom(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [SessionService],
      useFactory: (sessions: SessionService) => ({
        route: BULL_BOARD_ROUTE,
        adapter: ExpressAdapter,
        middleware: adminOnly(sessions),
      }),
    }),
    ...QUEUE_NAMES.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
  ],
  providers: [RedisClient, RedisGate],
  exports: [BullModule, RedisClient, RedisGate],
})
export class QueueModule {}
