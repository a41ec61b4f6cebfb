import { DateTime } from 'luxon';
import {
  kpiDefinition,
  type DrillDownCell,
  type DrillDownColumnDto,
  type DrillDownRowDto,
  type EngagementRecords,
  type KpiDrillDownDto,
  type KpiKey,
} from '@pulse/contracts';
import { type EngagementContext } from './context';
import { isUnansweredAt, type ChatDirectionFacts } from './facts/chat';
import { type DepartureCheck, activeIn, departureChecks } from './facts/continuity';
import { categoryAt, type WorkItemFact } from './facts/work-items';
import { type PrFact } from './facts/pull-requests';
import { type Prepared, prepare } from './prepare';
import { asOf, coverageFrom } from './registry';
import { type Aggregation, type SampleSet, lowerBound, samplesIn } from './samples';
import { type Bucket, minusDays } from './time/buckets';
import type { CoverageSampleRecord } from '@pulse/contracts';

const HOUR = 3600;
const DAY = 86_400;
const MINUTE = 60;
const DAY_MS = DAY * 1000;

/** The table behind one value: its kind, columns and rows (rows.length = the value's n). */
export type DrillDownTable = Pick<KpiDrillDownDto, 'kind' | 'columns' | 'rows'>;

const iso = (t: number | null | undefined): string | null =>
  t === null || t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString();
const round1 = (x: number): number => Math.round(x * 10) / 10;
const hoursBetween = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b < a ? null : round1((b - a) / 3_600_000);

function names(p: Prepared): Map<string, string> {
  return new Map(p.records.people.map((x) => [x.id, x.displayName ?? x.id]));
}

/** One sample of a set: the fact it came from (`item`) and the value it contributed. */
interface Picked {
  t: number;
  item: number;
  v: number;
  w: number;
}

function pick(set: SampleSet, bucket: Bucket, agg: Aggregation): Picked[] {
  return samplesIn(set, bucket, agg).map((i) => ({
    t: set.t[i],
    item: set.item[i],
    v: set.v[i],
    w: set.w[i],
  }));
}

// ---- pull requests ----------------------------------------------------------------------

const PR_COLUMNS: DrillDownColumnDto[] = [
  { field: 'author', label: 'Author', type: 'person' },
  { field: 'authorSide', label: 'Author side', type: 'badge' },
  { field: 'createdAt', label: 'Opened', type: 'datetime' },
  { field: 'mergedAt', label: 'Merged', type: 'datetime' },
  { field: 'reviewed', label: 'Reviewed', type: 'boolean' },
  { field: 'firstReviewAt', label: 'First review', type: 'datetime' },
  { field: 'reviewerSide', label: 'Reviewer side', type: 'badge' },
  { field: 'codingHours', label: 'Coding', type: 'number', unit: 'hours' },
  { field: 'pickupHours', label: 'Pickup', type: 'number', unit: 'hours' },
  { field: 'reviewHours', label: 'Review', type: 'number', unit: 'hours' },
  { field: 'cycleHours', label: 'Cycle', type: 'number', unit: 'hours' },
];

interface PrPick {
  set: (p: Prepared) => SampleSet;
  /** Business-time KPIs: the measured value column. */
  valueColumn?: DrillDownColumnDto;
  deployed?: boolean;
}

const PR_KPIS: Partial<Record<KpiKey, PrPick>> = {
  'delivery.pr_cycle_time': { set: (p) => p.prs.cycleTime },
  'delivery.pr_coding_time': { set: (p) => p.prs.codingTime },
  'delivery.pr_pickup_time': { set: (p) => p.prs.pickupTime },
  'delivery.pr_review_time': { set: (p) => p.prs.reviewTime },
  'delivery.prs_merged': { set: (p) => p.prs.merged },
  'quality.merged_without_review': { set: (p) => p.prs.mergedWithoutReview },
  'responsiveness.pr_first_review_vendor': {
    set: (p) => p.prs.firstReviewByVendor,
    valueColumn: { field: 'value', label: 'First review (business)', type: 'number', unit: 'hours' },
  },
  'responsiveness.pr_first_review_client': {
    set: (p) => p.prs.firstReviewByClient,
    valueColumn: { field: 'value', label: 'First review (business)', type: 'number', unit: 'hours' },
  },
  'delivery.lead_time_for_changes': {
    set: (p) => p.deploys.leadTime,
    valueColumn: { field: 'value', label: 'Lead time', type: 'number', unit: 'hours' },
    deployed: true,
  },
};

