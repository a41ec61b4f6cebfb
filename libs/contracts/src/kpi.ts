// KPI keys, families, units, default thresholds and result shapes shared by the engine,
// the API, the rollup and the dashboard. Metadata only — the compute functions live in
// `@pulse/kpi`. Every sentence here mirrors `KPIS.md`; change both together.

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
  /** The definition sentence from KPIS.md. */
  description: string;
  /** Default thresholds a new engagement starts with (KPIS.md table), or null. */
  defaultThreshold: KpiThreshold | null;
}

const def = (
  key: KpiKey,
  label: string,
  unit: KpiUnit,
  direction: KpiDirection,
  description: string,
  defaultThreshold: KpiThreshold | null = null,
  businessTime = false,
): KpiDefinitionMeta => ({
  key,
  family: key.slice(0, key.indexOf('.')) as KpiFamily,
  unit,
  label,
  direction,
  businessTime,
  isCount: unit === 'count',
  description,
  defaultThreshold,
});

/** All KPIs of KPIS.md, in catalogue order. */
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
    'Of bugs that entered the done category in the bucket, the share that later left it within 30 days.',
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
    'coverage.line at bucket end minus at bucket start.',
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
    { warn: 2, breach: 1 },
  ),
  def(
    'continuity.new_contributors',
    'New contributors',
    'count',
    'none',
    'Vendor people whose first activity in the engagement is in the bucket (context, no threshold).',
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

export type KpiStatus = 'ok' | 'warn' | 'breach' | 'no_data';
export type RagStatus = 'green' | 'amber' | 'red' | 'unknown';

/** Thresholds per KPI for one engagement; a missing key or null means "no threshold". */
export type KpiThresholds = Partial<Record<KpiKey, KpiThreshold | null>>;

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
  family: KpiFamily;
  unit: KpiUnit;
  direction: KpiDirection;
  value: number | null;
  n: number;
  threshold: KpiThreshold | null;
  status: KpiStatus;
  /** 1 / 0.5 / 0 for ok / warn / breach; null when not scored (no value or no threshold). */
  score: number | null;
}

export interface FamilyHealth {
  family: KpiFamily;
  /** Mean of scored KPIs in 0..1, or null when none of the family's KPIs was scored. */
  score: number | null;
  weight: number;
  /** Keys that were scored (had a value and a threshold). */
  scoredKeys: KpiKey[];
}

/** The health of one bucket: score, RAG status and why. */
export interface HealthExplanation {
  status: RagStatus;
  /** 0..100 rounded, or null when no family had data. */
  score: number | null;
  families: FamilyHealth[];
  /** Families left out of the score because none of their KPIs had data. */
  familiesWithoutData: KpiFamily[];
  /** KPIs in breach (they make the status red). */
  breaches: KpiHealthEntry[];
  /** KPIs in warn (they make the status amber when nothing is in breach). */
  warnings: KpiHealthEntry[];
  /** Every KPI considered, with its value, threshold and status. */
  entries: KpiHealthEntry[];
  /** One human sentence, e.g. "red: 1 KPI in breach (delivery.pr_cycle_time 200 hours > 168)". */
  summary: string;
}
