import { effectiveThreshold, rateValue, thresholdText } from './kpi-status';

describe('rateValue', () => {
  it('rates lower-is-better values strictly above the limits', () => {
    const t = { warn: 72, breach: 168 };
    expect(rateValue(72, t, 'lower')).toBe('ok');
    expect(rateValue(73, t, 'lower')).toBe('warn');
    expect(rateValue(169, t, 'lower')).toBe('breach');
  });
  it('rates higher-is-better values strictly below the limits', () => {
    const t = { warn: 90, breach: 75 };
    expect(rateValue(90, t, 'higher')).toBe('ok');
    expect(rateValue(80, t, 'higher')).toBe('warn');
    expect(rateValue(70, t, 'higher')).toBe('breach');
  });
  it('has no data for a gap and is ok without a threshold', () => {
    expect(rateValue(null, { warn: 1, breach: 2 }, 'lower')).toBe('no_data');
    expect(rateValue(500, null, 'lower')).toBe('ok');
    expect(rateValue(500, { warn: 1, breach: 2 }, 'none')).toBe('ok');
  });
  it('treats a missing warn as "warn at breach" and a missing breach as "never"', () => {
    expect(rateValue(50, { warn: null, breach: 40 }, 'lower')).toBe('breach');
    expect(rateValue(500, { warn: 10, breach: null }, 'lower')).toBe('warn');
    expect(effectiveThreshold({ warn: null, breach: null }, 'lower')).toBeNull();
  });
});

describe('thresholdText', () => {
  it('names both limits with the comparison', () => {
    expect(thresholdText({ warn: 72, breach: 168 }, 'lower', (v) => `${v} h`)).toBe(
      'warn > 72 h · breach > 168 h',
    );
    expect(thresholdText({ warn: 90, breach: null }, 'higher', (v) => `${v} %`)).toBe('warn < 90 %');
    expect(thresholdText(null, 'lower', String)).toBe('no threshold');
  });
});
