// Readable test data for the prepare functions' specs.
import type {
  ConnectionDto,
  KpiHealthEntry,
  KpiPointDto,
  KpiSeriesDto,
  PullRequestDrillDownDto,
  UnassignedIdentityDto,
} from '@pulse/contracts';
import { addDays } from './date-range';

export function aSeries(values: readonly (number | null)[], firstWeek = '2026-01-05'): KpiPointDto[] {
  return values.map((value, i) => ({
    weekStart: addDays(firstWeek, 7 * i),
    bucketStart: 0,
    bucketEnd: 0,
    value,
    n: value === null ? 0 : 5,
    dropped: 0,
    status: value === null ? 'no_data' : 'ok',
  }));
}

export function aKpi(overrides: Partial<KpiSeriesDto> & { values?: (number | null)[] } = {}): KpiSeriesDto {
  const { values, ...rest } = overrides;
  return {
    key: 'delivery.pr_cycle_time',
    family: 'delivery',
    unit: 'hours',
    direction: 'lower',
    description: 'Median cycle time.',
    threshold: { warn: 72, breach: 168 },
    current: null,
    series: aSeries(values ?? [10, 20, 30]),
    ...rest,
  };
}

export function anEntry(overrides: Partial<KpiHealthEntry> = {}): KpiHealthEntry {
  return {
    key: 'delivery.pr_cycle_time',
    family: 'delivery',
    unit: 'hours',
    direction: 'lower',
    value: 200,
    n: 4,
    threshold: { warn: 72, breach: 168 },
    status: 'breach',
    score: 0,
    ...overrides,
  };
}

export function aConnection(
  kind: ConnectionDto['kind'],
  sync: Partial<ConnectionDto['sync']> = {},
): ConnectionDto {
  return {
    id: `c-${kind}`,
    kind,
    settings: {},
    hasSecret: true,
    updatedAt: '2026-03-01T00:00:00Z',
    sync: {
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastErrorClass: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      retryAfter: null,
      failureCount: 0,
      ...sync,
    },
  };
}

export function aPullRequest(
  number: number,
  stages: Partial<PullRequestDrillDownDto['stages']> = {},
): PullRequestDrillDownDto {
  return {
    repo: 'acme/payments',
    number,
    url: `https://github.com/acme/payments/pull/${number}`,
    authorLogin: 'dev',
    authorSide: 'vendor',
    reviewedBySide: 'client',
    createdAt: '2026-03-01T10:00:00Z',
    mergedAt: '2026-03-03T10:00:00Z',
    firstReviewAt: '2026-03-02T10:00:00Z',
    stages: { codingHours: 1, pickupHours: 2, reviewHours: 3, cycleHours: 6, ...stages },
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