function prRow(f: PrFact, who: Map<string, string>, extra: Record<string, DrillDownCell>): DrillDownRowDto {
  const pr = f.pr;
  return {
    id: pr.id,
    title: `${pr.repo}#${pr.number}`,
    url: pr.url ?? null,
    cells: {
      author: f.authorPersonId ? (who.get(f.authorPersonId) ?? pr.authorLogin) : pr.authorLogin,
      authorSide: f.authorSide,
      createdAt: iso(pr.createdAt),
      mergedAt: iso(pr.mergedAt),
      reviewed: f.firstReviewAt !== null,
      firstReviewAt: iso(f.firstReviewAt),
      reviewerSide: f.firstReviewerSide,
      codingHours: hoursBetween(pr.firstCommitAt, pr.createdAt),
      pickupHours: hoursBetween(f.readyAt, f.firstReviewAt),
      reviewHours: hoursBetween(f.firstReviewAt, pr.mergedAt),
      cycleHours: hoursBetween(f.start, pr.mergedAt),
      ...extra,
    },
  };
}

function prTable(p: Prepared, spec: PrPick, bucket: Bucket): DrillDownTable {
  const who = names(p);
  const rows = pick(spec.set(p), bucket, 'count').map(({ item, v }) => {
    const extra: Record<string, DrillDownCell> = {};
    if (spec.valueColumn) extra.value = round1(v / HOUR);
    if (spec.deployed) extra.deployedAt = iso(p.deploys.deployedAtByPr.get(item));
    return prRow(p.prs.facts[item], who, extra);
  });
  const columns = [...PR_COLUMNS];
  if (spec.deployed) columns.push({ field: 'deployedAt', label: 'Deployed', type: 'datetime' });
  if (spec.valueColumn) columns.push(spec.valueColumn);
  return { kind: 'pull_requests', columns, rows };
}

// ---- work items -------------------------------------------------------------------------

const WORK_COLUMNS: DrillDownColumnDto[] = [
  { field: 'type', label: 'Type', type: 'text' },
  { field: 'priority', label: 'Priority', type: 'text' },
  { field: 'createdAt', label: 'Created', type: 'datetime' },
  { field: 'resolvedAt', label: 'Resolved', type: 'datetime' },
  { field: 'openAtEnd', label: 'Open at window end', type: 'boolean' },
  { field: 'reopenedAt', label: 'Reopened', type: 'datetime' },
  { field: 'slaDueAt', label: 'SLA due', type: 'datetime' },
  { field: 'slaState', label: 'SLA', type: 'badge' },
];

interface WorkPick {
  set: (p: Prepared) => SampleSet;
  agg?: Aggregation;
  valueColumn?: DrillDownColumnDto;
  scale?: number;
}

