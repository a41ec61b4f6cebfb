import { type CoverageFormat } from './coverage-totals';
import { isRecord } from './counts.util';
import { CoverageParseError } from './errors';

export type DetectedReport =
  | { readonly format: 'cobertura' | 'lcov'; readonly text: string }
  | { readonly format: 'coverage-py-json' | 'istanbul-summary'; readonly json: unknown };

const LCOV_FIRST_KEYS = /^(TN|SF|VER):/;

/**
 * The format a file name suggests, or null. Used to choose files inside an artifact and to
 * name the format in an error when the content itself gives no clue.
 */
export function formatFromFilename(filename: string | undefined): CoverageFormat | null {
  if (!filename) return null;
  const base = (filename.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (base === 'coverage-summary.json') return 'istanbul-summary';
  if (base === 'coverage.json') return 'coverage-py-json';
  if (base === 'lcov.info' || base.endsWith('.lcov') || (base.startsWith('lcov') && base.endsWith('.info'))) {
    return 'lcov';
  }
  if (base.endsWith('.xml') && (base.includes('coverage') || base.includes('cobertura'))) return 'cobertura';
  return null;
}

/**
 * Decide the format from the content (the file name only breaks ties), returning the parsed
 * JSON for the JSON formats so it is parsed once.
 */
export function detectCoverageReport(text: string, filename?: string): DetectedReport {
  const byName = formatFromFilename(filename);
  const head = text.trimStart();
  if (head === '') {
    throw new CoverageParseError(byName ?? 'unknown', 'malformed', 'the report is empty');
  }

  if (head.startsWith('<')) return { format: 'cobertura', text };

  if (head.startsWith('{') || head.startsWith('[')) {
    const jsonFormat = byName === 'coverage-py-json' || byName === 'istanbul-summary' ? byName : 'unknown';
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CoverageParseError(
        jsonFormat,
        'malformed',
        `invalid JSON (truncated or corrupt?): ${reason}`,
        {
          cause: error,
        },
      );
    }
    return { format: detectJsonFormat(json, jsonFormat), json };
  }

  const firstLine = head.slice(0, head.indexOf('\n') === -1 ? undefined : head.indexOf('\n'));
  if (LCOV_FIRST_KEYS.test(firstLine) || byName === 'lcov') return { format: 'lcov', text };

  if (byName === 'cobertura') {
    throw new CoverageParseError('cobertura', 'malformed', 'the file does not start with an XML element');
  }
  throw new CoverageParseError(
    byName ?? 'unknown',
    'unsupported',
    'not a recognised coverage format (expected Cobertura XML, lcov, coverage.py JSON or istanbul coverage-summary.json)',
  );
}

export function detectCoverageFormat(text: string, filename?: string): CoverageFormat {
  return detectCoverageReport(text, filename).format;
}

function detectJsonFormat(
  json: unknown,
  byName: 'coverage-py-json' | 'istanbul-summary' | 'unknown',
): 'coverage-py-json' | 'istanbul-summary' {
  if (isRecord(json)) {
    if ('totals' in json) return 'coverage-py-json';
    if ('total' in json) return 'istanbul-summary';
    if (looksLikeIstanbulFinal(json)) {
      throw new CoverageParseError(
        'unknown',
        'unsupported',
        'this is istanbul coverage-final.json (per-statement data); produce coverage-summary.json with the json-summary reporter instead',
      );
    }
  }
  // Let the named format's parser say precisely what is missing.
  if (byName !== 'unknown') return byName;
  throw new CoverageParseError(
    'unknown',
    'unsupported',
    'JSON is neither a coverage.py report (no "totals") nor an istanbul coverage-summary.json (no "total")',
  );
}

function looksLikeIstanbulFinal(json: Record<string, unknown>): boolean {
  const first = Object.values(json)[0];
  return isRecord(first) && 'statementMap' in first;
}
