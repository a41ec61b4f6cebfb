import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlibConstants } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadKpiValues, loadRatingRows, ratingInputsVersion, type EngagementEntity } from '@pulse/db';
import { FreshReads } from '../common/fresh-reads';
import {
  type EngagementHealthDto,
  type EngagementKpisDto,
  type SharedViewDto,
  type KpiDefinitionMeta,
  type KpiResult,
  type KpiValueDto,
} from '@pulse/contracts';
import {
  engagementHealth,
  engagementSeries,
  rateStoredValue,
  ratingContextFrom,
  type Bucket,
  type RatingContext,
} from '@pulse/kpi';
import { ReportRanges, type ReportRange } from './report-range';

export { syncIntervalMs, type RatingContext } from '@pulse/kpi';

/** Answers kept ready, one per engagement and range asked for (LRU beyond this). */
const ANSWER_SLOTS = 256;
/** How far behind the clock a kept answer may be served while the current one is built. */
const CLOCK_LAG_MS = 2_000;

const gzip = promisify(gzipCallback);

/**
 * A serialised `/kpis` answer, its entity tag and (once a client asked for it) its gzip form.
 * `data` and `second` name everything it was built from, so no data change is served around.
 */
export interface KpisAnswer {
  /** Everything the answer was built from except the clock. */
  data: string;
  /** The second (epoch ms) it was built for: its "now". */
  second: number;
  /** Order of the version read it was built from (a later read saw newer or equal data). */
  seq: number;
  body: Buffer;
  etag: string;
  gzipped?: Promise<Buffer>;
}

/**
 * Reads kpi_values and rates them on read with `@pulse/kpi` (the one rating, and its read
 * model shared with the digest worker), with the engagement's current thresholds, minimum
 * samples and source freshness.
 */
@Injectable()
export class KpisService {
  private readonly answers = new Map<string, KpisAnswer>();
  private readonly building = new Map<string, Promise<KpisAnswer>>();
  private reads = 0;
  private readonly ranges = new ReportRanges();
  /** Concurrent requests of one engagement share a version read that started after they came. */
  private readonly versions: FreshReads<string>;

  constructor(private readonly dataSource: DataSource) {
    this.versions = new FreshReads((engagementId) => ratingInputsVersion(dataSource, engagementId));
  }

  /**
   * The dashboard's `/kpis` answer, serialised. Building one costs ~10 ms of CPU (420 values
   * rated and explained, a 200 KB JSON), and the engagement page, every open tab and the
   * vendor's view ask for the same one again and again. So an answer is kept with a version
   * naming all it was built from — the stored values' first week and newest computation, the
   * thresholds, the connections' sync state, the latest coverage sample, the zone and cron,
   * the range — and the second it was built for ("now" is read at one-second resolution).
   * It is served again only while that data holds: a rollup, a threshold change or a
   * finished sync is seen by the very next request. Checking costs one query of indexed
   * aggregates (`ratingInputsVersion`), shared by the requests that arrive while one runs.
   */
  async seriesAnswer(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    now = Date.now(),
  ): Promise<KpisAnswer> {
    return this.keptAnswer(
      `kpis|${engagement.id}|${from ?? ''}|${to ?? ''}`,
      engagement,
      from,
      to,
      now,
      [],
      (at) => this.series(engagement, from, to, undefined, at),
    );
  }

  /**
   * The vendor's shared view (`SharedViewDto`), serialised and kept like `seriesAnswer`; the
   * link's families and drill-down switch and the engagement's shown fields are part of its
   * version, so a link or engagement edit is seen at once too.
   */
  async sharedViewAnswer(
    engagement: EngagementEntity,
    link: { id: string; families: string[]; allowDrillDown: boolean },
    from?: string,
    to?: string,
    now = Date.now(),
  ): Promise<KpisAnswer> {
    const shown = { name: engagement.name, vendorName: engagement.vendorName };
    return this.keptAnswer(
      `share|${link.id}|${from ?? ''}|${to ?? ''}`,
      engagement,
      from,
      to,
      now,
      [shown, link.families, link.allowDrillDown],
      async (at): Promise<SharedViewDto> => {
        // One read of the trailing values, thresholds and source states serves both.
        const { health, kpis } = await this.healthAndSeries(engagement, from, to, link.families, at);
        const { engagementId: _e, ...healthBody } = health;
        return {
          engagement: { ...shown, reportingTimeZone: engagement.reportingTimeZone },
          families: link.families,
          allowDrillDown: link.allowDrillDown,
          health: healthBody,
          kpis: { ...kpis, engagementId: '' },
        };
      },
    );
  }

