import { parseCobertura } from './cobertura.parser';
import { type CoverageTotals } from './coverage-totals';
import { parseCoveragePyJson } from './coverage-py-json.parser';
import { detectCoverageReport } from './detect';
import { CoverageParseError } from './errors';
import { parseIstanbulSummary } from './istanbul-summary.parser';
import { parseLcov } from './lcov.parser';

/** Big enough for a Cobertura report of a very large monorepo; far below what would hurt a worker. */
export const DEFAULT_MAX_REPORT_BYTES = 64 * 1024 * 1024;

export interface ParseCoverageOptions {
  /** The report's file name (or path), used to break ties and to name the format in errors. */
  readonly filename?: string;
  /** Reports larger than this many bytes are refused before parsing. */
  readonly maxBytes?: number;
}

/**
 * Detect and parse a coverage report: Cobertura XML, lcov, coverage.py JSON or istanbul
 * coverage-summary.json. Anything wrong with the input ends in a CoverageParseError.
 */
export function parseCoverageReport(
  content: Uint8Array | string,
  options: ParseCoverageOptions = {},
): CoverageTotals {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (size > maxBytes) {
    throw new CoverageParseError(
      'unknown',
      'too_large',
      `report is ${size} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const text = typeof content === 'string' ? content.replace(/^\uFEFF/, '') : decode(content);

  try {
    const report = detectCoverageReport(text, options.filename);
    switch (report.format) {
      case 'cobertura':
        return parseCobertura(report.text);
      case 'lcov':
        return parseLcov(report.text);
      case 'coverage-py-json':
        return parseCoveragePyJson(report.json);
      case 'istanbul-summary':
        return parseIstanbulSummary(report.json);
    }
  } catch (error) {
    if (error instanceof CoverageParseError) throw error;
    // A parser bug or a library surprise must still reach the caller as a typed error.
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoverageParseError('unknown', 'malformed', `could not be parsed: ${reason}`, { cause: error });
  }
}

function decode(bytes: Uint8Array): string {
  // TextDecoder drops a leading BOM; UTF-16 reports (e.g. written by PowerShell) start with FF FE.
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}
