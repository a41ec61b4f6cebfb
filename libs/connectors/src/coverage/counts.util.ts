import { type CoverageFormat } from './coverage-totals';
import { CoverageParseError } from './errors';

// Integers only; tolerate a trailing ".0" that some Cobertura writers emit for counts.
const COUNT_TEXT = /^\s*(\d{1,15})(?:\.0+)?\s*$/;

/** A count written as text (XML attribute, lcov field). Never returns NaN. */
export function parseCountText(format: CoverageFormat, what: string, text: string): number {
  const match = COUNT_TEXT.exec(text);
  if (!match) {
    throw new CoverageParseError(
      format,
      'malformed',
      `${what} is not a non-negative integer: ${JSON.stringify(truncate(text))}`,
    );
  }
  return Number(match[1]);
}

/** A count from parsed JSON: must already be a number, an integer, and not negative. */
export function requireJsonCount(format: CoverageFormat, path: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new CoverageParseError(format, 'malformed', `${path} must be a number, got ${describeJson(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CoverageParseError(format, 'malformed', `${path} must be a non-negative integer, got ${value}`);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
