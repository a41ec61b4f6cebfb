// Shapes of the REST API and of the settings stored with an engagement, shared by api,
// worker and dashboard.

import type { HealthExplanation, KpiDirection, KpiKey, KpiSource, KpiStatus, KpiUnit } from './kpi';

export const CONNECTION_KINDS = ['github', 'jira', 'slack'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** The fixed classes every upstream failure is mapped to (DESIGN.md). */
export const SYNC_ERROR_CLASSES = [
  'auth',
  'forbidden',
  'not_found',
  'rate_limited',
  'temporary',
  'unreachable',
  'invalid_config',
] as const;
export type SyncErrorClass = (typeof SYNC_ERROR_CLASSES)[number];

/**
 * `skipped`: nothing was collected, on purpose — every source was waiting out a rate limit or
 * had no collector, or another sync of the same engagement was already running.
 */
export const SYNC_RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'skipped', 'failed'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

export const SIDES = ['client', 'vendor'] as const;
export type RosterSide = (typeof SIDES)[number];

/** `viewer` reads the engagements they are a member of and changes nothing. */
export const USER_ROLES = ['admin', 'manager', 'viewer'] as const;
export type Role = (typeof USER_ROLES)[number];

/** A side's working calendar: weekdays are ISO numbers (1 = Monday … 7 = Sunday). */
export interface WorkingCalendar {
  timeZone: string;
  weekdays: number[];
  /** "HH:mm" local time. */
  start: string;
  end: string;
  /** Local dates "yyyy-mm-dd". */
  holidays: string[];
}

export const DEFAULT_WORKING_CALENDAR: Omit<WorkingCalendar, 'timeZone'> = {
  weekdays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};

/** Per-engagement rules that decide what counts as a bug, an SLA, story points… */
export interface EngagementSettings {
  bugTypes: string[];
  /**
   * GitHub issue labels that make an issue a bug, matched whole and case-insensitively.
   * A list rather than a pattern: a user-supplied regular expression could take seconds
   * per label (ReDoS) in the API and the worker.
   */
  bugLabels: string[];
  /** Labels that make a bug "escaped" (found in production), matched like `bugLabels`. */
  escapedLabels: string[];
  storyPointsField: string | null;
  productionEnvironments: string[];
  /** Bug SLA in business days per Jira priority; a missing priority has no SLA. */
  bugSlaBusinessDays: Record<string, number>;
  botAccounts: string[];
  /**
   * "Team-level only" (docs/privacy.md): no person is named to anyone but admins — drill-downs
   * show people unnamed, the roster and unassigned identities are refused. Default off.
   */
  teamLevelOnly: boolean;
  /** Raw records older than this many months are deleted daily (docs/privacy.md). */
  retentionMonths: number;
}

/** Default retention: 24 months, as far back as the rollup keeps weekly history. */
export const DEFAULT_RETENTION_MONTHS = 24;

export const DEFAULT_ENGAGEMENT_SETTINGS: EngagementSettings = {
  bugTypes: ['Bug'],
  bugLabels: ['bug', 'defect', 'regression'],
  escapedLabels: ['production', 'found-in-prod'],
  storyPointsField: null,
  productionEnvironments: ['production'],
  bugSlaBusinessDays: { Highest: 1, High: 3, Medium: 10 },
  botAccounts: [],
  teamLevelOnly: false,
  retentionMonths: DEFAULT_RETENTION_MONTHS,
};

/** Identities of one person per source: GitHub logins, Jira accountIds, Slack user ids. */
export interface PersonIdentities {
  github: string[];
  jira: string[];
  slack: string[];
}

export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface EngagementDto {
  id: string;
  name: string;
  vendorName: string;
  reportingTimeZone: string;
  clientCalendar: WorkingCalendar;
  vendorCalendar: WorkingCalendar;
  syncCron: string;
  /** Why the sync schedule is not running (a stored cron BullMQ refused), or null when it runs. */
  scheduleError: string | null;
  settings: EngagementSettings;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
  /**
   * What the signed-in user may do here (GET /api/engagements and /:id): `read`, `edit`
   * (settings, thresholds, connections, share links…), `manage` (members, delete).
   */
  myAccess?: ('read' | 'edit' | 'manage')[];
  /** Raw records are kept from this instant on (now − settings.retentionMonths). */
  dataKeptFrom: string;
  /** Whether the signed-in user may see who did what here (docs/privacy.md). */
  canSeePeople: boolean;
}

export interface SyncStateDto {
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastErrorClass: SyncErrorClass | null;
  lastErrorMessage: string | null;
  lastErrorAt: string | null;
  retryAfter: string | null;
  failureCount: number;
}

/** A connection as the API returns it: never the secret, only whether one is set. */
export interface ConnectionDto {
  id: string;
  kind: ConnectionKind;
  settings: Record<string, unknown>;
  hasSecret: boolean;
  sync: SyncStateDto;
  /**
   * What the latest successful sync noted about how it ran (e.g. "pull requests were read
   * over REST: …" when GraphQL was refused); null when it noted nothing. Not an error.
   */
  statusNote: string | null;
  updatedAt: string;
}

export interface PersonDto {
  id: string;
  displayName: string;
  email: string | null;
  side: RosterSide;
  isBot: boolean;
  identities: PersonIdentities;
}

export interface ThresholdDto {
  kpiKey: string;
  warn: number | null;
  breach: number | null;
  /**
   * Minimum sample for this engagement (null/absent = the catalogue default `minN`).
   * Stored with the threshold.
   */
  minN?: number | null;
}

export interface SyncRunDto {
  id: string;
  jobId: string;
  trigger: string;
  status: SyncRunStatus;
  progress: number;
  phase: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: Record<string, Record<string, number>>;
  apiCalls: number;
  apiCallsNotModified: number;
  error: string | null;
}

/**
 * The answer to "sync now". `created: false` means no new sync was started: `run` is the
 * sync that is already queued or running (or ran this very minute), and `reason` says so.
 */
export interface SyncNowDto {
  run: SyncRunDto;
  created: boolean;
  reason: string | null;
}

/** The body of every 4xx/5xx the API sends. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems of a 400, e.g. [{ field: 'clientCalendar.timeZone', message: '…' }]. */
  details?: { field: string; message: string }[];
}

