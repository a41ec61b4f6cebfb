import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoverageReport } from './coverage-report.parser';
import { detectCoverageFormat, formatFromFilename } from './detect';
import { CoverageParseError } from './errors';

const coberturaBytes = readFileSync(join(__dirname, '__fixtures__', 'coveragepy-y-branch.cobertura.xml'));
const lcovText = 'TN:\nSF:a.js\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nBRF:0\nBRH:0\nend_of_record\n';
const coveragePyText = JSON.stringify({
  meta: { branch_coverage: false },
  files: {},
  totals: { covered_lines: 9, num_statements: 12 },
});
const istanbulText = JSON.stringify({
  total: {
    lines: { total: 20, covered: 15, skipped: 0, pct: 75 },
    branches: { total: 8, covered: 2, skipped: 0, pct: 25 },
  },
});

function caught(run: () => unknown): CoverageParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof CoverageParseError) return error;
    throw error;
  }
  throw new Error('expected a CoverageParseError');
}

describe('detectCoverageFormat', () => {
  it.each([
    ['Cobertura XML', coberturaBytes.toString('utf8'), 'cobertura'],
    ['lcov', lcovText, 'lcov'],
    ['coverage.py JSON', coveragePyText, 'coverage-py-json'],
    ['istanbul summary', istanbulText, 'istanbul-summary'],
  ])('recognises %s by content, whatever the file is called', (_label, text, format) => {
    expect(detectCoverageFormat(text)).toBe(format);
    expect(detectCoverageFormat(text, 'artifact/report.txt')).toBe(format);
  });

  it('maps report file names to formats', () => {
    expect(formatFromFilename('out/coverage.xml')).toBe('cobertura');
    expect(formatFromFilename('cobertura-coverage.xml')).toBe('cobertura');
    expect(formatFromFilename('coverage/lcov.info')).toBe('lcov');
    expect(formatFromFilename('coverage.json')).toBe('coverage-py-json');
    expect(formatFromFilename('coverage/coverage-summary.json')).toBe('istanbul-summary');
    expect(formatFromFilename('junit.xml')).toBeNull();
    expect(formatFromFilename('coverage/coverage-final.json')).toBeNull();
  });
});

describe('parseCoverageReport', () => {
  it('parses each format from a Buffer or a string', () => {
    expect(parseCoverageReport(coberturaBytes)).toMatchObject({
      format: 'cobertura',
      linesCovered: 4,
      linesValid: 5,
    });
    expect(parseCoverageReport(Buffer.from(lcovText))).toMatchObject({
      format: 'lcov',
      linesCovered: 1,
      linesValid: 2,
    });
    expect(parseCoverageReport(coveragePyText)).toEqual({
      format: 'coverage-py-json',
      linesCovered: 9,
      linesValid: 12,
      branchesCovered: null,
      branchesValid: null,
    });
    expect(parseCoverageReport(istanbulText)).toEqual({
      format: 'istanbul-summary',
      linesCovered: 15,
      linesValid: 20,
      branchesCovered: 2,
      branchesValid: 8,
    });
  });

  it('ignores a UTF-8 byte-order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), coberturaBytes]);
    expect(parseCoverageReport(withBom)).toMatchObject({ linesCovered: 4 });
    expect(parseCoverageReport('\uFEFF' + lcovText)).toMatchObject({ linesCovered: 1 });
  });

  it('refuses input over the size limit before parsing', () => {
    const error = caught(() => parseCoverageReport(coberturaBytes, { maxBytes: 100 }));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/over the 100-byte limit/);
  });

  it('names the format from the file name when truncated JSON cannot be parsed', () => {
    const error = caught(() =>
      parseCoverageReport(istanbulText.slice(0, 40), { filename: 'coverage/coverage-summary.json' }),
    );
    expect(error).toMatchObject({ format: 'istanbul-summary', code: 'malformed' });
    expect(error.message).toMatch(/^istanbul coverage-summary.json: invalid JSON/);
  });

  it('lets the named parser explain a JSON file of the wrong shape', () => {
    const error = caught(() => parseCoverageReport('{"meta":{}}', { filename: 'coverage.json' }));
    expect(error.message).toBe('coverage.py JSON: "totals" must be an object, got undefined');
  });

  it('explains istanbul coverage-final.json is not supported', () => {
    const final = JSON.stringify({ '/repo/a.js': { path: '/repo/a.js', statementMap: {}, s: {}, b: {} } });
    expect(caught(() => parseCoverageReport(final)).message).toMatch(
      /coverage-final.json .*json-summary reporter/,
    );
  });

  it('rejects empty and unrecognised input with a typed error', () => {
    expect(caught(() => parseCoverageReport(''))).toMatchObject({ format: 'unknown', code: 'malformed' });
    expect(caught(() => parseCoverageReport('just some text'))).toMatchObject({
      format: 'unknown',
      code: 'unsupported',
    });
    expect(caught(() => parseCoverageReport('{"foo": 1}'))).toMatchObject({ code: 'unsupported' });
    expect(caught(() => parseCoverageReport('[1,2]'))).toMatchObject({ code: 'unsupported' });
  });
});
