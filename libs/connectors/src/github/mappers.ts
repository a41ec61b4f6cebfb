// Pure mappers from GitHub REST payloads to the normalized records of @pulse/contracts.
// Every upstream record is validated; a malformed one is skipped and counted with a
// reason, never thrown, so one bad record cannot stop a sync.
import {
  type CoverageSampleRecord,
  type DeploymentRecord,
  type DeploymentState,
  type EpochMs,
  type PullRequestRecord,
  type ReleaseRecord,
  type ReviewRecord,
  type ReviewState,
  type StatusTransitionRecord,
  type WorkItemCommentRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { z } from 'zod';

/** Collects skipped records: a total and the first `cap` reasons. */
export class SkipLog {
  count = 0;
  readonly reasons: string[] = [];

  constructor(private readonly cap = 50) {}

  add(reason: string): void {
    this.count++;
    if (this.reasons.length < this.cap) this.reasons.push(reason);
  }
}

const instant = z.string().refine((v) => Number.isFinite(Date.parse(v)), 'must be an ISO timestamp');
const nullableInstant = instant.nullable();
const actor = z.object({ login: z.string().min(1), type: z.string().optional() });
/** GitHub sends `null` for deleted ("ghost") accounts. */
const optionalActor = actor.nullable().optional();
/** An author: the key must be present (null only for a ghost). */
const requiredActor = actor.nullable();

const GHOST = 'ghost';
const ms = (iso: string): EpochMs => Date.parse(iso);
const msOrNull = (iso: string | null | undefined): EpochMs | null => (iso ? Date.parse(iso) : null);

export function isBotActor(user: { login: string; type?: string | undefined } | null | undefined): boolean {
  if (!user) return false;
  return user.type === 'Bot' || user.login.toLowerCase().endsWith('[bot]');
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'record';
  return `${path}: ${issue.message}`;
}

/** A record's id for a skip reason; only id-like values, so no upstream text is repeated. */
export function idOf(raw: unknown, field: string): string {
  if (raw && typeof raw === 'object') {
    const v = (raw as Record<string, unknown>)[field];
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && /^[\w.-]{1,64}$/.test(v)) return v;
  }
  return '?';
}

/** Validates one upstream record; on failure logs `what #id: path: problem` and returns null. */
function parse<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  what: string,
  idField: string,
  skips: SkipLog,
): z.infer<S> | null {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  skips.add(`${what} ${idOf(raw, idField)}: ${describe(result.error)}`);
  return null;
}

// ---------------------------------------------------------------------------------------
// Pull requests

export const pullSchema = z.object({
  id: z.number(),
  number: z.number().int().positive(),
  state: z.string(),
  user: requiredActor,
  created_at: instant,
  updated_at: instant,
  closed_at: nullableInstant.optional(),
  merged_at: nullableInstant.optional(),
  draft: z.boolean().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  html_url: z.string(),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
});
export type GithubPull = z.infer<typeof pullSchema>;

/** The fields of a list entry the sync needs to decide whether a PR changed. */
export const pullListItemSchema = z.object({ number: z.number().int().positive(), updated_at: instant });
export type GithubPullListItem = z.infer<typeof pullListItemSchema>;

export function parsePullListItem(repo: string, raw: unknown, skips: SkipLog): GithubPullListItem | null {
  return parse(pullListItemSchema, raw, `${repo} pull request`, 'number', skips);
}

export const pullRequestId = (repo: string, number: number): string => `${repo}#${number}`;

export function parsePull(repo: string, raw: unknown, skips: SkipLog): GithubPull | null {
  return parse(pullSchema, raw, `${repo} pull request`, 'number', skips);
}

const commitSchema = z.object({
  sha: z.string(),
  commit: z.object({ author: z.object({ date: instant }).nullable() }),
});

