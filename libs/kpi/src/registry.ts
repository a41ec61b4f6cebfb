import {
  KPI_DEFINITIONS,
  type EngagementRecords,
  type KpiDefinitionMeta,
  type KpiKey,
  type KpiResult,
} from '@pulse/contracts';
import { type EngagementContext } from './context';
import { isUnansweredAt } from './facts/chat';
import { activeIn, busFactor, departureChecks } from './facts/continuity';
import { type CoverageSnapshot, branchRate, lineRate, snapshotAt, snapshotsAt } from './facts/coverage';
import { categoryAt } from './facts/work-items';
import { type Prepared, prepare } from './prepare';
import {
  type Aggregation,
  type SampleSet,
  evaluateScan,
  evaluateSorted,
  lowerBound,
  upperBound,
} from './samples';
import { type Bucket, minusDays } from './time/buckets';

/** `scan`: the single-bucket path (plain scans). `sorted`: the batch path (index look-ups). */
export type EvaluationMode = 'scan' | 'sorted';

/** A KPI of docs/kpis.md: its metadata plus how to compute it. */
export interface KpiDefinition extends KpiDefinitionMeta {
  /** Computes the KPI for one bucket. Pure: same records, bucket and context → same result. */
  compute(records: EngagementRecords, bucket: Bucket, context: EngagementContext): KpiResult;
  /** Evaluates against prepared facts (used by `compute` and `computeSeries`). */
  evaluate(p: Prepared, bucket: Bucket, mode: EvaluationMode): KpiResult;
  /** Optional faster path for many buckets at once. */
  evaluateMany?(p: Prepared, buckets: readonly Bucket[]): KpiResult[];
}

type Impl = Pick<KpiDefinition, 'evaluate' | 'evaluateMany'>;

const HOUR = 3600;
const DAY = 86_400;
const MINUTE = 60;
const NO_DATA: KpiResult = { value: null, n: 0, dropped: 0 };

const event =
  (pick: (p: Prepared) => SampleSet, agg: Aggregation, scale = 1): Impl['evaluate'] =>
  (p, bucket, mode) =>
    (mode === 'scan' ? evaluateScan : evaluateSorted)(pick(p), bucket, agg, scale);

/** State "at the end of the bucket" is taken at `min(end, now)`: never in the future. */
export const asOf = (p: Prepared, bucket: Bucket): number => Math.min(bucket.end, p.ctx.now);

// ---- quality.open_bugs ------------------------------------------------------------------

/**
 * Bugs not in the done category at bucket end (`min(end, now)`), replayed from each bug's
 * status history: a bug resolved in week 3 and reopened in week 5 is open at the end of
 * week 2, closed at the end of weeks 3–4, open again at the end of week 5 — whatever its
 * status today.
 */
const openBugs: Impl['evaluate'] = (p, bucket, mode) => {
  const e = asOf(p, bucket);
  const w = p.work;
  let count = 0;
  if (mode === 'sorted') {
    count = lowerBound(w.openStarts, e) - lowerBound(w.openEnds, e);
  } else {
    for (const bug of w.bugs) if (bug.item.createdAt < e && categoryAt(bug, e, false) !== 'done') count++;
  }
  return { value: count, n: count, dropped: 0 };
};

// ---- responsiveness.unanswered_requests -------------------------------------------------

/**
 * Client requests with no vendor response before bucket end (`min(end, now)`) that are
 * older than 1 business day of the vendor calendar at that moment. Requests older than
 * `unansweredMaxAgeDays` (default 28 calendar days) are history and no longer counted.
 */
const unanswered: Impl['evaluate'] = (p, bucket, mode) => {
  const e = asOf(p, bucket);
  const d = p.chat.clientRequests;
  let count = 0;
  if (mode === 'sorted') {
    count = upperBound(d.unansweredFrom, e) - lowerBound(d.unansweredUntil, e);
  } else {
    for (const r of d.requests) if (isUnansweredAt(r, e, p.ctx.vendor, p.ctx)) count++;
  }
  return { value: count, n: count, dropped: 0 };
};

// ---- coverage ---------------------------------------------------------------------------

type CoverageValue = (start: CoverageSnapshot, end: CoverageSnapshot) => KpiResult;

const coverageLine: CoverageValue = (_s, e) => ({ value: lineRate(e), n: e.repos, dropped: 0 });
const coverageBranch: CoverageValue = (_s, e) => {
  const value = branchRate(e);
  return { value, n: value === null ? 0 : e.branchRepos, dropped: 0 };
};
/**
 * Percentage points: line coverage at bucket end minus 28 days earlier (for weeks and the
 * trailing window alike, so one threshold fits both); a gap if either is.
 */
