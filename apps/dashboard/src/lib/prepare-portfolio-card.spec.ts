import type { EngagementHealthDto, SourceFreshnessDto } from '@pulse/contracts';
import { preparePortfolioCard, sortByAttention, sourceFreshness, worstKpis } from './prepare-portfolio-card';
import { aKpi, anEntry } from './test-builders';
import { weeklyHealth } from './weekly-health';

describe('worstKpis', () => {
  it('names breaches first, furthest past their threshold first, then warnings', () => {
    const worst = worstKpis({
      breaches: [
        anEntry({
          key: 'delivery.pr_pickup_time',
          label: 'PR pickup time',
          value: 50,
          threshold: { warn: 24, breach: 48 },
        }),
        anEntry({ key: 'delivery.pr_cycle_time', value: 300 }),
      ],
      warnings: [
        anEntry({
          key: 'coverage.line',
          label: 'Line coverage',
          family: 'coverage',
          unit: 'percent',
          direction: 'higher',
          value: 65,
          threshold: { warn: 70, breach: 50 },
          status: 'warn',
          score: 0.5,
        }),
      ],
    });
    expect(worst).toEqual([
      {
        key: 'delivery.pr_cycle_time',
        label: 'PR cycle time',
        status: 'breach',
        valueText: '300 h',
        thresholdText: 'warn > 72 h · breach > 168 h',
      },
      expect.objectContaining({ key: 'delivery.pr_pickup_time', status: 'breach' }),
      expect.objectContaining({ key: 'coverage.line', status: 'warn', valueText: '65 %' }),
    ]);
  });
});

const aSource = (overrides: Partial<SourceFreshnessDto> = {}): SourceFreshnessDto => ({
  source: 'github',
  label: 'GitHub',
  connected: true,
  neverSynced: false,
  lastSuccessAt: '2026-03-10T11:48:00Z',
  lastAttemptAt: '2026-03-10T11:48:00Z',
  lastError: null,
  staleSince: null,
  summary: 'GitHub synced 12 min ago',
  ...overrides,
});

const aHealth = (overrides: Partial<EngagementHealthDto> = {}): EngagementHealthDto => ({
  engagementId: 'e1',
  computedAt: '2026-03-10T11:50:00Z',
  window: { kind: 'trailing', from: '', to: '', label: 'last 28 days', lookbackDays: null },
  sources: [aSource()],
  status: 'green',
  score: 100,
  qualifiers: { staleSince: null, staleSources: [], quiet: false },
  families: [],
  familiesWithoutData: [],
  breaches: [],
  warnings: [],
  entries: [],
  summary: 'Green: all 3 rated KPIs within thresholds',
  lines: [],
  ...overrides,
});

describe('sourceFreshness', () => {
  it('shows the API summary and asks the manager to act on a failure that needs them', () => {
    expect(sourceFreshness(aSource())).toEqual({
      kind: 'github',
      tone: 'ok',
      needsAction: false,
      text: 'GitHub synced 12 min ago',
    });
    const failed = aSource({
      neverSynced: true,
      lastSuccessAt: null,
      lastError: { class: 'unreachable', message: 'host not found', at: '2026-03-10T10:00:00Z' },
      summary: 'GitHub sync failed 2 h ago: host not found',
    });
    expect(sourceFreshness(failed)).toMatchObject({ tone: 'error', needsAction: true });
  });

  it('flags stale and not-yet-synced sources, and leaves unconnected ones out', () => {
    expect(sourceFreshness(aSource({ staleSince: '2026-03-09T00:00:00Z' }))?.tone).toBe('stale');
    expect(sourceFreshness(aSource({ neverSynced: true, lastSuccessAt: null }))?.tone).toBe('pending');
    expect(sourceFreshness(aSource({ connected: false }))).toBeNull();
  });
});

describe('preparePortfolioCard', () => {
  it('builds the sparkline from complete weeks only (the partial week is left out), gaps included', () => {
    // 14 weeks: 12 of 10 h, a gap, then the partial week → the last 12 complete weeks.
    const values = [...Array.from({ length: 12 }, () => 10), null, 10];
    const card = preparePortfolioCard({
      health: aHealth(),
      weeks: weeklyHealth([aKpi({ values })]),
      zone: 'UTC',
    });
    expect(card.sparkline).toHaveLength(12);
    expect(card.sparkline.at(-1)).toBeNull();
    expect(card.sparkline[0]).toBe(100);
  });

  it('has no score for "No data yet" and carries the reason, staleness and quiet', () => {
    const card = preparePortfolioCard({
      health: aHealth({
        status: 'unknown',
        score: 0,
        summary: 'No data yet',
        lines: ['GitHub sync failed 2 h ago: host not found.'],
        qualifiers: { staleSince: '2026-03-09T13:05:00Z', staleSources: ['GitHub'], quiet: true },
      }),
      weeks: undefined,
      zone: 'Europe/Berlin',
    });
    expect(card).toMatchObject({
      status: 'unknown',
      score: null,
      lines: ['GitHub sync failed 2 h ago: host not found.'],
      staleText: 'stale since 9 Mar 2026, 14:05 (Europe/Berlin)',
      quiet: true,
    });
  });

  it('is unknown while the health is loading', () => {
    const card = preparePortfolioCard({ health: undefined, weeks: undefined, zone: 'UTC' });
    expect(card).toMatchObject({ status: 'unknown', score: null, worst: [], sparkline: [], freshness: [] });
  });
});

describe('sortByAttention', () => {
  it('puts red first and green last', () => {
    const sorted = sortByAttention([
      { name: 'b', status: 'green' as const },
      { name: 'a', status: 'unknown' as const },
      { name: 'c', status: 'red' as const },
      { name: 'd', status: 'amber' as const },
    ]);
    expect(sorted.map((s) => s.status)).toEqual(['red', 'amber', 'unknown', 'green']);
  });
});
