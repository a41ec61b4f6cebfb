// Shapes of the REST API and of the settings stored with an engagement, shared by api,
// worker and dashboard.

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

export const USER_ROLES = ['admin', 'manager'] as const;
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
}

export const DEFAULT_ENGAGEMENT_SETTINGS: EngagementSettings = {
  bugTypes: ['Bug'],
  bugLabels: ['bug', 'defect', 'regression'],
  escapedLabels: ['production', 'found-in-prod'],
  storyPointsField: null,
  productionEnvironments: ['production'],
  bugSlaBusinessDays: { Highest: 1, High: 3, Medium: 10 },
  botAccounts: [],
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

/** One week of one KPI. A week without data is a gap: value null, status no_data. */
export interface KpiPointDto {
  /** Local date (reporting zone) of the week's Monday, yyyy-mm-dd. */
  weekStart: string;
  bucketStart: number;
  bucketEnd: number;
  value: number | null;
  n: number;
  dropped: number;
  status: 'ok' | 'warn' | 'breach' | 'no_data';
}

export interface KpiSeriesDto {
  key: string;
  family: string;
  unit: string;
  direction: 'lower' | 'higher' | 'none';
  description: string;
  /** The engagement's stored threshold (either side may be null). */
  threshold: { warn: number | null; breach: number | null } | null;
  /** Trailing-window value ("now"), or null before the first rollup. */
  current: Omit<KpiPointDto, 'weekStart'> | null;
  series: KpiPointDto[];
}

export interface EngagementKpisDto {
  engagementId: string;
  reportingTimeZone: string;
  from: string;
  to: string;
  /** When the rollup last ran, ISO; null if it never did. */
  computedAt: string | null;
  kpis: KpiSeriesDto[];
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
  health: unknown;
  kpis: EngagementKpisDto;
}

/** One merged PR behind the delivery KPIs, with its stage durations. */
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

/** A bug or Jira issue behind a quality/delivery KPI: age and SLA state, never its text. */
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

/** Someone active in a source whom no roster person claims yet. */
export interface UnassignedIdentityDto {
  source: 'github';
  externalId: string;
  pullRequests: number;
  reviews: number;
  lastSeenAt: string;
  /** Emails this login commits with. */
  emails?: string[];
  /** The roster person with one of those emails: a likely match to confirm. */
  suggestedPerson?: { id: string; displayName: string; side: RosterSide };
}
