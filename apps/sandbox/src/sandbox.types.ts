// Public types of the sandbox: start options, fault knobs and the manifest.
import type { SlackChange, SlackChangeKind } from './slack/slack-mutations';

export type ScenarioName = 'steady' | 'slipping';
export const SCENARIO_NAMES: readonly ScenarioName[] = ['steady', 'slipping'];
export type SourceName = 'github' | 'jira' | 'slack';
export type Side = 'client' | 'vendor';

/** Fault knobs for one source. Rates are probabilities per request (0–1). */
export interface SourceFaults {
  /** share of requests answered with a 5xx */
  error5xxRate?: number;
  /** share of requests answered with a rate limit (GitHub secondary limit, Jira/Slack 429) */
  rateLimitRate?: number;
  /** stop injecting rate limits after this many (unset: no cap), so a test can bound its waits */
  rateLimitMax?: number;
  /** seconds sent in Retry-After for injected rate limits (default 1) */
  retryAfterSeconds?: number;
  /** GitHub only: status of the secondary limit, 403 (default) or 429 */
  secondaryLimitStatus?: 403 | 429;
  /** share of requests delayed by slowMs */
  slowRate?: number;
  /** delay of a slow response in ms (default 1500) */
  slowMs?: number;
  /** share of records in list/detail responses that are malformed (missing field / wrong type) */
  malformedRate?: number;
  /** every request gets the "bad credentials" answer of the source */
  tokenRevoked?: boolean;
  /**
   * Jira only: every request gets 403 Forbidden, as for an account that signs in but lost
   * its access (product access removed, "Browse projects" taken away).
   */
  forbidden?: boolean;
  /** GitHub only: the primary quota per token per hour (default 5000), REST and GraphQL each */
  quota?: number;
  /** GitHub only: the secondary limit's wording, today's (default) or the older "abuse" one */
  secondaryLimitMessage?: 'secondary' | 'abuse';
  /** GitHub only: no GraphQL endpoint (404), as on an old Enterprise Server */
  graphqlDisabled?: boolean;
  /** GitHub only: GraphQL queries that may return more nodes than this time out (502) */
  graphqlTimeoutAboveNodes?: number;
  /** GitHub only: GraphQL queries that may return more nodes than this get RESOURCE_LIMITS_EXCEEDED */
  graphqlResourceLimitAboveNodes?: number;
}

export type FaultConfig = Partial<Record<SourceName, SourceFaults>>;

export interface SandboxOptions {
  /** 0 = pick a free port (default 0) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default 'pulse' */
  seed?: string;
  /** ISO instant used as the sandbox's "now" (default SANDBOX_DEFAULT_NOW) */
  now?: string;
  /** 1 = demo size; N multiplies volumes (generated lazily per page) */
  scale?: number;
  faults?: FaultConfig;
  /**
   * Which Jira each scenario's manifest points at: `cloud` (/jira, email + API token,
   * search/jql) or `datacenter` (/jira-dc, PAT, legacy search). Default: steady on Cloud,
   * slipping on Data Center, so the demo exercises both.
   */
  jiraFlavours?: Partial<Record<ScenarioName, 'cloud' | 'datacenter'>>;
  /** The clock of Slack's per-minute limits (default Date.now; tests pass a virtual one). */
  slackClock?: () => number;
  /** Where the Slack Events API sender posts (Pulse's /api/slack/events); unset: no events. */
  slackEventsUrl?: string;
}

export interface WorkingCalendar {
  timeZone: string;
  workdays: number[]; // ISO weekday 1 = Monday
  start: string; // HH:mm
  end: string; // HH:mm
}

export interface ManifestPerson {
  name: string;
  side: Side;
  email: string;
  timeZone: string;
  github: { login: string; id: number };
  jira: { accountId: string };
  slack: { userId: string };
  /** set when the person leaves the engagement inside the history */
  leftAt?: string;
  /** set when the person joins after the history starts */
  joinedAt?: string;
}

export interface ManifestBot {
  source: SourceName;
  /** GitHub login, Slack bot id, … */
  name: string;
  id: string;
}

export interface GithubCounts {
  pullRequests: number;
  openPullRequests: number;
  mergedPullRequests: number;
  closedUnmergedPullRequests: number;
  draftPullRequests: number;
  botPullRequests: number;
  mergedWithoutReview: number;
  reviews: number;
  reviewComments: number;
  commits: number;
  /** issues that are not pull requests */
  issues: number;
  openIssues: number;
  bugIssues: number;
  deployments: number;
  productionDeployments: number;
  successfulProductionDeployments: number;
  releases: number;
  workflowRuns: number;
  artifacts: number;
}

export interface JiraCounts {
  issues: number;
  bugs: number;
  openBugs: number;
  /** bugs whose resolution was cleared after being set (observable by "now") */
  reopenedBugs: number;
  subTasks: number;
  resolved: number;
  comments: number;
  sprints: number;
  closedSprints: number;
  /** closed + active: the sprints with a start (a collector stores these) */
  startedSprints: number;
}

