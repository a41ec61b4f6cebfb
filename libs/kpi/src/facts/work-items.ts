import {
  type EngagementRecords,
  type StatusCategory,
  type StatusTransitionRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { type ResolvedContext } from '../context';
import { type Roster } from '../people';
import { SampleSet } from '../samples';

const DAY_MS = 86_400_000;

export interface WorkItemFact {
  item: WorkItemRecord;
  /** Transitions sorted by time. */
  transitions: StatusTransitionRecord[];
  isBug: boolean;
  isEscaped: boolean;
}

export interface WorkFacts {
  items: WorkItemFact[];
  byKey: Map<string, WorkItemFact>;
  bugs: WorkItemFact[];
  issueCycleTime: SampleSet;
  throughput: SampleSet;
  storyPoints: SampleSet;
  bugsOpened: SampleSet;
  bugsResolved: SampleSet;
  bugResolutionTime: SampleSet;
  escapedBugs: SampleSet;
  bugReopen: SampleSet;
  bugSla: SampleSet;
  issueFirstResponse: SampleSet;
  /** Open-bug intervals `[start, end)`, as two independently sorted arrays. */
  openStarts: Float64Array;
  openEnds: Float64Array;
}

export function isBugItem(item: WorkItemRecord, ctx: ResolvedContext): boolean {
  if (item.isBug !== undefined) return item.isBug;
  if (item.source === 'jira') return ctx.bugTypes.has(item.type.toLowerCase());
  return item.labels.some((l) => ctx.bugLabel.test(l));
}

export function isEscapedItem(item: WorkItemRecord, ctx: ResolvedContext): boolean {
  if (item.isEscaped !== undefined) return item.isEscaped;
  if (item.labels.some((l) => ctx.escapedLabel.test(l))) return true;
  if (item.priority !== null && ctx.escapedPriorities.has(item.priority.toLowerCase())) return true;
  return !!(ctx.escapedEnvironment && item.environment && ctx.escapedEnvironment.test(item.environment));
}

function sortedTransitions(item: WorkItemRecord): StatusTransitionRecord[] {
  const ts = item.transitions;
  for (let i = 1; i < ts.length; i++) if (ts[i].at < ts[i - 1].at) return [...ts].sort((a, b) => a.at - b.at);
  return ts;
}

/** Category before any recorded transition. */
function initialCategory(fact: WorkItemFact): StatusCategory {
  return fact.transitions.length > 0 ? (fact.transitions[0].from ?? 'todo') : 'todo';
}

/**
 * Status category of an item at instant `t`, replayed from its history (transitions at or
 * before `t` when `inclusive`, strictly before otherwise). Items with no recorded history
 * fall back to `resolvedAt`.
 */
export function categoryAt(fact: WorkItemFact, t: number, inclusive: boolean): StatusCategory {
  const ts = fact.transitions;
  if (ts.length === 0) {
    const r = fact.item.resolvedAt;
    return r !== null && (inclusive ? r <= t : r < t)
      ? 'done'
      : fact.item.statusCategory === 'in_progress'
        ? 'in_progress'
        : 'todo';
  }
  let state = initialCategory(fact);
  for (const tr of ts) {
    if (inclusive ? tr.at > t : tr.at >= t) break;
    state = tr.to;
  }
  return state;
}

/** Instants the item entered / left the done category, in order. */
function doneEntriesAndExits(fact: WorkItemFact): { entries: number[]; exits: number[] } {
  const entries: number[] = [];
  const exits: number[] = [];
  if (fact.transitions.length === 0) {
    if (fact.item.resolvedAt !== null) entries.push(fact.item.resolvedAt);
    return { entries, exits };
  }
  let done = initialCategory(fact) === 'done';
  for (const tr of fact.transitions) {
    const nowDone = tr.to === 'done';
    if (nowDone && !done) entries.push(tr.at);
    if (!nowDone && done) exits.push(tr.at);
    done = nowDone;
  }
  return { entries, exits };
}

export function buildWorkFacts(records: EngagementRecords, roster: Roster, ctx: ResolvedContext): WorkFacts {
  const out: WorkFacts = {
    items: [],
    byKey: new Map(),
    bugs: [],
    issueCycleTime: new SampleSet(),
    throughput: new SampleSet(),
    storyPoints: new SampleSet(),
    bugsOpened: new SampleSet(),
    bugsResolved: new SampleSet(),
    bugResolutionTime: new SampleSet(),
    escapedBugs: new SampleSet(),
    bugReopen: new SampleSet(),
    bugSla: new SampleSet(),
    issueFirstResponse: new SampleSet(),
    openStarts: new Float64Array(0),
    openEnds: new Float64Array(0),
  };
  const openStarts: number[] = [];
  const openEnds: number[] = [];
  const reopenWindowMs = ctx.rules.reopenWindowDays * DAY_MS;

  for (let idx = 0; idx < records.workItems.length; idx++) {
    const item = records.workItems[idx];
    const fact: WorkItemFact = {
      item,
      transitions: sortedTransitions(item),
      isBug: isBugItem(item, ctx),
      isEscaped: false,
    };
    fact.isEscaped = fact.isBug && isEscapedItem(item, ctx);
    out.items.push(fact);
    out.byKey.set(item.key, fact);
    const resolved = item.resolvedAt;

    // Delivery and issue-response KPIs are about Jira issues (docs/kpis.md); GitHub issues
    // count only as bugs.
    const isJira = item.source === 'jira';
    if (isJira && !item.isSubtask && resolved !== null) {
      const firstInProgress = fact.transitions.find((t) => t.to === 'in_progress');
      if (firstInProgress) out.issueCycleTime.span(resolved, firstInProgress.at, resolved, idx);
      const res = item.resolution?.toLowerCase();
      if (res === undefined || !ctx.notDoneResolutions.has(res)) {
        out.throughput.add(resolved, 1, 1, idx);
        out.storyPoints.add(resolved, item.storyPoints ?? 0, 1, idx);
      }
    }

    const source = item.source === 'jira' ? 'jira' : 'github';
    const reporter = roster.person(source, item.reporterId);
    if (isJira && reporter?.side === 'client') {
      // First comment or status change by a vendor-side person, in vendor business time.
      let first = Infinity;
      for (const c of item.comments) {
        if (c.at < first && roster.person(source, c.authorId)?.side === 'vendor') first = c.at;
      }
      for (const t of fact.transitions) {
        if (t.at < first && roster.person(source, t.authorId)?.side === 'vendor') first = t.at;
      }
      if (first !== Infinity) {
        if (first < item.createdAt) out.issueFirstResponse.drop(first);
        else out.issueFirstResponse.add(first, ctx.vendor.businessSeconds(item.createdAt, first), 1, idx);
      }
    }

    if (!fact.isBug) continue;
    out.bugs.push(fact);
    out.bugsOpened.add(item.createdAt, 1, 1, idx);
    if (fact.isEscaped) out.escapedBugs.add(item.createdAt, 1, 1, idx);
    if (resolved !== null) {
      out.bugsResolved.add(resolved, 1, 1, idx);
      out.bugResolutionTime.span(resolved, item.createdAt, resolved, idx);
      const slaMs = item.priority === null ? undefined : ctx.slaMsByPriority.get(item.priority.toLowerCase());
      if (slaMs !== undefined) {
        if (resolved < item.createdAt) out.bugSla.drop(resolved);
        else
          out.bugSla.add(resolved, ctx.vendor.businessMs(item.createdAt, resolved) <= slaMs ? 1 : 0, 1, idx);
      }
    }

    const { entries, exits: leftDone } = doneEntriesAndExits(fact);
    // The source's own reopen instants win (Jira: resolution cleared after being set);
    // without them, leaving the done category is the reopen.
    const exits = item.reopenedAt ? [...item.reopenedAt].sort((a, b) => a - b) : leftDone;
    for (const entry of entries) {
      const exit = exits.find((x) => x >= entry);
      const reopened = exit !== undefined && exit - entry <= reopenWindowMs ? 1 : 0;
      out.bugReopen.add(entry, reopened, 1, idx);
    }

    // Open intervals: from creation while not done, then from each exit to the next entry.
    // Empty or inverted intervals (clock skew) are skipped: such a bug is never open.
    const pushOpen = (from: number, to: number): void => {
      if (to <= from) return;
      openStarts.push(from);
      openEnds.push(to);
    };
    if (fact.transitions.length === 0) {
      pushOpen(item.createdAt, resolved ?? Infinity);
      continue;
    }
    let done = initialCategory(fact) === 'done';
    let openFrom: number | null = done ? null : item.createdAt;
    for (const tr of fact.transitions) {
      const nowDone = tr.to === 'done';
      if (nowDone && !done && openFrom !== null) {
        pushOpen(openFrom, tr.at);
        openFrom = null;
      } else if (!nowDone && done) {
        openFrom = Math.max(tr.at, item.createdAt);
      }
      done = nowDone;
    }
    if (openFrom !== null) pushOpen(openFrom, Infinity);
  }

  for (const set of Object.values(out)) if (set instanceof SampleSet) set.finish();
  out.openStarts = Float64Array.from(openStarts).sort();
  out.openEnds = Float64Array.from(openEnds).sort();
  return out;
}
