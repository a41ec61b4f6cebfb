import {
  jqlMinute,
  mapIssue,
  mapSprint,
  type JiraHistory,
  type JiraIssue,
  type JiraMapContext,
} from './mappers';

const ctx = (over: Partial<JiraMapContext> = {}): JiraMapContext => ({
  siteUrl: 'https://acme.atlassian.net',
  statusCategoryById: new Map([
    ['1', 'todo'],
    ['3', 'in_progress'],
    ['4', 'in_progress'],
    ['10002', 'done'],
  ]),
  storyPointsField: 'customfield_10016',
  sprintField: 'customfield_10020',
  bugTypes: new Set(['bug']),
  ...over,
});

const anIssue = (fields: Record<string, unknown> = {}): JiraIssue => ({
  key: 'PAY-7',
  fields: {
    summary: 'secret summary',
    description: 'secret description',
    issuetype: { name: 'Story', subtask: false, hierarchyLevel: 0 },
    status: { id: '10002', statusCategory: { key: 'done' } },
    priority: { name: 'High' },
    resolution: { name: 'Done' },
    resolutiondate: '2026-11-10T10:00:00.000+0000',
    created: '2026-11-01T09:00:00.000+0100',
    updated: '2026-11-10T10:00:00.000+0000',
    reporter: { accountId: 'client-1' },
    assignee: { accountId: 'vendor-1' },
    labels: ['production'],
    customfield_10016: 5,
    customfield_10020: [{ id: 12, name: 'Sprint 3' }],
    ...fields,
  },
});

const history = (created: string, items: JiraHistory['items'], author = 'vendor-1'): JiraHistory => ({
  created,
  author: { accountId: author },
  items,
});

