import { parseThresholdInput, previewThresholds, validateDraft } from './threshold-preview';
import { aKpi } from './test-builders';

describe('threshold inputs', () => {
  it('parses numbers, blanks and rejects junk', () => {
    expect(parseThresholdInput(' 72 ')).toEqual({ ok: true, value: 72 });
    expect(parseThresholdInput('−1,5')).toEqual({ ok: true, value: -1.5 });
    expect(parseThresholdInput('')).toEqual({ ok: true, value: null });
    expect(parseThresholdInput('abc').ok).toBe(false);
  });
  it('checks the pair is ordered for the direction', () => {
    expect(validateDraft({ warn: '72', breach: '168' }, 'lower').error).toBeNull();
    expect(validateDraft({ warn: '200', breach: '168' }, 'lower').error).toMatch(
      /warn must not be above breach/,
    );
    expect(validateDraft({ warn: '50', breach: '70' }, 'higher').error).toMatch(/below breach/);
    expect(validateDraft({ warn: 'x', breach: '1' }, 'lower').error).toMatch(/^warn:/);
  });
});

describe('previewThresholds', () => {
  it('re-rates the last weeks with the drafted thresholds', () => {
    const values = Array.from({ length: 14 }, (_, i) => (i % 2 ? 100 : 30));
    const kpis = [aKpi({ values })];
    const preview = previewThresholds(kpis, new Map([['delivery.pr_cycle_time', { warn: 24, breach: 90 }]]));
    expect(preview.weeks).toHaveLength(12);
    expect(preview.weeks[0]).toMatchObject({
      before: 'green',
      after: 'amber',
      scoreBefore: 100,
      scoreAfter: 50,
    });
    expect(preview.weeks[1]).toMatchObject({ before: 'amber', after: 'red', scoreAfter: 0 });
    expect(preview.changedWeeks).toBe(12);
    expect(preview.perKpi.get('delivery.pr_cycle_time')![1]).toMatchObject({
      value: 100,
      before: 'warn',
      after: 'breach',
    });
  });
});
