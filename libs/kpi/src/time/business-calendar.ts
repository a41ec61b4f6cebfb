import { DateTime } from 'luxon';
import { type CalendarSpec, type EpochMs } from '@pulse/contracts';
import { ZoneDays, ordinalToIsoDate, ordinalWeekday } from './zone-days';

export const DEFAULT_WORKING_DAYS: readonly number[] = [1, 2, 3, 4, 5];
export const DEFAULT_DAY_START = '09:00';
export const DEFAULT_DAY_END = '18:00';

function parseHourMinute(value: string, what: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m) throw new Error(`${what} must be HH:mm, got "${value}"`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 24 || minute > 59 || (hour === 24 && minute !== 0))
    throw new Error(`${what} out of range: "${value}"`);
  return { hour, minute };
}

/**
 * A working calendar (one side's zone, working weekdays and hours, holidays) answering
 * "how much business time lies between two instants". Each local day's working window is
 * resolved once with luxon (so DST changes move the window in UTC, never its local hours)
 * and kept with a running total, so a duration is two table look-ups and a subtraction.
 */
export class BusinessCalendar extends ZoneDays {
  readonly workingDays: ReadonlySet<number>;
  readonly holidays: ReadonlySet<string>;
  private readonly startHm: { hour: number; minute: number };
  private readonly endHm: { hour: number; minute: number };
  /** Business seconds in one full working day (e.g. 9 h = 32 400 s for 09:00–18:00). */
  readonly workingDaySeconds: number;
  private ws: number[] = [];
  private we: number[] = [];
  /** cum[i] = business ms from the table's first day up to the start of day i. */
  private cum: number[] = [];

  constructor(readonly spec: CalendarSpec) {
    super(spec.timeZone);
    this.workingDays = new Set(spec.workingDays ?? DEFAULT_WORKING_DAYS);
    if (this.workingDays.size === 0) throw new Error('a working calendar needs at least one working day');
    this.holidays = new Set(spec.holidays ?? []);
    this.startHm = parseHourMinute(spec.dayStart ?? DEFAULT_DAY_START, 'dayStart');
    this.endHm = parseHourMinute(spec.dayEnd ?? DEFAULT_DAY_END, 'dayEnd');
    const startMin = this.startHm.hour * 60 + this.startHm.minute;
    const endMin = this.endHm.hour * 60 + this.endHm.minute;
    if (endMin <= startMin) throw new Error('dayEnd must be after dayStart');
    this.workingDaySeconds = (endMin - startMin) * 60;
  }

  private localTime(ordinal: number, hm: { hour: number; minute: number }): EpochMs {
    if (hm.hour === 24) return this.midnightOf(ordinal + 1);
    const d = new Date(ordinal * 86_400_000);
    return DateTime.fromObject(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: hm.hour,
        minute: hm.minute,
      },
      { zone: this.zone },
    ).toMillis();
  }

  /** True when the local date is a working day (weekday and not a holiday). */
  isWorkingDay(ordinal: number): boolean {
    return this.workingDays.has(ordinalWeekday(ordinal)) && !this.holidays.has(ordinalToIsoDate(ordinal));
  }

  protected override onBuild(prepended: number, appended: number): void {
    const days = (from: number, count: number): { ws: number[]; we: number[] } => {
      const ws = new Array<number>(count);
      const we = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        const ordinal = from + i;
        if (this.isWorkingDay(ordinal)) {
          ws[i] = this.localTime(ordinal, this.startHm);
          we[i] = this.localTime(ordinal, this.endHm);
        } else {
          ws[i] = we[i] = this.starts[ordinal - this.first];
        }
      }
      return { ws, we };
    };
    if (prepended > 0) {
      const d = days(this.first, prepended);
      this.ws = d.ws.concat(this.ws);
      this.we = d.we.concat(this.we);
    }
    if (appended > 0) {
      const d = days(this.first + this.ws.length, appended);
      this.ws = this.ws.concat(d.ws);
      this.we = this.we.concat(d.we);
    }
    // Running totals are plain arithmetic: recompute them whole.
    const count = this.ws.length;
    const cum = new Array<number>(count + 1);
    cum[0] = 0;
    for (let i = 0; i < count; i++) cum[i + 1] = cum[i] + (this.we[i] - this.ws[i]);
    this.cum = cum;
  }

  /** Business ms from the table origin to `t` (only differences are meaningful). */
  private cumAt(t: EpochMs): number {
    const i = this.indexOf(t);
    const s = this.ws[i];
    const e = this.we[i];
    return this.cum[i] + (t <= s ? 0 : t >= e ? e - s : t - s);
  }

  /** Business milliseconds between two instants; negative when `to` is before `from`. */
  businessMs(from: EpochMs, to: EpochMs): number {
    this.ensure(from);
    this.ensure(to);
    return this.cumAt(to) - this.cumAt(from);
  }

  /** Whole business seconds between two instants (truncated toward zero). */
  businessSeconds(from: EpochMs, to: EpochMs): number {
    return Math.trunc(this.businessMs(from, to) / 1000);
  }

  /** True when `t` lies inside working hours. */
  isWorkingTime(t: EpochMs): boolean {
    this.ensure(t);
    const i = this.indexOf(t);
    return t >= this.ws[i] && t < this.we[i];
  }

  /**
   * The earliest instant `u >= from` with `businessMs(from, u) >= ms`: when a business-time
   * budget starting at `from` is used up.
   */
  addBusinessMs(from: EpochMs, ms: number): EpochMs {
    if (ms <= 0) return from;
    this.ensure(from);
    for (;;) {
      const target = this.cumAt(from) + ms;
      const cum = this.cum;
      const last = cum.length - 1;
      if (cum[last] >= target) {
        // smallest day i with cum[i + 1] >= target
        let lo = this.indexOf(from);
        let hi = last - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cum[mid + 1] >= target) hi = mid;
          else lo = mid + 1;
        }
        return Math.max(from, this.ws[lo] + (target - cum[lo]));
      }
      // the table ends too early: grow it forward and retry
      this.ensure(this.starts[this.starts.length - 1] + 1);
    }
  }
}