const WORK_KPIS: Partial<Record<KpiKey, WorkPick>> = {
  'delivery.issue_cycle_time': {
    set: (p) => p.work.issueCycleTime,
    valueColumn: { field: 'value', label: 'Cycle time', type: 'number', unit: 'days' },
    scale: DAY,
  },
  'delivery.throughput': { set: (p) => p.work.throughput },
  'delivery.story_points': {
    set: (p) => p.work.storyPoints,
    valueColumn: { field: 'value', label: 'Story points', type: 'number', unit: 'points' },
  },
  'quality.bugs_opened': { set: (p) => p.work.bugsOpened },
  'quality.bugs_resolved': { set: (p) => p.work.bugsResolved },
  'quality.bug_resolution_time': {
    set: (p) => p.work.bugResolutionTime,
    valueColumn: { field: 'value', label: 'Days to resolve', type: 'number', unit: 'days' },
    scale: DAY,
  },
  'quality.escaped_bugs': { set: (p) => p.work.escapedBugs },
  'quality.bug_reopen_rate': {
    set: (p) => p.work.bugReopen,
    agg: 'ratioFirstPerItem',
    valueColumn: { field: 'value', label: 'Reopened within 30 days', type: 'boolean' },
  },
  'quality.bug_sla_compliance': {
    set: (p) => p.work.bugSla,
    valueColumn: { field: 'value', label: 'Resolved within SLA', type: 'boolean' },
  },
  'responsiveness.issue_first_response': {
    set: (p) => p.work.issueFirstResponse,
    valueColumn: { field: 'value', label: 'First vendor response (business)', type: 'number', unit: 'hours' },
    scale: HOUR,
  },
};

function workRow(
  p: Prepared,
  fact: WorkItemFact,
  end: number,
  extra: Record<string, DrillDownCell>,
): DrillDownRowDto {
  const item = fact.item;
  const slaMs = item.priority === null ? undefined : p.ctx.slaMsByPriority.get(item.priority.toLowerCase());
  const due = slaMs === undefined ? null : p.ctx.vendor.addBusinessMs(item.createdAt, slaMs);
  const resolved = item.resolvedAt;
  const slaState =
    due === null || !fact.isBug
      ? 'none'
      : resolved !== null && resolved < end
        ? resolved <= due
          ? 'met'
          : 'missed'
        : end <= due
          ? 'open_within'
          : 'open_breached';
  // The first time the item left "done" after entering it (a reopening), if any.
  let reopenedAt: number | null = null;
  let done = fact.transitions.length > 0 && fact.transitions[0].from === 'done';
  for (const tr of fact.transitions) {
    const nowDone = tr.to === 'done';
    if (done && !nowDone && reopenedAt === null) reopenedAt = tr.at;
    done = nowDone;
  }
  return {
    id: item.key,
    title: item.key,
    // The record carries no link; the API adds the stored one (same key).
    url: null,
    cells: {
      type: item.type,
      priority: item.priority,
      createdAt: iso(item.createdAt),
      resolvedAt: iso(resolved),
      openAtEnd: item.createdAt < end && categoryAt(fact, end, false) !== 'done',
      reopenedAt: iso(reopenedAt),
      slaDueAt: fact.isBug ? iso(due) : null,
      slaState,
      ...extra,
    },
  };
}

function workTable(p: Prepared, spec: WorkPick, bucket: Bucket): DrillDownTable {
  const end = asOf(p, bucket);
  const agg = spec.agg ?? 'count';
  const rows = pick(spec.set(p), bucket, agg).map(({ item, v }) => {
    const extra: Record<string, DrillDownCell> = {};
    if (spec.valueColumn)
      extra.value = spec.valueColumn.type === 'boolean' ? v === 1 : round1(v / (spec.scale ?? 1));
    return workRow(p, p.work.items[item], end, extra);
  });
  return {
    kind: 'work_items',
    columns: spec.valueColumn ? [...WORK_COLUMNS, spec.valueColumn] : WORK_COLUMNS,
    rows,
  };
}

function openBugsTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const e = asOf(p, bucket);
  const rows = p.work.bugs
    .filter((bug) => bug.item.createdAt < e && categoryAt(bug, e, false) !== 'done')
    .map((bug) => workRow(p, bug, e, { ageDays: round1((e - bug.item.createdAt) / DAY_MS) }))
    .sort((a, b) => Number(b.cells.ageDays) - Number(a.cells.ageDays));
  return {
    kind: 'work_items',
    columns: [
      ...WORK_COLUMNS,
      { field: 'ageDays', label: 'Age at window end', type: 'number', unit: 'days' },
    ],
    rows,
  };
}

