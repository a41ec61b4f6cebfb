import {
  dateTime,
  formatDelta,
  formatMinutes,
  formatValue,
  instant,
  relativeTime,
  shortDate,
} from './format';

describe('formatValue', () => {
  it('shows units and rounds by magnitude', () => {
    expect(formatValue(41.234, 'hours')).toBe('41.2 h');
    expect(formatValue(3.14159, 'days')).toBe('3.14 d');
    expect(formatValue(123.6, 'percent')).toBe('124 %');
    expect(formatValue(12, 'count')).toBe('12');
    expect(formatValue(1, 'people')).toBe('1 person');
    expect(formatValue(-1.5, 'pp')).toBe('−1.5 pp');
  });
  it('says "no data" for a gap instead of zero', () => {
    expect(formatValue(null, 'hours')).toBe('no data');
    expect(formatValue(0, 'count')).toBe('0');
  });
});

describe('formatDelta', () => {
  it('signs the change and shows percent changes in points', () => {
    expect(formatDelta(3.5, 'hours')).toBe('+3.5 h');
    expect(formatDelta(-2, 'percent')).toBe('−2 pp');
    expect(formatDelta(0.0001, 'count')).toBe('±0');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('reads like a person would say it', () => {
    expect(relativeTime('2026-03-10T11:48:00Z', now)).toBe('12 min ago');
    expect(relativeTime('2026-03-10T09:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2026-03-07T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime('2026-03-10T12:05:00Z', now)).toBe('in 5 min');
    expect(relativeTime('2026-03-10T11:59:50Z', now)).toBe('just now');
  });
});

describe('small formatters', () => {
  it('formats minutes and dates', () => {
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(200)).toBe('3 h 20 min');
    expect(shortDate('2026-03-02')).toBe('Mar 2');
  });
});

describe('dateTime and instant', () => {
  it('shows an instant in the reporting zone, not the viewer’s', () => {
    // 13:05 UTC on 1 Dec is 14:05 in Berlin (CET, UTC+1) and 07:05 in Chicago (CST, UTC−6).
    expect(dateTime('2026-12-01T13:05:00Z', 'Europe/Berlin')).toBe('1 Dec 2026, 14:05');
    expect(dateTime('2026-12-01T13:05:00Z', 'America/Chicago')).toBe('1 Dec 2026, 07:05');
    expect(instant('2026-12-01T13:05:00Z', 'Europe/Berlin')).toBe('1 Dec 2026, 14:05 (Europe/Berlin)');
    expect(dateTime(null, 'Europe/Berlin')).toBe('—');
  });

  it('keeps each zone’s formatter apart and falls back to UTC for a zone it does not know', () => {
    // Alternating zones: a formatter kept for one zone must never format another's cells.
    for (let i = 0; i < 3; i++) {
      expect(dateTime('2026-07-01T23:30:00Z', 'Asia/Tokyo')).toBe('2 Jul 2026, 08:30');
      expect(dateTime('2026-07-01T23:30:00Z', 'America/Los_Angeles')).toBe('1 Jul 2026, 16:30');
      expect(dateTime('2026-07-01T23:30:00Z', 'Not/AZone')).toBe('2026-07-01 23:30');
    }
    // More zones than are kept at once: still right after the store is emptied.
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 80);
    for (const zone of zones) dateTime('2026-07-01T23:30:00Z', zone);
    expect(dateTime('2026-07-01T23:30:00Z', 'Asia/Tokyo')).toBe('2 Jul 2026, 08:30');
  });
});
