import type { WorkingCalendar } from './api';
import type { CalendarSpec } from './records';

/** An engagement's stored working calendar in the KPI engine's terms. */
export function calendarSpec(calendar: WorkingCalendar): CalendarSpec {
  return {
    timeZone: calendar.timeZone,
    workingDays: calendar.weekdays,
    dayStart: calendar.start,
    dayEnd: calendar.end,
    holidays: calendar.holidays,
  };
}
