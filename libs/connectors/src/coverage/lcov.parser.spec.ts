import { CoverageParseError } from './errors';
import { parseLcov } from './lcov.parser';

interface RecordSpec {
  source: string;
  lines?: readonly (readonly [line: number, hits: number])[];
  summary?: { LF: number; LH: number; BRF?: number; BRH?: number };
  branches?: readonly string[];
}

/** Builds one SF … end_of_record block. */
function anLcovRecord({ source, lines = [], summary, branches = [] }: RecordSpec): string {
  const rows = ['TN:', `SF:${source}`, 'FN:1,main', 'FNDA:1,main', 'FNF:1', 'FNH:1'];
  rows.push(...lines.map(([line, hits]) => `DA:${line},${hits}`));
  rows.push(...branches.map((branch) => `BRDA:${branch}`));
  if (summary) {
    rows.push(`LF:${summary.LF}`, `LH:${summary.LH}`);
    if (summary.BRF !== undefined) rows.push(`BRF:${summary.BRF}`, `BRH:${summary.BRH ?? 0}`);
  }
  rows.push('end_of_record');
  return rows.join('\n');
}

const twoFiles = [
  // src/a.ts: lines 1,2 hit, 5 missed → LH 2 / LF 3; one if with one side taken → BRH 1 / BRF 2
  anLcovRecord({
    source: 'src/a.ts',
    lines: [
      [1, 3],
      [2, 3],
      [5, 0],
    ],
    branches: ['2,0,0,3', '2,0,1,0'],
    summary: { LF: 3, LH: 2, BRF: 2, BRH: 1 },
  }),
  // src/b.ts: 3 of 4 lines, no branches → LH 3 / LF 4, BRH 0 / BRF 0
  anLcovRecord({
    source: 'src/b.ts',
    lines: [
      [1, 1],
      [2, 0],
      [3, 4],
      [4, 1],
    ],
    summary: { LF: 4, LH: 3, BRF: 0, BRH: 0 },
  }),
].join('\n');

function expectLcovError(text: string, message: RegExp): void {
  expect(() => parseLcov(text)).toThrow(CoverageParseError);
  expect(() => parseLcov(text)).toThrow(message);
}

describe('parseLcov', () => {
  it('sums LF/LH and BRF/BRH over records: lines 5/7, branches 1/2', () => {
    expect(parseLcov(twoFiles + '\n')).toEqual({
      format: 'lcov',
      linesCovered: 5,
      linesValid: 7,
      branchesCovered: 1,
      branchesValid: 2,
    });
  });

  it('handles CRLF line endings', () => {
    expect(parseLcov(twoFiles.replace(/\n/g, '\r\n'))).toMatchObject({ linesCovered: 5, linesValid: 7 });
  });

  it('reports no branch data when every record has BRF:0', () => {
    const text = anLcovRecord({ source: 'a.js', summary: { LF: 10, LH: 9, BRF: 0, BRH: 0 } });
    expect(parseLcov(text)).toMatchObject({
      linesCovered: 9,
      linesValid: 10,
      branchesCovered: null,
      branchesValid: null,
    });
  });

  it('counts DA/BRDA lines when a record has no LF/LH/BRF/BRH', () => {
    // DA: 1 hit, 2 missed, 3 negative (gcov quirk, not hit) → 1/3. BRDA: "-" not taken, 2 taken → 1/2.
    const text = anLcovRecord({
      source: 'x.c',
      lines: [
        [1, 1],
        [2, 0],
        [3, -1],
      ],
      branches: ['1,0,0,-', '1,0,1,2'],
    });
    expect(parseLcov(text)).toMatchObject({
      linesCovered: 1,
      linesValid: 3,
      branchesCovered: 1,
      branchesValid: 2,
    });
  });

  it('rejects a truncated file (last record not ended)', () => {
    expectLcovError(
      twoFiles.slice(0, twoFiles.lastIndexOf('end_of_record')),
      /src\/b\.ts.*not terminated by end_of_record/,
    );
  });

  it('rejects a non-numeric LF', () => {
    expectLcovError(
      'SF:a.js\nLF:ten\nLH:1\nend_of_record\n',
      /line 2: LF is not a non-negative integer: "ten"/,
    );
  });

  it('rejects LH greater than LF', () => {
    expectLcovError('SF:a.js\nLF:1\nLH:2\nend_of_record\n', /LH \(2\) exceeds LF \(1\)/);
  });

  it('rejects a file with no records', () => {
    expectLcovError('TN:\n', /no SF … end_of_record records/);
  });

  it('rejects junk outside records', () => {
    expectLcovError('hello world\n', /unexpected "hello world" outside/);
  });
});
