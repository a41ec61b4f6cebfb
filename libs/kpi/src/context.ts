import { type CalendarSpec, type EpochMs } from '@pulse/contracts';
import { BusinessCalendar } from './time/business-calendar';
import { ZoneDays } from './time/zone-days';

/**
 * Per-engagement rules with defaults from docs/kpis.md. Every field is optional in
 * `EngagementContext.rules`; missing ones take these defaults.
 */
export interface KpiRules {
  /** Jira issue types that are bugs (case-insensitive). */
  bugTypes: string[];
  /** GitHub issue label pattern for bugs (case-insensitive regular expression). */
  bugLabelPattern: string;
  /** Label pattern for escaped bugs (case-insensitive). */
  escapedLabelPattern: string;
  /** Jira priorities that make a bug escaped (empty = rule off). */
  escapedPriorities: string[];
  /** Jira environment pattern that makes a bug escaped (null = rule off). */
  escapedEnvironmentPattern: string | null;
  /** Resolutions that do not count as done for throughput (case-insensitive). */
  notDoneResolutions: string[];
  /** Bug SLA in business days per priority (case-insensitive); a priority not listed has no SLA. */
  bugSlaBusinessDays: Record<string, number>;
  /**
   * Deployment environments that are production (case-insensitive). Empty = none
   * configured: published non-draft, non-prerelease releases are the deployments.
   */
  productionEnvironments: string[];
  /** Extra bot accounts (GitHub logins, Jira account ids, Slack user ids). */
  botAccounts: string[];
  /** Window after a resolution in which leaving "done" counts as a reopen. */
  reopenWindowDays: number;
  /** Length of the continuity windows. */
  continuityWindowDays: number;
  /** A request is "unanswered" once older than this many business days. */
  unansweredAfterBusinessDays: number;
  /**
   * Requests older than this (calendar days) at bucket end are no longer counted as
   * unanswered: they are history, not a live backlog. null = count forever.
   */
  unansweredMaxAgeDays: number | null;
  /** Slack subtypes that are not messages for responsiveness (joins, leaves, topic changes…). */
  ignoredChatSubtypes: string[];
}

export const DEFAULT_RULES: Readonly<KpiRules> = {
  bugTypes: ['Bug'],
  bugLabelPattern: '^(bug|defect|regression)$',
  escapedLabelPattern: '^(production|found-in-prod)$',
  escapedPriorities: [],
  escapedEnvironmentPattern: null,
  notDoneResolutions: ["Won't Do", 'Duplicate', 'Cannot Reproduce'],
  bugSlaBusinessDays: { highest: 1, high: 3, medium: 10 },
  productionEnvironments: ['production'],
  botAccounts: [],
  reopenWindowDays: 30,
  continuityWindowDays: 90,
  unansweredAfterBusinessDays: 1,
  unansweredMaxAgeDays: 28,
  ignoredChatSubtypes: [
    'channel_join',
    'channel_leave',
    'group_join',
    'group_leave',
    'channel_topic',
    'group_topic',
    'channel_purpose',
    'group_purpose',
    'channel_name',
    'group_name',
    'channel_archive',
    'channel_unarchive',
    'message_changed',
    'message_deleted',
    'bot_add',
    'bot_remove',
  ],
};

/** Everything about an engagement the engine needs besides its records. */
export interface EngagementContext {
  clientCalendar: CalendarSpec;
  vendorCalendar: CalendarSpec;
  /** Zone of the weekly buckets and of "calendar day"; defaults to the client calendar's zone. */
  reportingTimeZone?: string;
  /**
   * The instant of computation. State measured "at bucket end" (unanswered requests, open
   * bugs, coverage, continuity windows) is measured at `min(bucket.end, now)`, so the
   * current week is not judged at a future instant.
   */
  now: EpochMs;
  rules?: Partial<KpiRules>;
}

/** A context with defaults applied and calendars built (cached per context object). */
export interface ResolvedContext {
  raw: EngagementContext;
  now: EpochMs;
  reportingZone: string;
  reportingDays: ZoneDays;
  client: BusinessCalendar;
  vendor: BusinessCalendar;
  rules: KpiRules;
  bugTypes: Set<string>;
  bugLabel: RegExp;
  escapedLabel: RegExp;
  escapedPriorities: Set<string>;
  escapedEnvironment: RegExp | null;
  notDoneResolutions: Set<string>;
  slaMsByPriority: Map<string, number>;
  productionEnvironments: Set<string>;
  botAccounts: Set<string>;
  ignoredChatSubtypes: Set<string>;
}

const lower = (xs: string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));

const cache = new WeakMap<EngagementContext, ResolvedContext>();

export function resolveContext(context: EngagementContext): ResolvedContext {
  const hit = cache.get(context);
  if (hit) return hit;
  const rules: KpiRules = { ...DEFAULT_RULES, ...context.rules };
  const client = new BusinessCalendar(context.clientCalendar);
  const vendor = new BusinessCalendar(context.vendorCalendar);
  const reportingZone = context.reportingTimeZone ?? context.clientCalendar.timeZone;
  const slaMsByPriority = new Map<string, number>();
  for (const [priority, days] of Object.entries(rules.bugSlaBusinessDays)) {
    // "1 business day" is one working day of the vendor's calendar (e.g. 9 h).
    slaMsByPriority.set(priority.toLowerCase(), days * vendor.workingDaySeconds * 1000);
  }
  const resolved: ResolvedContext = {
    raw: context,
    now: context.now,
    reportingZone,
    // A calendar is also a table of its zone's days: reuse one when the zones match.
    reportingDays:
      reportingZone === client.zone
        ? client
        : reportingZone === vendor.zone
          ? vendor
          : new ZoneDays(reportingZone),
    client,
    vendor,
    rules,
    bugTypes: lower(rules.bugTypes),
    bugLabel: new RegExp(rules.bugLabelPattern, 'i'),
    escapedLabel: new RegExp(rules.escapedLabelPattern, 'i'),
    escapedPriorities: lower(rules.escapedPriorities),
    escapedEnvironment: rules.escapedEnvironmentPattern
      ? new RegExp(rules.escapedEnvironmentPattern, 'i')
      : null,
    notDoneResolutions: lower(rules.notDoneResolutions),
    slaMsByPriority,
    productionEnvironments: lower(rules.productionEnvironments),
    botAccounts: lower(rules.botAccounts),
    ignoredChatSubtypes: new Set(rules.ignoredChatSubtypes),
  };
  cache.set(context, resolved);
  return resolved;
}
