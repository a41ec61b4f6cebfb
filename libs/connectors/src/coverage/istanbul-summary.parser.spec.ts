import { CoverageParseError } from './errors';
import { parseIstanbulSummary } from './istanbul-summary.parser';

interface Metric {
  total: number;
  covered: number;
}

function aMetric({ total, covered }: Metric): Record<string, unknown> {
  // istanbul writes "Unknown" as pct when total is 0.
  return {
    total,
    covered,
    skipped: 0,
    pct: total === 0 ? 'Unknown' : Math.round((10000 * covered) / total) / 100,
  };
}

function aFileSummary(lines: Metric, branches: Metric): Record<string, unknown> {
  return {
    lines: aMetric(lines),
    statements: aMetric(lines),
    functions: aMetric({ total: 1, covered: 1 }),
    branches: aMetric(branches),
  };
}

describe('parseIstanbulSummary', () => {
  // a.js: lines 6/8, branches 3/4; b.js: lines 1/2, no branches → total lines 7/10, branches 3/4.
  const summary = {
    total: aFileSummary({ total: 10, covered: 7 }, { total: 4, covered: 3 }),
    '/repo/src/a.js': aFileSummary({ total: 8, covered: 6 }, { total: 4, covered: 3 }),
    '/repo/src/b.js': aFileSummary({ total: 2, covered: 1 }, { total: 0, covered: 0 }),
  };

  it('reads the total entry: lines 7/10, branches 3/4', () => {
    expect(parseIstanbulSummary(summary)).toEqual({
      format: 'istanbul-summary',
      linesCovered: 7,
      linesValid: 10,
      branchesCovered: 3,
      branchesValid: 4,
    });
  });

  it('gives null branches when the project has none', () => {
    const noBranches = { total: aFileSummary({ total: 2, covered: 1 }, { total: 0, covered: 0 }) };
    expect(parseIstanbulSummary(noBranches)).toMatchObject({
      linesCovered: 1,
      linesValid: 2,
      branchesValid: null,
    });
  });

  it('rejects wrong types with the path of the bad value', () => {
    const bad = { total: { lines: { total: '10', covered: 7 } } };
    expect(() => parseIstanbulSummary(bad)).toThrow(CoverageParseError);
    expect(() => parseIstanbulSummary(bad)).toThrow(
      'istanbul coverage-summary.json: total.lines.total must be a number, got the string "10"',
    );
    expect(() => parseIstanbulSummary({ total: { lines: null } })).toThrow(
      /"total.lines" must be an object, got null/,
    );
    expect(() => parseIstanbulSummary({ total: {} })).toThrow(/"total.lines" is missing/);
    expect(() => parseIstanbulSummary([])).toThrow(/top level must be an object, got an array/);
  });
});
