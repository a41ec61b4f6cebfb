import { DEFAULT_ENGAGEMENT_SETTINGS, type KpiDrillDownDto } from '@pulse/contracts';
import { canSeePeople, withoutPeople } from './people-access';

const engagement = (teamLevelOnly: boolean) => ({
  settings: { ...DEFAULT_ENGAGEMENT_SETTINGS, teamLevelOnly },
});

describe('canSeePeople', () => {
  const EDIT = new Set(['read', 'edit'] as const);
  const READ = new Set(['read'] as const);

  it('lets admins always, editors (owner included) unless team-level only, and no viewer', () => {
    const admin = { role: 'admin' as const };
    const manager = { role: 'manager' as const };
    const cases = [
      [admin, READ],
      [manager, EDIT],
      [manager, READ],
    ] as const;
    expect(cases.map(([u, levels]) => canSeePeople(u, engagement(false), levels))).toEqual([
      true,
      true,
      false,
    ]);
    expect(cases.map(([u, levels]) => canSeePeople(u, engagement(true), levels))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('reads settings stored before the flag existed as "names shown to editors"', () => {
    const legacy = { settings: {} as typeof DEFAULT_ENGAGEMENT_SETTINGS };
    expect(canSeePeople({ role: 'manager' }, legacy, EDIT)).toBe(true);
  });
});

describe('withoutPeople', () => {
  const table = (kind: KpiDrillDownDto['kind']): KpiDrillDownDto => ({
    key: 'delivery.prs_merged',
    label: 'PRs merged',
    kind,
    window: {} as KpiDrillDownDto['window'],
    n: 2,
    value: 2,
    status: 'ok',
    explanation: '',
    columns: [
      { field: 'author', label: 'Author', type: 'person' },
      { field: 'authorSide', label: 'Author side', type: 'badge' },
    ],
    rows: [
      { id: 'p-1', title: 'Ana', url: null, cells: { author: 'Ana', authorSide: 'vendor' } },
      { id: 'p-2', title: 'Ben', url: null, cells: { author: 'Ben', authorSide: 'client' } },
    ],
  });

  it('empties person cells and keeps every row and the other cells', () => {
    const out = withoutPeople(table('pull_requests'));
    expect(out.rows.map((r) => r.cells)).toEqual([
      { author: null, authorSide: 'vendor' },
      { author: null, authorSide: 'client' },
    ]);
  });

  it('renames the rows of people lists and drops their ids', () => {
    const out = withoutPeople(table('people'));
    expect(out.rows.map((r) => [r.id, r.title])).toEqual([
      ['person-1', 'Person 1'],
      ['person-2', 'Person 2'],
    ]);
    expect(JSON.stringify(out)).not.toMatch(/Ana|Ben|p-1/);
  });
});
