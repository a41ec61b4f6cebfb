import { DEFAULT_ENGAGEMENT_SETTINGS } from '@pulse/contracts';
import { engagementContext } from './engagement-context';

const calendar = { timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: [] };

describe('engagementContext', () => {
  it('hands the bug and escaped label lists to the KPI engine as lists, not patterns', () => {
    const ctx = engagementContext(
      {
        clientCalendar: calendar,
        vendorCalendar: calendar,
        reportingTimeZone: 'UTC',
        settings: { ...DEFAULT_ENGAGEMENT_SETTINGS, bugLabels: ['Crash'], escapedLabels: ['prod'] },
      },
      0,
    );
    expect(ctx.rules).toMatchObject({ bugLabels: ['Crash'], escapedLabels: ['prod'] });
    expect(Object.keys(ctx.rules ?? {}).filter((k) => /pattern/i.test(k))).toEqual([]);
  });
});