// ---- chat -------------------------------------------------------------------------------

const CHAT_COLUMNS: DrillDownColumnDto[] = [
  { field: 'channel', label: 'Channel', type: 'text' },
  { field: 'askedSide', label: 'Side', type: 'text' },
  { field: 'askedBy', label: 'Asked by', type: 'person' },
  { field: 'askedAt', label: 'Asked', type: 'datetime' },
  { field: 'answered', label: 'Answered', type: 'boolean' },
  { field: 'answeredBy', label: 'Answered by', type: 'person' },
  { field: 'answeredSide', label: 'Answering side', type: 'text' },
  { field: 'answeredAt', label: 'Answered at', type: 'datetime' },
];

function chatRows(
  p: Prepared,
  d: ChatDirectionFacts,
  items: { item: number; minutes: number | null }[],
): DrillDownRowDto[] {
  const who = names(p);
  const sideOf = new Map(p.records.people.map((x) => [x.id, x.side]));
  // Metadata only: the request is named by channel and time, never by its text; the API
  // adds the link to the message (it knows the workspace) and hides names where it must.
  return items.map(({ item, minutes }) => {
    const r = d.requests[item];
    const answeredBy = r.answeredBy ?? null;
    return {
      id: `${r.channel}/${r.ts}`,
      title: `Request in ${r.channel}`,
      url: null,
      cells: {
        channel: r.channel,
        askedSide: sideOf.get(r.askedBy) ?? null,
        askedBy: who.get(r.askedBy) ?? null,
        askedAt: iso(r.at),
        answered: r.answeredAt !== null,
        answeredBy: answeredBy === null ? null : (who.get(answeredBy) ?? null),
        answeredSide: answeredBy === null ? null : (sideOf.get(answeredBy) ?? null),
        answeredAt: iso(r.answeredAt),
        waitingMinutes: minutes,
      },
    };
  });
}

function chatTable(p: Prepared, d: ChatDirectionFacts, bucket: Bucket): DrillDownTable {
  const rows = chatRows(
    p,
    d,
    pick(d.firstResponse, bucket, 'count').map(({ item, v }) => ({ item, minutes: Math.round(v / MINUTE) })),
  );
  return {
    kind: 'chat_requests',
    columns: [
      ...CHAT_COLUMNS,
      { field: 'waitingMinutes', label: 'Time to answer (business)', type: 'number', unit: 'minutes' },
    ],
    rows,
  };
}

function unansweredTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const e = asOf(p, bucket);
  const d = p.chat.clientRequests;
  const items: { item: number; minutes: number | null }[] = [];
  d.requests.forEach((r, i) => {
    if (isUnansweredAt(r, e, p.ctx.vendor, p.ctx))
      items.push({ item: i, minutes: Math.round(p.ctx.vendor.businessSeconds(r.at, e) / MINUTE) });
  });
  return {
    kind: 'chat_requests',
    columns: [
      ...CHAT_COLUMNS,
      { field: 'waitingMinutes', label: 'Waiting at window end (business)', type: 'number', unit: 'minutes' },
    ],
    rows: chatRows(p, d, items),
  };
}

// ---- coverage ---------------------------------------------------------------------------

function latestBefore(
  samples: readonly CoverageSampleRecord[],
  t: number,
): Map<string, CoverageSampleRecord> {
  const latest = new Map<string, CoverageSampleRecord>();
  for (const s of samples) if (s.committedAt < t) latest.set(s.repo, s);
  return latest;
}

const pct = (covered: number, valid: number): number | null =>
  valid > 0 ? round1((100 * covered) / valid) : null;

