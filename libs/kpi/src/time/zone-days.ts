import { DateTime } from 'luxon';
import { type EpochMs } from '@pulse/contracts';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a local calendar date (pure date arithmetic, no offsets). */
export function dateOrdinal(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** `yyyy-mm-dd` of a day ordinal. */
export function ordinalToIsoDate(ordinal: number): string {
  return new Date(ordinal * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day ordinal; 1970-01-01 was a Thursday. */
export function ordinalWeekday(ordinal: number): number {
  return ((((ordinal + 3) % 7) + 7) % 7) + 1;
}

export function assertValidZone(zone: string): void {
  if (!DateTime.fromMillis(0, { zone }).isValid) throw new Error(`invalid IANA time zone "${zone}"`);
}

/**
 * The local days of one IANA zone as a table of UTC instants (local midnights), built with
 * luxon once per day and then looked up by binary-free index arithmetic. Lookups of an
 * instant's local day are O(1) amortised, which keeps business-time maths cheap enough for
 * a million chat messages. The table grows on demand when an instant falls outside it.
 */
export class ZoneDays {
  /** Ordinal of the first day in the table. */
  protected first = 0;
  /** starts[i] = epoch ms of local midnight of day `first + i`; one extra entry closes the last day. */
  protected starts: number[] = [];

  constructor(readonly zone: string) {
    assertValidZone(zone);
  }

  /** Local midnight of a day ordinal, via luxon (a nonexistent midnight shifts forward). */
  protected midnightOf(ordinal: number): EpochMs {
    const d = new Date(ordinal * DAY_MS);
    return DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
      { zone: this.zone },
    ).toMillis();
  }

  /**
   * Hook for subclasses keeping per-day data: the table just gained `prepended` days at its
   * front or `appended` days at its end (the first build counts as appended).
   */
  protected onBuild(_prepended: number, _appended: number): void {
    // no extra per-day data in the base class
  }

  protected ensure(t: EpochMs): void {
    const n = this.starts.length;
    if (n > 1 && t >= this.starts[0] && t < this.starts[n - 1]) return;
    const local = DateTime.fromMillis(t, { zone: this.zone });
    const day = dateOrdinal(local.year, local.month, local.day);
    if (n <= 1) {
      this.first = day - 31;
      this.starts = this.buildStarts(this.first, day + 62);
      this.onBuild(0, this.starts.length - 1);
      return;
    }
    // Grow by at least the current size (amortised), keeping the days already resolved.
    const last = this.first + n - 2;
    const grow = Math.max(62, n);
    if (day < this.first) {
      const lo = Math.min(day - 31, this.first - grow);
      const added = this.buildStarts(lo, this.first - 1);
      added.pop(); // its closing entry is our current first start
      this.starts = added.concat(this.starts);
      this.first = lo;
      this.onBuild(added.length, 0);
    } else {
      const hi = Math.max(day + 31, last + grow);
      const added = this.buildStarts(last + 1, hi);
      added.shift(); // our current closing entry is its first start
      this.starts = this.starts.concat(added);
      this.onBuild(0, added.length);
    }
  }

  /** Midnights of days `lo..hi` plus the closing midnight of day `hi + 1`. */
  private buildStarts(lo: number, hi: number): number[] {
    const out = new Array<number>(hi - lo + 2);
    for (let i = 0; i < out.length; i++) out[i] = this.midnightOf(lo + i);
    return out;
  }

  /** Index into the table of the local day containing `t` (call `ensure` first). */
  protected indexOf(t: EpochMs): number {
    const s = this.starts;
    let i = Math.floor((t - s[0]) / DAY_MS);
    if (i < 0) i = 0;
    if (i > s.length - 2) i = s.length - 2;
    while (i > 0 && s[i] > t) i--;
    while (i < s.length - 2 && s[i + 1] <= t) i++;
    return i;
  }

  /** Ordinal of the local calendar day containing `t`. */
  dayOf(t: EpochMs): number {
    this.ensure(t);
    return this.first + this.indexOf(t);
  }

  /** Local midnight (epoch ms) of a day ordinal. */
  startOfDay(ordinal: number): EpochMs {
    return this.midnightOf(ordinal);
  }
}
