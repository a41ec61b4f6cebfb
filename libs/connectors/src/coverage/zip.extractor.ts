import { Inflate } from 'fflate';
import { type CoverageFormat, type CoverageTotals } from './coverage-totals';
import { DEFAULT_MAX_REPORT_BYTES, parseCoverageReport } from './coverage-report.parser';
import { Crc32 } from './crc32.util';
import { formatFromFilename } from './detect';
import { CoverageParseError } from './errors';
import { readZipDirectory, type ZipEntry } from './zip-directory.reader';

export interface CoverageZipLimits {
  /** Size of the archive itself. */
  readonly maxZipBytes: number;
  /** Number of entries in the central directory (files and folders). */
  readonly maxEntries: number;
  /** Sum of all entries' declared uncompressed sizes, and of the bytes actually inflated. */
  readonly maxTotalUncompressedBytes: number;
  /** One entry's uncompressed size, declared or actual. */
  readonly maxEntryBytes: number;
  /** Uncompressed ÷ compressed size allowed for an entry larger than `ratioCheckMinBytes`. */
  readonly maxCompressionRatio: number;
  /** Small files may compress extremely well without being a threat. */
  readonly ratioCheckMinBytes: number;
}

// Text reports compress 5–30×; a zip bomb reaches ~1000× per layer.
export const DEFAULT_COVERAGE_ZIP_LIMITS: CoverageZipLimits = {
  maxZipBytes: 100 * 1024 * 1024,
  maxEntries: 10_000,
  maxTotalUncompressedBytes: 512 * 1024 * 1024,
  maxEntryBytes: DEFAULT_MAX_REPORT_BYTES,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1024 * 1024,
};

export interface ExtractedCoverage {
  /** Path of the report inside the archive. */
  readonly file: string;
  readonly totals: CoverageTotals;
}

/**
 * Preference when an artifact holds several reports: Cobertura XML, lcov, coverage.py JSON,
 * istanbul coverage-summary.json (the order KPIS.md lists them; they state the same totals
 * when one run wrote several). Within a format the shallowest path wins, then the path in
 * code-point order, so the choice is deterministic.
 */
export const COVERAGE_FILE_PREFERENCE: readonly CoverageFormat[] = [
  'cobertura',
  'lcov',
  'coverage-py-json',
  'istanbul-summary',
];

const INFLATE_CHUNK = 4 * 1024; // bounds how far one push can overshoot a limit (~1000× deflate ratio → 4 MiB)
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;

/**
 * Find and parse the preferred coverage report in a GitHub Actions artifact zip. Limits are
 * checked on the central directory before anything is inflated, and again on the bytes
 * actually produced, since declared sizes can lie.
 */
export function extractCoverageFromZip(
  zip: Uint8Array,
  limits: Partial<CoverageZipLimits> = {},
): ExtractedCoverage {
  const effective = resolveLimits(limits);
  if (zip.byteLength > effective.maxZipBytes) {
    throw new CoverageParseError(
      'zip',
      'too_large',
      `archive is ${zip.byteLength} bytes, over the ${effective.maxZipBytes}-byte limit`,
    );
  }

  const entries = readZipDirectory(zip, effective.maxEntries);
  assertDeclaredSizes(entries, effective);

  const candidates = rankCandidates(entries);
  if (candidates.length === 0) {
    const files = entries.filter((entry) => !entry.name.endsWith('/'));
    const sample = files
      .slice(0, 5)
      .map((entry) => entry.name)
      .join(', ');
    throw new CoverageParseError(
      'zip',
      'no_report',
      `no coverage report found among ${files.length} file(s)${sample ? ` (${sample}${files.length > 5 ? ', …' : ''})` : ''}; ` +
        'looked for coverage*.xml / cobertura*.xml, lcov.info, coverage.json, coverage-summary.json',
    );
  }

  const budget = { remaining: effective.maxTotalUncompressedBytes };
  const failures: CoverageParseError[] = [];
  for (const entry of candidates) {
    try {
      const bytes = inflateEntry(zip, entry, effective, budget);
      return {
        file: entry.name,
        totals: parseCoverageReport(bytes, { filename: entry.name, maxBytes: effective.maxEntryBytes }),
      };
    } catch (error) {
      // A broken report does not hide a good one next to it; safety and size refusals stop everything.
      if (
        error instanceof CoverageParseError &&
        (error.code === 'malformed' || error.code === 'unsupported')
      ) {
        failures.push(error);
        continue;
      }
      throw error;
    }
  }

  const [first] = failures;
  const summary = candidates
    .map((entry, i) => `${entry.name}: ${failures[i]?.message ?? 'not tried'}`)
    .join('; ');
  throw new CoverageParseError(
    first?.format ?? 'zip',
    first?.code ?? 'malformed',
    `no usable report in the archive — ${summary}`,
    {
      cause: first,
    },
  );
}

