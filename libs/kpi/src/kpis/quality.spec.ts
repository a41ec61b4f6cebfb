import { type KpiKey } from '@pulse/contracts';
import { computeKpi } from '../registry';
import { isoWeekBucket } from '../time/buckets';
import { aBug, aContext, aTransition, aWorkItem, at, someRecords } from '../testing/builders';

const NY = 'America/New_York';
const week = isoWeekBucket(at('2024-03-06T12:00:00Z'), NY); // Mon 4 Mar 05:00Z → Mon 11 Mar 04:00Z
const weekBefore = isoWeekBucket(at('2024-02-28T12:00:00Z'), NY);
const weekOf18th = isoWeekBucket(at('2024-03-20T12:00:00Z'), NY);

const b1 = aBug({
  // Highest (SLA 1 business day = 9 h, vendor Berlin). Mon 13:00 CET → Tue 13:00 CET = 5 h + 4 h = 9 h: within.
  priority: 'Highest',
  createdAt: at('2024-03-04T12:00:00Z'),
  transitions: [
    aTransition('2024-03-04T13:00:00Z', 'todo', 'in_progress'),
    aTransition('2024-03-05T12:00:00Z', 'in_progress', 'done'),
  ],
  resolvedAt: at('2024-03-05T12:00:00Z'),
  resolution: 'Done',
  statusCategory: 'done',
});
const b2 = aBug({
  // High (SLA 3 days = 27 h). Created the week before, done Wed 6 Mar, reopened 14 days later (today: in progress).
  priority: 'High',
  createdAt: at('2024-02-26T10:00:00Z'),
  transitions: [
    aTransition('2024-02-27T10:00:00Z', 'todo', 'in_progress'),
    aTransition('2024-03-06T10:00:00Z', 'in_progress', 'done'),
    aTransition('2024-03-20T10:00:00Z', 'done', 'in_progress'),
  ],
  resolvedAt: at('2024-03-06T10:00:00Z'),
  resolution: 'Done',
  statusCategory: 'in_progress',
});
const b3 = aBug({
  // Low: no SLA. Done Thu, reopened 44 days later (outside the 30-day reopen window). Today: to do.
  priority: 'Low',
  createdAt: at('2024-03-06T10:00:00Z'),
  transitions: [
    aTransition('2024-03-07T10:00:00Z', 'todo', 'done'),
    aTransition('2024-04-20T10:00:00Z', 'done', 'todo'),
  ],
  resolvedAt: at('2024-03-07T10:00:00Z'),
  resolution: 'Done',
  statusCategory: 'todo',
});
const b4Escaped = aBug({ labels: ['production'], createdAt: at('2024-03-05T10:00:00Z'), priority: 'Medium' });
const b5GitHub = aWorkItem({
  // a GitHub issue: a bug by its label (pattern is case-insensitive), escaped by found-in-prod
  source: 'github',
  key: 'acme/app#77',
  type: 'issue',
  labels: ['Regression', 'found-in-prod'],
  priority: null,
  createdAt: at('2024-03-07T10:00:00Z'),
  reporterId: 'carol',
});
const b6Skewed = aBug({
  // resolved an hour before it was created (edited data): resolution time dropped
  priority: null,
  createdAt: at('2024-03-06T10:00:00Z'),
  resolvedAt: at('2024-03-06T09:00:00Z'),
  resolution: 'Done',
  statusCategory: 'done',
});
const story = aWorkItem({ createdAt: at('2024-03-05T10:00:00Z') });

const records = someRecords({ workItems: [b1, b2, b3, b4Escaped, b5GitHub, b6Skewed, story] });
const kpi = (key: KpiKey, bucket = week, r = records) => computeKpi(key, r, bucket, aContext());

