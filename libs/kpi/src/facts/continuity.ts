import { type EngagementRecords } from '@pulse/contracts';
import { type Roster } from '../people';
import { SampleSet, lowerBound } from '../samples';

export interface ContinuityFacts {
  /** Per vendor person: sorted instants of retention activity (merged PR, review, resolved issue). */
  activity: Map<string, Float64Array>;
  /** Vendor merged PRs sorted by merge time: when, who, lines changed. */
  mergedAt: Float64Array;
  mergedAuthor: string[];
  mergedLines: Float64Array;
  /** First activity (PR opened, review, resolved issue) of each vendor person, as count samples. */
  firstActivity: SampleSet;
}

/**
 * Vendor activity from the roster's point of view: people not on the roster (and bots)
 * are not vendor people and take no part in continuity.
 */
export function buildContinuityFacts(records: EngagementRecords, roster: Roster): ContinuityFacts {
  const activity = new Map<string, number[]>();
  const first = new Map<string, number>();
  const note = (personId: string, t: number, retention: boolean): void => {
    if (retention) {
      let list = activity.get(personId);
      if (!list) activity.set(personId, (list = []));
      list.push(t);
    }
    const f = first.get(personId);
    if (f === undefined || t < f) first.set(personId, t);
  };
  const merged: { at: number; author: string; lines: number }[] = [];
  for (const pr of records.pullRequests) {
    if (pr.authorIsBot) continue;
    const p = roster.person('github', pr.authorLogin);
    if (p?.side !== 'vendor') continue;
    note(p.id, pr.createdAt, false);
    if (pr.mergedAt !== null) {
      note(p.id, pr.mergedAt, true);
      merged.push({ at: pr.mergedAt, author: p.id, lines: pr.additions + pr.deletions });
    }
  }
  for (const r of records.reviews) {
    if (r.reviewerIsBot || r.state === 'pending') continue;
    const p = roster.person('github', r.reviewerLogin);
    if (p?.side === 'vendor') note(p.id, r.submittedAt, true);
  }
  for (const item of records.workItems) {
    if (item.resolvedAt === null) continue;
    const p = roster.person(item.source === 'jira' ? 'jira' : 'github', item.assigneeId);
    if (p?.side === 'vendor') note(p.id, item.resolvedAt, true);
  }
  merged.sort((a, b) => a.at - b.at);
  const firstActivity = new SampleSet();
  for (const t of first.values()) firstActivity.add(t);
  return {
    activity: new Map([...activity].map(([id, ts]) => [id, Float64Array.from(ts).sort()])),
    mergedAt: Float64Array.from(merged, (m) => m.at),
    mergedAuthor: merged.map((m) => m.author),
    mergedLines: Float64Array.from(merged, (m) => m.lines),
    firstActivity: firstActivity.finish(),
  };
}

/** True when the sorted instants contain one in `[from, to)`. */
export function activeIn(times: Float64Array, from: number, to: number): boolean {
  const i = lowerBound(times, from);
  return i < times.length && times[i] < to;
}

/**
 * Bus factor over merged PRs `[lo, hi)`: the fewest vendor authors whose lines changed
 * reach half of all vendor lines changed. null when no lines changed.
 */
export function busFactor(
  facts: ContinuityFacts,
  lo: number,
  hi: number,
): { value: number | null; n: number } {
  const byAuthor = new Map<string, number>();
  let total = 0;
  for (let i = lo; i < hi; i++) {
    const lines = facts.mergedLines[i];
    byAuthor.set(facts.mergedAuthor[i], (byAuthor.get(facts.mergedAuthor[i]) ?? 0) + lines);
    total += lines;
  }
  if (total <= 0) return { value: null, n: byAuthor.size };
  const sorted = [...byAuthor.values()].sort((a, b) => b - a);
  let acc = 0;
  let k = 0;
  while (acc * 2 < total) acc += sorted[k++];
  return { value: k, n: byAuthor.size };
}