function resolveLimits(overrides: Partial<CoverageZipLimits>): CoverageZipLimits {
  const limits = { ...DEFAULT_COVERAGE_ZIP_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`coverage zip limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}

function assertDeclaredSizes(entries: readonly ZipEntry[], limits: CoverageZipLimits): void {
  let total = 0;
  for (const entry of entries) {
    assertEntrySize(entry, entry.uncompressedSize, limits, 'declares');
    total += entry.uncompressedSize;
    if (total > limits.maxTotalUncompressedBytes) {
      throw new CoverageParseError(
        'zip',
        'too_large',
        `entries declare more than ${limits.maxTotalUncompressedBytes} bytes uncompressed in total`,
      );
    }
  }
}

function assertEntrySize(
  entry: ZipEntry,
  size: number,
  limits: CoverageZipLimits,
  verb: 'declares' | 'inflates to',
): void {
  if (size > limits.maxEntryBytes) {
    throw new CoverageParseError(
      'zip',
      'too_large',
      `entry ${entry.name} ${verb} ${size}${verb === 'inflates to' ? '+' : ''} bytes, over the ${limits.maxEntryBytes}-byte limit per file`,
    );
  }
  if (size > limits.ratioCheckMinBytes && size > entry.compressedSize * limits.maxCompressionRatio) {
    const ratio = entry.compressedSize === 0 ? '∞' : Math.round(size / entry.compressedSize);
    throw new CoverageParseError(
      'zip',
      'unsafe',
      `entry ${entry.name} ${verb} ${size} bytes from ${entry.compressedSize} (ratio ${ratio}:1, limit ${limits.maxCompressionRatio}:1); refused as a possible zip bomb`,
    );
  }
}

function rankCandidates(entries: readonly ZipEntry[]): ZipEntry[] {
  const ranked: { entry: ZipEntry; rank: number; depth: number }[] = [];
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const segments = entry.name.split('/');
    const base = segments[segments.length - 1] ?? '';
    // macOS resource forks look like reports by name but are not.
    if (segments[0] === '__MACOSX' || base.startsWith('._')) continue;
    const format = formatFromFilename(entry.name);
    if (format === null) continue;
    ranked.push({ entry, rank: COVERAGE_FILE_PREFERENCE.indexOf(format), depth: segments.length });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.depth - b.depth ||
      (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0),
  );
  return ranked.map((item) => item.entry);
}

function inflateEntry(
  zip: Uint8Array,
  entry: ZipEntry,
  limits: CoverageZipLimits,
  budget: { remaining: number },
): Uint8Array {
  if (entry.flags & FLAG_ENCRYPTED) {
    throw new CoverageParseError('zip', 'unsupported', `entry ${entry.name} is encrypted`);
  }
  const compressed = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const chunks: Uint8Array[] = [];
  let produced = 0;

  const accept = (chunk: Uint8Array): void => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      throw new CoverageParseError(
        'zip',
        'unsafe',
        `entry ${entry.name} inflates past its declared size of ${entry.uncompressedSize} bytes; refused as a possible zip bomb`,
      );
    }
    assertEntrySize(entry, produced, limits, 'inflates to');
    if (produced > budget.remaining) {
      throw new CoverageParseError(
        'zip',
        'too_large',
        `inflating ${entry.name} exceeds the ${limits.maxTotalUncompressedBytes}-byte total limit`,
      );
    }
    chunks.push(chunk);
  };

  if (entry.method === METHOD_STORED) {
    accept(compressed);
  } else if (entry.method === METHOD_DEFLATE) {
    const inflater = new Inflate((chunk) => accept(chunk));
    try {
      if (compressed.length === 0) inflater.push(compressed, true);
      for (let offset = 0; offset < compressed.length; offset += INFLATE_CHUNK) {
        const end = Math.min(offset + INFLATE_CHUNK, compressed.length);
        inflater.push(compressed.subarray(offset, end), end === compressed.length);
      }
    } catch (error) {
      if (error instanceof CoverageParseError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CoverageParseError(
        'zip',
        'malformed',
        `entry ${entry.name} could not be inflated: ${reason}`,
        {
          cause: error,
        },
      );
    }
  } else {
    throw new CoverageParseError(
      'zip',
      'unsupported',
      `entry ${entry.name} uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`,
    );
  }

  if (produced !== entry.uncompressedSize) {
    throw new CoverageParseError(
      'zip',
      'malformed',
      `entry ${entry.name} inflated to ${produced} bytes but declares ${entry.uncompressedSize} (truncated or corrupt)`,
    );
  }
  budget.remaining -= produced;

  const bytes = concat(chunks, produced);
  const crc = new Crc32();
  crc.update(bytes);
  if (crc.digest() !== entry.crc32) {
    throw new CoverageParseError(
      'zip',
      'malformed',
      `entry ${entry.name} fails its CRC-32 check (corrupt download?)`,
    );
  }
  return bytes;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
