import {
  connectionFreshness,
  preparePortfolioCard,
  sortByAttention,
  worstKpis,
} from './prepare-portfolio-card';
import { buildRegistry } from './kpi-registry';
import { aConnection, aKpi, anEntry } from './test-builders';

const registry = buildRegistry(null);
const now = Date.parse('2026-03-10T12:00:00Z');

describe('worstKpis', () => {
  it('names breaches first, furthest past their threshold first, then warnings', () => {
    const worst = worstKpis(
      {
        breaches: [
          anEntry({ key: 'delivery.pr_pickup_time', value: 50, threshold: { warn: 24, breach: 48 } }),
          anEntry({ key: 'delivery.pr_cycle_time', value: 300 }),
        ],
        warnings: [
          anEntry({
            key: 'coverage.line',
            family: 'coverage',
            unit: 'percent',
            direction: 'higher',
            value: 65,
            threshold: { warn: 70, breach: 50 },
            status: 'warn',
            score: 0.5,
          }),
        ],
      },
      registry,
    );
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

describe('connectionFreshness', () => {
  it('says when a source last synced', () => {
    expect(
      connectionFreshness(aConnection('github', { lastSuccessAt: '2026-03-10T11:48:00Z' }), now),
    ).toEqual({
      kind: 'github',
      tone: 'ok',
      needsAction: false,
      text: 'GitHub synced 12 min ago',
    });
  });
  it('asks the manager to act on a rejected token', () => {
    const jira = aConnection('jira', {
      lastSuccessAt: '2026-03-09T10:00:00Z',
      lastErrorClass: 'auth',
      lastErrorAt: '2026-03-10T11:00:00Z',
    });
    expect(connectionFreshness(jira, now)).toMatchObject({
      tone: 'error',
      needsAction: true,
      text: 'Jira: token rejected — syncing paused until the token is fixed in settings',
    });
  });
  it('ignores an error that a later success cleared, and flags stale or rate-limited data', () => {
    const healed = aConnection('slack', {
      lastSuccessAt: '2026-03-10T11:00:00Z',
      lastErrorClass: 'temporary',
      lastErrorAt: '2026-03-10T10:00:00Z',
    });
    expect(connectionFreshness(healed, now).tone).toBe('ok');
    expect(
      connectionFreshness(aConnection('github', { lastSuccessAt: '2026-03-07T12:00:00Z' }), now).tone,
    ).toBe('stale');
    const limited = aConnection('github', {
      lastErrorClass: 'rate_limited',
      lastErrorAt: '2026-03-10T11:55:00Z',
      retryAfter: '2026-03-10T12:10:00Z',
    });
    expect(connectionFreshness(limited, now).text).toBe('GitHub: rate limited, retrying in 10 min');
    expect(connectionFreshness(aConnection('slack'), now)).toMatchObject({
      tone: 'pending',
      text: 'Slack: not synced yet',
    });
  });
});

describe('preparePortfolioCard', () => {
  it('builds the sparkline from the last 12 weekly scores, gaps included', () => {
    const values = [...Array.from({ length: 13 }, () => 10), null];
    const card = preparePortfolioCard({
      health: { status: 'green', score: 100, summary: 'green', breaches: [], warnings: [] },
      kpis: [aKpi({ values })],
      connections: [],
      registry,
      now,
    });
    expect(card.sparkline).toHaveLength(12);
    expect(card.sparkline.at(-1)).toBeNull();
    expect(card.sparkline[0]).toBe(100);
  });
  it('is unknown while the health is loading', () => {
    const card = preparePortfolioCard({
      health: undefined,
      kpis: undefined,
      connections: undefined,
      registry,
      now,
    });
    expect(card).toMatchObject({ status: 'unknown', score: null, worst: [], sparkline: [] });
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