/**
 * The span a value was computed over. The headline ("current") value uses the trailing
 * window (the last 28 days ending at `to`); a chart point uses one ISO week of the
 * engagement's reporting zone. The drill-down of a value uses exactly this window.
 */
export interface KpiWindowDto {
  kind: 'trailing' | 'week';
  /** ISO instant, inclusive. */
  from: string;
  /**
   * ISO instant, exclusive: the week's end; for the current week the instant of the request;
   * for the trailing window the instant the rollup computed it.
   */
  to: string;
  /** What a person reads: "last 28 days", "week of 2 Nov 2026", "week of 30 Nov 2026 (so far)". */
  label: string;
  /**
   * For KPIs that look further back than the window (continuity 90/180 days, coverage
   * delta 28 days, departures 16 weeks): the days of history behind one value, else null.
   */
  lookbackDays: number | null;
}

/** One value of one KPI, rated by `@pulse/kpi` (`rateKpi`) with the engagement's thresholds. */
export interface KpiValueDto {
  /** null = a gap (no samples, or the source has not delivered) — never shown as 0. */
  value: number | null;
  /** Sample size behind the value (what `nLabel` of the definition names). */
  n: number;
  /** Samples dropped for data quality (negative spans). */
  dropped: number;
  /** The minimum sample in force for this engagement; n below it → status `low_sample`. */
  minN: number;
  status: KpiStatus;
  window: KpiWindowDto;
  /** ISO instant since which a source of this KPI is stale (see SourceFreshnessDto), else null. */
  staleSince: string | null;
  /** Plain-language sentence about this value, e.g. "Open bugs is 32 at the end of the last 28 days, above the 20 warn line." */
  explanation: string;
}

