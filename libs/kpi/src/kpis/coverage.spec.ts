import { type KpiKey } from '@pulse/contracts';
import { computeKpi } from '../registry';
import { isoWeekBucket } from '../time/buckets';
import { aContext, aCoverageSample, at, someRecords } from '../testing/builders';

const NY = 'America/New_York';
const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY); // Mon 4 Mar 05:00Z → Mon 11 Mar 04:00Z
const weekBefore = isoWeekBucket(at('2024-02-28T12:00:00Z'), NY);

const records = someRecords({
  coverageSamples: [
    // big repo: 1 000 lines
    aCoverageSample({
      repo: 'acme/big',
      committedAt: at('2024-03-01T10:00:00Z'),
      linesCovered: 800,
      linesValid: 1000,
    }),
    aCoverageSample({
      repo: 'acme/big',
      committedAt: at('2024-03-06T10:00:00Z'),
      linesCovered: 700,
      linesValid: 1000,
      branchesCovered: 50,
      branchesValid: 100,
    }),
    // a feature branch is ignored
    aCoverageSample({
      repo: 'acme/big',
      branch: 'feat',
      isDefaultBranch: false,
      committedAt: at('2024-03-07T10:00:00Z'),
      linesCovered: 1000,
      linesValid: 1000,
    }),
    // exactly at the week's end: belongs to the next week
    aCoverageSample({ repo: 'acme/big', committedAt: week.end, linesCovered: 0, linesValid: 1000 }),
    // small repo: 100 lines, no branch data
    aCoverageSample({
      repo: 'acme/small',
      committedAt: at('2024-03-02T10:00:00Z'),
      linesCovered: 90,
      linesValid: 100,
    }),
    aCoverageSample({
      repo: 'acme/small',
      committedAt: at('2024-03-08T10:00:00Z'),
      linesCovered: 95,
      linesValid: 100,
    }),
  ],
});
const kpi = (key: KpiKey, bucket = week) => computeKpi(key, records, bucket, aContext());

describe('coverage', () => {
  it('line: Σ covered / Σ valid of each repo’s latest default-branch sample, weighted by lines', () => {
    // (700 + 95) / (1000 + 100) = 795 / 1100 = 72.27 % — not the mean of 70 % and 95 % (82.5 %).
    const r = kpi('coverage.line');
    expect(r.value).toBeCloseTo((100 * 795) / 1100, 10);
    expect(r.n).toBe(2);
  });

  it('branch: only repos whose latest report has branch data', () => {
    // big: 50 / 100; small has no branch data → 50 %, from 1 repo.
    expect(kpi('coverage.branch')).toEqual({ value: 50, n: 1, dropped: 0 });
  });

  it('branch is a gap when no latest report has branch data', () => {
    // End of the week before: big's 1 Mar sample has no branches; small's latest neither.
    expect(kpi('coverage.branch', weekBefore)).toEqual({ value: null, n: 0, dropped: 0 });
  });

  it("delta: line coverage at the value's end minus 28 days earlier, for a week and the trailing window alike", () => {
    // The week ends Mon 11 Mar 04:00Z; 28 days earlier is Mon 12 Feb 05:00Z (EST).
    // At 12 Feb the latest sample is 1 Feb's 80/100; at 11 Mar it is 6 Mar's 70/100 → −10 pp.
    const delta = someRecords({
      coverageSamples: [
        aCoverageSample({
          repo: 'acme/a',
          committedAt: at('2024-02-01T10:00:00Z'),
          linesCovered: 80,
          linesValid: 100,
        }),
        aCoverageSample({
          repo: 'acme/a',
          committedAt: at('2024-02-20T10:00:00Z'),
          linesCovered: 90,
          linesValid: 100,
        }),
        aCoverageSample({
          repo: 'acme/a',
          committedAt: at('2024-03-06T10:00:00Z'),
          linesCovered: 70,
          linesValid: 100,
        }),
      ],
    });
    const ctx = aContext();
    expect(computeKpi('coverage.delta', delta, week, ctx)).toEqual({ value: -10, n: 1, dropped: 0 });
    // A trailing window ending at the same instant measures the same 28-day change.
    const trailing = { start: week.end - 28 * 86_400_000, end: week.end };
    expect(computeKpi('coverage.delta', delta, trailing, ctx).value).toBe(-10);
  });

  it('delta is a gap when there was no coverage 28 days earlier', () => {
    // The fixture's first samples are from 1–2 Mar: nothing before 12 Feb.
    expect(kpi('coverage.delta').value).toBeNull();
  });

  it('no samples: a gap, never 0 %', () => {
    const early = isoWeekBucket(at('2024-01-10T12:00:00Z'), NY);
    expect(kpi('coverage.line', early)).toEqual({ value: null, n: 0, dropped: 0 });
    expect(kpi('coverage.delta', early).value).toBeNull();
  });

  it('a repo’s latest sample carries over into weeks without new samples', () => {
    const later = isoWeekBucket(at('2024-04-10T12:00:00Z'), NY);
    // big's latest is the 0 / 1000 sample from 11 Mar, small's 95 / 100 → 95 / 1100.
    expect(kpi('coverage.line', later).value).toBeCloseTo((100 * 95) / 1100, 10);
  });
});
