import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUE_DIGEST, QUEUE_ROLLUP, QUEUE_SYNC } from '@pulse/contracts';
import { Public } from '../auth/auth.decorators';
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

  @Public()
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const db = this.indicators.check('database');
        try {
          await this.dataSource.query('SELECT 1');
          return db.up({ type: this.dataSource.options.type });
        } catch (e) {
          return db.down({ message: e instanceof Error ? e.message : String(e) });
        }
      },
      async () => {
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
      },
    ]);
  }

  /** Prometheus exposition; carries no engagement data, only process and queue gauges. */
  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
