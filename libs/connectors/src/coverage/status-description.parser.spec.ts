import { parseCoveragePercentFromDescription } from './status-description.parser';

describe('parseCoveragePercentFromDescription', () => {
  it.each([
    ['85.23% (+0.10%) compared to 1a2b3c4', 85.23],
    ['85.23% (-1.50%) compared to 1a2b3c4', 85.23],
    ['Coverage: 81%', 81],
    ['coverage 72.5 %', 72.5],
    ['Coverage increased (+0.02%) to 92.244%', 92.244],
    ['Coverage decreased (-1.2%) to 80%', 80],
    ['100.00% of diff hit (target 80.00%)', 100],
    ['0% coverage', 0],
  ])('%s → %d', (description, expected) => {
    expect(parseCoveragePercentFromDescription(description)).toBe(expected);
  });

  it.each([
    ['no percentage here'],
    ['Codecov Report: 1a2b3c4'],
    ['(+0.10%) only a delta'],
    ['Coverage: 101%'],
    ['Coverage: 1234%'],
    ['+5% since last week'],
    [''],
  ])('%s → null', (description) => {
    expect(parseCoveragePercentFromDescription(description)).toBeNull();
  });

  it('accepts null and undefined descriptions', () => {
    expect(parseCoveragePercentFromDescription(null)).toBeNull();
    expect(parseCoveragePercentFromDescription(undefined)).toBeNull();
  });
});
