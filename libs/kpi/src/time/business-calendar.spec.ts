import { at } from '../testing/builders';
import { BusinessCalendar } from './business-calendar';

const berlin = new BusinessCalendar({ timeZone: 'Europe/Berlin' });
const newYork = new BusinessCalendar({ timeZone: 'America/New_York' });

describe('BusinessCalendar', () => {
  it('counts only working hours inside one day', () => {
    // Berlin is UTC+1 in March before the 31st: 08:00Z = 09:00, 10:30Z = 11:30 → 2.5 h.
    expect(berlin.businessSeconds(at('2024-03-05T08:00:00Z'), at('2024-03-05T10:30:00Z'))).toBe(9000);
  });

  it('ignores time before and after hours', () => {
    // 06:00–20:00 local (05:00Z–19:00Z) holds exactly the 9 h working day.
    expect(berlin.businessSeconds(at('2024-03-05T05:00:00Z'), at('2024-03-05T19:00:00Z'))).toBe(9 * 3600);
  });

  it('skips the weekend: Friday 17:30 → Monday 09:30 is one business hour', () => {
    // Fri 17:30–18:00 (30 min) + Mon 09:00–09:30 (30 min); 64 calendar hours.
    expect(berlin.businessSeconds(at('2024-03-08T16:30:00Z'), at('2024-03-11T08:30:00Z'))).toBe(3600);
  });

  it('skips holidays in the calendar zone', () => {
    const withHoliday = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidays: ['2024-03-11'] });
    // Fri 17:30 → Tue 09:30 with Monday off: 30 min + 30 min.
    expect(withHoliday.businessSeconds(at('2024-03-08T16:30:00Z'), at('2024-03-12T08:30:00Z'))).toBe(3600);
    // Without the holiday Monday adds a full 9 h day.
    expect(berlin.businessSeconds(at('2024-03-08T16:30:00Z'), at('2024-03-12T08:30:00Z'))).toBe(
      3600 + 9 * 3600,
    );
  });

  it('keeps local working hours across a DST change (New York, 10 March 2024)', () => {
    // Fri 8 Mar 09:00 EST = 14:00Z; Mon 11 Mar 09:00 EDT = 13:00Z. Fri 9 h of work; Mon starts at 09:00 local.
    expect(newYork.businessSeconds(at('2024-03-08T14:00:00Z'), at('2024-03-11T13:00:00Z'))).toBe(9 * 3600);
    // Monday 09:00–10:00 EDT is 13:00Z–14:00Z: one hour, not zero or two.
    expect(newYork.businessSeconds(at('2024-03-11T13:00:00Z'), at('2024-03-11T14:00:00Z'))).toBe(3600);
  });

  it('supports custom working days and hours', () => {
    const sunToThu = new BusinessCalendar({
      timeZone: 'Asia/Jerusalem',
      workingDays: [7, 1, 2, 3, 4],
      dayStart: '08:00',
      dayEnd: '17:00',
    });
    // Sunday 3 March 2024 08:00–17:00 IST (UTC+2) = 06:00Z–15:00Z is a working day.
    expect(sunToThu.businessSeconds(at('2024-03-03T06:00:00Z'), at('2024-03-03T15:00:00Z'))).toBe(9 * 3600);
    // Friday is not.
    expect(sunToThu.businessSeconds(at('2024-03-08T06:00:00Z'), at('2024-03-08T15:00:00Z'))).toBe(0);
  });

  it('is negative when the span is reversed (callers drop those)', () => {
    expect(berlin.businessSeconds(at('2024-03-05T10:00:00Z'), at('2024-03-05T09:00:00Z'))).toBe(-3600);
  });

  it('adds business time: one 9 h day from Friday 17:00 ends Monday 17:00', () => {
    // Fri 17:00–18:00 = 1 h, Mon 09:00–17:00 = 8 h. Mon 17:00 CET = 16:00Z.
    expect(berlin.addBusinessMs(at('2024-03-08T16:00:00Z'), 9 * 3600_000)).toBe(at('2024-03-11T16:00:00Z'));
  });

  it('grows its day table for instants far apart', () => {
    // 2020-01-06 (Mon) to 2025-01-06 (Mon): whole weeks → 5 working days each, minus nothing.
    const s = berlin.businessSeconds(at('2020-01-06T08:00:00Z'), at('2025-01-06T08:00:00Z'));
    // 1827 days = 261 weeks → 1305 working days of 9 h.
    expect(s).toBe(1305 * 9 * 3600);
  });

  it('rejects a bad zone', () => {
    expect(() => new BusinessCalendar({ timeZone: 'Mars/Olympus' })).toThrow(/invalid IANA/);
  });
});