  /**
   * An answer of `slot` built by `build(now)` from the engagement's stored values and rating
   * inputs, kept while its version holds: `ratingInputsVersion`, the zone, cron and range,
   * `extra` (whatever else the answer shows), and the second it was built for.
   */
  private async keptAnswer(
    slot: string,
    engagement: EngagementEntity,
    from: string | undefined,
    to: string | undefined,
    now: number,
    extra: unknown[],
    build: (second: number) => Promise<unknown>,
  ): Promise<KpisAnswer> {
    const second = Math.floor(now / 1000) * 1000;
    // a bad range is a 400 before anything is read
    const { start, end } = this.range(engagement, from, to, second);
    const seq = ++this.reads;
    const inputs = await this.versions.get(engagement.id);
    // Everything but the clock: a change here is waited for, never served around.
    const data = JSON.stringify([
      start,
      to === undefined ? 'now' : end,
      engagement.reportingTimeZone,
      engagement.syncCron,
      inputs,
      ...extra,
    ]);
    const ready = this.answers.get(slot);
    if (ready?.data === data && ready.second === second) return this.touch(slot, ready);
    const rebuild = (): Promise<KpisAnswer> => {
      const version = `${slot}|${second}|${data}`;
      const inFlight = this.building.get(version);
      if (inFlight) return inFlight;
      // Read after the version: the rows are at least as new as it says (if newer, the next
      // request sees another version and builds again).
      const built = build(second)
        .then((dto) => {
          const body = Buffer.from(JSON.stringify(dto));
          const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
          const answer: KpisAnswer = { data, second, seq, body, etag };
          const current = this.answers.get(slot);
          // a build that read an older version never replaces a newer one
          if (!current || current.seq <= seq) this.touch(slot, answer);
          return answer;
        })
        .finally(() => this.building.delete(version));
      this.building.set(version, built);
      return built;
    };
    // Only the clock moved, by a moment: the answer of a second ago is served while this
    // second's is built (its "now" fields — the partial week's end, "2 min ago" — lag by that
    // second at most). Data changes are never served around.
    if (ready?.data === data && ready.second < second && second - ready.second <= CLOCK_LAG_MS) {
      rebuild().catch(() => undefined);
      return this.touch(slot, ready);
    }
    return rebuild();
  }

  /** Marks `answer` the slot's latest and most recently used; keeps at most ANSWER_SLOTS. */
  private touch(slot: string, answer: KpisAnswer): KpisAnswer {
    this.answers.delete(slot);
    this.answers.set(slot, answer);
    if (this.answers.size > ANSWER_SLOTS) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    return answer;
  }

  /** The answer's gzip form, compressed once (off the event loop) and kept with it. */
  gzipped(answer: KpisAnswer): Promise<Buffer> {
    answer.gzipped ??= gzip(answer.body, {
      level: 5,
      memLevel: 9,
      strategy: zlibConstants.Z_DEFAULT_STRATEGY,
    });
    return answer.gzipped;
  }

  async ratingContext(engagement: EngagementEntity, now = Date.now()): Promise<RatingContext> {
    const rows = await loadRatingRows(this.dataSource, engagement.id);
    return ratingContextFrom({
      ...rows,
      zone: engagement.reportingTimeZone,
      syncCron: engagement.syncCron,
      now,
    });
  }

  /** One value rated and explained; `weekBucket` set for a chart point, else the trailing window. */
  rate(
    def: KpiDefinitionMeta,
    raw: KpiResult | null,
    kind: 'trailing' | 'week',
    bucket: Bucket,
    rc: RatingContext,
  ): KpiValueDto {
    return rateStoredValue(def, raw, kind, bucket, rc);
  }

  private range(
    engagement: EngagementEntity,
    from: string | undefined,
    to: string | undefined,
    now: number,
  ): ReportRange {
    return this.ranges.get(engagement.reportingTimeZone, from, to, now);
  }

  async series(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
  ): Promise<EngagementKpisDto> {
    const { start, end } = this.range(engagement, from, to, now);
    const [{ weekly, trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id, { start, end }),
      this.ratingContext(engagement, now),
    ]);
    return engagementSeries({ engagementId: engagement.id, start, end, weekly, trailing, rc, families });
  }

  /**
   * Health and series together (the share view): the trailing values and the rating context
   * are read once for both.
   */
  async healthAndSeries(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
    families?: string[],
    now = Date.now(),
  ): Promise<{ health: EngagementHealthDto; kpis: EngagementKpisDto }> {
    const { start, end } = this.range(engagement, from, to, now);
    const [{ weekly, trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id, { start, end }),
      this.ratingContext(engagement, now),
    ]);
    return {
      health: engagementHealth({ engagementId: engagement.id, trailing, rc, families }),
      kpis: engagementSeries({ engagementId: engagement.id, start, end, weekly, trailing, rc, families }),
    };
  }

  async health(
    engagement: EngagementEntity,
    families?: string[],
    now = Date.now(),
  ): Promise<EngagementHealthDto> {
    const [{ trailing }, rc] = await Promise.all([
      loadKpiValues(this.dataSource, engagement.id),
      this.ratingContext(engagement, now),
    ]);
    return engagementHealth({ engagementId: engagement.id, trailing, rc, families });
  }
}