describe('mapIssue', () => {
  it('maps a Cloud issue to a work item without any text', () => {
    const result = mapIssue(
      anIssue(),
      [
        history('2026-11-03T09:00:00.000+0000', [{ field: 'status', from: '1', to: '3' }]),
        history('2026-11-04T09:00:00.000+0000', [{ field: 'status', from: '3', to: '4' }]),
        history('2026-11-10T10:00:00.000+0000', [{ field: 'status', from: '4', to: '10002' }]),
        history('2026-11-02T09:00:00.000+0000', [
          { field: 'Sprint', fieldId: 'customfield_10020', from: '', to: '12' },
        ]),
      ],
      [{ author: { accountId: 'vendor-2' }, created: '2026-11-02T10:00:00.000+0000' }],
      ctx(),
    );
    if (!result.ok) throw new Error(result.reason);
    const r = result.issue.record;
    expect(r).toMatchObject({
      key: 'PAY-7',
      source: 'jira',
      type: 'Story',
      isSubtask: false,
      priority: 'High',
      statusCategory: 'done',
      createdAt: Date.parse('2026-11-01T08:00:00Z'),
      resolvedAt: Date.parse('2026-11-10T10:00:00Z'),
      resolution: 'Done',
      reporterId: 'client-1',
      assigneeId: 'vendor-1',
      storyPoints: 5,
      labels: ['production'],
      url: 'https://acme.atlassian.net/browse/PAY-7',
    });
    // in_progress → in_progress is not a category change
    expect(r.transitions.map((t) => [t.from, t.to])).toEqual([
      ['todo', 'in_progress'],
      ['in_progress', 'done'],
    ]);
    expect(r.comments).toEqual([{ authorId: 'vendor-2', at: Date.parse('2026-11-02T10:00:00Z') }]);
    expect(JSON.stringify(r)).not.toMatch(/secret/);
    expect(result.issue.sprintIds).toEqual([12]);
    expect(result.issue.sprintAddedAt.get(12)).toBe(Date.parse('2026-11-02T09:00:00Z'));
    expect(r.isBug).toBeUndefined();
  });

  it('records a reopen when the resolution is cleared, never for a bulk status move', () => {
    const resolved = history('2026-11-05T09:00:00.000+0000', [
      { field: 'status', from: '3', to: '10002' },
      { field: 'resolution', from: null, to: '10000' },
    ]);
    const cleared = history('2026-11-06T09:00:00.000+0000', [
      { field: 'status', from: '10002', to: '1' },
      { field: 'resolution', from: '10000', to: null },
    ]);
    const bulkMove = history('2026-11-07T09:00:00.000+0000', [{ field: 'status', from: '10002', to: '1' }]);
    const reopened = mapIssue(anIssue(), [resolved, cleared], [], ctx());
    expect(reopened.ok && reopened.issue.record.reopenedAt).toEqual([Date.parse('2026-11-06T09:00:00Z')]);
    const moved = mapIssue(anIssue(), [resolved, bulkMove], [], ctx());
    expect(moved.ok && moved.issue.record.reopenedAt).toEqual([]);
    // a workflow that never sets a resolution: the engine falls back to status categories
    const noResolution = mapIssue(anIssue({ resolution: null }), [bulkMove], [], ctx());
    expect(noResolution.ok && noResolution.issue.record.reopenedAt).toBeUndefined();
  });

  it('marks a bug found only by its untranslated name (a site in Chinese)', () => {
    const zh = mapIssue(anIssue({ issuetype: { name: '缺陷', untranslatedName: 'Bug' } }), [], [], ctx());
    expect(zh.ok && zh.issue.record.isBug).toBe(true);
    const configured = mapIssue(
      anIssue({ issuetype: { name: '缺陷' } }),
      [],
      [],
      ctx({ bugTypes: new Set(['缺陷']) }),
    );
    // the engine matches the type name itself with the engagement's current rules
    expect(configured.ok && configured.issue.record.isBug).toBeUndefined();
  });

  it('uses Data Center user keys and treats hierarchy level -1 as a sub-task', () => {
    const r = mapIssue(
      anIssue({
        reporter: { key: 'JIRAUSER10100', name: 'alice' },
        issuetype: { name: 'Sub-task', hierarchyLevel: -1 },
      }),
      [],
      [],
      ctx(),
    );
    expect(r.ok && r.issue.record).toMatchObject({ reporterId: 'JIRAUSER10100', isSubtask: true });
  });

  it('refuses a malformed issue with a reason', () => {
    expect(mapIssue(anIssue({ created: 42 }), [], [], ctx())).toEqual({
      ok: false,
      reason: 'PAY-7: malformed (created, updated, issue type or status missing)',
    });
    expect(mapIssue({ id: '9', fields: {} }, [], [], ctx())).toMatchObject({ ok: false });
  });
});

describe('mapSprint', () => {
  it('splits commitment from scope added after the start', () => {
    const start = Date.parse('2026-11-02T09:00:00Z');
    const s = mapSprint(
      {
        id: 12,
        name: 'S3',
        state: 'closed',
        startDate: '2026-11-02T09:00:00Z',
        endDate: '2026-11-16T09:00:00Z',
        completeDate: '2026-11-16T10:00:00Z',
      },
      [
        { key: 'A-1', createdAt: start - 10, addedAt: start - 5 },
        { key: 'A-2', createdAt: start - 10, addedAt: start + 1 },
        { key: 'A-3', createdAt: start + 50, addedAt: undefined },
        { key: 'A-4', createdAt: start - 50, addedAt: undefined },
      ],
    );
    expect(s).toMatchObject({
      id: '12',
      completedAt: Date.parse('2026-11-16T10:00:00Z'),
      issueKeysAtStart: ['A-1', 'A-4'],
      issueKeysAddedAfterStart: ['A-2', 'A-3'],
    });
    expect(mapSprint({ id: 13, state: 'future' }, [])).toBeNull();
  });
});

describe('jqlMinute', () => {
  it('writes the instant as a wall time in the API user’s zone', () => {
    const t = Date.parse('2026-11-20T12:34:56Z');
    expect(jqlMinute(t, 'UTC')).toBe('2026-11-20 12:34');
    expect(jqlMinute(t, 'America/Phoenix')).toBe('2026-11-20 05:34');
    expect(jqlMinute(t, 'Asia/Kolkata')).toBe('2026-11-20 18:04');
  });
});
