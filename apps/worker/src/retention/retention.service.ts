import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applyRetention, EngagementEntity, retentionCutoff, type RetentionReport } from '@pulse/db';
import { privacySettings } from '@pulse/contracts';

export interface RetentionSummary {
  /** The first instant kept (ISO). */
  keptFrom: string;
  deleted: RetentionReport;
}

/** Applies one engagement's retention window (docs/privacy.md); testable without Redis. */
@Injectable()
export class RetentionService {
  constructor(private readonly dataSource: DataSource) {}

  /** null when the engagement no longer exists (deleted since the sweep queued it). */
  async run(engagementId: string, now = Date.now()): Promise<RetentionSummary | null> {
    const engagement = await this.dataSource.getRepository(EngagementEntity).findOneBy({ id: engagementId });
    if (!engagement) return null;
    const { retentionMonths } = privacySettings(engagement.settings);
    const cutoff = retentionCutoff(retentionMonths, engagement.reportingTimeZone, now);
    return {
      keptFrom: new Date(cutoff).toISOString(),
      deleted: await applyRetention(this.dataSource, engagementId, cutoff),
    };
  }

  async engagementIds(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(EngagementEntity).find({ select: { id: true } });
    return rows.map((r) => r.id);
  }
}
