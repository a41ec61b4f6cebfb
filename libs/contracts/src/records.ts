// Normalized records produced by the collectors and consumed by the KPI engine (`@pulse/kpi`).
//
// Conventions
// - Every instant is an `EpochMs`: milliseconds since 1970-01-01T00:00:00Z (UTC), a plain
//   number. Numbers keep the engine fast (no parsing in hot loops) and are unambiguous;
//   convert at the edges (`Date.parse(iso)`, `new Date(ms).toISOString()`).
// - People are referenced by their *source identity* (GitHub login, Jira accountId, Slack
//   user id), exactly as the source reports it. The engine resolves identities to roster
//   people (`PersonRecord`) at compute time, so relinking identities never needs a re-sync.
// - Bots are never people. A record's own bot flag (GitHub `type: Bot`, Slack `bot_id`) is
//   carried so the engine can drop them even when they are not on the roster.
// - No message text, titles or bodies: metadata only.

/** Milliseconds since the Unix epoch, UTC. */
export type EpochMs = number;

export type Side = 'client' | 'vendor';
export type IdentitySource = 'github' | 'jira' | 'slack';

export interface PersonIdentity {
  source: IdentitySource;
  /** GitHub login (matched case-insensitively), Jira accountId or Slack user id. */
  externalId: string;
}

/** A roster entry. Identities link one person across sources. */
export interface PersonRecord {
  id: string;
  side: Side;
  displayName?: string;
  identities: PersonIdentity[];
  /** A configured bot account: never counted as a person. */
  isBot: boolean;
  /**
   * Epoch ms the person was removed from the roster (a tombstone kept so their history
   * stays theirs and continuity can count the departure); absent or null while on it.
   */
  leftAt?: number | null;
}

/** A GitHub pull request. `id` is unique per engagement, conventionally `${repo}#${number}`. */
export interface PullRequestRecord {
  id: string;
  /** `owner/name`. */
  repo: string;
  number: number;
  authorLogin: string;
  /** GitHub `user.type === 'Bot'` or a login ending in `[bot]`. */
  authorIsBot: boolean;
  createdAt: EpochMs;
  /** `authored_at` of the earliest commit of the PR, or null when unknown. */
  firstCommitAt: EpochMs | null;
  /** Last `ready_for_review` event; null when the PR was never a draft (then `createdAt` is used). */
  readyAt: EpochMs | null;
  mergedAt: EpochMs | null;
  closedAt: EpochMs | null;
  /** Current draft flag (informational; the engine uses `readyAt`). */
  draft: boolean;
  additions: number;
  deletions: number;
  mergeCommitSha: string | null;
  url: string;
}

export type ReviewState = 'approved' | 'changes_requested' | 'commented' | 'dismissed' | 'pending';

/**
 * A submitted review *or* a review comment on a pull request (both count as "a review"
 * for first-review purposes). Pending (unsubmitted) reviews should not be stored; if they
 * are, the engine ignores them.
 */
export interface ReviewRecord {
  /** The reviewed PR's `PullRequestRecord.id`. */
  pullRequestId: string;
  kind: 'review' | 'review_comment';
  reviewerLogin: string;
  reviewerIsBot: boolean;
  submittedAt: EpochMs;
  /** For `review_comment` use `commented`. */
  state: ReviewState;
}

export type DeploymentState =
  'success' | 'failure' | 'error' | 'inactive' | 'in_progress' | 'queued' | 'pending';

/** A GitHub Deployment with its latest (terminal) status. */
export interface DeploymentRecord {
  id: string;
  repo: string;
  environment: string;
  sha: string;
  createdAt: EpochMs;
  state: DeploymentState;
  /** `created_at` of the status that made it `success` (or the terminal status); null while running. */
  finishedAt: EpochMs | null;
  /**
   * Optional commit ancestry: the commit SHAs this deployment shipped for the first time
   * (compare previous successful production deployment…this sha). When a PR's merge commit
   * is found here, this deployment deployed it; otherwise the engine falls back to the
   * first successful production deployment of the repo created at or after `merged_at`.
   */
  commitShas?: string[];
}

/** A GitHub Release (used for deploy KPIs when no production environment is configured). */
export interface ReleaseRecord {
  id: string;
  repo: string;
  tagName: string;
  /** null for unpublished drafts. */
  publishedAt: EpochMs | null;
  draft: boolean;
  prerelease: boolean;
  targetSha?: string | null;
}

/** One coverage measurement of one commit. */
export interface CoverageSampleRecord {
  repo: string;
  branch: string;
  /** True when `branch` is the repo's default branch (only those samples are used). */
  isDefaultBranch: boolean;
  sha: string;
  /** Commit time of `sha`: the sample's position in time. */
  committedAt: EpochMs;
  linesCovered: number;
  linesValid: number;
  /** null when the report has no branch data. */
  branchesCovered: number | null;
  branchesValid: number | null;
  source?: 'upload' | 'artifact' | 'status';
}

