import {
  isKpiKey,
  kpiDefinition,
  type DrillDownCell,
  type DrillDownColumnDto,
  type KpiDrillDownDto,
  type KpiSeriesDto,
  type SharedViewDto,
} from '@pulse/contracts';
import { isIsoDate } from './date-range';
import { dateTime, formatValue } from './format';

/** GET path of the items behind a KPI value: the trailing window, or one ISO week. */
export function drillDownPath(base: string, key: string, week?: string | null): string {
  const path = `${base}/kpis/${encodeURIComponent(key)}/drill-down`;
  return isIsoDate(week) ? `${path}?${new URLSearchParams({ week })}` : path;
}

/**
 * Whether a vendor may open the items behind a KPI on a share link: the KPI has a drill-down,
 * the link allows item lists and shares the KPI's family (the API answers 404 otherwise).
 */
export function canShareDrillDown(
  kpi: Pick<KpiSeriesDto, 'drillDown' | 'family'> | undefined,
  view: Pick<SharedViewDto, 'allowDrillDown' | 'families'>,
): boolean {
  return !!kpi?.drillDown && view.allowDrillDown && view.families.includes(kpi.family);
}

export interface DrillHeader {
  field: string;
  label: string;
  numeric: boolean;
}

export interface DrillRow {
  id: string;
  title: string;
  url: string | null;
  cells: string[];
}

export interface DrillTable {
  headers: DrillHeader[];
  rows: DrillRow[];
  /** "32 bugs" — the same n as the value clicked. */
  countText: string;
  /** Whether any column holds times (then the table says which zone they are in). */
  hasTimes: boolean;
}

const BADGE_WORDS: Record<string, string> = {
  met: 'met',
  missed: 'missed',
  none: 'no SLA',
  open_within: 'open, within SLA',
  open_breached: 'open, SLA breached',
  client: 'client',
  vendor: 'vendor',
};

/** One cell as a person reads it; times in the engagement's reporting zone. */
export function cellText(value: DrillDownCell, column: DrillDownColumnDto, zone: string): string {
  if (value === null || value === '') return '—';
  switch (column.type) {
    case 'datetime':
      return typeof value === 'string' ? dateTime(value, zone) : String(value);
    case 'boolean':
      return value === true ? 'yes' : value === false ? 'no' : String(value);
    case 'number':
      return typeof value === 'number' ? formatValue(value, column.unit ?? 'count') : String(value);
    case 'badge':
      return BADGE_WORDS[String(value)] ?? String(value).replace(/_/g, ' ');
    default:
      return String(value);
  }
}

/** The drill-down answer as a table: exactly the API's rows, in its order, with its columns. */
export function prepareDrillTable(
  dto: KpiDrillDownDto,
  zone: string,
  nLabel = isKpiKey(dto.key) ? kpiDefinition(dto.key).nLabel : 'items',
): DrillTable {
  return {
    headers: dto.columns.map((c) => ({ field: c.field, label: c.label, numeric: c.type === 'number' })),
    rows: dto.rows.map((r) => ({
      id: r.id,
      title: r.title,
      url: r.url,
      cells: dto.columns.map((c) => cellText(r.cells[c.field] ?? null, c, zone)),
    })),
    countText: `${dto.rows.length} ${dto.rows.length === 1 ? nLabel.replace(/s$/, '') : nLabel}`,
    hasTimes: dto.columns.some((c) => c.type === 'datetime'),
  };
}
