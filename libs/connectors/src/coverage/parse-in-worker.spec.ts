import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoverageParseError } from './errors';
import { CoverageParserBusyError, parseCoverageReportInWorker } from './parse-in-worker';

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));

describe('parseCoverageReportInWorker', () => {
  it('gives the known answers of the recorded coverage.py reports', async () => {
    await expect(
      parseCoverageReportInWorker(fixture('coveragepy-x.cobertura.xml'), { filename: 'coverage.xml' }),
    ).resolves.toEqual({
      format: 'cobertura',
      linesCovered: 2,
      linesValid: 3,
      branchesCovered: null,
      branchesValid: null,
    });
    await expect(
      parseCoverageReportInWorker(fixture('coveragepy-y-branch.cobertura.xml'), { filename: 'coverage.xml' }),
    ).resolves.toEqual({
      format: 'cobertura',
      linesCovered: 4,
      linesValid: 5,
      branchesCovered: 1,
      branchesValid: 2,
    });
  }, 120_000);

  it('brings the parser’s refusal back as a CoverageParseError', async () => {
    const hostile = Buffer.from(`<coverage${' a="1"'.repeat(1000)}/>`);
    const error = await parseCoverageReportInWorker(hostile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoverageParseError);
    expect(error).toMatchObject({ format: 'cobertura', code: 'too_large' });
    const malformed = await parseCoverageReportInWorker(Buffer.from('<coverage><packages>')).catch(
      (e: unknown) => e,
    );
    expect(malformed).toMatchObject({ code: 'malformed' });
  });

  it('parses at most two at a time, lets a few wait, and turns the rest away', async () => {
    const report = fixture('coveragepy-x.cobertura.xml');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 11 }, () => parseCoverageReportInWorker(report, { filename: 'coverage.xml' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(CoverageParserBusyError);
    // Ten parser threads, started from TypeScript sources here: slow on a loaded machine.
  }, 180_000);
});
