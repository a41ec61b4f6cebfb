import { kpiDefinition, type KpiResult } from '@pulse/contracts';
import { type SourceFreshness, type SourceSyncState, sourceFreshness, sourceStates } from './freshness';
import { evaluateHealth } from './health';
import { explainValue } from './rating';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0); // Tue 1 Dec 2026 12:00 UTC
const r = (value: number | null, n = 10): KpiResult => ({ value, n, dropped: 0 });

const state = (s: Partial<SourceSyncState> & Pick<SourceSyncState, 'source'>): SourceSyncState => ({
  connected: true,
  lastSuccessAt: NOW - HOUR,
  lastAttemptAt: NOW - HOUR,
  lastError: null,
  ...s,
});
const fresh = (states: SourceSyncState[], interval = 30 * 60_000): SourceFreshness[] =>
  states.map((s) => sourceFreshness(s, NOW, interval, 'UTC'));

describe('sources and gaps', () => {
  it('a count whose source never synced is a gap, not 0, and the engagement is unknown with the reason', () => {
    const sources = fresh([
      state({
        source: 'github',
        lastSuccessAt: null,
        lastError: { class: 'unreachable', message: 'host not found', at: NOW - 2 * HOUR },
      }),
    ]);
    // The engine said "0 open bugs" and "0 PRs merged" — nobody looked.
    const h = evaluateHealth(
      { 'quality.open_bugs': r(0, 0), 'delivery.prs_merged': r(0, 0) },
      {},
      { sources },
    );
    expect(h.status).toBe('unknown');
    expect(h.score).toBeNull();
    expect(h.summary).toBe('No data yet');
    expect(h.lines).toContain('GitHub sync failed 2 h ago: host not found.');
    const bugs = h.entries.find((e) => e.key === 'quality.open_bugs');
    expect(bugs).toMatchObject({ value: null, n: 0, status: 'no_data', score: null });
    expect(bugs?.explanation).toBe('Open bugs has no data now: GitHub sync failed 2 h ago: host not found.');
  });

  it('a count is 0 when its source synced and found nothing', () => {
    const sources = fresh([state({ source: 'github' })]);
    const h = evaluateHealth({ 'quality.open_bugs': r(0, 0) }, {}, { sources });
    expect(h.entries[0]).toMatchObject({ value: 0, status: 'ok', score: 1 });
    expect(h.status).toBe('green');
  });

  it('bugs come from Jira or GitHub: one delivering source is enough', () => {
    const sources = fresh([state({ source: 'jira', lastSuccessAt: null }), state({ source: 'github' })]);
    const h = evaluateHealth({ 'quality.open_bugs': r(5, 5) }, {}, { sources });
    expect(h.entries[0].value).toBe(5);
  });

  it('maps connection rows: absent = not connected; coverage has synced when a sample exists', () => {
    const states = sourceStates(
      [
        {
          kind: 'github',
          lastSuccessAt: 5,
          lastAttemptAt: 6,
          lastErrorClass: 'auth',
          lastErrorMessage: 'token revoked',
          lastErrorAt: 6,
        },
      ],
      null,
    );
    expect(states.map((s) => [s.source, s.connected, s.lastSuccessAt])).toEqual([
      ['github', true, 5],
      ['jira', false, null],
      ['slack', false, null],
      ['coverage', true, null],
    ]);
    expect(states[0].lastError).toEqual({ class: 'auth', message: 'token revoked', at: 6 });
  });
});