/** One week of one KPI. A week without data is a gap: value null, status no_data. */
export interface KpiPointDto extends KpiValueDto {
  /** Local date (reporting zone) of the week's Monday, yyyy-mm-dd. */
  weekStart: string;
  bucketStart: number;
  bucketEnd: number;
  /** True for the current, incomplete week: mark it "so far" on charts. */
  partial: boolean;
}

/**
 * Week-over-week: the last two COMPLETE weeks (never the current partial one).
 * `change` = latest − previous in the KPI's unit; null when either is a gap.
 * `trend`: `better` / `worse` by the KPI's direction, `flat` when equal, `up`/`down` for
 * context KPIs (direction none); null when change is null.
 */
export interface WeekOverWeekDto {
  previousWeekStart: string;
  latestWeekStart: string;
  previous: number | null;
  latest: number | null;
  change: number | null;
  trend: 'better' | 'worse' | 'flat' | 'up' | 'down' | null;
}

export interface KpiSeriesDto {
  key: KpiKey;
  /** What a person reads (never the key). */
  label: string;
  family: string;
  unit: KpiUnit;
  direction: KpiDirection;
  description: string;
  sources: KpiSource[];
  /** What n counts: "PRs", "bugs", "repos", "people"… */
  nLabel: string;
  /** Whether GET …/kpis/:key/drill-down lists the items behind the values. */
  drillDown: boolean;
  /** The engagement's threshold in force (stored, else the default), or null = no threshold. */
  threshold: { warn: number | null; breach: number | null } | null;
  /** Trailing-window value ("now"); status no_data with value null before the first rollup. */
  current: KpiValueDto;
  /** Weeks oldest first; the last one is the current partial week (`partial: true`). */
  series: KpiPointDto[];
  weekOverWeek: WeekOverWeekDto | null;
}

export interface EngagementKpisDto {
  engagementId: string;
  reportingTimeZone: string;
  from: string;
  to: string;
  /** When the rollup last ran, ISO; null if it never did. */
  computedAt: string | null;
  sources: SourceFreshnessDto[];
  kpis: KpiSeriesDto[];
}

/**
 * Freshness of one source of data for an engagement. Connections (github, jira, slack) have
 * sync state; `coverage` has data when any coverage sample exists (upload or GitHub).
 */
export interface SourceFreshnessDto {
  source: KpiSource;
  /** What a person reads: "GitHub", "Jira", "Slack", "Coverage". */
  label: string;
  /** A connection exists (coverage: a sample exists or GitHub is connected). */
  connected: boolean;
  /** No successful sync ever (coverage: no sample ever): its KPIs are gaps, counts included. */
  neverSynced: boolean;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { class: string; message: string; at: string | null } | null;
  /**
   * Connected and the last success is older than max(2 sync intervals, 24 h): the instant
   * it became stale (lastSuccessAt + that allowance). null = fresh, never synced or not connected.
   */
  staleSince: string | null;
  /** Plain language: "GitHub sync failed 2 h ago: host not found", "GitHub synced 3 h ago", "Slack not connected". */
  summary: string;
}

/**
 * GET /api/engagements/:id/health (and `health` of the share view). `status` is `unknown`
 * ("No data yet") with `score` null when no scored KPI has data; `lines` then start with
 * the reason. `qualifiers.staleSince` → say "stale since …"; `qualifiers.quiet` → amber at best.
 */
export interface EngagementHealthDto extends HealthExplanation {
  engagementId: string;
  computedAt: string | null;
  window: KpiWindowDto;
  sources: SourceFreshnessDto[];
}

/** Column of a drill-down table. Rows carry a cell per column `field`. */
export interface DrillDownColumnDto {
  field: string;
  /** Header a person reads. */
  label: string;
  /** How to render: `datetime` cells are ISO instants (show in the reporting zone, labelled). */
  type: 'text' | 'number' | 'datetime' | 'boolean' | 'person' | 'badge';
  /** Unit of `number` cells (hours, days, minutes, percent, pp, count…). */
  unit?: string;
}

