import { CoverageParseError } from './errors';

export type CoverageFormat = 'cobertura' | 'lcov' | 'coverage-py-json' | 'istanbul-summary';

export const COVERAGE_FORMATS: readonly CoverageFormat[] = [
  'cobertura',
  'lcov',
  'coverage-py-json',
  'istanbul-summary',
];

/**
 * Totals exactly as the report states them. Line rate is `linesCovered / linesValid`.
 * Branch fields are both null when the report carries no branch data (or zero branches):
 * a 0/0 branch rate means "not measured", and the KPI shows a gap rather than 0 % or 100 %.
 */
export interface CoverageTotals {
  readonly format: CoverageFormat;
  readonly linesCovered: number;
  readonly linesValid: number;
  readonly branchesCovered: number | null;
  readonly branchesValid: number | null;
}

export interface CoveredOfValid {
  readonly covered: number;
  readonly valid: number;
}

function assertCount(format: CoverageFormat, what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CoverageParseError(
      format,
      'malformed',
      `${what} must be a non-negative integer, got ${String(value)}`,
    );
  }
}

/** The one place totals are assembled, so every parser gets the same consistency checks. */
export function buildTotals(
  format: CoverageFormat,
  lines: CoveredOfValid,
  branches: CoveredOfValid | null,
): CoverageTotals {
  assertCount(format, 'lines covered', lines.covered);
  assertCount(format, 'lines valid', lines.valid);
  if (lines.covered > lines.valid) {
    throw new CoverageParseError(
      format,
      'malformed',
      `lines covered (${lines.covered}) exceeds lines valid (${lines.valid})`,
    );
  }
  let branchesCovered: number | null = null;
  let branchesValid: number | null = null;
  if (branches !== null) {
    assertCount(format, 'branches covered', branches.covered);
    assertCount(format, 'branches valid', branches.valid);
    if (branches.covered > branches.valid) {
      throw new CoverageParseError(
        format,
        'malformed',
        `branches covered (${branches.covered}) exceeds branches valid (${branches.valid})`,
      );
    }
    if (branches.valid > 0) {
      branchesCovered = branches.covered;
      branchesValid = branches.valid;
    }
  }
  return { format, linesCovered: lines.covered, linesValid: lines.valid, branchesCovered, branchesValid };
}
