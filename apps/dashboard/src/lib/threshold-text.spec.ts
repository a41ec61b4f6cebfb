import { thresholdText } from './threshold-text';

describe('thresholdText', () => {
  it('names both limits with the comparison', () => {
    expect(thresholdText({ warn: 72, breach: 168 }, 'lower', (v) => `${v} h`)).toBe(
      'warn > 72 h · breach > 168 h',
    );
    expect(thresholdText({ warn: 90, breach: null }, 'higher', (v) => `${v} %`)).toBe('warn < 90 %');
    expect(thresholdText(null, 'lower', String)).toBe('no threshold');
    expect(thresholdText({ warn: 1, breach: 2 }, 'none', String)).toBe('no threshold');
  });
});
