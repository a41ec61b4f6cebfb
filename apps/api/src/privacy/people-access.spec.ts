import { DEFAULT_ENGAGEMENT_SETTINGS, type KpiDrillDownDto } from '@pulse/contracts';
import { canSeePeople, withoutPeople } from './people-access';

const engagement = (teamLevelOnly: boolean) => ({
  ownerId: 'owner',
  settings: { ...DEFAULT_ENGAGEMENT_SETTINGS, teamLevelOnly },
});

describe('canSeePeople', () => {
  it('lets admins always, the owner unless team-level only, and nobody else', () => {
    const admin = { id: 'a', role: 'admin' as const };
    const owner = { id: 'owner', role: 'manager' as const };
    const other = { id: 'x', role: 'manager' as const };
    expect([admin, owner, other].map((u) => canSeePeople(u, engagement(false)))).toEqual([true, true, false]);
    expect([admin, owner, other].map((u) => canSeePeople(u, engagement(true)))).toEqual([true, false, false]);
  });

  it('reads settings stored before the flag existed as "names shown to editors"', () => {
    const legacy = { ownerId: 'owner', settings: {} as typeof DEFAULT_ENGAGEMENT_SETTINGS };
    expect(canSeePeople({ id: 'owner', role: 'manager' }, legacy)).toBe(true);
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
