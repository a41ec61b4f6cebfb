import { buildTotals, type CoverageTotals } from './coverage-totals';
import { describeJson, isRecord, requireJsonCount } from './counts.util';
import { CoverageParseError } from './errors';

const FORMAT = 'coverage-py-json';

/**
 * coverage.py JSON report (`coverage json`): the `totals` object. Branch counts are only
 * written when branch measurement was on.
 */
export function parseCoveragePyJson(json: unknown): CoverageTotals {
  if (!isRecord(json)) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      `top level must be an object, got ${describeJson(json)}`,
    );
  }
  const totals = json['totals'];
  if (!isRecord(totals)) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      `"totals" must be an object, got ${describeJson(totals)}`,
    );
  }
  const lines = {
    covered: requireJsonCount(FORMAT, 'totals.covered_lines', totals['covered_lines']),
    valid: requireJsonCount(FORMAT, 'totals.num_statements', totals['num_statements']),
  };

  const hasCovered = totals['covered_branches'] !== undefined;
  const hasValid = totals['num_branches'] !== undefined;
  if (hasCovered !== hasValid) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      'totals has only one of covered_branches and num_branches',
    );
  }
  const branches = hasValid
    ? {
        covered: requireJsonCount(FORMAT, 'totals.covered_branches', totals['covered_branches']),
        valid: requireJsonCount(FORMAT, 'totals.num_branches', totals['num_branches']),
      }
    : null;
  return buildTotals(FORMAT, lines, branches);
}