export type DrillDownCell = string | number | boolean | null;

/** One item behind a KPI value: a PR, bug, issue, request, repo, deploy day, person or sprint. */
export interface DrillDownRowDto {
  /** Stable id (repo#number, issue key, channel/ts, repo, yyyy-mm-dd, person id, sprint id). */
  id: string;
  /** What a person reads first: "acme/api#12", "PAY-31", "acme/web", a person's name… */
  title: string;
  /** Link to the item at its source (PR, issue), or null. */
  url: string | null;
  /** Cells by column field. Never message text, titles or bodies. */
  cells: Record<string, DrillDownCell>;
}

/**
 * GET /api/engagements/:id/kpis/:key/drill-down[?week=yyyy-mm-dd] (and
 * /api/share/:token/kpis/:key/drill-down when the link allows it): exactly the items
 * behind the value, built on the same facts code as the KPI, for the same window — the
 * trailing 28 days without `week`, that ISO week with it. `rows.length === n` of that value.
 *
 * Row kinds and their columns (the ones that say why the item is in the list):
 * - `pull_requests`: author, author side, created, merged, reviewed (boolean), first review
 *   at, reviewer side (the two sides of a review), stage hours (coding, pickup, review,
 *   cycle), lead time, deployed at.
 * - `work_items`: type, priority, created, resolved, open at bucket end, reopened at,
 *   SLA due, SLA state (met / missed / none), days to resolve, first response at.
 * - `chat_requests`: channel, asked at (client or vendor side), answered at, waiting
 *   minutes (business), answered (boolean). No text.
 * - `coverage`: repo, sample commit, sampled at, lines covered/valid, line %, start %, delta pp.
 * - `deploy_days`: day, deployments that day, environments/releases.
 * - `people`: person, active weeks before, weekly average before, activity in the last
 *   4 weeks, last active at, still active (continuity KPIs).
 * - `sprints`: sprint, closed at, issues at start, added, completed.
 */
export interface KpiDrillDownDto {
  key: KpiKey;
  label: string;
  kind: 'pull_requests' | 'work_items' | 'chat_requests' | 'coverage' | 'deploy_days' | 'people' | 'sprints';
  window: KpiWindowDto;
  /** The value's n; equals rows.length. */
  n: number;
  value: number | null;
  status: KpiStatus;
  explanation: string;
  columns: DrillDownColumnDto[];
  rows: DrillDownRowDto[];
}

/** A vendor share link. `token` and `url` appear only in the response that created it. */
export interface ShareLinkDto {
  id: string;
  families: string[];
  allowDrillDown: boolean;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  token?: string;
  url?: string;
}

/** What a vendor's share link shows: one engagement, read-only, shared families only. */
export interface SharedViewDto {
  engagement: { name: string; vendorName: string; reportingTimeZone: string };
  families: string[];
  allowDrillDown: boolean;
  /** Health over the shared families only. */
  health: Omit<EngagementHealthDto, 'engagementId'>;
  kpis: EngagementKpisDto;
}

/**
 * @deprecated The API no longer serves this list; use `KpiDrillDownDto` from
 * GET /api/engagements/:id/kpis/:key/drill-down. Kept until the dashboard has moved.
 */
export interface PullRequestDrillDownDto {
  repo: string;
  number: number;
  url: string;
  authorLogin: string;
  authorSide: RosterSide | null;
  reviewedBySide: RosterSide | null;
  createdAt: string;
  mergedAt: string | null;
  firstReviewAt: string | null;
  stages: {
    codingHours: number | null;
    pickupHours: number | null;
    reviewHours: number | null;
    cycleHours: number | null;
  };
}

/**
 * @deprecated The API no longer serves this list; use `KpiDrillDownDto` (kind `work_items`).
 * Kept until the dashboard has moved.
 */