const coverageDelta: CoverageValue = (s, e) => {
  const a = lineRate(s);
  const b = lineRate(e);
  return { value: a === null || b === null ? null : b - a, n: e.repos, dropped: 0 };
};

/** The instant a coverage value compares against: 28 days before the value's instant. */
export const COVERAGE_DELTA_DAYS = 28;
export const coverageFrom = (p: Prepared, bucket: Bucket): number =>
  minusDays(asOf(p, bucket), COVERAGE_DELTA_DAYS, p.ctx.reportingZone);

const coverage = (value: CoverageValue): Impl => ({
  evaluate: (p, bucket) =>
    value(snapshotAt(p.coverage, coverageFrom(p, bucket)), snapshotAt(p.coverage, asOf(p, bucket))),
  evaluateMany: (p, buckets) => {
    const snaps = snapshotsAt(
      p.coverage,
      buckets.flatMap((b) => [coverageFrom(p, b), asOf(p, b)]),
    );
    const snap = (t: number): CoverageSnapshot => {
      const found = snaps.get(t);
      if (!found) throw new Error(`coverage snapshot missing for ${t}`); // cannot happen: every instant was asked for
      return found;
    };
    return buckets.map((b) => value(snap(coverageFrom(p, b)), snap(asOf(p, b))));
  },
});

// ---- continuity -------------------------------------------------------------------------

/**
 * Of vendor people active (merged PR, review, resolved issue) in the 90 days before the
 * bucket's 90-day window, the share also active inside the window (ending at `min(end, now)`).
 */
const retention: Impl['evaluate'] = (p, bucket, mode) => {
  const e = asOf(p, bucket);
  const days = p.ctx.rules.continuityWindowDays;
  const windowStart = minusDays(e, days, p.ctx.reportingZone);
  const priorStart = minusDays(e, 2 * days, p.ctx.reportingZone);
  const any =
    mode === 'sorted'
      ? activeIn
      : (ts: Float64Array, a: number, b: number): boolean => ts.some((t) => t >= a && t < b);
  let prior = 0;
  let kept = 0;
  for (const times of p.continuity.activity.values()) {
    if (!any(times, priorStart, windowStart)) continue;
    prior++;
    if (any(times, windowStart, e)) kept++;
  }
  return { value: prior === 0 ? null : (100 * kept) / prior, n: prior, dropped: 0 };
};

const knowledge: Impl['evaluate'] = (p, bucket, mode) => {
  const e = asOf(p, bucket);
  const from = minusDays(e, p.ctx.rules.continuityWindowDays, p.ctx.reportingZone);
  const c = p.continuity;
  let lo: number;
  let hi: number;
  if (mode === 'sorted') {
    lo = lowerBound(c.mergedAt, from);
    hi = lowerBound(c.mergedAt, e);
  } else {
    lo = c.mergedAt.findIndex((t) => t >= from);
    if (lo < 0) lo = c.mergedAt.length;
    hi = lo;
    while (hi < c.mergedAt.length && c.mergedAt[hi] < e) hi++;
  }
  return { ...busFactor(c, lo, hi), dropped: 0 };
};

/** Regular vendor contributors whose activity collapsed or who left (see `departureChecks`). */
const departures: Impl['evaluate'] = (p, bucket) => {
  const checks = departureChecks(p.continuity, asOf(p, bucket));
  return { value: checks.filter((c) => c.departed).length, n: checks.length, dropped: 0 };
};

// ---- delivery.vendor_activity -----------------------------------------------------------

/**
 * Vendor merged PRs + issues resolved by a vendor assignee + client requests answered by
 * the vendor in the bucket. Zero in the trailing window, with the sources fresh, is
 * "quiet" (docs/kpis.md honest status): the engagement cannot be green.
 */
const vendorActivity: Impl['evaluate'] = (p, bucket) => {
  const inB = (t: number | null): boolean => t !== null && t >= bucket.start && t < bucket.end;
  let n = 0;
  for (const f of p.prs.facts) if (f.authorSide === 'vendor' && inB(f.pr.mergedAt)) n++;
  for (const w of p.work.items) {
    if (!inB(w.item.resolvedAt)) continue;
    const source = w.item.source === 'jira' ? 'jira' : 'github';
    if (p.roster.person(source, w.item.assigneeId)?.side === 'vendor') n++;
  }
  for (const r of p.chat.clientRequests.requests) if (inB(r.answeredAt)) n++;
  return { value: n, n, dropped: 0 };
};

// ---- delivery.deploy_frequency ----------------------------------------------------------

/**
 * Distinct calendar days (reporting zone) with a production deployment, per 7 days of
 * bucket length. A gap only when the engagement has no deployment data at all; a week
 * without deployments is 0.
 */
const deployFrequency: Impl['evaluate'] = (p, bucket, mode) => {
  if (!p.deploys.hasData) return NO_DATA;
  return event((q) => q.deploys.deployDays, 'distinctPerWeek')(p, bucket, mode);
};

