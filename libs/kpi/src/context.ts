import { type CalendarSpec, type EpochMs } from '@pulse/contracts';
import { BusinessCalendar } from './time/business-calendar';
import { ZoneDays } from './time/zone-days';

/**
 * Per-engagement rules with defaults from KPIS.md. Every field is optional in
 * `EngagementContext.rules`; missing ones take these defaults.
 */
export interface KpiRules {
  /** Jira issue types that are bugs (case-insensitive). */
  bugTypes: string[];
  /** GitHub issue labels that make a bug (whole label, case-insensitive). */
  bugLabels: string[];
  /** Labels that make a bug escaped (whole label, case-insensitive). */
  escapedLabels: string[];
  /** Jira priorities that make a bug escaped (empty = rule off). */
  escapedPriorities: string[];
  /** Words whose presence in a Jira environment makes a bug escaped (case-insensitive; empty = rule off). */
  escapedEnvironmentTerms: string[];
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
  bugLabels: ['bug', 'defect', 'regression'],
  escapedLabels: ['production', 'found-in-prod'],
  escapedPriorities: [],
  escapedEnvironmentTerms: [],
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
  bugLabel: TextMatcher;
  escapedLabel: TextMatcher;
  escapedPriorities: Set<string>;
  escapedEnvironment: TextMatcher | null;
  notDoneResolutions: Set<string>;
  slaMsByPriority: Map<string, number>;
  productionEnvironments: Set<string>;
  botAccounts: Set<string>;
  ignoredChatSubtypes: Set<string>;
}

const lower = (xs: string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));

/**
 * A case-insensitive matcher over rule lists. Rules come from managers, so they are
 * matched in linear time (set lookup, substring search), never compiled to a RegExp.
 */
export interface TextMatcher {
  test(text: string): boolean;
}

/** Whole-text, case-insensitive membership in `values`. */
export function exactMatcher(values: string[]): TextMatcher {
  const set = lower(values);
  return { test: (text) => set.has(text.toLowerCase()) };
}

/** True when `text` contains any of `terms`, case-insensitively. */
export function containsMatcher(terms: string[]): TextMatcher {
  const needles = [...lower(terms)].filter((t) => t.length > 0);
  return { test: (text) => needles.some((t) => text.toLowerCase().includes(t)) };
}

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
    bugLabel: exactMatcher(rules.bugLabels),
    escapedLabel: exactMatcher(rules.escapedLabels),
    escapedPriorities: lower(rules.escapedPriorities),
    escapedEnvironment: rules.escapedEnvironmentTerms.length
      ? containsMatcher(rules.escapedEnvironmentTerms)
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
