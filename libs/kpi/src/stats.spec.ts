import { median, p90 } from './stats';

describe('statistics', () => {
  it('median of an odd count is the middle value', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('median of an even count is the mean of the two middle values', () => {
    expect(median([4, 1, 3, 10])).toBe(3.5); // (3 + 4) / 2
  });
  it('p90 uses nearest rank', () => {
    // n = 10 → rank ⌈9⌉ = 9 → 9th smallest.
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    // n = 4 → rank ⌈3.6⌉ = 4 → the largest.
    expect(p90([30, 60, 60, 240])).toBe(240);
    // n = 1 → the value.
    expect(p90([7])).toBe(7);
  });
  it('no samples is a gap, not zero', () => {
    expect(median([])).toBeNull();
    expect(p90([])).toBeNull();
  });
});