function coverageTable(p: Prepared, key: KpiKey, bucket: Bucket): DrillDownTable {
  const end = latestBefore(p.coverage.samples, asOf(p, bucket));
  const start = latestBefore(p.coverage.samples, coverageFrom(p, bucket));
  const branch = key === 'coverage.branch';
  const rows: DrillDownRowDto[] = [];
  for (const [repo, s] of [...end].sort(([a], [b]) => a.localeCompare(b))) {
    if (branch && (s.branchesCovered === null || s.branchesValid === null)) continue;
    const before = start.get(repo);
    rows.push({
      id: repo,
      title: repo,
      url: null,
      cells: {
        commit: s.sha.slice(0, 12),
        sampledAt: iso(s.committedAt),
        source: s.source ?? null,
        linesCovered: s.linesCovered,
        linesValid: s.linesValid,
        linePercent: pct(s.linesCovered, s.linesValid),
        branchPercent:
          s.branchesCovered === null || s.branchesValid === null
            ? null
            : pct(s.branchesCovered, s.branchesValid),
        startLinePercent: before ? pct(before.linesCovered, before.linesValid) : null,
      },
    });
  }
  return {
    kind: 'coverage',
    columns: [
      { field: 'commit', label: 'Commit', type: 'text' },
      { field: 'sampledAt', label: 'Sampled', type: 'datetime' },
      { field: 'source', label: 'From', type: 'text' },
      { field: 'linesCovered', label: 'Lines covered', type: 'number', unit: 'count' },
      { field: 'linesValid', label: 'Lines', type: 'number', unit: 'count' },
      { field: 'linePercent', label: 'Line coverage', type: 'number', unit: 'percent' },
      { field: 'branchPercent', label: 'Branch coverage', type: 'number', unit: 'percent' },
      { field: 'startLinePercent', label: 'Line coverage 28 days earlier', type: 'number', unit: 'percent' },
    ],
    rows,
  };
}

// ---- deployments ------------------------------------------------------------------------

function deployTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const byDay = new Map<number, { first: number; count: number; repos: Set<string> }>();
  if (p.deploys.hasData) {
    for (const { item, v } of pick(p.deploys.deployDays, bucket, 'count')) {
      const e = p.deploys.events[item];
      const day = byDay.get(v) ?? { first: e.finishedAt, count: 0, repos: new Set<string>() };
      day.count++;
      day.first = Math.min(day.first, e.finishedAt);
      day.repos.add(e.repo);
      byDay.set(v, day);
    }
  }
  const zone = p.ctx.reportingZone;
  const rows = [...byDay.values()]
    .sort((a, b) => a.first - b.first)
    .map((d): DrillDownRowDto => {
      const date = DateTime.fromMillis(d.first, { zone }).toISODate() ?? '';
      return {
        id: date,
        title: date,
        url: null,
        cells: {
          day: date,
          deployments: d.count,
          repos: [...d.repos].sort().join(', '),
          firstAt: iso(d.first),
        },
      };
    });
  return {
    kind: 'deploy_days',
    columns: [
      { field: 'day', label: 'Day', type: 'text' },
      { field: 'deployments', label: 'Production deployments', type: 'number', unit: 'count' },
      { field: 'repos', label: 'Repos', type: 'text' },
      { field: 'firstAt', label: 'First finished', type: 'datetime' },
    ],
    rows,
  };
}

// ---- continuity -------------------------------------------------------------------------

function personRow(
  who: Map<string, string>,
  id: string,
  cells: Record<string, DrillDownCell>,
): DrillDownRowDto {
  return { id, title: who.get(id) ?? id, url: null, cells };
}

function retentionTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const e = asOf(p, bucket);
  const days = p.ctx.rules.continuityWindowDays;
  const windowStart = minusDays(e, days, p.ctx.reportingZone);
  const priorStart = minusDays(e, 2 * days, p.ctx.reportingZone);
  const who = names(p);
  const rows: DrillDownRowDto[] = [];
  for (const [id, times] of p.continuity.activity) {
    if (!activeIn(times, priorStart, windowStart)) continue;
    const last = lowerBound(times, e) - 1;
    rows.push(
      personRow(who, id, {
        stillActive: activeIn(times, windowStart, e),
        lastActiveAt: last >= 0 ? iso(times[last]) : null,
      }),
    );
  }
  return {
    kind: 'people',
    columns: [
      { field: 'stillActive', label: `Active in the last ${days} days`, type: 'boolean' },
      { field: 'lastActiveAt', label: 'Last active', type: 'datetime' },
    ],
    rows,
  };
}

function knowledgeTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const e = asOf(p, bucket);
  const from = minusDays(e, p.ctx.rules.continuityWindowDays, p.ctx.reportingZone);
  const c = p.continuity;
  const lo = lowerBound(c.mergedAt, from);
  const hi = lowerBound(c.mergedAt, e);
  const lines = new Map<string, { lines: number; prs: number }>();
  let total = 0;
  for (let i = lo; i < hi; i++) {
    const a = lines.get(c.mergedAuthor[i]) ?? { lines: 0, prs: 0 };
    a.lines += c.mergedLines[i];
    a.prs++;
    lines.set(c.mergedAuthor[i], a);
    total += c.mergedLines[i];
  }
  const who = names(p);
  let acc = 0;
  const rows = [...lines]
    .sort((a, b) => b[1].lines - a[1].lines)
    .map(([id, a]) => {
      const inFactor = total > 0 && acc * 2 < total;
      acc += a.lines;
      return personRow(who, id, {
        mergedPrs: a.prs,
        linesChanged: a.lines,
        share: total > 0 ? round1((100 * a.lines) / total) : null,
        holdsHalf: inFactor,
      });
    });
  return {
    kind: 'people',
    columns: [
      { field: 'mergedPrs', label: 'Merged PRs', type: 'number', unit: 'count' },
      { field: 'linesChanged', label: 'Lines changed', type: 'number', unit: 'count' },
      { field: 'share', label: 'Share of lines', type: 'number', unit: 'percent' },
      { field: 'holdsHalf', label: 'Among those holding half', type: 'boolean' },
    ],
    rows,
  };
}

function newContributorsTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const who = names(p);
  const rows = pick(p.continuity.firstActivity, bucket, 'count').map(({ item, t }) => {
    const id = p.continuity.people[item];
    const ts = p.continuity.departureActivity.get(id);
    return personRow(who, id, { firstActiveAt: iso(t), activityCount: ts ? ts.length : 0 });
  });
  return {
    kind: 'people',
    columns: [
      { field: 'firstActiveAt', label: 'First active', type: 'datetime' },
      { field: 'activityCount', label: 'Activity so far', type: 'number', unit: 'count' },
    ],
    rows,
  };
}

/** Why a regular contributor counts as departed, or null: leaving the roster wins. */
function departureReason(c: DepartureCheck): string | null {
  if (!c.departed) return null;
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
  if (c.leftRosterAt !== null) return `left the roster on ${day(c.leftRosterAt)}`;
  if (c.leftChannelAt !== null) return `left a monitored channel on ${day(c.leftChannelAt)}`;
  return `activity fell to ${c.recent} in the last 4 weeks (weekly average before ${round1(c.weeklyBefore)})`;
}

