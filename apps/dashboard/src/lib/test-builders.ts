// Readable test data for the prepare functions' specs.
import type {
  KpiHealthEntry,
  KpiPointDto,
  KpiSeriesDto,
  KpiValueDto,
  UnassignedIdentityDto,
} from '@pulse/contracts';
import { addDays } from './date-range';

/** A rated value as the API sends it; status from the value unless given. */
export function aValue(overrides: Partial<KpiValueDto> = {}): KpiValueDto {
  const value = overrides.value === undefined ? 10 : overrides.value;
  return {
    value,
    n: value === null ? 0 : 5,
    dropped: 0,
    minN: 3,
    status: value === null ? 'no_data' : 'ok',
    window: {
      kind: 'trailing',
      from: '2026-02-02T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
      label: 'last 28 days',
      lookbackDays: null,
    },
    staleSince: null,
    explanation: 'PR cycle time is 10 h over the last 28 days (5 PRs), within the 72 h warn line.',
    ...overrides,
  };
}

/** Weekly points from `firstWeek` on; the last one is the current, partial week. */
export function aSeries(values: readonly (number | null)[], firstWeek = '2026-01-05'): KpiPointDto[] {
  return values.map((value, i) => {
    const weekStart = addDays(firstWeek, 7 * i);
    const partial = i === values.length - 1;
    return {
      ...aValue({ value }),
      window: {
        kind: 'week',
        from: `${weekStart}T00:00:00.000Z`,
        to: `${addDays(weekStart, 7)}T00:00:00.000Z`,
        label: `week of ${weekStart}${partial ? ' (so far)' : ''}`,
        lookbackDays: null,
      },
      weekStart,
      bucketStart: 0,
      bucketEnd: 0,
      partial,
    };
  });
}

export function aKpi(overrides: Partial<KpiSeriesDto> & { values?: (number | null)[] } = {}): KpiSeriesDto {
  const { values, ...rest } = overrides;
  return {
    key: 'delivery.pr_cycle_time',
    label: 'PR cycle time',
    family: 'delivery',
    unit: 'hours',
    direction: 'lower',
    description: 'Median cycle time.',
    sources: ['github'],
    nLabel: 'PRs',
    drillDown: true,
    threshold: { warn: 72, breach: 168 },
    current: aValue(),
    series: aSeries(values ?? [10, 20, 30]),
    weekOverWeek: null,
    ...rest,
  };
}

export function anEntry(overrides: Partial<KpiHealthEntry> = {}): KpiHealthEntry {
  return {
    key: 'delivery.pr_cycle_time',
    label: 'PR cycle time',
    family: 'delivery',
    unit: 'hours',
    direction: 'lower',
    value: 200,
    n: 4,
    minN: 3,
    threshold: { warn: 72, breach: 168 },
    status: 'breach',
    score: 0,
    staleSince: null,
    explanation: 'PR cycle time is 200 h over the last 28 days (4 PRs), above the 168 h breach line.',
    ...overrides,
  };
}

export function anUnassignedLogin(
  login: string,
  overrides: Partial<UnassignedIdentityDto> = {},
): UnassignedIdentityDto {
  return {
    source: 'github',
    externalId: login,
    pullRequests: 3,
    reviews: 1,
    lastSeenAt: '2026-03-01T10:00:00Z',
    ...overrides,
  };
}
