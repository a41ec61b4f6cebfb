import { InjectQueue } from '@nestjs/bullmq';
import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Inject,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUE_DIGEST, QUEUE_ROLLUP, QUEUE_SYNC } from '@pulse/contracts';
import { Public } from '../auth/auth.decorators';
import { SESSION_COOKIE, SessionService } from '../auth/session.service';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from '../queue/redis.provider';
import { RedisGate } from '../queue/redis-gate.service';

const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

@ApiTags('operations')
@Controller()
export class HealthController {
  private readonly registry = new Registry();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    @InjectQueue(QUEUE_SYNC) sync: Queue,
    @InjectQueue(QUEUE_ROLLUP) rollup: Queue,
    @InjectQueue(QUEUE_DIGEST) digest: Queue,
    private readonly sessions: SessionService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    gate: RedisGate,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pulse_' });
    const queues = [sync, rollup, digest];
    new Gauge({
      name: 'pulse_queue_jobs',
      help: 'Jobs per BullMQ queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of queues) {
          // During a Redis outage /metrics still answers at once, without queue gauges.
          const counts = await gate
            .run(queue, 'counting jobs', () => queue.getJobCounts(...JOB_STATES))
            .catch(() => null);
          if (!counts) continue;
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  /**
   * Liveness and dependencies. Anonymous callers (load balancers) get the status only;
   * signed-in users and holders of the metrics token also get the details, which name
   * the database type and carry error messages.
   */
  @Public()
  @Get('health')
  async check(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([() => this.database(), () => this.redisUp()]);
    } catch (e) {
      // Terminus throws a ServiceUnavailableException carrying the full result.
      const response = (e as { getResponse?: () => unknown }).getResponse?.();
      if (!response || typeof response !== 'object') throw e;
      result = response as HealthCheckResult;
    }
    res.status(result.status === 'ok' ? 200 : 503);
    if (this.hasMetricsToken(req) || (await this.sessions.resolve(this.sessionCookie(req)))) return result;
    return { status: result.status };
  }

  /** Prometheus exposition: process and queue gauges, for the metrics token or an admin. */
  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics(@Req() req: Request): Promise<string> {
    if (!this.hasMetricsToken(req)) {
      const user = await this.sessions.resolve(this.sessionCookie(req));
      if (!user)
        throw new UnauthorizedException(
          'Send the metrics token as "Authorization: Bearer <PULSE_METRICS_TOKEN>", or sign in as an admin',
        );
      if (user.role !== 'admin') throw new ForbiddenException('Metrics are for admins and the metrics token');
    }
    return this.registry.metrics();
  }

  private sessionCookie(req: Request): string | undefined {
    return (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  }

  private hasMetricsToken(req: Request): boolean {
    const expected = this.config.PULSE_METRICS_TOKEN;
    const header = req.get('authorization');
    if (!expected || !header?.startsWith('Bearer ')) return false;
    // Compare digests: equal length whatever was sent, and no early exit on a mismatch.
    const digest = (v: string) => createHash('sha256').update(v).digest();
    return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(expected));
  }

  private async database() {
    const db = this.indicators.check('database');
    try {
      await this.dataSource.query('SELECT 1');
      return db.up({ type: this.dataSource.options.type });
    } catch (e) {
      return db.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async redisUp() {
    const redis = this.indicators.check('redis');
    try {
      const pong = await Promise.race([
        this.redis.redis.ping(),
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error('ping timed out')), 2000)),
      ]);
      return pong === 'PONG' ? redis.up() : redis.down({ message: `unexpected reply ${pong}` });
    } catch (e) {
      return redis.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }
}
