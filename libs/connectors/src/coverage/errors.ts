import { type CoverageFormat } from './coverage-totals';

/** Where the problem was found: a report format, the artifact zip, or a report we could not identify. */
export type CoverageErrorSource = CoverageFormat | 'zip' | 'unknown';

/**
 * - `malformed`: the file is not what it claims to be (truncated, wrong types, bad numbers).
 * - `unsupported`: a valid file we deliberately do not read (ZIP64, encryption, istanbul coverage-final.json).
 * - `unsafe`: refused for safety (XML entity declarations, zip bombs, overlapping zip entries).
 * - `too_large`: over a configured size or count limit.
 * - `no_report`: an archive that holds no coverage report we recognise.
 */
export type CoverageErrorCode = 'malformed' | 'unsupported' | 'unsafe' | 'too_large' | 'no_report';

const SOURCE_LABELS: Record<CoverageErrorSource, string> = {
  cobertura: 'Cobertura XML',
  lcov: 'lcov',
  'coverage-py-json': 'coverage.py JSON',
  'istanbul-summary': 'istanbul coverage-summary.json',
  zip: 'coverage artifact zip',
  unknown: 'coverage report',
};

export class CoverageParseError extends Error {
  override readonly name = 'CoverageParseError';

  constructor(
    readonly format: CoverageErrorSource,
    readonly code: CoverageErrorCode,
    /** What was wrong, without the format prefix. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${SOURCE_LABELS[format]}: ${detail}`, options);
  }
}

export function isCoverageParseError(error: unknown): error is CoverageParseError {
  return error instanceof CoverageParseError;
}
