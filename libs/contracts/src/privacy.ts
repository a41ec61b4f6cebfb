// Data protection (docs/privacy.md): erasure and export requests and answers, and the
// privacy settings every reader of an engagement's settings interprets the same way.
import { DEFAULT_RETENTION_MONTHS, type EngagementSettings } from './api';
import type { IdentitySource } from './records';

/** The privacy settings of an engagement, with defaults for rows stored before they existed. */
export function privacySettings(settings: Partial<EngagementSettings> | null | undefined): {
  teamLevelOnly: boolean;
  retentionMonths: number;
} {
  return {
    teamLevelOnly: settings?.teamLevelOnly === true,
    retentionMonths:
      typeof settings?.retentionMonths === 'number' && settings.retentionMonths > 0
        ? settings.retentionMonths
        : DEFAULT_RETENTION_MONTHS,
  };
}

/** Who to erase: one source identity, or a roster person with every identity linked to them. */
export type ErasureRequestDto = { source: IdentitySource; externalId: string } | { personId: string };

/** What an erasure did — counts only: the answer never repeats who was erased. */
export interface ErasureResultDto {
  erasureId: string;
  /** Engagements whose records named the person (their KPIs are being recomputed). */
  engagements: string[];
  /** Rows changed (pseudonymised) or deleted, per table. */
  rows: Record<string, number>;
  /** Rollup jobs queued to recompute the affected KPIs. */
  rollupJobs: string[];
  /**
   * Whether the database files were compacted right away (SQLite VACUUM, PostgreSQL VACUUM
   * FULL). false when the database was busy: it is retried in the background.
   */
  filesCleaned: boolean;
}