// ---- the registry -----------------------------------------------------------------------

const IMPLEMENTATIONS: Record<KpiKey, Impl> = {
  'delivery.pr_cycle_time': { evaluate: event((p) => p.prs.cycleTime, 'median', HOUR) },
  'delivery.pr_coding_time': { evaluate: event((p) => p.prs.codingTime, 'median', HOUR) },
  'delivery.pr_pickup_time': { evaluate: event((p) => p.prs.pickupTime, 'median', HOUR) },
  'delivery.pr_review_time': { evaluate: event((p) => p.prs.reviewTime, 'median', HOUR) },
  'delivery.prs_merged': { evaluate: event((p) => p.prs.merged, 'count') },
  'delivery.issue_cycle_time': { evaluate: event((p) => p.work.issueCycleTime, 'median', DAY) },
  'delivery.throughput': { evaluate: event((p) => p.work.throughput, 'count') },
  'delivery.story_points': { evaluate: event((p) => p.work.storyPoints, 'sum') },
  'delivery.deploy_frequency': { evaluate: deployFrequency },
  'delivery.lead_time_for_changes': { evaluate: event((p) => p.deploys.leadTime, 'median', HOUR) },
  'quality.bugs_opened': { evaluate: event((p) => p.work.bugsOpened, 'count') },
  'quality.bugs_resolved': { evaluate: event((p) => p.work.bugsResolved, 'count') },
  'quality.open_bugs': { evaluate: openBugs },
  'quality.bug_resolution_time': { evaluate: event((p) => p.work.bugResolutionTime, 'median', DAY) },
  'quality.escaped_bugs': { evaluate: event((p) => p.work.escapedBugs, 'count') },
  'quality.bug_reopen_rate': { evaluate: event((p) => p.work.bugReopen, 'ratioFirstPerItem') },
  'quality.bug_sla_compliance': { evaluate: event((p) => p.work.bugSla, 'ratio') },
  'quality.merged_without_review': { evaluate: event((p) => p.prs.mergedWithoutReview, 'count') },
  'coverage.line': coverage(coverageLine),
  'coverage.branch': coverage(coverageBranch),
  'coverage.delta': coverage(coverageDelta),
  'responsiveness.chat_first_response': {
    evaluate: event((p) => p.chat.clientRequests.firstResponse, 'median', MINUTE),
  },
  'responsiveness.chat_first_response_p90': {
    evaluate: event((p) => p.chat.clientRequests.firstResponse, 'p90', MINUTE),
  },
  'responsiveness.unanswered_requests': { evaluate: unanswered },
  'responsiveness.client_chat_first_response': {
    evaluate: event((p) => p.chat.vendorRequests.firstResponse, 'median', MINUTE),
  },
  'responsiveness.pr_first_review_vendor': {
    evaluate: event((p) => p.prs.firstReviewByVendor, 'median', HOUR),
  },
  'responsiveness.pr_first_review_client': {
    evaluate: event((p) => p.prs.firstReviewByClient, 'median', HOUR),
  },
  'responsiveness.issue_first_response': {
    evaluate: event((p) => p.work.issueFirstResponse, 'median', HOUR),
  },
  'continuity.contributor_retention': { evaluate: retention },
  'continuity.knowledge_concentration': { evaluate: knowledge },
  'continuity.new_contributors': { evaluate: event((p) => p.continuity.firstActivity, 'count') },
  'continuity.contributor_departures': { evaluate: departures },
  'delivery.vendor_activity': { evaluate: vendorActivity },
  'scope.sprint_scope_change': { evaluate: event((p) => p.sprints.scopeChange, 'ratio') },
  'scope.sprint_completion': { evaluate: event((p) => p.sprints.completion, 'ratio') },
};

/** Every KPI of docs/kpis.md, in catalogue order. */
export const KPI_REGISTRY: readonly KpiDefinition[] = KPI_DEFINITIONS.map((meta) => {
  const impl = IMPLEMENTATIONS[meta.key];
  return {
    ...meta,
    ...impl,
    compute: (records, bucket, context) => impl.evaluate(prepare(records, context), bucket, 'scan'),
  };
});

const BY_KEY = new Map(KPI_REGISTRY.map((d) => [d.key, d]));

export function getKpi(key: KpiKey): KpiDefinition {
  const d = BY_KEY.get(key);
  if (!d) throw new Error(`unknown KPI key ${key}`);
  return d;
}

/** One KPI for one bucket (the single-bucket path). */
export function computeKpi(
  key: KpiKey,
  records: EngagementRecords,
  bucket: Bucket,
  context: EngagementContext,
): KpiResult {
  return getKpi(key).compute(records, bucket, context);
}
