import { isCron } from './validation';

describe('isCron', () => {
  it.each(['*/0 * * * *', '60 * * * *', '0 0 31 2 *', '5-1 * * * *', 'every day', '* * * *'])(
    'refuses %j, which BullMQ cannot schedule',
    (pattern) => {
      expect(isCron(pattern)).toBe(false);
    },
  );

  it('accepts ordinary schedules', () => {
    expect(isCron('*/30 * * * *')).toBe(true);
    expect(isCron('0 6 * * 1-5')).toBe(true);
  });
});
