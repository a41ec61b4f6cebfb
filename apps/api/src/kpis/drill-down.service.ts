import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ConnectionEntity,
  KpiValueEntity,
  WorkItemEntity,
  loadEngagementRecords,
  type EngagementEntity,
} from '@pulse/db';
import { slackPermalink } from '@pulse/connectors';
import { isKpiKey, kpiDefinition, type KpiDrillDownDto, type KpiKey } from '@pulse/contracts';
import {
  computeSeries,
  drillDownTable,
  engagementContext,
  isoWeekBucket,
  kpiDelivered,
  trailingWindow,
  type Bucket,
} from '@pulse/kpi';
import { badRequest, parseDateParam } from '../common/validation';
import { KpisService } from './kpis.service';

/**
 * The items behind a KPI value: what a manager opens from a tile or a chart point. Built by
 * `@pulse/kpi`'s `drillDownTable` on the same facts and sample sets as the value, for the
 * same window, so the list has exactly n rows.
 */
@Injectable()
export class DrillDownService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kpis: KpisService,
  ) {}

  /** Parses the KPI key of a drill-down request: a 400 that says where the keys are. */
  static parseKey(key: string): KpiKey {
    if (!isKpiKey(key)) {
      throw badRequest([
        { field: 'key', message: `unknown KPI "${key}"; GET /api/kpi-definitions lists them` },
      ]);
    }
    if (!kpiDefinition(key).drillDown) {
      throw new NotFoundException(`${kpiDefinition(key).label} has no item list`);
    }
    return key;
  }

  /**
   * The window of the value clicked and the instant it was computed at: a week's bucket (or
   * the stored trailing window) with the rollup's "now", so the list matches the value
   * shown even while the clock moves on.
   */
  private async window(
    engagement: EngagementEntity,
    key: KpiKey,
    week: string | undefined,
  ): Promise<{ kind: 'trailing' | 'week'; bucket: Bucket; now: number }> {
    const zone = engagement.reportingTimeZone;
    const repo = this.dataSource.getRepository(KpiValueEntity);
    if (week !== undefined) {
      const start = parseDateParam(week, 'week', zone).startOf('week').toMillis();
      const bucket = isoWeekBucket(start, zone);
      const row = await repo.findOneBy({
        engagementId: engagement.id,
        period: 'week',
        kpiKey: key,
        bucketStart: bucket.start,
      });
      return { kind: 'week', bucket, now: row?.computedAt ?? Date.now() };
    }
    const row = await repo.findOneBy({ engagementId: engagement.id, period: 'trailing', kpiKey: key });
    if (row)
      return {
        kind: 'trailing',
        bucket: { start: row.bucketStart, end: row.bucketEnd },
        now: row.computedAt,
      };
    const now = Date.now();
    return { kind: 'trailing', bucket: trailingWindow(now, zone), now };
  }

  /**
   * Links each chat request to its message (`https://<workspace>.slack.com/archives/<channel>/p<ts>`)
   * with the workspace URL the Slack sync keeps in its cursor; never any text.
   */
  private async linkChatRequests(engagementId: string, rows: KpiDrillDownDto['rows']): Promise<void> {
    const connection = await this.dataSource
      .getRepository(ConnectionEntity)
      .findOneBy({ engagementId, kind: 'slack' });
    const workspaceUrl = (connection?.cursor as { workspaceUrl?: unknown } | null)?.workspaceUrl;
    if (typeof workspaceUrl !== 'string') return;
    for (const row of rows) {
      const [channel, ts] = row.id.split('/');
      if (channel && ts) row.url = slackPermalink(workspaceUrl, channel, ts);
    }
  }

  async kpi(
    engagement: EngagementEntity,
    rawKey: string,
    week?: string,
    options: { vendorView?: boolean } = {},
  ): Promise<KpiDrillDownDto> {
    const key = DrillDownService.parseKey(rawKey);
    const def = kpiDefinition(key);
    const { kind, bucket, now } = await this.window(engagement, key, week);
    const [records, rc] = await Promise.all([
      loadEngagementRecords(this.dataSource, engagement.id, def.sources),
      this.kpis.ratingContext(engagement, now),
    ]);
    const context = engagementContext(engagement, now);
    const delivered = kpiDelivered(def, rc.sources);
    const table = drillDownTable(key, records, context, bucket);
    const [result] = computeSeries(records, context, [bucket], [key]);
    const value = this.kpis.rate(def, result ?? null, kind, bucket, rc);
    const rows = delivered && table ? table.rows : [];
    if (table?.kind === 'work_items' && rows.length > 0) {
      const links = await this.dataSource
        .getRepository(WorkItemEntity)
        .find({ select: { key: true, url: true }, where: { engagementId: engagement.id } });
      const url = new Map(links.map((l) => [l.key, l.url]));
      for (const row of rows) row.url = url.get(row.id) ?? null;
    }
    if (table?.kind === 'chat_requests' && rows.length > 0) {
      await this.linkChatRequests(engagement.id, rows);
      if (options.vendorView) hideClientPeople(rows);
    }
    return {
      key,
      label: def.label,
      kind: table?.kind ?? 'pull_requests',
      window: value.window,
      n: value.n,
      value: value.value,
      status: value.status,
      explanation: value.explanation,
      columns: table?.columns ?? [],
      rows,
    };
  }
}

/** The vendor's view names no client people: their cells say "client" instead. */
function hideClientPeople(rows: KpiDrillDownDto['rows']): void {
  for (const row of rows) {
    const c = row.cells;
    if (c['askedSide'] === 'client') c['askedBy'] = 'client';
    if (c['answeredSide'] === 'client') c['answeredBy'] = 'client';
  }
}
