import { addDays, mondayOf, resolveRange } from './date-range';

describe('date ranges', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-03-11')).toBe('2026-03-09');
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    expect(mondayOf('2026-03-15')).toBe('2026-03-09');
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
  });
  it('covers N whole weeks ending with the current one', () => {
    expect(resolveRange('12', '2026-03-11')).toEqual({
      preset: '12',
      range: { from: '2025-12-22', to: '2026-03-11' },
    });
    expect(resolveRange('52', '2026-03-11').range.from).toBe('2025-03-17');
    expect(resolveRange(null, '2026-03-11').preset).toBe('12');
  });
  it('accepts a valid custom range and falls back otherwise', () => {
    expect(resolveRange('custom', '2026-03-11', { from: '2026-01-01', to: '2026-02-01' })).toEqual({
      preset: 'custom',
      range: { from: '2026-01-01', to: '2026-02-01' },
    });
    expect(resolveRange('custom', '2026-03-11', { from: '2026-02-01', to: '2026-01-01' }).preset).toBe('12');
    expect(resolveRange('custom', '2026-03-11', { from: 'soon', to: '2026-01-01' }).preset).toBe('12');
  });
});
