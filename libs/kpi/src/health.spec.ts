import { type KpiResult } from '@pulse/contracts';
import { evaluateHealth } from './health';
import { rateKpi } from './rating';

const kpiStatus = (value: number | null, t: { warn: number; breach: number } | null, d: 'lower' | 'higher') =>
  rateKpi({ value, n: 100 }, t, d);

const r = (value: number | null, n = 5): KpiResult => ({ value, n, dropped: 0 });

describe('kpiStatus', () => {
  const t = { warn: 24, breach: 48 };
  it('lower is better: > warn is warn, > breach is breach, equal is not past', () => {
    expect(kpiStatus(24, t, 'lower')).toBe('ok');
    expect(kpiStatus(24.5, t, 'lower')).toBe('warn');
    expect(kpiStatus(48, t, 'lower')).toBe('warn');
    expect(kpiStatus(49, t, 'lower')).toBe('breach');
  });
  it('higher is better: < warn is warn, < breach is breach', () => {
    const cov = { warn: 70, breach: 50 };
    expect(kpiStatus(70, cov, 'higher')).toBe('ok');
    expect(kpiStatus(69.9, cov, 'higher')).toBe('warn');
    expect(kpiStatus(50, cov, 'higher')).toBe('warn');
    expect(kpiStatus(49, cov, 'higher')).toBe('breach');
  });
  it('negative thresholds (coverage delta −1 / −5 pp)', () => {
    const delta = { warn: -1, breach: -5 };
    expect(kpiStatus(0.5, delta, 'higher')).toBe('ok');
    expect(kpiStatus(-2, delta, 'higher')).toBe('warn');
    expect(kpiStatus(-6, delta, 'higher')).toBe('breach');
  });
  it('no value is no_data; no threshold is no_threshold (neutral, never ok)', () => {
    expect(kpiStatus(null, t, 'lower')).toBe('no_data');
    expect(kpiStatus(1000, null, 'lower')).toBe('no_threshold');
    expect(rateKpi({ value: 3, n: 3 }, t, 'none')).toBe('no_threshold');
  });
  it('below the minimum sample a value is low_sample, whatever its size', () => {
    // One PR of 200 h would be a breach of 168 h; with n = 1 < 3 it is not rated.
    expect(rateKpi({ value: 200, n: 1 }, { warn: 72, breach: 168 }, 'lower', 3)).toBe('low_sample');
    expect(rateKpi({ value: 200, n: 2 }, { warn: 72, breach: 168 }, 'lower', 3)).toBe('low_sample');
    expect(rateKpi({ value: 200, n: 3 }, { warn: 72, breach: 168 }, 'lower', 3)).toBe('breach');
  });
});

describe('evaluateHealth', () => {
  it('scores families as the mean of their KPIs and the engagement as the mean of families with data', () => {
    const health = evaluateHealth({
      // delivery: cycle 80 h (> 72 warn) → 0.5; pickup 10 h → 1; prs_merged has no threshold → not scored
      'delivery.pr_cycle_time': r(80),
      'delivery.pr_pickup_time': r(10),
      'delivery.prs_merged': r(12),
      // quality: open bugs 45 (> 40) → 0
      'quality.open_bugs': r(45, 45),
      // coverage: a gap → no data; the family is left out
      'coverage.line': r(null, 0),
      // responsiveness: 30 min → 1
      'responsiveness.chat_first_response': r(30),
    });
    // delivery (0.5 + 1) / 2 = 0.75; quality 0; responsiveness 1 → (0.75 + 0 + 1) / 3 = 0.5833 → 58.
    expect(health.score).toBe(58);
    expect(health.families.find((f) => f.family === 'delivery')?.score).toBe(0.75);
    expect(health.familiesWithoutData).toEqual(['coverage', 'continuity', 'scope']);
    expect(health.status).toBe('red');
    expect(health.breaches.map((e) => [e.key, e.value, e.threshold])).toEqual([
      ['quality.open_bugs', 45, { warn: 20, breach: 40 }],
    ]);
    expect(health.warnings.map((e) => e.key)).toEqual(['delivery.pr_cycle_time']);
    expect(health.summary).toBe('Red: 1 KPI in breach');
    expect(health.lines[0]).toBe('Open bugs is 45 now, above the 40 breach line.');
    expect(health.lines).toContain('Not rated (no data): Coverage, Continuity, Scope.');
    for (const line of [health.summary, ...health.lines]) expect(line).not.toMatch(/[a-z]+\.[a-z_]+/);
  });

  it('amber when the worst is a warn, green when all are within', () => {
    expect(evaluateHealth({ 'coverage.line': r(65) }).status).toBe('amber'); // < 70
    const green = evaluateHealth({ 'coverage.line': r(85), 'quality.open_bugs': r(3) });
    expect(green.status).toBe('green');
    expect(green.score).toBe(100);
  });

  it('unknown (and no score) when nothing has data', () => {
    const h = evaluateHealth({ 'delivery.pr_cycle_time': r(null, 0), 'delivery.prs_merged': r(0, 0) });
    expect(h.status).toBe('unknown');
    expect(h.score).toBeNull();
    expect(h.familiesWithoutData).toHaveLength(6);
  });

  it('uses the engagement’s thresholds, falls back to defaults, and honours an explicit null', () => {
    const results = { 'delivery.pr_cycle_time': r(100), 'quality.open_bugs': r(25) };
    const h = evaluateHealth(results, {
      'delivery.pr_cycle_time': { warn: 120, breach: 200 },
      'quality.open_bugs': null,
    });
    // cycle 100 ≤ 120 → ok; open bugs has no threshold → not scored. Score 100, green.
    expect(h.status).toBe('green');
    expect(h.score).toBe(100);
    expect(h.entries.find((e) => e.key === 'quality.open_bugs')?.score).toBeNull();
  });

  it('weights families', () => {
    const results = { 'delivery.pr_cycle_time': r(10), 'quality.open_bugs': r(45) };
    // delivery 1 (weight 3), quality 0 (weight 1) → 3 / 4 = 75.
    expect(evaluateHealth(results, {}, { weights: { delivery: 3, quality: 1 } }).score).toBe(75);
  });

  it('new_contributors (direction none) is never scored', () => {
    const h = evaluateHealth({ 'continuity.new_contributors': r(4) });
    expect(h.status).toBe('unknown');
    expect(h.entries[0].status).toBe('no_threshold');
  });
});
