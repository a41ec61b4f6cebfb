import { retentionCutoff } from './retention';

describe('retentionCutoff', () => {
  it('is midnight in the reporting zone of the day the window starts', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    expect(new Date(retentionCutoff(24, 'UTC', now)).toISOString()).toBe('2024-11-20T00:00:00.000Z');
    expect(new Date(retentionCutoff(1, 'America/Chicago', now)).toISOString()).toBe(
      '2026-10-20T05:00:00.000Z',
    );
  });
});