export interface SlackCounts {
  /** top-level messages of all channels (what conversations.history returns), joins/leaves and bot messages included */
  topLevelMessages: number;
  /** thread replies (parent excluded) */
  replies: number;
  threads: number;
  joinLeaveMessages: number;
  botMessages: number;
}

export interface ScenarioManifest {
  name: ScenarioName;
  /** name for the demo engagement */
  engagementName: string;
  calendars: { client: WorkingCalendar; vendor: WorkingCalendar };
  github: {
    baseUrl: string;
    owner: string;
    repos: { name: string; fullName: string; defaultBranch: string; coverageReport: 'cobertura' | 'lcov' }[];
    productionEnvironment: string;
    coverageArtifactName: string;
    coverageStatusContext: string;
  };
  jira: {
    protocol: 'http';
    host: string;
    port: string;
    base: string;
    apiVersion: '2';
    /** `cloud`: email + API token; `datacenter`: personal access token. */
    flavour: 'cloud' | 'datacenter';
    /** Site URL for a Jira connection (`http://host:port/base`). */
    siteUrl: string;
    projectKey: string;
    projectId: string;
    boardId: number;
    bugTypes: string[];
    storyPointsField: string;
    sprintField: string;
  };
  slack: {
    apiUrl: string;
    channels: { id: string; name: string }[];
  };
  people: ManifestPerson[];
  bots: ManifestBot[];
  /** ground truth; null when not computed (worlds with scale > 5 unless asked for) */
  counts: ScenarioCounts | null;
}

export interface ScenarioCounts {
  github: GithubCounts;
  githubByRepo: Record<string, GithubCounts>;
  jira: JiraCounts;
  slack: SlackCounts;
  slackByChannel: Record<string, SlackCounts>;
}

export interface SandboxManifest {
  url: string;
  seed: string;
  now: string;
  /** start of the generated history */
  historyStart: string;
  scale: number;
  credentials: {
    github: { token: string; tokenEnv: 'SANDBOX_GITHUB_TOKEN' };
    jira: {
      email: string;
      apiToken: string;
      emailEnv: 'SANDBOX_JIRA_EMAIL';
      apiTokenEnv: 'SANDBOX_JIRA_API_TOKEN';
      /** Data Center personal access token. */
      personalAccessToken: string;
    };
    slack: { botToken: string; botTokenEnv: 'SANDBOX_SLACK_BOT_TOKEN' };
  };
  scenarios: Record<ScenarioName, ScenarioManifest>;
}

export interface PostedSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  threadTs?: string;
  postedAt: string;
  /** Set by chat.update: when the message was last edited, and how many times. */
  updatedAt?: string;
  updates?: number;
}

/** A late answer to a slash command, posted to its `response_url` (Slack shows it to the user). */
export interface SlashCommandResponse {
  /** The response_url's path, e.g. `/slack/commands/T0SANDBOX/1001/sandbox1`. */
  path: string;
  /** The JSON Pulse posted (`text`, `blocks`, `response_type`, `replace_original`). */
  body: unknown;
  receivedAt: string;
}

export interface AdvanceResult {
  previousNow: string;
  now: string;
  changed: Record<
    ScenarioName,
    {
      github: Record<string, { updatedPulls: number[]; updatedIssues: number[]; createdPulls: number[] }>;
      jira: { updatedIssues: string[]; createdIssues: string[] };
      slack: Record<string, { newMessages: string[]; threadsWithNewReplies: string[] }>;
    }
  >;
}

export interface SandboxRequestLogEntry {
  source: SourceName;
  method: string;
  /** Path from the origin, without the query. */
  path: string;
  status: number;
}

export interface RunningSandbox {
  url: string;
  port: number;
  host: string;
  /** GitHub REST base URL for Octokit */
  githubUrl: string;
  /** Slack Web API base URL for WebClient */
  slackUrl: string;
  /** options for jira-client (add username/password) */
  jira: { protocol: 'http'; host: string; port: string; base: string; apiVersion: '2' };
  /** counts default to true at scale ≤ 5 (they scan the whole world) */
  manifest(options?: { counts?: boolean }): SandboxManifest;
  setFaults(faults: FaultConfig): void;
  advance(hours?: number): AdvanceResult;
  /**
   * Edits or deletes a Slack message (top-level or reply) after the fact: the history shows it
   * as Slack would; the returned `event` is what Slack would push (not sent by this call).
   */
  changeSlackMessage(
    kind: SlackChangeKind,
    channel: string,
    ts: string,
  ): SlackChange | { error: 'channel_not_found' | 'message_not_found' };
  reset(): void;
  posted(): PostedSlackMessage[];
  /** Late slash-command answers posted to `<url>/slack/commands/…` response URLs, oldest first. */
  slashResponses(): SlashCommandResponse[];
  /** API requests answered since start, reset() or clearRequests(), oldest first. */
  requests(): SandboxRequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
}
