import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { ReportRanges, reportRange } from './report-range';

// Zones with DST on either hemisphere, a half-hour and a 45-minute offset, and one east of
// UTC+12, so that one instant falls in different days and weeks depending on the zone.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'Australia/Adelaide',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
];
const day = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' }).toISODate()!;
const SUNDAY_2026_03_29 = Date.UTC(2026, 2, 29, 0, 30);

describe('reportRange', () => {
  it('starts on the zone week’s Monday 11 weeks back and ends now by default', () => {
    const r = reportRange('Europe/Berlin', undefined, undefined, SUNDAY_2026_03_29);
    expect(DateTime.fromMillis(r.start, { zone: 'Europe/Berlin' }).toISO()).toBe(
      '2026-01-05T00:00:00.000+01:00',
    );
    expect(r.end).toBe(SUNDAY_2026_03_29);
    // Same instant, but already Sunday morning in Kiritimati: the same Monday-based week.
    const k = reportRange('Pacific/Kiritimati', undefined, undefined, SUNDAY_2026_03_29);
    expect(DateTime.fromMillis(k.start, { zone: 'Pacific/Kiritimati' }).toISODate()).toBe('2026-01-05');
    expect(k.start).not.toBe(r.start);
  });

  it('refuses a reversed or too long range with a 400', () => {
    expect(() => reportRange('UTC', '2026-03-02', '2026-03-01', 0)).toThrow(BadRequestException);
    expect(() => reportRange('UTC', '2020-01-01', '2026-03-01', 0)).toThrow(/at most 156 weeks/);
  });
});

describe('ReportRanges', () => {
  it('answers what reportRange answers, for any mix of zones, ranges and instants', () => {
    const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) });
    const date = instant.map(day);
    const ask = fc.record({
      zone: fc.constantFrom(...ZONES),
      from: fc.option(date, { nil: undefined }),
      to: fc.option(date, { nil: undefined }),
      // few distinct instants, so remembered answers are asked for again under other keys
      now: fc.constantFrom(SUNDAY_2026_03_29, SUNDAY_2026_03_29 + 1000, Date.UTC(2026, 9, 25, 1)),
    });
    const fresh = (a: { zone: string; from?: string; to?: string; now: number }) => {
      try {
        return reportRange(a.zone, a.from, a.to, a.now);
      } catch (e) {
        return (e as Error).constructor.name;
      }
    };
    fc.assert(
      fc.property(fc.array(ask, { minLength: 1, maxLength: 60 }), (asks) => {
        const ranges = new ReportRanges();
        // twice over: the second pass is answered from what the first remembered
        for (const a of [...asks, ...asks]) {
          let got: unknown;
          try {
            got = ranges.get(a.zone, a.from, a.to, a.now);
          } catch (e) {
            got = (e as Error).constructor.name;
          }
          expect(got).toEqual(fresh(a));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not remember refused ranges, and keeps at most 512', () => {
    const ranges = new ReportRanges();
    for (let i = 0; i < 3; i++) {
      expect(() => ranges.get('UTC', '2026-03-02', '2026-03-01', 0)).toThrow(BadRequestException);
    }
    expect(ranges.size).toBe(0);
    for (let s = 0; s < 700; s++) ranges.get('UTC', undefined, undefined, SUNDAY_2026_03_29 + s * 1000);
    expect(ranges.size).toBe(512);
    // the newest are kept, and still right
    const last = SUNDAY_2026_03_29 + 699_000;
    expect(ranges.get('UTC', undefined, undefined, last)).toEqual(
      reportRange('UTC', undefined, undefined, last),
    );
  });
});