function departuresTable(p: Prepared, bucket: Bucket): DrillDownTable {
  const who = names(p);
  const rows = departureChecks(p.continuity, asOf(p, bucket))
    .sort((a, b) => Number(b.departed) - Number(a.departed) || a.recent - b.recent)
    .map((c) =>
      personRow(who, c.personId, {
        departed: c.departed,
        activeWeeks: c.activeWeeks,
        weeklyBefore: round1(c.weeklyBefore),
        recent: c.recent,
        reason: departureReason(c),
        leftChannelAt: iso(c.leftChannelAt),
        leftRosterAt: iso(c.leftRosterAt),
        lastActiveAt: iso(c.lastActiveAt),
      }),
    );
  return {
    kind: 'people',
    columns: [
      { field: 'departed', label: 'Departed', type: 'boolean' },
      { field: 'activeWeeks', label: 'Active weeks (12 before)', type: 'number', unit: 'count' },
      { field: 'weeklyBefore', label: 'Weekly activity before', type: 'number', unit: 'count' },
      { field: 'recent', label: 'Activity, last 4 weeks', type: 'number', unit: 'count' },
      { field: 'reason', label: 'Why', type: 'text' },
      { field: 'leftChannelAt', label: 'Left a channel', type: 'datetime' },
      { field: 'leftRosterAt', label: 'Left the roster', type: 'datetime' },
      { field: 'lastActiveAt', label: 'Last active', type: 'datetime' },
    ],
    rows,
  };
}

// ---- sprints ----------------------------------------------------------------------------

function sprintTable(p: Prepared, key: KpiKey, bucket: Bucket): DrillDownTable {
  const set = key === 'scope.sprint_scope_change' ? p.sprints.scopeChange : p.sprints.completion;
  const rows = pick(set, bucket, 'count').map(({ item, v, w }) => {
    const s = p.records.sprints[item];
    return {
      id: s.id,
      title: s.name ?? `Sprint ${s.id}`,
      url: null,
      cells: {
        closedAt: iso(s.completedAt),
        issues: w,
        [key === 'scope.sprint_scope_change' ? 'added' : 'completed']: v,
      },
    };
  });
  return {
    kind: 'sprints',
    columns: [
      { field: 'closedAt', label: 'Closed', type: 'datetime' },
      {
        field: 'issues',
        label: key === 'scope.sprint_scope_change' ? 'Issues at start' : 'Committed issues',
        type: 'number',
        unit: 'count',
      },
      key === 'scope.sprint_scope_change'
        ? { field: 'added', label: 'Added after start', type: 'number', unit: 'count' }
        : { field: 'completed', label: 'Completed by sprint end', type: 'number', unit: 'count' },
    ],
    rows,
  };
}

/**
 * The items behind one KPI value for one bucket, built from the same prepared facts (and
 * the same sample sets) the value is computed from, so `rows.length` equals its `n`.
 * Returns null for a KPI without a drill-down.
 */
export function drillDownTable(
  key: KpiKey,
  records: EngagementRecords,
  context: EngagementContext,
  bucket: Bucket,
): DrillDownTable | null {
  if (!kpiDefinition(key).drillDown) return null;
  const p = prepare(records, context);
  const pr = PR_KPIS[key];
  if (pr) return prTable(p, pr, bucket);
  const work = WORK_KPIS[key];
  if (work) return workTable(p, work, bucket);
  switch (key) {
    case 'quality.open_bugs':
      return openBugsTable(p, bucket);
    case 'responsiveness.chat_first_response':
    case 'responsiveness.chat_first_response_p90':
      return chatTable(p, p.chat.clientRequests, bucket);
    case 'responsiveness.client_chat_first_response':
      return chatTable(p, p.chat.vendorRequests, bucket);
    case 'responsiveness.unanswered_requests':
      return unansweredTable(p, bucket);
    case 'coverage.line':
    case 'coverage.branch':
    case 'coverage.delta':
      return coverageTable(p, key, bucket);
    case 'delivery.deploy_frequency':
      return deployTable(p, bucket);
    case 'continuity.contributor_retention':
      return retentionTable(p, bucket);
    case 'continuity.knowledge_concentration':
      return knowledgeTable(p, bucket);
    case 'continuity.new_contributors':
      return newContributorsTable(p, bucket);
    case 'continuity.contributor_departures':
      return departuresTable(p, bucket);
    case 'scope.sprint_scope_change':
    case 'scope.sprint_completion':
      return sprintTable(p, key, bucket);
    default:
      return null;
  }
}
