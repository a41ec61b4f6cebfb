import type { KpiDrillDownDto } from '@pulse/contracts';
import { canShareDrillDown, cellText, drillDownPath, prepareDrillTable } from './prepare-drill-down';

const aDrillDown = (overrides: Partial<KpiDrillDownDto> = {}): KpiDrillDownDto => ({
  key: 'quality.merged_without_review',
  label: 'Merged without review',
  kind: 'pull_requests',
  window: {
    kind: 'trailing',
    from: '2026-11-03T00:00:00.000Z',
    to: '2026-12-01T10:00:00.000Z',
    label: 'last 28 days',
    lookbackDays: null,
  },
  n: 2,
  value: 2,
  status: 'breach',
  explanation: 'Merged without review is 2 over the last 28 days, above the 1 breach line.',
  columns: [
    { field: 'author', label: 'Author', type: 'person' },
    { field: 'mergedAt', label: 'Merged', type: 'datetime' },
    { field: 'reviewed', label: 'Reviewed', type: 'boolean' },
    { field: 'cycleHours', label: 'Cycle', type: 'number', unit: 'hours' },
    { field: 'slaState', label: 'SLA', type: 'badge' },
  ],
  rows: [
    {
      id: 'acme/api#7',
      title: 'acme/api#7',
      url: 'https://github.com/acme/api/pull/7',
      cells: {
        author: 'dev',
        mergedAt: '2026-11-20T23:30:00.000Z',
        reviewed: false,
        cycleHours: 12.25,
        slaState: null,
      },
    },
    {
      id: 'acme/api#9',
      title: 'acme/api#9',
      url: null,
      cells: { author: 'ops', mergedAt: null, reviewed: true, cycleHours: null, slaState: 'open_breached' },
    },
  ],
  ...overrides,
});

describe('prepareDrillTable', () => {
  it('keeps exactly the API rows in order, one cell per column, times in the reporting zone', () => {
    const t = prepareDrillTable(aDrillDown(), 'Europe/Berlin');
    expect(t.rows.map((r) => r.id)).toEqual(['acme/api#7', 'acme/api#9']);
    expect(t.headers.map((h) => h.label)).toEqual(['Author', 'Merged', 'Reviewed', 'Cycle', 'SLA']);
    expect(t.headers.find((h) => h.field === 'cycleHours')?.numeric).toBe(true);
    // 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Berlin (UTC+1): the date changes with the zone.
    expect(t.rows[0]!.cells).toEqual(['dev', '21 Nov 2026, 00:30', 'no', '12.3 h', '—']);
    expect(t.rows[1]!.cells).toEqual(['ops', '—', 'yes', '—', 'open, SLA breached']);
    expect(t.countText).toBe('2 PRs');
    expect(t.hasTimes).toBe(true);
  });

  it('counts one item in the singular and an empty list as 0', () => {
    const one = aDrillDown({ rows: aDrillDown().rows.slice(0, 1), n: 1 });
    expect(prepareDrillTable(one, 'UTC').countText).toBe('1 PR');
    expect(prepareDrillTable(aDrillDown({ rows: [], n: 0 }), 'UTC', 'bugs').countText).toBe('0 bugs');
  });
});

describe('cellText', () => {
  it('reads booleans, badges and numbers in plain words', () => {
    expect(cellText(true, { field: 'x', label: 'X', type: 'boolean' }, 'UTC')).toBe('yes');
    expect(cellText('met', { field: 'x', label: 'X', type: 'badge' }, 'UTC')).toBe('met');
    expect(cellText('still_open', { field: 'x', label: 'X', type: 'badge' }, 'UTC')).toBe('still open');
    expect(cellText(82.46, { field: 'x', label: 'X', type: 'number', unit: 'percent' }, 'UTC')).toBe(
      '82.5 %',
    );
  });
});

describe('drill-down paths and sharing', () => {
  it('asks for the trailing window, or one week when a valid week is given', () => {
    expect(drillDownPath('/api/engagements/e1', 'quality.open_bugs')).toBe(
      '/api/engagements/e1/kpis/quality.open_bugs/drill-down',
    );
    expect(drillDownPath('/api/engagements/e1', 'quality.open_bugs', '2026-11-02')).toBe(
      '/api/engagements/e1/kpis/quality.open_bugs/drill-down?week=2026-11-02',
    );
    expect(drillDownPath('/x', 'k', 'not-a-date')).toBe('/x/kpis/k/drill-down');
  });

  it('lets a vendor open items only when the link allows it and shares the family', () => {
    const kpi = { drillDown: true, family: 'quality' };
    expect(canShareDrillDown(kpi, { allowDrillDown: true, families: ['quality'] })).toBe(true);
    expect(canShareDrillDown(kpi, { allowDrillDown: false, families: ['quality'] })).toBe(false);
    expect(canShareDrillDown(kpi, { allowDrillDown: true, families: ['delivery'] })).toBe(false);
    expect(
      canShareDrillDown(
        { drillDown: false, family: 'quality' },
        { allowDrillDown: true, families: ['quality'] },
      ),
    ).toBe(false);
  });
});