/** Earliest `author.date` of a PR's commits; null when none has one. */
export function firstCommitAt(repo: string, rawCommits: unknown[], skips: SkipLog): EpochMs | null {
  let min: EpochMs | null = null;
  for (const raw of rawCommits) {
    const c = parse(commitSchema, raw, `${repo} commit`, 'sha', skips);
    const date = c?.commit.author?.date;
    if (!date) continue;
    const t = ms(date);
    if (min === null || t < min) min = t;
  }
  return min;
}

const commitIdentitySchema = z.object({
  author: z.object({ login: z.string() }).nullable().optional(),
  commit: z.object({ author: z.object({ email: z.string() }).nullable() }),
});

/** A GitHub login and an email it commits with: how a login is matched to a roster person. */
export interface GithubIdentityHint {
  login: string;
  email: string;
}

/**
 * Login ↔ commit email pairs of a PR's commits (noreply addresses carry no identity).
 * Malformed commits were already counted by `firstCommitAt`; they are just passed over.
 */
export function commitIdentities(rawCommits: unknown[]): GithubIdentityHint[] {
  const seen = new Map<string, GithubIdentityHint>();
  for (const raw of rawCommits) {
    const c = commitIdentitySchema.safeParse(raw);
    const login = c.success ? c.data.author?.login : undefined;
    const email = c.success ? c.data.commit.author?.email?.trim().toLowerCase() : undefined;
    if (!login || !email || !email.includes('@') || email.endsWith('@users.noreply.github.com')) continue;
    seen.set(`${login}\n${email}`, { login, email });
  }
  return [...seen.values()];
}

const timelineEventSchema = z.object({ event: z.string(), created_at: instant });

/** Last `ready_for_review` event, or null when the PR was never marked ready (never a draft). */
export function readyAt(rawTimeline: unknown[]): EpochMs | null {
  let last: EpochMs | null = null;
  for (const raw of rawTimeline) {
    const e = timelineEventSchema.safeParse(raw);
    // other timeline entries (commits, reviews) have other shapes: not malformed, just not events
    if (!e.success || e.data.event !== 'ready_for_review') continue;
    const t = ms(e.data.created_at);
    if (last === null || t > last) last = t;
  }
  return last;
}

export function toPullRequestRecord(
  repo: string,
  pull: GithubPull,
  extras: { firstCommitAt: EpochMs | null; readyAt: EpochMs | null },
): PullRequestRecord {
  return {
    id: pullRequestId(repo, pull.number),
    repo,
    number: pull.number,
    authorLogin: pull.user?.login ?? GHOST,
    authorIsBot: isBotActor(pull.user),
    createdAt: ms(pull.created_at),
    firstCommitAt: extras.firstCommitAt,
    readyAt: extras.readyAt,
    mergedAt: msOrNull(pull.merged_at),
    closedAt: msOrNull(pull.closed_at),
    draft: pull.draft ?? false,
    additions: pull.additions ?? 0,
    deletions: pull.deletions ?? 0,
    mergeCommitSha: pull.merged_at ? (pull.merge_commit_sha ?? null) : null,
    url: pull.html_url,
  };
}

// ---------------------------------------------------------------------------------------
// Reviews and review comments

/**
 * A review record plus its GitHub identity (`review:<id>` / `review_comment:<id>`), the
 * natural key to upsert on. Assignable to `ReviewRecord`.
 */
export interface GithubReviewRecord extends ReviewRecord {
  externalId: string;
}

const REVIEW_STATES: Record<string, ReviewState> = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
};

const reviewSchema = z.object({
  id: z.number(),
  user: optionalActor,
  state: z.string(),
  submitted_at: nullableInstant.optional(),
});

const reviewCommentSchema = z.object({ id: z.number(), user: optionalActor, created_at: instant });

