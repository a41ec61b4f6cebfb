import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { CoverageParseError } from './errors';
import { extractCoverageFromZip } from './zip.extractor';

const cobertura = readFileSync(join(__dirname, '__fixtures__', 'coveragepy-y-branch.cobertura.xml'));
const lcov = strToU8('SF:a.js\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n');
const istanbul = strToU8(
  JSON.stringify({ total: { lines: { total: 4, covered: 4 }, branches: { total: 0, covered: 0 } } }),
);

/** An artifact zip as upload-artifact produces: deflated files under folders. */
function anArtifactZip(files: Zippable): Uint8Array {
  return zipSync(files, { level: 6 });
}

/** Offsets of the central-directory records, for tests that forge headers. */
function centralRecords(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd -= 1;
  const offsets: number[] = [];
  let cursor = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i += 1) {
    offsets.push(cursor);
    cursor +=
      46 +
      view.getUint16(cursor + 28, true) +
      view.getUint16(cursor + 30, true) +
      view.getUint16(cursor + 32, true);
  }
  return offsets;
}

function caught(run: () => unknown): CoverageParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof CoverageParseError) return error;
    throw error;
  }
  throw new Error('expected a CoverageParseError');
}

describe('extractCoverageFromZip', () => {
  it('finds a Cobertura report in a nested folder', () => {
    const zip = anArtifactZip({
      'README.txt': strToU8('coverage for build 42'),
      'reports/python/coverage.xml': cobertura,
    });
    expect(extractCoverageFromZip(zip)).toEqual({
      file: 'reports/python/coverage.xml',
      totals: { format: 'cobertura', linesCovered: 4, linesValid: 5, branchesCovered: 1, branchesValid: 2 },
    });
  });

  it('prefers Cobertura over lcov over istanbul, then the shallowest path', () => {
    const zip = anArtifactZip({
      'coverage-summary.json': istanbul,
      'lcov.info': lcov,
      'deep/er/coverage.xml': cobertura,
      'deep/coverage.xml': cobertura,
    });
    expect(extractCoverageFromZip(zip).file).toBe('deep/coverage.xml');
    expect(
      extractCoverageFromZip(anArtifactZip({ 'coverage-summary.json': istanbul, 'js/lcov.info': lcov })).file,
    ).toBe('js/lcov.info');
  });

  it('reads stored (uncompressed) entries', () => {
    const zip = zipSync({ 'coverage/lcov.info': [lcov, { level: 0 }] });
    expect(extractCoverageFromZip(zip).totals).toMatchObject({
      format: 'lcov',
      linesCovered: 1,
      linesValid: 2,
    });
  });

  it('skips a malformed report when another one parses', () => {
    const zip = anArtifactZip({ 'coverage.xml': strToU8('<coverage lines-covered="1"'), 'lcov.info': lcov });
    expect(extractCoverageFromZip(zip)).toMatchObject({ file: 'lcov.info', totals: { format: 'lcov' } });
  });

  it('reports every candidate when none parses', () => {
    const error = caught(() =>
      extractCoverageFromZip(anArtifactZip({ 'a/coverage.xml': strToU8('<coverage') })),
    );
    expect(error).toMatchObject({ format: 'cobertura', code: 'malformed' });
    expect(error.message).toMatch(
      /no usable report in the archive — a\/coverage.xml: Cobertura XML: invalid XML/,
    );
  });

  it('says so when the archive holds no report', () => {
    const error = caught(() =>
      extractCoverageFromZip(
        anArtifactZip({ 'junit.xml': strToU8('<testsuites/>'), 'logs/build.log': strToU8('ok') }),
      ),
    );
    expect(error).toMatchObject({ format: 'zip', code: 'no_report' });
    expect(error.message).toMatch(
      /no coverage report found among 2 file\(s\) \(junit.xml, logs\/build.log\)/,
    );
  });

  it('rejects a zip bomb (highly compressible huge entry) from the directory, before inflating', () => {
    const zip = anArtifactZip({ 'coverage.xml': new Uint8Array(8 * 1024 * 1024) });
    expect(zip.length).toBeLessThan(64 * 1024);
    const error = caught(() => extractCoverageFromZip(zip));
    expect(error).toMatchObject({ format: 'zip', code: 'unsafe' });
    expect(error.message).toMatch(/coverage.xml declares 8388608 bytes .*ratio \d+:1.*possible zip bomb/);
  });

  it('does not trust a declared size that lies: stops inflating past it', () => {
    const zip = anArtifactZip({ 'coverage.xml': new Uint8Array(8 * 1024 * 1024) });
    const [record] = centralRecords(zip);
    new DataView(zip.buffer).setUint32(record! + 24, 1000, true); // claim 1000 bytes uncompressed
    const error = caught(() => extractCoverageFromZip(zip));
    expect(error).toMatchObject({ format: 'zip', code: 'unsafe' });
    expect(error.message).toMatch(/inflates past its declared size of 1000 bytes/);
  });

  it('rejects an entry over the per-file limit and archives over the total limit', () => {
    const zip = anArtifactZip({
      'coverage.xml': cobertura,
      'other.bin': new Uint8Array(5000).map((_, i) => i * 7),
    });
    expect(caught(() => extractCoverageFromZip(zip, { maxEntryBytes: 2000 }))).toMatchObject({
      code: 'too_large',
    });
    expect(caught(() => extractCoverageFromZip(zip, { maxTotalUncompressedBytes: 4000 })).message).toMatch(
      /declare more than 4000 bytes uncompressed in total/,
    );
    expect(caught(() => extractCoverageFromZip(zip, { maxZipBytes: 100 })).message).toMatch(
      /over the 100-byte limit/,
    );
  });

  it('rejects too many entries before walking them', () => {
    const files: Zippable = {};
    for (let i = 0; i < 50; i += 1) files[`part-${i}.txt`] = strToU8(String(i));
    files['coverage.xml'] = cobertura;
    const error = caught(() => extractCoverageFromZip(anArtifactZip(files), { maxEntries: 20 }));
    expect(error).toMatchObject({ format: 'zip', code: 'too_large' });
    expect(error.message).toBe('coverage artifact zip: archive has 51 entries, over the limit of 20');
  });

  it('rejects entries whose data overlap', () => {
    const zip = anArtifactZip({ 'coverage.xml': cobertura, 'lcov.info': lcov });
    const [first, second] = centralRecords(zip);
    const view = new DataView(zip.buffer);
    view.setUint32(second! + 42, view.getUint32(first! + 42, true), true); // both point at one local header
    expect(caught(() => extractCoverageFromZip(zip))).toMatchObject({
      code: 'unsafe',
      message: expect.stringMatching(/overlap/),
    });
  });

  it('rejects a truncated or corrupt archive', () => {
    const zip = anArtifactZip({ 'coverage.xml': cobertura });
    expect(caught(() => extractCoverageFromZip(zip.subarray(0, zip.length - 30)))).toMatchObject({
      format: 'zip',
      code: 'malformed',
    });
    expect(caught(() => extractCoverageFromZip(strToU8('not a zip at all')))).toMatchObject({
      code: 'malformed',
    });

    const stored = zipSync({ 'coverage.xml': [cobertura, { level: 0 }] });
    const dataStart = 30 + 'coverage.xml'.length;
    stored[dataStart + 100] ^= 0xff;
    expect(caught(() => extractCoverageFromZip(stored)).message).toMatch(/CRC-32/);
  });
});
