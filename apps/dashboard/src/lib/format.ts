import type { ConnectionKind, KpiFamily, KpiUnit } from '@pulse/contracts';

const UNIT_SUFFIX: Record<KpiUnit, string> = {
  hours: 'h',
  days: 'd',
  minutes: 'min',
  count: '',
  points: 'pts',
  days_per_week: 'days/wk',
  percent: '%',
  pp: 'pp',
  people: 'people',
};

export function unitSuffix(unit: string): string {
  return UNIT_SUFFIX[unit as KpiUnit] ?? unit;
}

/** Rounds for display: more digits for small numbers, none for large ones. */
export function roundForDisplay(value: number): number {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function formatNumber(value: number): string {
  // U+2212 minus reads better than a hyphen next to numbers.
  return String(roundForDisplay(value)).replace('-', '−');
}

/** "41.2 h", "82 %", "12", or "no data" for a gap. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'no data';
  const suffix = unitSuffix(unit);
  if (unit === 'people' && Math.abs(value) === 1) return `${formatNumber(value)} person`;
  return suffix ? `${formatNumber(value)} ${suffix}` : formatNumber(value);
}

/** "+3.5 h", "−2 %", "±0". */
export function formatDelta(delta: number, unit: string): string {
  const rounded = roundForDisplay(delta);
  if (rounded === 0) return '±0';
  const sign = rounded > 0 ? '+' : '−';
  const suffix = unitSuffix(unit === 'percent' ? 'pp' : unit);
  const body = String(Math.abs(rounded));
  return suffix ? `${sign}${body} ${suffix}` : `${sign}${body}`;
}

/** "just now", "12 min ago", "3 h ago", "2 days ago"; "in 5 min" for the future. */
export function relativeTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'at an unknown time';
  const diff = now - t;
  const future = diff < 0;
  const minutes = Math.round(Math.abs(diff) / 60_000);
  let text: string;
  if (minutes < 1) return 'just now';
  if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) text = `${Math.round(minutes / 60)} h`;
  else text = `${Math.round(minutes / (60 * 24))} days`;
  return future ? `in ${text}` : `${text} ago`;
}

/** Business minutes as "45 min", "3 h 20 min", "2 d 4 h" (a business day is 9 h by default). */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

export function formatHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${roundForDisplay(hours)} h`;
  return `${roundForDisplay(hours / 24)} d`;
}

const FAMILY_LABEL: Record<KpiFamily, string> = {
  delivery: 'Delivery speed',
  quality: 'Quality',
  coverage: 'Code coverage',
  responsiveness: 'Responsiveness',
  continuity: 'Continuity',
  scope: 'Scope',
};

export function familyLabel(family: string): string {
  return FAMILY_LABEL[family as KpiFamily] ?? family.charAt(0).toUpperCase() + family.slice(1);
}

const SOURCE_LABEL: Record<ConnectionKind, string> = { github: 'GitHub', jira: 'Jira', slack: 'Slack' };

export function sourceLabel(kind: string): string {
  return SOURCE_LABEL[kind as ConnectionKind] ?? kind;
}

/** "2026-03-02" → "Mar 2". Works on the date string alone, without time zones. */
export function shortDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${months[m - 1]} ${d}`;
}

/**
 * Table timestamps' formatters, one per zone: building an `Intl.DateTimeFormat` costs about
 * as much as formatting hundreds of dates with one (a drill-down of 150 PRs has 450 cells).
 * `null` for a zone the browser does not know.
 */
const tableFormats = new Map<string, Intl.DateTimeFormat | null>();

function tableFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = tableFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      format = null;
    }
    // zone names come from the API: bounded in practice, but never let the map grow unbounded
    if (tableFormats.size >= 64) tableFormats.clear();
    tableFormats.set(timeZone, format);
  }
  return format;
}

/**
 * A timestamp for tables in the engagement's reporting zone (the zone weeks are bucketed in),
 * not the viewer's: the table header names the zone. Without a zone: UTC, said so.
 */
export function dateTime(iso: string | null, timeZone = 'UTC'): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const format = tableFormat(timeZone);
  return format ? format.format(t) : t.toISOString().replace('T', ' ').slice(0, 16);
}

/** One instant in running text, labelled with its zone: "1 Dec 2026, 14:05 (Europe/Berlin)". */
export function instant(iso: string | null, timeZone = 'UTC'): string {
  return iso ? `${dateTime(iso, timeZone)} (${timeZone})` : '—';
}
