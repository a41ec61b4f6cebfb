import { parseCoveragePyJson } from './coverage-py-json.parser';
import { CoverageParseError } from './errors';

interface TotalsSpec {
  covered_lines?: unknown;
  num_statements?: unknown;
  covered_branches?: unknown;
  num_branches?: unknown;
}

/** A `coverage json` report with one file; totals as given (branch keys only when given). */
function aCoveragePyReport(totals: TotalsSpec): Record<string, unknown> {
  const withBranches = 'num_branches' in totals;
  return {
    meta: {
      format: 3,
      version: '7.6.1',
      timestamp: '2024-09-01T10:00:00',
      branch_coverage: withBranches,
      show_contexts: false,
    },
    files: {
      'pkg/mod.py': { executed_lines: [1, 2, 4], missing_lines: [5], excluded_lines: [], summary: totals },
    },
    totals: { percent_covered: 0, missing_lines: 1, excluded_lines: 0, ...totals },
  };
}

describe('parseCoveragePyJson', () => {
  it('reads totals with branches: lines 3/4, branches 1/2', () => {
    // pkg/mod.py: statements 1,2,4,5 with 5 missed; one if on line 2 taken one way.
    const report = aCoveragePyReport({
      covered_lines: 3,
      num_statements: 4,
      covered_branches: 1,
      num_branches: 2,
    });
    expect(parseCoveragePyJson(report)).toEqual({
      format: 'coverage-py-json',
      linesCovered: 3,
      linesValid: 4,
      branchesCovered: 1,
      branchesValid: 2,
    });
  });

  it('gives null branches when branch measurement was off', () => {
    expect(parseCoveragePyJson(aCoveragePyReport({ covered_lines: 3, num_statements: 4 }))).toMatchObject({
      linesCovered: 3,
      linesValid: 4,
      branchesCovered: null,
      branchesValid: null,
    });
  });

  it('rejects counts of the wrong type', () => {
    const report = aCoveragePyReport({ covered_lines: '3', num_statements: 4 });
    expect(() => parseCoveragePyJson(report)).toThrow(CoverageParseError);
    expect(() => parseCoveragePyJson(report)).toThrow(
      'coverage.py JSON: totals.covered_lines must be a number, got the string "3"',
    );
  });

  it('rejects fractional and negative counts', () => {
    expect(() => parseCoveragePyJson(aCoveragePyReport({ covered_lines: 2.5, num_statements: 4 }))).toThrow(
      /non-negative integer, got 2.5/,
    );
    expect(() => parseCoveragePyJson(aCoveragePyReport({ covered_lines: 1, num_statements: -4 }))).toThrow(
      /num_statements must be a non-negative integer/,
    );
  });

  it('rejects a missing totals object and half-present branch counts', () => {
    expect(() => parseCoveragePyJson({ meta: {}, files: {} })).toThrow(
      /"totals" must be an object, got undefined/,
    );
    expect(() => parseCoveragePyJson({ totals: [] })).toThrow(/"totals" must be an object, got an array/);
    expect(() =>
      parseCoveragePyJson({ totals: { covered_lines: 1, num_statements: 2, num_branches: 2 } }),
    ).toThrow(/only one of covered_branches and num_branches/);
  });
});
