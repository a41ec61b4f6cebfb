// KPI keys, families, units, default thresholds and result shapes shared by the engine,
// the API, the rollup and the dashboard. Metadata only — the compute functions live in
// `@pulse/kpi`. docs/kpis.md is generated from this catalogue (`bash scripts/kpis-doc.sh`);
// a unit test fails when the committed page is stale.

export const KPI_FAMILIES = [
  'delivery',
  'quality',
  'coverage',
  'responsiveness',
  'continuity',
  'scope',
] as const;
export type KpiFamily = (typeof KPI_FAMILIES)[number];

export const KPI_KEYS = [
  'delivery.pr_cycle_time',
  'delivery.pr_coding_time',
  'delivery.pr_pickup_time',
  'delivery.pr_review_time',
  'delivery.prs_merged',
  'delivery.issue_cycle_time',
  'delivery.throughput',
  'delivery.story_points',
  'delivery.deploy_frequency',
  'delivery.lead_time_for_changes',
  'delivery.vendor_activity',
  'quality.bugs_opened',
  'quality.bugs_resolved',
  'quality.open_bugs',
  'quality.bug_resolution_time',
  'quality.escaped_bugs',
  'quality.bug_reopen_rate',
  'quality.bug_sla_compliance',
  'quality.merged_without_review',
  'coverage.line',
  'coverage.branch',
  'coverage.delta',
  'responsiveness.chat_first_response',
  'responsiveness.chat_first_response_p90',
  'responsiveness.unanswered_requests',
  'responsiveness.client_chat_first_response',
  'responsiveness.pr_first_review_vendor',
  'responsiveness.pr_first_review_client',
  'responsiveness.issue_first_response',
  'continuity.contributor_retention',
  'continuity.knowledge_concentration',
  'continuity.new_contributors',
  'continuity.contributor_departures',
  'scope.sprint_scope_change',
  'scope.sprint_completion',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/**
 * Unit of a KPI value as stored in `kpi_values.value`.
 * Percentages are 0–100 (not 0–1); `pp` = percentage points.
 */
export type KpiUnit =
  'hours' | 'days' | 'minutes' | 'count' | 'points' | 'days_per_week' | 'percent' | 'pp' | 'people';

/** Which way is better. `none` = context only, never scored. */
export type KpiDirection = 'lower' | 'higher' | 'none';

/**
 * Where a KPI's data comes from. `coverage` is any coverage sample (uploaded by CI or found
 * on GitHub); the others are the engagement's connections. A KPI whose sources have not
 * delivered data is a gap (value null, n 0), counts included.
 */
export const KPI_SOURCES = ['github', 'jira', 'slack', 'coverage'] as const;
export type KpiSource = (typeof KPI_SOURCES)[number];

/** How a KPI aggregates its samples; decides its default minimum sample (see `minN`). */
export type KpiAggregationKind = 'median' | 'percentile' | 'rate' | 'count' | 'sum' | 'state';

/** A warn/breach pair in the KPI's unit; `null` = no threshold (never scored). */
export interface KpiThreshold {
  warn: number;
  breach: number;
}

export interface KpiDefinitionMeta {
  key: KpiKey;
  family: KpiFamily;
  unit: KpiUnit;
  /** Short label for tiles and the digest. */
  label: string;
  direction: KpiDirection;
  /** True when the value is measured in business time (a working calendar). */
  businessTime: boolean;
  /** True for counts: an empty bucket is 0, not a gap. */
  isCount: boolean;
  /** The definition sentence from docs/kpis.md. */
  description: string;
  /** Default thresholds a new engagement starts with (docs/kpis.md table), or null. */
  defaultThreshold: KpiThreshold | null;
  /**
   * Sources the value is computed from. With several, the KPI has data when any of them
   * delivered (e.g. bugs from Jira or GitHub issues); see `sourcesMode`.
   */
  sources: KpiSource[];
  /** `any`: one delivering source is enough; `all`: every source must have delivered. */
  sourcesMode: 'any' | 'all';
  aggregation: KpiAggregationKind;
  /**
   * Minimum sample before the value is rated or scored (medians and percentiles n ≥ 3,
   * rates a denominator ≥ 5, others 1 or 0). Below it the status is `low_sample`.
   * Adjustable per engagement with the threshold.
   */
  minN: number;
  /**
   * Days of history one value looks at, ending at the bucket's end, when that differs from
   * the bucket itself (continuity: 90; coverage delta: 28; departures: 112). null = the
   * bucket (a week, or the trailing 28 days).
   */
  lookbackDays: number | null;
  /** What `n` counts, for people: "PRs", "bugs", "repos", "requests", "people"… */
  nLabel: string;
  /** Whether the API can list the items behind a value (the drill-down). */
  drillDown: boolean;
}

interface KpiDataSpec {
  sources: KpiSource[];
  sourcesMode?: 'any' | 'all';
  aggregation: KpiAggregationKind;
  nLabel: string;
  lookbackDays?: number;
  drillDown?: boolean;
  /** Overrides the aggregation's default minimum sample. */
  minN?: number;
}

const GH: KpiSource[] = ['github'];
const JIRA: KpiSource[] = ['jira'];
const SLACK: KpiSource[] = ['slack'];
const BUGS: KpiSource[] = ['jira', 'github'];
/** Continuity activity: merged PRs, reviews, resolved issues (and chat for departures). */
const ACTIVITY: KpiSource[] = ['github', 'jira'];

/** Where each KPI's data comes from, how it aggregates, and what its n counts. */
const KPI_DATA: Record<KpiKey, KpiDataSpec> = {
  'delivery.pr_cycle_time': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'delivery.pr_coding_time': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'delivery.pr_pickup_time': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'delivery.pr_review_time': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'delivery.prs_merged': { sources: GH, aggregation: 'count', nLabel: 'PRs' },
  'delivery.issue_cycle_time': { sources: JIRA, aggregation: 'median', nLabel: 'issues' },
  'delivery.throughput': { sources: JIRA, aggregation: 'count', nLabel: 'issues' },
  'delivery.story_points': { sources: JIRA, aggregation: 'sum', nLabel: 'issues' },
  'delivery.deploy_frequency': { sources: GH, aggregation: 'count', nLabel: 'deploy days' },
  'delivery.lead_time_for_changes': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'delivery.vendor_activity': {
    sources: ['github', 'jira', 'slack'],
    aggregation: 'count',
    nLabel: 'items',
    drillDown: false,
  },
  'quality.bugs_opened': { sources: BUGS, aggregation: 'count', nLabel: 'bugs' },
  'quality.bugs_resolved': { sources: BUGS, aggregation: 'count', nLabel: 'bugs' },
  'quality.open_bugs': { sources: BUGS, aggregation: 'state', nLabel: 'bugs' },
  'quality.bug_resolution_time': { sources: BUGS, aggregation: 'median', nLabel: 'bugs' },
  'quality.escaped_bugs': { sources: BUGS, aggregation: 'count', nLabel: 'bugs' },
  'quality.bug_reopen_rate': { sources: BUGS, aggregation: 'rate', nLabel: 'bugs' },
  'quality.bug_sla_compliance': { sources: BUGS, aggregation: 'rate', nLabel: 'bugs' },
  'quality.merged_without_review': { sources: GH, aggregation: 'count', nLabel: 'PRs' },
  'coverage.line': { sources: ['coverage'], aggregation: 'state', nLabel: 'repos' },
  'coverage.branch': { sources: ['coverage'], aggregation: 'state', nLabel: 'repos' },
  'coverage.delta': { sources: ['coverage'], aggregation: 'state', nLabel: 'repos', lookbackDays: 28 },
  'responsiveness.chat_first_response': { sources: SLACK, aggregation: 'median', nLabel: 'requests' },
  'responsiveness.chat_first_response_p90': {
    sources: SLACK,
    aggregation: 'percentile',
    nLabel: 'requests',
  },
  'responsiveness.unanswered_requests': { sources: SLACK, aggregation: 'state', nLabel: 'requests' },
  'responsiveness.client_chat_first_response': {
    sources: SLACK,
    aggregation: 'median',
    nLabel: 'requests',
  },
  'responsiveness.pr_first_review_vendor': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'responsiveness.pr_first_review_client': { sources: GH, aggregation: 'median', nLabel: 'PRs' },
  'responsiveness.issue_first_response': { sources: JIRA, aggregation: 'median', nLabel: 'issues' },
  // A vendor team is rarely 5 people: a share of 3 or more people is rated.
  'continuity.contributor_retention': {
    sources: ACTIVITY,
    aggregation: 'rate',
    nLabel: 'people',
    lookbackDays: 180,
    minN: 3,
  },
  'continuity.knowledge_concentration': {
    sources: GH,
    aggregation: 'state',
    nLabel: 'authors',
    lookbackDays: 90,
  },
  'continuity.new_contributors': { sources: ACTIVITY, aggregation: 'count', nLabel: 'people' },
  'continuity.contributor_departures': {
    sources: ['github', 'jira', 'slack'],
    aggregation: 'state',
    nLabel: 'people',
    lookbackDays: 112,
  },
  // A sprint is a big sample (its issues): one closed sprint is enough to rate.
  'scope.sprint_scope_change': { sources: JIRA, aggregation: 'rate', nLabel: 'sprints', minN: 1 },
  'scope.sprint_completion': { sources: JIRA, aggregation: 'rate', nLabel: 'sprints', minN: 1 },
};

/**
 * Default minimum sample per aggregation: a median of 1–2 items or a rate over fewer than
 * 5 is noise, not a signal. Counts and states are facts at any size.
 */
export const DEFAULT_MIN_N: Record<KpiAggregationKind, number> = {
  median: 3,
  percentile: 3,
  rate: 5,
  count: 0,
  sum: 0,
  state: 0,
};

const def = (
  key: KpiKey,
  label: string,
  unit: KpiUnit,
  direction: KpiDirection,
  description: string,
  defaultThreshold: KpiThreshold | null = null,
  businessTime = false,
): KpiDefinitionMeta => {
  const data = KPI_DATA[key];
  return {
    key,
    family: key.slice(0, key.indexOf('.')) as KpiFamily,
    unit,
    label,
    direction,
    businessTime,
    isCount: unit === 'count',
    description,
    defaultThreshold,
    sources: data.sources,
    sourcesMode: data.sourcesMode ?? 'any',
    aggregation: data.aggregation,
    minN: data.minN ?? DEFAULT_MIN_N[data.aggregation],
    lookbackDays: data.lookbackDays ?? null,
    nLabel: data.nLabel,
    drillDown: data.drillDown ?? true,
  };
};

/** All KPIs of docs/kpis.md, in catalogue order. */
export const KPI_DEFINITIONS: readonly KpiDefinitionMeta[] = [
  // Delivery speed
  def(
    'delivery.pr_cycle_time',
    'PR cycle time',
    'hours',
    'lower',
    'Median over PRs merged in the bucket of merged_at − start, where start = min(first commit authored_at, created_at). PRs by bots excluded.',
    { warn: 72, breach: 168 },
  ),
  def(
    'delivery.pr_coding_time',
    'PR coding time',
    'hours',
    'lower',
    'Median of created_at − first commit authored_at (dropped when negative).',
  ),
  def(
    'delivery.pr_pickup_time',
    'PR pickup time',
    'hours',
    'lower',
    'Median of first_review_at − ready_at; ready_at = last ready_for_review event, else created_at; first_review_at = first review or review comment by a non-author non-bot person. PRs merged with no review are excluded here.',
    { warn: 24, breach: 48 },
  ),
  def(
    'delivery.pr_review_time',
    'PR review time',
    'hours',
    'lower',
    'Median of merged_at − first_review_at.',
  ),
  def('delivery.prs_merged', 'PRs merged', 'count', 'higher', 'PRs merged in the bucket (non-bot authors).'),
  def(
    'delivery.issue_cycle_time',
    'Issue cycle time',
    'days',
    'lower',
    'Median over Jira issues (sub-tasks excluded) resolved in the bucket of resolved_at − first transition into a status of category "In Progress". Issues that never entered "In Progress" are excluded.',
    { warn: 7, breach: 14 },
  ),
  def(
    'delivery.throughput',
    'Throughput',
    'count',
    'higher',
    'Jira issues (sub-tasks excluded) resolved in the bucket with a resolution that counts as done (not "Won\'t Do", "Duplicate", "Cannot Reproduce").',
  ),
  def(
    'delivery.story_points',
    'Story points',
    'points',
    'higher',
    'Sum of story points of the issues counted in delivery.throughput.',
  ),
  def(
    'delivery.deploy_frequency',
    'Deploy frequency',
    'days_per_week',
    'higher',
    'Number of distinct calendar days in the bucket with at least one successful production deployment (or, with no production environment configured, published non-draft non-prerelease releases).',
    { warn: 1, breach: 0.25 },
  ),
  def(
    'delivery.lead_time_for_changes',
    'Lead time for changes',
    'hours',
    'lower',
    'Median over PRs whose first successful production deployment finished in the bucket of deployed_at − start (as in pr_cycle_time).',
  ),
  def(
    'delivery.vendor_activity',
    'Vendor activity',
    'count',
    'none',
    'Vendor merged PRs + issues resolved by a vendor assignee + client chat requests answered by the vendor in the bucket. Zero over the trailing 28 days while those sources are connected and fresh makes the engagement "quiet": amber at best.',
  ),
  // Quality
  def('quality.bugs_opened', 'Bugs opened', 'count', 'lower', 'Bugs created in the bucket.'),
  def(
    'quality.bugs_resolved',
    'Bugs resolved',
    'count',
    'higher',
    'Bugs resolved (done category) in the bucket.',
  ),
  def(
    'quality.open_bugs',
    'Open bugs',
    'count',
    'lower',
    'Bugs not in the done category at the end of the bucket (replayed from the status history).',
    { warn: 20, breach: 40 },
  ),
  def(
    'quality.bug_resolution_time',
    'Bug resolution time',
    'days',
    'lower',
    'Median of resolved_at − created_at over bugs resolved in the bucket.',
    { warn: 7, breach: 21 },
  ),
  def('quality.escaped_bugs', 'Escaped bugs', 'count', 'lower', 'Escaped bugs created in the bucket.'),
  def(
    'quality.bug_reopen_rate',
    'Bug reopen rate',
    'percent',
    'lower',
    'Of bugs resolved in the bucket, the share reopened within 30 days: on Jira, the resolution cleared after being set (decision 7); on GitHub, a reopened event.',
    { warn: 10, breach: 20 },
  ),
  def(
    'quality.bug_sla_compliance',
    'Bug SLA compliance',
    'percent',
    'higher',
    'Of bugs resolved in the bucket that have an SLA for their priority, the share resolved within it, in business time.',
    { warn: 90, breach: 75 },
    true,
  ),
  def(
    'quality.merged_without_review',
    'Merged without review',
    'count',
    'lower',
    'PRs merged in the bucket with no review by anyone but the author.',
  ),
  // Coverage
  def(
    'coverage.line',
    'Line coverage',
    'percent',
    'higher',
    'For each repo, the latest sample on its default branch at or before the end of the bucket; Σ covered / Σ valid over repos.',
    { warn: 70, breach: 50 },
  ),
  def(
    'coverage.branch',
    'Branch coverage',
    'percent',
    'higher',
    'Same as coverage.line, for branches; a gap where no report has branch data.',
  ),
  def(
    'coverage.delta',
    'Coverage delta',
    'pp',
    'higher',
    'coverage.line at the end of the bucket minus coverage.line 28 days earlier, for weekly points and the trailing window alike, so the −1 / −5 pp thresholds always judge a 28-day change.',
    { warn: -1, breach: -5 },
  ),
  // Responsiveness
  def(
    'responsiveness.chat_first_response',
    'Vendor chat first response',
    'minutes',
    'lower',
    'Median over client requests answered in the bucket of response.ts − request.ts in business time.',
    { warn: 60, breach: 240 },
    true,
  ),
  def(
    'responsiveness.chat_first_response_p90',
    'Vendor chat first response (p90)',
    'minutes',
    'lower',
    'p90 of responsiveness.chat_first_response.',
    null,
    true,
  ),
  def(
    'responsiveness.unanswered_requests',
    'Unanswered requests',
    'count',
    'lower',
    'Requests still without a response when the bucket ends and older than 1 business day at that moment.',
    { warn: 3, breach: 10 },
  ),
  def(
    'responsiveness.client_chat_first_response',
    'Client chat first response',
    'minutes',
    'lower',
    'The mirror image: vendor requests answered by the client side.',
    null,
    true,
  ),
  def(
    'responsiveness.pr_first_review_vendor',
    'PR first review by vendor',
    'hours',
    'lower',
    'pr_pickup_time for PRs whose author is on the client side, reviewed by the vendor.',
    null,
    true,
  ),
  def(
    'responsiveness.pr_first_review_client',
    'PR first review by client',
    'hours',
    'lower',
    'pr_pickup_time for vendor PRs whose first review is by the client side.',
    { warn: 16, breach: 40 },
    true,
  ),
  def(
    'responsiveness.issue_first_response',
    'Issue first response',
    'hours',
    'lower',
    'Median over Jira issues reported by the client side of the time to the first comment or status change by a vendor-side person.',
    { warn: 8, breach: 24 },
    true,
  ),
  // Continuity
  def(
    'continuity.contributor_retention',
    'Contributor retention',
    'percent',
    'higher',
    "Of the vendor people who authored a merged PR, a review, or a resolved Jira issue in the 90 days before the bucket's 90-day window, the share still active in that window.",
    { warn: 80, breach: 60 },
  ),
  def(
    'continuity.knowledge_concentration',
    'Bus factor',
    'people',
    'higher',
    'Over the 90 days ending at bucket end: the smallest number of vendor authors whose merged PRs account for ≥ 50 % of all lines changed.',
    { warn: 3, breach: 2 },
  ),
  def(
    'continuity.new_contributors',
    'New contributors',
    'count',
    'none',
    'Vendor people whose first activity in the engagement is in the bucket (context, no threshold).',
  ),
  def(
    'continuity.contributor_departures',
    'Contributor departures',
    'people',
    'lower',
    'Vendor people with at least 4 active weeks in the 12 weeks before the last 4, whose activity (merged PRs + reviews + resolved issues + chat messages) in the 4 weeks ending at bucket end fell below 25 % of their weekly average in those 12 weeks.',
    { warn: 0, breach: 1 },
  ),
  // Scope
  def(
    'scope.sprint_scope_change',
    'Sprint scope change',
    'percent',
    'lower',
    'For Jira sprints that closed in the bucket: issues added after the sprint started ÷ issues in the sprint at start.',
    { warn: 20, breach: 40 },
  ),
  def(
    'scope.sprint_completion',
    'Sprint completion',
    'percent',
    'higher',
    'For the same sprints: committed issues (present at start) resolved by sprint end ÷ committed issues.',
  ),
];

const BY_KEY: ReadonlyMap<KpiKey, KpiDefinitionMeta> = new Map(KPI_DEFINITIONS.map((d) => [d.key, d]));

/** Metadata of one KPI key. Throws on an unknown key (a programming error). */
export function kpiDefinition(key: KpiKey): KpiDefinitionMeta {
  const found = BY_KEY.get(key);
  if (!found) throw new Error(`unknown KPI key ${key}`);
  return found;
}

export function isKpiKey(value: string): value is KpiKey {
  return BY_KEY.has(value as KpiKey);
}

/** One KPI computed over one bucket. `value` null = a gap (no samples), never zero for non-counts. */
export interface KpiResult {
  value: number | null;
  /** Sample size behind the value (items counted, PRs measured, repos sampled, …). */
  n: number;
  /** Samples dropped for data-quality reasons (negative spans); shown as data_quality.dropped. */
  dropped: number;
}

/** One row of a computed series, as the rollup writes it to `kpi_values`. */
export interface KpiSeriesRow extends KpiResult {
  key: KpiKey;
  /** Bucket start, epoch ms (UTC instant of Monday 00:00 in the reporting zone for weeks). */
  bucketStart: number;
  /** Bucket end (exclusive), epoch ms. */
  bucketEnd: number;
}

/**
 * The rating of one value (one function rates everywhere: `rateKpi` in `@pulse/kpi`):
 * - `ok` / `warn` / `breach`: rated against the engagement's threshold;
 * - `no_data`: a gap — no value, or the source has not delivered;
 * - `low_sample`: a value with n below the KPI's minimum sample; shown, never rated or scored;
 * - `no_threshold`: a value without a threshold (or a context KPI); neutral, never "ok".
 */
export const KPI_STATUSES = ['ok', 'warn', 'breach', 'no_data', 'low_sample', 'no_threshold'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];
export type RagStatus = 'green' | 'amber' | 'red' | 'unknown';

/** Thresholds per KPI for one engagement; a missing key or null means "no threshold". */
export type KpiThresholds = Partial<Record<KpiKey, KpiThreshold | null>>;

/** Per-engagement minimum samples (overrides `KpiDefinitionMeta.minN`). */
export type KpiMinSamples = Partial<Record<KpiKey, number>>;

/** Default weight of each family in the engagement score (equal weights). */
export const DEFAULT_FAMILY_WEIGHTS: Readonly<Record<KpiFamily, number>> = {
  delivery: 1,
  quality: 1,
  coverage: 1,
  responsiveness: 1,
  continuity: 1,
  scope: 1,
};

/** One KPI's contribution to a status: what the dashboard shows on click. */
export interface KpiHealthEntry {
  key: KpiKey;
  label: string;
  family: KpiFamily;
  unit: KpiUnit;
  direction: KpiDirection;
  value: number | null;
  n: number;
  minN: number;
  threshold: KpiThreshold | null;
  status: KpiStatus;
  /** 1 / 0.5 / 0 for ok / warn / breach; null when not scored (gap, low sample, no threshold). */
  score: number | null;
  /** ISO instant since which a source of this KPI is stale, or null when fresh. */
  staleSince: string | null;
  /** One plain-language sentence, e.g. "Bug reopen rate is 40.7 % over the last 28 days (27 bugs), above the 20 % breach line." */
  explanation: string;
}

export interface FamilyHealth {
  family: KpiFamily;
  /** Mean of scored KPIs in 0..1, or null when none of the family's KPIs was scored. */
  score: number | null;
  weight: number;
  /** Keys that were scored (had a value, enough sample and a threshold). */
  scoredKeys: KpiKey[];
}

/** Qualifiers that travel with a status: why a colour may be less than it looks. */
export interface HealthQualifiers {
  /** Earliest ISO instant since which a connected source has been stale, or null. */
  staleSince: string | null;
  /** Sources (people's names, e.g. "GitHub") that are stale. */
  staleSources: string[];
  /** True when the vendor side merged, resolved and answered nothing in the trailing window. */
  quiet: boolean;
}

/** The health of one bucket: score, RAG status and why. */
export interface HealthExplanation {
  status: RagStatus;
  /** 0..100 rounded, or null when unknown (no scored KPI). */
  score: number | null;
  qualifiers: HealthQualifiers;
  families: FamilyHealth[];
  /** Families left out of the score because none of their KPIs had data. */
  familiesWithoutData: KpiFamily[];
  /** KPIs in breach (they make the status red). */
  breaches: KpiHealthEntry[];
  /** KPIs in warn (they make the status amber when nothing is in breach). */
  warnings: KpiHealthEntry[];
  /** Every KPI considered, with its value, threshold and status. */
  entries: KpiHealthEntry[];
  /**
   * One plain-language headline: "No data yet", "Red: 2 KPIs in breach", "Amber: quiet —
   * no merged PR, resolved issue or chat reply by the vendor in the last 28 days"…
   */
  summary: string;
  /**
   * Plain-language lines that explain the status, most important first: the breaches and
   * warnings, why data is missing ("GitHub sync failed 2 h ago: host not found"), stale
   * sources, quiet. Never a KPI key.
   */
  lines: string[];
}
