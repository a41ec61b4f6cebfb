import { cron } from './schema-parts';
import { assertStorableCounts } from './validation';

describe('cron (request schema)', () => {
  it.each(['*/0 * * * *', '60 * * * *', '0 0 31 2 *', '5-1 * * * *', 'every day', '* * * *', '*/2 * * * *'])(
    'refuses %j, which BullMQ cannot schedule or which syncs too often',
    (pattern) => {
      expect(cron.safeParse(pattern).success).toBe(false);
    },
  );

  it('accepts ordinary schedules', () => {
    expect(cron.safeParse('*/30 * * * *').success).toBe(true);
    expect(cron.safeParse('0 6 * * 1-5').success).toBe(true);
  });
});

describe('assertStorableCounts', () => {
  it('refuses counts beyond an integer column, naming the field', () => {
    expect(() => assertStorableCounts('report', { linesValid: 3_000_000_000 })).toThrow(
      /report: linesValid is 3000000000, beyond/,
    );
    expect(() => assertStorableCounts('report', { linesValid: -1 })).toThrow(/linesValid is -1/);
    expect(() => assertStorableCounts('report', { linesValid: 1.5 })).toThrow(/linesValid/);
    expect(() =>
      assertStorableCounts('report', { linesValid: 2_147_483_647, branchesValid: null }),
    ).not.toThrow();
  });
});