describe('quality', () => {
  it('bugs_opened: Jira bugs by type, GitHub issues by label; stories are not bugs', () => {
    // b1 (Mon), b4 (Tue), b3 (Wed), b6 (Wed), b5 (Thu); b2 was created the week before.
    expect(kpi('quality.bugs_opened')).toEqual({ value: 5, n: 5, dropped: 0 });
  });

  it('bugs_resolved', () => {
    // b1 (Tue), b2 (Wed), b6 (Wed), b3 (Thu).
    expect(kpi('quality.bugs_resolved')).toEqual({ value: 4, n: 4, dropped: 0 });
  });

  it('bug_resolution_time: median of resolved − created, negative spans dropped and counted', () => {
    // b1 1 d, b2 9 d (26 Feb 10:00 → 6 Mar 10:00, leap year), b3 1 d; b6 dropped. Sorted 1, 1, 9 → 1.
    expect(kpi('quality.bug_resolution_time')).toEqual({ value: 1, n: 3, dropped: 1 });
  });

  it('escaped_bugs: bugs created in the bucket matching the escaped rule', () => {
    expect(kpi('quality.escaped_bugs')).toEqual({ value: 2, n: 2, dropped: 0 });
  });

  it('escaped rule can use Jira priority or environment', () => {
    const ctx = aContext({ rules: { escapedPriorities: ['Highest'], escapedEnvironmentTerms: ['prod'] } });
    const withEnv = aBug({
      createdAt: at('2024-03-05T10:00:00Z'),
      priority: 'Low',
      environment: 'Production EU',
    });
    const r = someRecords({ workItems: [b1, withEnv, story] });
    // b1 by priority, withEnv by environment.
    expect(computeKpi('quality.escaped_bugs', r, week, ctx).value).toBe(2);
  });

  it('bug labels are a list matched whole and case-insensitively, never as a pattern', () => {
    const labelled = (labels: string[]) =>
      aWorkItem({
        source: 'github',
        type: 'issue',
        labels,
        priority: null,
        createdAt: at('2024-03-05T10:00:00Z'),
      });
    const issues = [
      labelled(['Crash']),
      labelled(['crash-report']),
      labelled(['(\\w*){16}!']),
      labelled(['bug']),
    ];
    const ctx = aContext({ rules: { bugLabels: ['CRASH', '(\\w*){16}!'] } });
    // 'Crash' by case-insensitive equality, the pattern-looking label only as literal text;
    // 'crash-report' is not a whole match and 'bug' is no longer in the list.
    const r = someRecords({ workItems: issues });
    expect(computeKpi('quality.bugs_opened', r, week, ctx).value).toBe(2);
    // As a regular expression this label would backtrack for hours.
    const hostile = someRecords({ workItems: [labelled(['a'.repeat(5000)])] });
    expect(computeKpi('quality.bugs_opened', hostile, week, ctx).value).toBe(0);
  });

  it('bug_reopen_rate: share of bugs entering done in the bucket that left it within 30 days', () => {
    // Entered done: b1 (never left), b2 (left after 14 d → reopened), b3 (left after 44 d → not), b6 (no history).
    // 1 / 4 = 25 %.
    expect(kpi('quality.bug_reopen_rate')).toEqual({ value: 25, n: 4, dropped: 0 });
  });

  it('bug_reopen_rate on Jira: the resolution cleared is a reopen, a bulk status move is not', () => {
    const resolved = [
      aTransition('2024-03-04T13:00:00Z', 'todo', 'in_progress'),
      aTransition('2024-03-05T12:00:00Z', 'in_progress', 'done'),
    ];
    // A workflow migration moved it out of done a week later, resolution untouched.
    const migrated = aBug({
      key: 'PAY-1',
      createdAt: at('2024-03-04T12:00:00Z'),
      transitions: [...resolved, aTransition('2024-03-12T12:00:00Z', 'done', 'todo')],
      resolvedAt: at('2024-03-05T12:00:00Z'),
      resolution: 'Done',
      reopenedAt: [],
    });
    // Its resolution was cleared three days later (status alone would say nothing: it
    // stayed in a done-category status).
    const cleared = aBug({
      key: 'PAY-2',
      createdAt: at('2024-03-04T12:00:00Z'),
      transitions: resolved,
      resolvedAt: at('2024-03-05T12:00:00Z'),
      resolution: 'Done',
      reopenedAt: [at('2024-03-08T12:00:00Z')],
    });
    expect(kpi('quality.bug_reopen_rate', week, someRecords({ workItems: [migrated] }))).toMatchObject({
      value: 0,
      n: 1,
    });
    expect(kpi('quality.bug_reopen_rate', week, someRecords({ workItems: [cleared] }))).toMatchObject({
      value: 100,
      n: 1,
    });
    // Without the collector's reopen instants, leaving done is the reopen (GitHub, or a
    // workflow that never sets a resolution).
    const { reopenedAt: _unused, ...noResolutionWorkflow } = migrated;
    const r2 = someRecords({ workItems: [noResolutionWorkflow] });
    expect(kpi('quality.bug_reopen_rate', week, r2)).toMatchObject({ value: 100, n: 1 });
  });

  it('bug_reopen_rate counts a bug once even if it was resolved twice in the bucket', () => {
    const twice = aBug({
      createdAt: at('2024-03-01T10:00:00Z'),
      transitions: [
        aTransition('2024-03-04T10:00:00Z', 'todo', 'done'),
        aTransition('2024-03-05T10:00:00Z', 'done', 'in_progress'),
        aTransition('2024-03-06T10:00:00Z', 'in_progress', 'done'),
      ],
      resolvedAt: at('2024-03-06T10:00:00Z'),
    });
    // One bug; its first resolution in the bucket was reopened the next day → 1 / 1.
    expect(kpi('quality.bug_reopen_rate', week, someRecords({ workItems: [twice] }))).toEqual({
      value: 100,
      n: 1,
      dropped: 0,
    });
  });

  it('bug_sla_compliance: in vendor business time, only priorities with an SLA', () => {
    // b1 within (exactly 9 h of 9 h); b2 High: Mon 26 Feb 11:00 CET → Wed 6 Mar 11:00 CET =
    // 7 + 4·9 + 9 + 9 + 2 = 63 h > 27 h: breached. b3 Low and b6 (no priority): no SLA. 1 / 2.
    expect(kpi('quality.bug_sla_compliance')).toEqual({ value: 50, n: 2, dropped: 0 });
  });

  it('bug_sla_compliance respects vendor holidays', () => {
    const ctx = aContext({ vendorCalendar: { timeZone: 'Europe/Berlin', holidays: ['2024-03-05'] } });
    // b1 with Tue 5 Mar off: Mon 13:00–18:00 (5 h) then nothing until the resolution → 5 h ≤ 9 h, still within;
    // a Highest bug created Fri 8 Mar 17:00 CET and resolved Tue 12 Mar 10:00 CET with Mon 11 a holiday:
    // Fri 1 h + Tue 1 h = 2 h → within; without the holiday 11 h → breached.
    const late = aBug({
      priority: 'Highest',
      createdAt: at('2024-03-08T16:00:00Z'),
      resolvedAt: at('2024-03-12T09:00:00Z'),
    });
    const r = someRecords({ workItems: [late] });
    const w = isoWeekBucket(at('2024-03-12T12:00:00Z'), NY);
    expect(computeKpi('quality.bug_sla_compliance', r, w, aContext()).value).toBe(0);
    const holidayCtx = aContext({ vendorCalendar: { timeZone: 'Europe/Berlin', holidays: ['2024-03-11'] } });
    expect(computeKpi('quality.bug_sla_compliance', r, w, holidayCtx).value).toBe(100);
    expect(computeKpi('quality.bug_sla_compliance', records, week, ctx).value).toBe(50);
  });

  it('open_bugs is replayed from the status history, not today’s status', () => {
    // End of the week before (Mon 4 Mar 05:00Z): only b2 exists and is open → 1.
    expect(kpi('quality.open_bugs', weekBefore)).toEqual({ value: 1, n: 1, dropped: 0 });
    // End of the week: b1, b2, b3 done (b2 and b3 are open *today*, but not then); b4, b5 open;
    // b6 was resolved before it was created → never open. → 2.
    expect(kpi('quality.open_bugs')).toEqual({ value: 2, n: 2, dropped: 0 });
    // End of the week of 18 Mar: b2 reopened on the 20th → b2, b4, b5 → 3.
    expect(kpi('quality.open_bugs', weekOf18th)).toEqual({ value: 3, n: 3, dropped: 0 });
  });

  it('open_bugs of the current week is measured now, not at a future week end', () => {
    // now = Thu 7 Mar 09:00Z: b3 is not done yet (done at 10:00) and b5 not yet created.
    const ctx = aContext({ now: at('2024-03-07T09:00:00Z') });
    // b1 done, b2 done (6 Mar), b3 open, b4 open, b6 never open → 2.
    expect(computeKpi('quality.open_bugs', records, week, ctx).value).toBe(2);
  });
});
