import { buildTotals, type CoverageTotals, type CoveredOfValid } from './coverage-totals';
import { describeJson, isRecord, requireJsonCount } from './counts.util';
import { CoverageParseError } from './errors';

const FORMAT = 'istanbul-summary';

/** istanbul / nyc / jest `json-summary` reporter output (`coverage-summary.json`): the `total` entry. */
export function parseIstanbulSummary(json: unknown): CoverageTotals {
  if (!isRecord(json)) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      `top level must be an object, got ${describeJson(json)}`,
    );
  }
  const total = json['total'];
  if (!isRecord(total)) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      `"total" must be an object, got ${describeJson(total)}`,
    );
  }
  const lines = metric(total, 'lines');
  if (lines === null) {
    throw new CoverageParseError(FORMAT, 'malformed', '"total.lines" is missing');
  }
  return buildTotals(FORMAT, lines, metric(total, 'branches'));
}

function metric(total: Record<string, unknown>, name: 'lines' | 'branches'): CoveredOfValid | null {
  const value = total[name];
  if (value === undefined) return null;
  if (!isRecord(value)) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      `"total.${name}" must be an object, got ${describeJson(value)}`,
    );
  }
  return {
    covered: requireJsonCount(FORMAT, `total.${name}.covered`, value['covered']),
    valid: requireJsonCount(FORMAT, `total.${name}.total`, value['total']),
  };
}