/** Jira status category ("To Do", "In Progress", "Done"). */
export type StatusCategory = 'todo' | 'in_progress' | 'done';

export interface StatusTransitionRecord {
  at: EpochMs;
  /** Category before the change; null for the creation entry if a collector emits one. */
  from: StatusCategory | null;
  to: StatusCategory;
  /** Who made the change (Jira accountId / GitHub login), null when unknown or automation. */
  authorId: string | null;
}

export interface WorkItemCommentRecord {
  /** Jira accountId / GitHub login. */
  authorId: string;
  at: EpochMs;
}

/** A Jira issue or a GitHub issue, with its status history and comment metadata. */
export interface WorkItemRecord {
  /** Jira key (`PAY-123`) or `${repo}#${number}` for GitHub issues. */
  key: string;
  source: 'jira' | 'github';
  /** Jira issue type name (`Bug`, `Story`, …); `issue` for GitHub issues. */
  type: string;
  isSubtask: boolean;
  /** Jira priority name (`Highest`, `High`, `Medium`, `Low`, `Lowest`) or null. */
  priority: string | null;
  /** Current status category (informational; past buckets replay `transitions`). */
  statusCategory: StatusCategory;
  createdAt: EpochMs;
  /** When the item last entered the done category (Jira `resolutiondate`, GitHub `closed_at`); null while open. */
  resolvedAt: EpochMs | null;
  /** Jira resolution name (`Done`, `Won't Do`, …) or null. */
  resolution: string | null;
  reporterId: string | null;
  /** Assignee when resolved (Jira accountId / GitHub login): who "authored" the resolution. */
  assigneeId: string | null;
  /** Value of the engagement's story-points field, or null. */
  storyPoints: number | null;
  labels: string[];
  /** Jira environment field, for an escaped-bug rule on environment. */
  environment?: string | null;
  /** Overrides the engagement's bug rule when set (a collector may decide it). */
  isBug?: boolean;
  /** Overrides the engagement's escaped-bug rule when set. */
  isEscaped?: boolean;
  /**
   * When the source itself says the item was reopened — Jira: its `resolution` cleared after
   * being set (KPIS.md). Absent when the source has no such notion (GitHub, or a Jira
   * workflow that never sets a resolution): the engine then counts leaving the done
   * category. Bulk status moves that leave the resolution alone are therefore not reopens.
   */
  reopenedAt?: EpochMs[];
  /** Status-category changes in any order (the engine sorts); same-category moves may be omitted. */
  transitions: StatusTransitionRecord[];
  comments: WorkItemCommentRecord[];
}

/** A Jira sprint. */
export interface SprintRecord {
  id: string;
  name?: string;
  startAt: EpochMs;
  endAt: EpochMs;
  /** When the sprint was closed; null while active or future. */
  completedAt: EpochMs | null;
  /** Work item keys in the sprint when it started (the commitment). */
  issueKeysAtStart: string[];
  /** Work item keys added after the sprint started. */
  issueKeysAddedAfterStart: string[];
}

/** A Slack message's metadata — never its text. */
export interface ChatMessageRecord {
  channel: string;
  /** Slack `ts` string (unique within a channel), e.g. `1717400000.123456`. */
  ts: string;
  /** `ts` as epoch ms (`Math.round(Number(ts) * 1000)`). */
  at: EpochMs;
  /** Slack `thread_ts`: the parent's `ts` for replies; equal to `ts` (or null) for top-level messages. */
  threadTs: string | null;
  /** Slack user id; null for bot/integration messages without a user. */
  authorId: string | null;
  /** Slack `subtype` (`channel_join`, `bot_message`, …) or null. */
  subtype: string | null;
  /** Slack `bot_id` or null. */
  botId: string | null;
  /** The message was edited (Slack `edited`); an edit is never a response of its own. */
  edited?: boolean;
  /** The message was deleted upstream: it no longer asks nor answers. */
  deleted?: boolean;
}

/** Everything the engine reads for one engagement. Arrays may be in any order. */
export interface EngagementRecords {
  people: PersonRecord[];
  pullRequests: PullRequestRecord[];
  reviews: ReviewRecord[];
  deployments: DeploymentRecord[];
  releases: ReleaseRecord[];
  coverageSamples: CoverageSampleRecord[];
  workItems: WorkItemRecord[];
  sprints: SprintRecord[];
  /** Fastest when sorted by `at` (the engine checks and sorts otherwise). */
  chatMessages: ChatMessageRecord[];
}

/** A working calendar: one side's time zone, working week and holidays. */
export interface CalendarSpec {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** ISO weekdays that are working days, 1 = Monday … 7 = Sunday. Default Mon–Fri. */
  workingDays?: number[];
  /** Local start of the working day, `HH:mm`. Default `09:00`. */
  dayStart?: string;
  /** Local end of the working day, `HH:mm`. Default `18:00`. */
  dayEnd?: string;
  /** Non-working dates `yyyy-mm-dd`, in this calendar's zone. */
  holidays?: string[];
}