export interface WorkItemDrillDownDto {
  key: string;
  url: string | null;
  type: string;
  priority: string | null;
  createdAt: string;
  resolvedAt: string | null;
  ageDays: number;
  slaState: 'met' | 'missed' | 'open_within' | 'open_breached' | 'none';
}

/** The answer of "test connection". */
export interface ConnectionTestDto {
  ok: boolean;
  message: string;
  details?: unknown;
}

/** One input of a connection's settings form (the API validates the value with the source's schema). */
export interface ConnectorFieldDto {
  /** The settings key, e.g. `projectKeys`. */
  name: string;
  label: string;
  description: string;
  kind: 'url' | 'text' | 'email' | 'list' | 'number-list' | 'choice';
  required: boolean;
  /** The allowed values of a `choice`. */
  choices?: string[];
  /** The picker that offers values read from the source (POST …/connections/:kind/options/:picker). */
  pickFrom?: string;
}

/** How the settings form of one connection kind looks: GET /api/connectors. */
export interface ConnectorDescriptionDto {
  kind: ConnectionKind;
  label: string;
  /** The label of the write-only secret, e.g. "Personal access token". */
  secretLabel: string;
  fields: ConnectorFieldDto[];
  /** Whether "test connection" and sync are available (false: settings can be saved only). */
  collected: boolean;
}

/** One value a settings picker offers, read from the source. */
export interface PickerOptionDto {
  /** What is stored in the settings (project key, board id, field id, issue type name). */
  value: string;
  /** What the form shows. */
  label: string;
  /** A short extra fact (project of a board, "sub-task", "number field"). */
  hint?: string;
}

/** The answer of a settings picker. */
export interface ConnectionPickerDto {
  picker: string;
  options: PickerOptionDto[];
  /** True when the source had more than the options returned (the list was capped). */
  truncated: boolean;
}

/** Someone active in a source whom no roster person claims yet. */
export interface UnassignedIdentityDto {
  source: 'github' | 'slack';
  externalId: string;
  pullRequests: number;
  reviews: number;
  /** Slack: messages posted in the monitored channels. */
  messages?: number;
  lastSeenAt: string;
  /**
   * The roster person whose email this login commits with (compared as hashes: Pulse
   * keeps no commit email in clear): a likely match to confirm.
   */
  suggestedPerson?: { id: string; displayName: string; side: RosterSide };
}

/** GET/PUT /api/engagements/:id/digest/settings — where and when the weekly Slack digest goes. */
export interface DigestSettingsDto {
  /** Slack channel id (C…/G…) of the client audience; null = off. */
  clientChannelId: string | null;
  /** Slack channel id of the vendor audience; null = off. */
  vendorChannelId: string | null;
  /** ISO weekday, 1 = Monday … 7 = Sunday, in the engagement's reporting zone. */
  weekday: number;
  /** "HH:mm" in the engagement's reporting zone. */
  timeOfDay: string;
  /** A vendor share link is stored for the vendor digest's button (the token is never returned). */
  vendorShareLinkSet: boolean;
  /** The vendor share link is still valid (not revoked, not expired). */
  vendorShareLinkValid: boolean;
  /** The engagement has a Slack connection (its bot token posts the digest). */
  slackConnected: boolean;
  reportingTimeZone: string;
}

/** One digest message as recorded (GET /api/engagements/:id/digests). Never its text. */
export interface DigestRecordDto {
  id: string;
  audience: 'client' | 'vendor';
  isoWeek: string;
  manual: boolean;
  channelId: string;
  ts: string | null;
  status: 'pending' | 'posted' | 'updated' | 'failed';
  /** Slack's error code (`not_in_channel`…) when the last attempt failed. */
  errorCode: string | null;
  /** What went wrong and what to do. */
  errorMessage: string | null;
  attempts: number;
  postedAt: string | null;
  updatedAt: string;
}

/** GET /api/engagements/:id/digest/preview — the digest as it would be sent now. */
export interface DigestPreviewDto {
  audience: 'client' | 'vendor';
  isoWeek: string;
  blocks: unknown[];
  text: string;
}
