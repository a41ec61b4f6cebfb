import type { HealthExplanation } from '@pulse/contracts';
import { sharedHealth } from './prepare-shared-view';
import { anEntry } from './test-builders';

const health = (): HealthExplanation => ({
  status: 'red',
  score: 40,
  families: [
    { family: 'delivery', score: 0, weight: 1, scoredKeys: ['delivery.pr_cycle_time'] },
    { family: 'quality', score: 1, weight: 1, scoredKeys: ['quality.open_bugs'] },
  ],
  familiesWithoutData: ['coverage', 'responsiveness'],
  breaches: [anEntry()],
  warnings: [anEntry({ key: 'quality.open_bugs', family: 'quality', status: 'warn' })],
  entries: [anEntry(), anEntry({ key: 'quality.open_bugs', family: 'quality', status: 'warn' })],
  summary: 'Red: 1 KPI in breach',
  lines: ['PR cycle time is 200 h over the last 28 days (4 PRs), above the 168 h breach line.'],
  qualifiers: { staleSince: null, staleSources: [], quiet: false },
});

describe('sharedHealth', () => {
  it('keeps only the families the link shares', () => {
    const h = sharedHealth({ health: health(), families: ['quality', 'coverage'] });
    expect(h?.breaches).toEqual([]);
    expect(h?.warnings.map((e) => e.key)).toEqual(['quality.open_bugs']);
    expect(h?.entries.map((e) => e.family)).toEqual(['quality']);
    expect(h?.families.map((f) => f.family)).toEqual(['quality']);
    expect(h?.familiesWithoutData).toEqual(['coverage']);
    expect(h?.status).toBe('red');
    expect(h?.score).toBe(40);
  });
  it('gives null for a health that is not an explanation', () => {
    expect(sharedHealth({ health: null, families: ['delivery'] })).toBeNull();
    expect(sharedHealth({ health: { status: 'red' }, families: ['delivery'] })).toBeNull();
  });
});
