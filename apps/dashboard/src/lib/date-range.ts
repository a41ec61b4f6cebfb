export type RangePreset = '12' | '26' | '52' | 'custom';

export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function toIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return toIso(new Date(toDate(iso).getTime() + days * DAY));
}

/** The Monday of the ISO week containing `iso`. */
export function mondayOf(iso: string): string {
  const d = toDate(iso);
  const weekday = (d.getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(iso, -weekday);
}

export function isIsoDate(value: string | null | undefined): value is string {
  return !!value && DATE.test(value) && !Number.isNaN(toDate(value).getTime());
}

/**
 * The from/to to ask the API for: N whole weeks ending with the current one, or a custom
 * range when both ends are valid dates in order (otherwise the 12-week default).
 */
export function resolveRange(
  preset: string | null,
  today: string,
  custom: { from?: string | null; to?: string | null } = {},
): { preset: RangePreset; range: DateRange } {
  if (preset === 'custom' && isIsoDate(custom.from) && isIsoDate(custom.to) && custom.from <= custom.to) {
    return { preset: 'custom', range: { from: custom.from, to: custom.to } };
  }
  const weeks = preset === '26' ? 26 : preset === '52' ? 52 : 12;
  return {
    preset: String(weeks) as RangePreset,
    range: { from: addDays(mondayOf(today), -7 * (weeks - 1)), to: today },
  };
}

/**
 * Today's date in a time zone (the browser's when none is given), as yyyy-mm-dd. The browser's
 * own date comes from `Date`: a page's first `Intl.DateTimeFormat` loads time-zone data, which
 * held the page's data requests back ~170 ms on a cold first load.
 */
export function todayIn(timeZone: string | undefined, now: number): string {
  if (timeZone === undefined) {
    const d = new Date(now);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${String(d.getFullYear()).padStart(4, '0')}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}