export function toReviewRecords(
  repo: string,
  prNumber: number,
  rawReviews: unknown[],
  rawComments: unknown[],
  skips: SkipLog,
): GithubReviewRecord[] {
  const pullRequestId_ = pullRequestId(repo, prNumber);
  const out: GithubReviewRecord[] = [];
  for (const raw of rawReviews) {
    const r = parse(reviewSchema, raw, `${pullRequestId_} review`, 'id', skips);
    if (!r || r.state.toUpperCase() === 'PENDING') continue; // unsubmitted drafts are not reviews
    const state = REVIEW_STATES[r.state.toUpperCase()];
    if (!state || !r.submitted_at) {
      skips.add(
        `${pullRequestId_} review ${r.id}: ${state ? 'submitted_at missing' : `unknown state ${r.state}`}`,
      );
      continue;
    }
    out.push({
      externalId: `review:${r.id}`,
      pullRequestId: pullRequestId_,
      kind: 'review',
      reviewerLogin: r.user?.login ?? GHOST,
      reviewerIsBot: isBotActor(r.user),
      submittedAt: ms(r.submitted_at),
      state,
    });
  }
  for (const raw of rawComments) {
    const c = parse(reviewCommentSchema, raw, `${pullRequestId_} review comment`, 'id', skips);
    if (!c) continue;
    out.push({
      externalId: `review_comment:${c.id}`,
      pullRequestId: pullRequestId_,
      kind: 'review_comment',
      reviewerLogin: c.user?.login ?? GHOST,
      reviewerIsBot: isBotActor(c.user),
      submittedAt: ms(c.created_at),
      state: 'commented',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Deployments

const deploymentSchema = z.object({
  id: z.number(),
  sha: z.string(),
  environment: z.string(),
  created_at: instant,
  updated_at: instant.optional(),
});
export type GithubDeployment = z.infer<typeof deploymentSchema>;

const deploymentStatusSchema = z.object({ id: z.number(), state: z.string(), created_at: instant });

const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'success',
  'failure',
  'error',
  'inactive',
  'in_progress',
  'queued',
  'pending',
];
const TERMINAL: ReadonlySet<DeploymentState> = new Set(['success', 'failure', 'error', 'inactive']);

export const deploymentId = (repo: string, id: number): string => `${repo}/deployments/${id}`;

export function parseDeployment(repo: string, raw: unknown, skips: SkipLog): GithubDeployment | null {
  return parse(deploymentSchema, raw, `${repo} deployment`, 'id', skips);
}

/**
 * The deployment with its outcome. A `success` wins even when a later status made the
 * deployment `inactive` (GitHub does that when a newer deployment replaces it): it still
 * shipped, at the time of that success.
 */
export function toDeploymentRecord(
  repo: string,
  deployment: GithubDeployment,
  rawStatuses: unknown[],
  skips: SkipLog,
): DeploymentRecord {
  const statuses = rawStatuses
    .map((raw) =>
      parse(deploymentStatusSchema, raw, `${deploymentId(repo, deployment.id)} status`, 'id', skips),
    )
    .filter((s): s is z.infer<typeof deploymentStatusSchema> => s !== null)
    .map((s) => ({ ...s, at: ms(s.created_at), state: s.state.toLowerCase() as DeploymentState }))
    .filter((s) => DEPLOYMENT_STATES.includes(s.state))
    .sort((a, b) => a.at - b.at || a.id - b.id);
  const success = statuses.find((s) => s.state === 'success');
  const terminal = [...statuses].reverse().find((s) => TERMINAL.has(s.state));
  const latest = statuses[statuses.length - 1];
  const decisive = success ?? terminal;
  return {
    id: deploymentId(repo, deployment.id),
    repo,
    environment: deployment.environment,
    sha: deployment.sha,
    createdAt: ms(deployment.created_at),
    state: decisive?.state ?? latest?.state ?? 'pending',
    finishedAt: decisive ? decisive.at : null,
  };
}

export function isDeploymentFinished(record: DeploymentRecord): boolean {
  return record.finishedAt !== null;
}

// ---------------------------------------------------------------------------------------
// Releases

const releaseSchema = z.object({
  id: z.number(),
  tag_name: z.string(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  created_at: instant,
  published_at: nullableInstant.optional(),
  target_commitish: z.string().nullable().optional(),
});

export const releaseId = (repo: string, id: number): string => `${repo}/releases/${id}`;

export function toReleaseRecord(
  repo: string,
  raw: unknown,
  skips: SkipLog,
): (ReleaseRecord & { createdAt: EpochMs }) | null {
  const r = parse(releaseSchema, raw, `${repo} release`, 'id', skips);
  if (!r) return null;
  const target = r.target_commitish ?? null;
  return {
    id: releaseId(repo, r.id),
    repo,
    tagName: r.tag_name,
    publishedAt: r.draft ? null : msOrNull(r.published_at),
    draft: r.draft,
    prerelease: r.prerelease,
    // target_commitish is usually a branch name; only a full SHA identifies the commit
    targetSha: target && /^[0-9a-f]{40}$/i.test(target) ? target : null,
    createdAt: ms(r.created_at),
  };
}

// ---------------------------------------------------------------------------------------
// Issues → work items

const labelSchema = z.union([z.string(), z.object({ name: z.string() })]);
const issueSchema = z.object({
  id: z.number(),
  number: z.number().int().positive(),
  state: z.string(),
  state_reason: z.string().nullable().optional(),
  user: requiredActor,
  assignee: optionalActor,
  labels: z.array(labelSchema),
  comments: z.number().int().nonnegative().optional(),
  created_at: instant,
  updated_at: instant,
  closed_at: nullableInstant.optional(),
  pull_request: z.unknown().optional(),
});
export type GithubIssue = z.infer<typeof issueSchema>;

export function parseIssue(repo: string, raw: unknown, skips: SkipLog): GithubIssue | null {
  return parse(issueSchema, raw, `${repo} issue`, 'number', skips);
}

/** Issues carrying `pull_request` are pull requests: the issues list includes them. */
export function isPullRequestIssue(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && (raw as Record<string, unknown>)['pull_request'] != null;
}

/** True when the status history or comments need the issue's timeline. */
export function issueNeedsTimeline(issue: GithubIssue): boolean {
  return issue.state === 'closed' || issue.state_reason === 'reopened' || (issue.comments ?? 0) > 0;
}

const issueEventSchema = z.object({
  event: z.string(),
  created_at: instant.optional(),
  actor: optionalActor,
  user: optionalActor,
});

const RESOLUTIONS: Record<string, string> = {
  completed: 'Done',
  not_planned: "Won't Do",
  duplicate: 'Duplicate',
};

/**
 * A GitHub issue as a work item: open = todo, closed = done; transitions from its
 * creation and its `closed` / `reopened` timeline events, comments from `commented`.
 * `rawTimeline` null means "not fetched" (an open, never reopened, uncommented issue).
 */
export function toWorkItemRecord(
  repo: string,
  issue: GithubIssue,
  rawTimeline: unknown[] | null,
): WorkItemRecord {
  const createdAt = ms(issue.created_at);
  const transitions: StatusTransitionRecord[] = [
    { at: createdAt, from: null, to: 'todo', authorId: issue.user?.login ?? null },
  ];
  const comments: WorkItemCommentRecord[] = [];
  for (const raw of rawTimeline ?? []) {
    const e = issueEventSchema.safeParse(raw);
    if (!e.success || !e.data.created_at) continue;
    const at = ms(e.data.created_at);
    const who = e.data.actor ?? e.data.user ?? null;
    if (e.data.event === 'closed')
      transitions.push({ at, from: 'todo', to: 'done', authorId: who?.login ?? null });
    else if (e.data.event === 'reopened')
      transitions.push({ at, from: 'done', to: 'todo', authorId: who?.login ?? null });
    else if (e.data.event === 'commented' && who && !isBotActor(who))
      comments.push({ authorId: who.login, at });
  }
  const closed = issue.state === 'closed';
  const closedAt = msOrNull(issue.closed_at);
  if (closed && closedAt !== null && !transitions.some((t) => t.to === 'done')) {
    transitions.push({ at: closedAt, from: 'todo', to: 'done', authorId: null });
  }
  return {
    key: `${repo}#${issue.number}`,
    source: 'github',
    type: 'issue',
    isSubtask: false,
    priority: null,
    statusCategory: closed ? 'done' : 'todo',
    createdAt,
    resolvedAt: closed ? closedAt : null,
    resolution: closed ? (RESOLUTIONS[issue.state_reason ?? 'completed'] ?? 'Done') : null,
    reporterId: issue.user?.login ?? null,
    assigneeId: issue.assignee?.login ?? null,
    storyPoints: null,
    labels: issue.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    transitions,
    comments,
  };
}

// ---------------------------------------------------------------------------------------
// Coverage

export const workflowRunSchema = z.object({
  id: z.number(),
  head_sha: z.string(),
  head_branch: z.string().nullable().optional(),
  created_at: instant,
  conclusion: z.string().nullable().optional(),
  head_commit: z.object({ timestamp: instant }).nullable().optional(),
});
export type GithubWorkflowRun = z.infer<typeof workflowRunSchema>;

export const artifactSchema = z.object({ id: z.number(), name: z.string(), expired: z.boolean().optional() });
export type GithubArtifact = z.infer<typeof artifactSchema>;

/** `coverage*`-style glob (`*` any run, `?` one character), case-insensitive, whole name. */
export function matchesArtifactPattern(name: string, pattern: string): boolean {
  // The pattern is user input: match it with the greedy two-pointer glob walk (at most
  // O(name × pattern) steps) rather than a compiled RegExp, whose backtracking is unbounded.
  const text = name.toLowerCase();
  const glob = pattern.toLowerCase();
  let t = 0;
  let g = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || (glob[g] !== '*' && glob[g] === text[t]))) {
      t++;
      g++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = t;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * Lines "covered/valid" for a sample known only as a percentage (a Codecov status):
 * basis points out of 10 000, so the rate is exact to two decimals. Σcovered/Σvalid across
 * repos then weighs such a repo as 10 000 lines.
 */
export const PERCENT_SAMPLE_LINES = 10_000;

export function percentCoverageSample(
  base: Pick<CoverageSampleRecord, 'repo' | 'branch' | 'isDefaultBranch' | 'sha' | 'committedAt'>,
  percent: number,
): CoverageSampleRecord {
  return {
    ...base,
    linesCovered: Math.round(percent * (PERCENT_SAMPLE_LINES / 100)),
    linesValid: PERCENT_SAMPLE_LINES,
    branchesCovered: null,
    branchesValid: null,
    source: 'status',
  };
}

const commitStatusSchema = z.object({
  context: z.string().optional(),
  state: z.string().optional(),
  description: z.string().nullable().optional(),
});
const checkRunSchema = z.object({
  name: z.string().optional(),
  conclusion: z.string().nullable().optional(),
  output: z
    .object({ title: z.string().nullable().optional(), summary: z.string().nullable().optional() })
    .nullable()
    .optional(),
});

/**
 * Coverage text from commit statuses (combined-status `statuses`) and check runs, in
 * preference order: contexts/names mentioning coverage or codecov first.
 */
export function coverageTextsFromStatuses(rawStatuses: unknown[], rawCheckRuns: unknown[]): string[] {
  const texts: { text: string; preferred: boolean }[] = [];
  for (const raw of rawStatuses) {
    const s = commitStatusSchema.safeParse(raw);
    if (!s.success || !s.data.description || (s.data.state && s.data.state !== 'success')) continue;
    texts.push({ text: s.data.description, preferred: /cov/i.test(s.data.context ?? '') });
  }
  for (const raw of rawCheckRuns) {
    const c = checkRunSchema.safeParse(raw);
    if (!c.success || (c.data.conclusion && c.data.conclusion !== 'success')) continue;
    const preferred = /cov/i.test(c.data.name ?? '');
    for (const text of [c.data.output?.title, c.data.output?.summary]) {
      if (text && (preferred || /coverage/i.test(text))) texts.push({ text, preferred: true });
    }
  }
  return [...texts.filter((t) => t.preferred), ...texts.filter((t) => !t.preferred)].map((t) => t.text);
}
