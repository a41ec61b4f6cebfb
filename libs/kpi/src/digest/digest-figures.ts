import { DateTime } from 'luxon';
import type { EngagementHealthDto, EngagementKpisDto } from '@pulse/contracts';
import type { ConnectionSyncRow } from '../freshness';
import {
  type StoredKpiValue,
  type ThresholdRow,
  engagementHealth,
  engagementSeries,
  ratingContextFrom,
  weekHealth,
} from '../read-model';
import { isoWeekBuckets } from '../time/buckets';
import { buildDigest, type DigestContent, type DigestInput } from './digest-content';

/** The weeks GET /kpis shows by default (12 ISO weeks to now): the digest reads the same. */
export function digestWeeks(now: number, zone: string): { start: number; end: number } {
  const end = DateTime.fromMillis(now, { zone });
  return { start: end.minus({ weeks: 11 }).startOf('week').toMillis(), end: end.toMillis() };
}

/**
 * /health, /kpis and the last two complete weeks' scores of one engagement, exactly as the
 * API computes them — restricted to `families` for the vendor, like the share view.
 */
export function digestFigures(input: {
  engagement: { id: string; reportingTimeZone: string; syncCron: string };
  rating: {
    thresholds: readonly ThresholdRow[];
    connections: readonly ConnectionSyncRow[];
    latestCoverageAt: number | null;
  };
  values: { weekly: readonly StoredKpiValue[]; trailing: readonly StoredKpiValue[] };
  families?: readonly string[];
  now: number;
}): Pick<DigestInput, 'health' | 'kpis' | 'weekScores'> {
  const { engagement, now, families } = input;
  const zone = engagement.reportingTimeZone;
  const rc = ratingContextFrom({ ...input.rating, zone, syncCron: engagement.syncCron, now });
  const { start, end } = digestWeeks(now, zone);
  const kpis: EngagementKpisDto = engagementSeries({
    engagementId: engagement.id,
    start,
    end,
    weekly: input.values.weekly,
    trailing: input.values.trailing,
    rc,
    families,
  });
  const health: EngagementHealthDto = engagementHealth({
    engagementId: engagement.id,
    trailing: input.values.trailing,
    rc,
    families,
  });
  const complete = isoWeekBuckets(start, end, zone).filter((b) => b.end <= now);
  const latest = complete[complete.length - 1];
  const previous = complete[complete.length - 2];
  const weekScores = latest
    ? {
        latestWeekStart: DateTime.fromMillis(latest.start, { zone }).toISODate()!,
        latest: weekHealth({ weekly: input.values.weekly, bucket: latest, rc, families }).score,
        previous: previous
          ? weekHealth({ weekly: input.values.weekly, bucket: previous, rc, families }).score
          : null,
      }
    : null;
  return { health, kpis, weekScores };
}

/** What the database gives a digest (libs/db `loadDigestRows`). */
export interface DigestRows {
  rating: Parameters<typeof digestFigures>[0]['rating'];
  values: Parameters<typeof digestFigures>[0]['values'];
  sharedFamilies: readonly string[];
  vendorShareToken: string | null;
  /** Roster names by side; omitted when the engagement is "team-level only". */
  people: { client: string[]; vendor: string[] } | null;
}

/**
 * The one assembly of a digest from its rows, used by the worker that posts it, the API's
 * preview and the /pulse command: the vendor gets its shared families, a share link when
 * one is stored, and no names.
 */
export function digestFromRows(input: {
  engagement: DigestInput['engagement'] & { syncCron: string };
  audience: DigestInput['audience'];
  rows: DigestRows;
  now: number;
  publicUrl: string | null;
}): DigestContent {
  const { engagement, audience, rows, now, publicUrl } = input;
  return buildDigest({
    audience,
    engagement,
    ...digestFigures({
      engagement,
      rating: rows.rating,
      values: rows.values,
      families: audience === 'vendor' ? rows.sharedFamilies : undefined,
      now,
    }),
    now,
    publicUrl,
    shareUrl:
      audience === 'vendor' && publicUrl && rows.vendorShareToken
        ? `${publicUrl}/share/${rows.vendorShareToken}`
        : null,
    people: audience === 'client' && rows.people ? rows.people : undefined,
  });
}
