import { buildTotals, type CoverageTotals, type CoveredOfValid } from './coverage-totals';
import { parseCountText, truncate } from './counts.util';
import { CoverageParseError } from './errors';

const FORMAT = 'lcov';

interface LcovRecord {
  readonly source: string;
  readonly startLine: number;
  summary: { LF?: number; LH?: number; BRF?: number; BRH?: number };
  /** Line number → executed, from DA lines; used only when LF/LH are missing. */
  readonly lines: Map<number, boolean>;
  /** Branch id → taken, from BRDA lines; used only when BRF/BRH are missing. */
  readonly branches: Map<string, boolean>;
}

const SUMMARY_KEYS = new Set(['LF', 'LH', 'BRF', 'BRH']);
// Hit counts may be huge; gcov has been known to write negative ones, which mean "not hit".
const HITS = /^-?\d+$/;

/**
 * lcov tracefile (`lcov.info`): LF/LH and BRF/BRH summed over all `SF … end_of_record`
 * records. A record without LF/LH (or BRF/BRH) is counted from its DA (or BRDA) lines.
 */
export function parseLcov(text: string): CoverageTotals {
  const lines = { covered: 0, valid: 0 };
  const branches = { covered: 0, valid: 0 };
  let records = 0;
  let current: LcovRecord | null = null;

  const rows = text.split(/\r?\n/);
  for (let index = 0; index < rows.length; index += 1) {
    const lineNo = index + 1;
    const row = (rows[index] ?? '').trim();
    if (row === '') continue;

    if (row === 'end_of_record') {
      if (!current) fail(`line ${lineNo}: end_of_record without a preceding SF: record`);
      const totals = recordTotals(current);
      lines.covered += totals.lines.covered;
      lines.valid += totals.lines.valid;
      branches.covered += totals.branches.covered;
      branches.valid += totals.branches.valid;
      records += 1;
      current = null;
      continue;
    }

    const colon = row.indexOf(':');
    const key = colon === -1 ? row : row.slice(0, colon);
    const value = colon === -1 ? '' : row.slice(colon + 1);

    if (key === 'SF') {
      if (current) {
        fail(
          `line ${lineNo}: SF:${truncate(value)} starts before the record for ${current.source} ended (missing end_of_record)`,
        );
      }
      current = { source: value, startLine: lineNo, summary: {}, lines: new Map(), branches: new Map() };
      continue;
    }
    if (!current) {
      // Test names and format versions may sit between records; nothing else may.
      if (key === 'TN' || key === 'VER') continue;
      fail(
        `line ${lineNo}: unexpected ${JSON.stringify(truncate(row))} outside an SF … end_of_record record`,
      );
    }

    if (SUMMARY_KEYS.has(key)) {
      current.summary[key as keyof LcovRecord['summary']] = parseCountText(
        FORMAT,
        `line ${lineNo}: ${key}`,
        value,
      );
    } else if (key === 'DA') {
      const [lineField, hitsField] = value.split(',');
      const number = parseCountText(FORMAT, `line ${lineNo}: DA line number`, lineField ?? '');
      const hits = (hitsField ?? '').trim();
      if (!HITS.test(hits))
        fail(`line ${lineNo}: DA hit count is not an integer: ${JSON.stringify(truncate(hits))}`);
      current.lines.set(number, (current.lines.get(number) ?? false) || Number(hits) > 0);
    } else if (key === 'BRDA') {
      const lastComma = value.lastIndexOf(',');
      const taken = value.slice(lastComma + 1).trim();
      if (lastComma <= 0 || (taken !== '-' && !HITS.test(taken))) {
        fail(`line ${lineNo}: BRDA is not "line,block,branch,taken": ${JSON.stringify(truncate(value))}`);
      }
      const id = value.slice(0, lastComma);
      current.branches.set(id, (current.branches.get(id) ?? false) || (taken !== '-' && Number(taken) > 0));
    }
    // FN, FNDA, FNF, FNH, FNL, FNA and other record lines do not affect line/branch totals.
  }

  if (current) {
    fail(
      `record for ${truncate(current.source)} (line ${current.startLine}) is not terminated by end_of_record; the file looks truncated`,
    );
  }
  if (records === 0) fail('no SF … end_of_record records found');
  return buildTotals(FORMAT, lines, branches);
}

function recordTotals(record: LcovRecord): { lines: CoveredOfValid; branches: CoveredOfValid } {
  const { LF, LH, BRF, BRH } = record.summary;
  const where = `record for ${truncate(record.source)} (line ${record.startLine})`;
  if ((LF === undefined) !== (LH === undefined)) fail(`${where} has only one of LF and LH`);
  if ((BRF === undefined) !== (BRH === undefined)) fail(`${where} has only one of BRF and BRH`);
  const lines =
    LF !== undefined && LH !== undefined
      ? { covered: LH, valid: LF }
      : countTrue(record.lines.values(), record.lines.size);
  const branches =
    BRF !== undefined && BRH !== undefined
      ? { covered: BRH, valid: BRF }
      : countTrue(record.branches.values(), record.branches.size);
  if (lines.covered > lines.valid) fail(`${where}: LH (${lines.covered}) exceeds LF (${lines.valid})`);
  if (branches.covered > branches.valid)
    fail(`${where}: BRH (${branches.covered}) exceeds BRF (${branches.valid})`);
  return { lines, branches };
}

function countTrue(values: Iterable<boolean>, size: number): CoveredOfValid {
  let covered = 0;
  for (const value of values) if (value) covered += 1;
  return { covered, valid: size };
}

function fail(detail: string): never {
  throw new CoverageParseError(FORMAT, 'malformed', detail);
}