describe('staleness', () => {
  it('stale after max(2 sync intervals, 24 h): a 30-min schedule goes stale after 24 h', () => {
    const [ok] = fresh([state({ source: 'github', lastSuccessAt: NOW - 23 * HOUR })]);
    expect(ok.staleSince).toBeNull();
    const [old] = fresh([state({ source: 'github', lastSuccessAt: NOW - 30 * HOUR })]);
    // Last success 30 h ago + 24 h allowance → stale since 6 h ago.
    expect(old.staleSince).toBe(NOW - 6 * HOUR);
    expect(old.summary).toBe('GitHub data is stale since 1 Dec 2026, 06:00 (UTC) (last synced 30 h ago)');
  });

  it('a 1-day schedule goes stale after 2 days, not 1', () => {
    const [f] = fresh([state({ source: 'jira', lastSuccessAt: NOW - 30 * HOUR })], 24 * HOUR);
    expect(f.staleSince).toBeNull();
    const [g] = fresh([state({ source: 'jira', lastSuccessAt: NOW - 50 * HOUR })], 24 * HOUR);
    expect(g.staleSince).toBe(NOW - 2 * HOUR);
  });

  it('the status carries the qualifier and every KPI of the source says since when', () => {
    const sources = fresh([state({ source: 'github', lastSuccessAt: NOW - 30 * HOUR })]);
    const h = evaluateHealth({ 'delivery.pr_cycle_time': r(10, 5) }, {}, { sources, zone: 'UTC' });
    expect(h.status).toBe('green');
    expect(h.qualifiers).toEqual({
      staleSince: new Date(NOW - 6 * HOUR).toISOString(),
      staleSources: ['GitHub'],
      quiet: false,
    });
    expect(h.summary).toBe('Green: all 1 rated KPI within thresholds · stale since 1 Dec 2026, 06:00 (UTC)');
    expect(h.entries[0].staleSince).toBe(new Date(NOW - 6 * HOUR).toISOString());
  });
});

describe('minimum sample', () => {
  it('one slow PR (n = 1) does not turn the engagement red', () => {
    const h = evaluateHealth({ 'delivery.pr_cycle_time': r(400, 1), 'quality.open_bugs': r(3, 3) });
    expect(h.entries.find((e) => e.key === 'delivery.pr_cycle_time')).toMatchObject({
      status: 'low_sample',
      score: null,
      minN: 3,
    });
    expect(h.status).toBe('green');
  });

  it('rates need a denominator of 5, adjustable per engagement', () => {
    expect(evaluateHealth({ 'quality.bug_reopen_rate': r(50, 4) }).entries[0].status).toBe('low_sample');
    expect(evaluateHealth({ 'quality.bug_reopen_rate': r(50, 5) }).entries[0].status).toBe('breach');
    const lowered = evaluateHealth(
      { 'quality.bug_reopen_rate': r(50, 4) },
      {},
      { minSamples: { 'quality.bug_reopen_rate': 2 } },
    );
    expect(lowered.entries[0].status).toBe('breach');
  });
});

describe('quiet', () => {
  it('no vendor activity while the sources are fresh is amber at best', () => {
    const sources = fresh([state({ source: 'github' }), state({ source: 'slack' })]);
    const h = evaluateHealth(
      { 'delivery.vendor_activity': r(0, 0), 'quality.open_bugs': r(2, 2) },
      {},
      { sources },
    );
    expect(h.qualifiers.quiet).toBe(true);
    expect(h.status).toBe('amber');
    expect(h.summary).toBe('Amber: quiet — no vendor activity');
  });

  it('not quiet when a connected source is stale (we would not know)', () => {
    const sources = fresh([
      state({ source: 'github' }),
      state({ source: 'slack', lastSuccessAt: NOW - 48 * HOUR }),
    ]);
    const h = evaluateHealth(
      { 'delivery.vendor_activity': r(0, 0), 'quality.open_bugs': r(2, 2) },
      {},
      { sources },
    );
    expect(h.qualifiers.quiet).toBe(false);
    expect(h.status).toBe('green');
  });
});

describe('plain language', () => {
  it('reads like a sentence, with the window, the sample and the line crossed', () => {
    const def = kpiDefinition('quality.bug_reopen_rate');
    const words = { kind: 'trailing' as const, label: 'the last 28 days' };
    expect(explainValue(def, { value: 40.74, n: 27 }, 'breach', { warn: 10, breach: 20 }, words, 5)).toBe(
      'Bug reopen rate is 40.7 % over the last 28 days (27 bugs), above the 20 % breach line.',
    );
    const cov = kpiDefinition('coverage.line');
    expect(explainValue(cov, { value: 65, n: 2 }, 'warn', { warn: 70, breach: 50 }, words, 0)).toBe(
      'Line coverage is 65 % now (2 repos), below the 70 % warn line.',
    );
    const merged = kpiDefinition('delivery.prs_merged');
    expect(explainValue(merged, { value: 12, n: 12 }, 'no_threshold', null, words, 0)).toBe(
      'PRs merged is 12 over the last 28 days; no threshold is set.',
    );
  });
});
