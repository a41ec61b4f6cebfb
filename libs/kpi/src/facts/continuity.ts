import { type EngagementRecords } from '@pulse/contracts';
import { type Roster } from '../people';
import { SampleSet, lowerBound } from '../samples';

const DAY_MS = 86_400_000;
const LEAVE_SUBTYPES = new Set(['channel_leave', 'group_leave']);

export interface ContinuityFacts {
  /** Per vendor person: sorted instants of retention activity (merged PR, review, resolved issue). */
  activity: Map<string, Float64Array>;
  /** Vendor merged PRs sorted by merge time: when, who, lines changed. */
  mergedAt: Float64Array;
  mergedAuthor: string[];
  mergedLines: Float64Array;
  /** First activity (PR opened, review, resolved issue) of each vendor person, as count samples. */
  firstActivity: SampleSet;
  /** Vendor person ids; `firstActivity` sample items index this list. */
  people: string[];
  /**
   * Per vendor person: sorted instants of departure activity — merged PRs, reviews,
   * resolved issues and chat messages (docs/kpis.md `continuity.contributor_departures`).
   */
  departureActivity: Map<string, Float64Array>;
  /** Per vendor person: sorted instants they left a monitored channel. */
  channelLeaves: Map<string, Float64Array>;
  /** Vendor people removed from the roster (tombstones): when they left it. */
  leftRoster: Map<string, number>;
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
  const departure = new Map<string, number[]>();
  for (const [id, ts] of activity) departure.set(id, [...ts]);
  const leaves = new Map<string, number[]>();
  for (const m of records.chatMessages) {
    if (m.botId !== null || m.authorId === null) continue;
    const who = roster.slack(m.authorId);
    if (who === undefined || who === 'bot' || who.side !== 'vendor') continue;
    // Plain messages (and thread replies also sent to the channel) are activity; a leave is
    // a leave; joins, topic changes and other system subtypes are neither.
    const isLeave = m.subtype !== null && LEAVE_SUBTYPES.has(m.subtype);
    if (!isLeave && m.subtype !== null && m.subtype !== 'thread_broadcast') continue;
    const target = isLeave ? leaves : departure;
    let list = target.get(who.id);
    if (!list) target.set(who.id, (list = []));
    list.push(m.at);
  }
  merged.sort((a, b) => a.at - b.at);
  const firstActivity = new SampleSet();
  const people = [...first.keys()];
  people.forEach((id, i) => firstActivity.add(first.get(id) ?? 0, 1, 1, i));
  const leftRoster = new Map<string, number>();
  for (const person of records.people) {
    if (!person.isBot && person.side === 'vendor' && person.leftAt != null)
      leftRoster.set(person.id, person.leftAt);
  }
  const sorted = (m: Map<string, number[]>) =>
    new Map([...m].map(([id, ts]) => [id, Float64Array.from(ts).sort()]));
  return {
    people,
    departureActivity: sorted(departure),
    channelLeaves: sorted(leaves),
    leftRoster,
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

/** Instants in `[from, to)` of a sorted array. */
export function countIn(times: Float64Array, from: number, to: number): number {
  return lowerBound(times, to) - lowerBound(times, from);
}

/** One vendor person as `continuity.contributor_departures` sees them at one instant. */
export interface DepartureCheck {
  personId: string;
  /** Weeks with any activity among the 12 weeks before the last 4. */
  activeWeeks: number;
  /** Their weekly average activity over those 12 weeks. */
  weeklyBefore: number;
  /** Activity in the last 4 weeks. */
  recent: number;
  /** When they left a monitored channel in the last 4 weeks, or null. */
  leftChannelAt: number | null;
  /** When they were removed from the roster, in the last 4 weeks, or null. */
  leftRosterAt: number | null;
  lastActiveAt: number | null;
  departed: boolean;
}

export const DEPARTURE_RECENT_DAYS = 28;
export const DEPARTURE_BEFORE_WEEKS = 12;
export const DEPARTURE_MIN_ACTIVE_WEEKS = 4;
export const DEPARTURE_SHARE = 0.25;

/**
 * The regular vendor contributors at instant `e` (≥ 4 active weeks in the 12 weeks before
 * the last 4) and whether each departed: activity in the last 4 weeks below 25 % of their
 * earlier weekly average (i.e. recent / 4 < 0.25 · before / 12), or left a monitored
 * channel in the last 4 weeks. Weeks are 7 × 24 h steps back from `e`.
 *
 * People removed from the roster (`leftAt`) are counted once: when `leftAt` falls in the
 * last 4 weeks `[e − 28 d, e)` and they had any activity in the 12 weeks before, they are a
 * departure (one check, whatever their activity or channels say, even with fewer than 4
 * active weeks). Once `leftAt` is older than the last 4 weeks they are left out entirely,
 * so their faded activity is never counted again as an activity drop in later values.
 * Before `leftAt` they are an ordinary roster person.
 */
export function departureChecks(facts: ContinuityFacts, e: number): DepartureCheck[] {
  const recentStart = e - DEPARTURE_RECENT_DAYS * DAY_MS;
  const out: DepartureCheck[] = [];
  for (const [personId, times] of facts.departureActivity) {
    const leftAt = facts.leftRoster.get(personId);
    if (leftAt !== undefined && leftAt < recentStart) continue;
    const leftRosterAt = leftAt !== undefined && leftAt < e ? leftAt : null;
    let activeWeeks = 0;
    let before = 0;
    for (let w = 0; w < DEPARTURE_BEFORE_WEEKS; w++) {
      const to = recentStart - w * 7 * DAY_MS;
      const c = countIn(times, to - 7 * DAY_MS, to);
      before += c;
      if (c > 0) activeWeeks++;
    }
    const regular = activeWeeks >= DEPARTURE_MIN_ACTIVE_WEEKS;
    if (!regular && !(leftRosterAt !== null && activeWeeks > 0)) continue;
    const recent = countIn(times, recentStart, e);
    const weeklyBefore = before / DEPARTURE_BEFORE_WEEKS;
    const leaves = facts.channelLeaves.get(personId);
    let leftChannelAt: number | null = null;
    if (leaves) {
      const i = lowerBound(leaves, recentStart);
      if (i < leaves.length && leaves[i] < e) leftChannelAt = leaves[i];
    }
    const last = lowerBound(times, e) - 1;
    out.push({
      personId,
      activeWeeks,
      weeklyBefore,
      recent,
      leftChannelAt,
      leftRosterAt,
      lastActiveAt: last >= 0 ? times[last] : null,
      departed:
        leftRosterAt !== null || recent / 4 < DEPARTURE_SHARE * weeklyBefore || leftChannelAt !== null,
    });
  }
  return out;
}
