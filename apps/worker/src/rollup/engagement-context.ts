import { calendarSpec, type EngagementSettings, type WorkingCalendar } from '@pulse/contracts';
import type { EngagementContext, KpiRules } from '@pulse/kpi';

/** What the engine needs of an engagement row, at instant `now`. */
export function engagementContext(
  engagement: {
    clientCalendar: WorkingCalendar;
    vendorCalendar: WorkingCalendar;
    reportingTimeZone: string;
    settings: Partial<EngagementSettings>;
  },
  now: number,
): EngagementContext {
  const s = engagement.settings;
  const rules: Partial<KpiRules> = {
    ...(s.bugTypes ? { bugTypes: s.bugTypes } : {}),
    ...(s.bugLabels ? { bugLabels: s.bugLabels } : {}),
    ...(s.escapedLabels?.length ? { escapedLabels: s.escapedLabels } : {}),
    ...(s.productionEnvironments ? { productionEnvironments: s.productionEnvironments } : {}),
    ...(s.bugSlaBusinessDays ? { bugSlaBusinessDays: s.bugSlaBusinessDays } : {}),
    ...(s.botAccounts ? { botAccounts: s.botAccounts } : {}),
  };
  return {
    clientCalendar: calendarSpec(engagement.clientCalendar),
    vendorCalendar: calendarSpec(engagement.vendorCalendar),
    reportingTimeZone: engagement.reportingTimeZone,
    now,
    rules,
  };
}
