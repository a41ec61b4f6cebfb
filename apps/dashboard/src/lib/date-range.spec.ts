import { addDays, mondayOf, resolveRange, todayIn } from './date-range';

// This one test runs Node itself; the dashboard's types know the browser only.
declare const process: { execPath: string };
declare const __dirname: string;
declare function require(id: 'node:child_process'): {
  execFileSync(file: string, args: string[], options: { encoding: 'utf8' }): string;
};

describe('date ranges', () => {
  it('finds the Monday of a week', () => {
    expect(mondayOf('2026-03-11')).toBe('2026-03-09');
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    expect(mondayOf('2026-03-15')).toBe('2026-03-09');
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
  });
  it('covers N whole weeks ending with the current one', () => {
    expect(resolveRange('12', '2026-03-11')).toEqual({
      preset: '12',
      range: { from: '2025-12-22', to: '2026-03-11' },
    });
    expect(resolveRange('52', '2026-03-11').range.from).toBe('2025-03-17');
    expect(resolveRange(null, '2026-03-11').preset).toBe('12');
  });
  it('accepts a valid custom range and falls back otherwise', () => {
    expect(resolveRange('custom', '2026-03-11', { from: '2026-01-01', to: '2026-02-01' })).toEqual({
      preset: 'custom',
      range: { from: '2026-01-01', to: '2026-02-01' },
    });
    expect(resolveRange('custom', '2026-03-11', { from: '2026-02-01', to: '2026-01-01' }).preset).toBe('12');
    expect(resolveRange('custom', '2026-03-11', { from: 'soon', to: '2026-01-01' }).preset).toBe('12');
  });
  it('finds the browser’s today without Intl as Intl would, in any zone and around midnight', () => {
    // Jest's sandbox cannot change the zone Date uses; a plain Node process can, at once.
    const script = `
      const { todayIn } = require(${JSON.stringify(`${__dirname}/date-range.ts`)});
      const out = [];
      for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kathmandu']) {
        process.env.TZ = zone;
        const intl = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
        for (let t = Date.UTC(2026, 2, 28, 0); t < Date.UTC(2026, 2, 30, 0); t += 17 * 60000)
          out.push([zone, t, todayIn(undefined, t), intl.format(t)]);
      }
      process.stdout.write(JSON.stringify(out));`;
    const { execFileSync } = require('node:child_process');
    const rows = JSON.parse(
      execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { encoding: 'utf8' }),
    ) as [string, number, string, string][];
    expect(rows.length).toBeGreaterThan(400);
    for (const [zone, t, ours, intl] of rows) expect({ zone, t, day: ours }).toEqual({ zone, t, day: intl });
    // the same instant is a different day east of UTC+12
    const kiritimati = rows.find(
      ([z, t]) => z === 'Pacific/Kiritimati' && t === Date.UTC(2026, 2, 28, 23, 48),
    );
    expect(kiritimati?.[2]).toBe('2026-03-29');
    expect(todayIn('UTC', Date.UTC(2026, 2, 28, 23))).toBe('2026-03-28');
  });
});
