// Test data builders: readable records with sensible defaults. Test-only (not exported
// from the library's index).
import {
  type ChatMessageRecord,
  type CoverageSampleRecord,
  type DeploymentRecord,
  type EngagementRecords,
  type PersonRecord,
  type PullRequestRecord,
  type ReleaseRecord,
  type ReviewRecord,
  type SprintRecord,
  type StatusTransitionRecord,
  type WorkItemRecord,
} from '@pulse/contracts';
import { type EngagementContext } from '../context';

/** Epoch ms of an ISO instant; throws on a typo so tests fail loudly. */
export function at(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

let seq = 0;

export function aPerson(overrides: Partial<PersonRecord> & { id: string }): PersonRecord {
  return {
    side: 'vendor',
    isBot: false,
    identities: [
      { source: 'github', externalId: overrides.id },
      { source: 'jira', externalId: overrides.id },
      { source: 'slack', externalId: overrides.id },
    ],
    ...overrides,
  };
}

/** The default roster: carol & cid (client), vince & vera & val (vendor), and a roster bot. */
export function aRoster(): PersonRecord[] {
  return [
    aPerson({ id: 'carol', side: 'client' }),
    aPerson({ id: 'cid', side: 'client' }),
    aPerson({ id: 'vince', side: 'vendor' }),
    aPerson({ id: 'vera', side: 'vendor' }),
    aPerson({ id: 'val', side: 'vendor' }),
    aPerson({ id: 'ci-helper', side: 'vendor', isBot: true }),
  ];
}

export function aPullRequest(overrides: Partial<PullRequestRecord> = {}): PullRequestRecord {
  const number = overrides.number ?? ++seq;
  const repo = overrides.repo ?? 'acme/app';
  return {
    id: `${repo}#${number}`,
    repo,
    number,
    authorLogin: 'vince',
    authorIsBot: false,
    createdAt: at('2024-03-04T10:00:00Z'),
    firstCommitAt: null,
    readyAt: null,
    mergedAt: null,
    closedAt: null,
    draft: false,
    additions: 10,
    deletions: 0,
    mergeCommitSha: null,
    url: `https://github.com/${repo}/pull/${number}`,
    ...overrides,
  };
}

export function aReview(pr: PullRequestRecord, overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    pullRequestId: pr.id,
    kind: 'review',
    reviewerLogin: 'vera',
    reviewerIsBot: false,
    submittedAt: pr.createdAt + HOUR_MS,
    state: 'approved',
    ...overrides,
  };
}

export function aDeployment(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: `dep-${++seq}`,
    repo: 'acme/app',
    environment: 'production',
    sha: `sha-${seq}`,
    createdAt: at('2024-03-04T10:00:00Z'),
    state: 'success',
    finishedAt: overrides.createdAt ?? at('2024-03-04T10:00:00Z'),
    ...overrides,
  };
}

export function aRelease(overrides: Partial<ReleaseRecord> = {}): ReleaseRecord {
  return {
    id: `rel-${++seq}`,
    repo: 'acme/app',
    tagName: `v1.${seq}`,
    publishedAt: at('2024-03-04T10:00:00Z'),
    draft: false,
    prerelease: false,
    ...overrides,
  };
}

export function aCoverageSample(overrides: Partial<CoverageSampleRecord> = {}): CoverageSampleRecord {
  return {
    repo: 'acme/app',
    branch: 'main',
    isDefaultBranch: true,
    sha: `sha-${++seq}`,
    committedAt: at('2024-03-04T10:00:00Z'),
    linesCovered: 80,
    linesValid: 100,
    branchesCovered: null,
    branchesValid: null,
    ...overrides,
  };
}

export function aTransition(
  iso: string,
  from: StatusTransitionRecord['from'],
  to: StatusTransitionRecord['to'],
  authorId: string | null = 'vince',
): StatusTransitionRecord {
  return { at: at(iso), from, to, authorId };
}

export function aWorkItem(overrides: Partial<WorkItemRecord> = {}): WorkItemRecord {
  return {
    key: `PAY-${++seq}`,
    source: 'jira',
    type: 'Story',
    isSubtask: false,
    priority: 'Medium',
    statusCategory: 'todo',
    createdAt: at('2024-03-01T10:00:00Z'),
    resolvedAt: null,
    resolution: null,
    reporterId: 'carol',
    assigneeId: 'vince',
    storyPoints: null,
    labels: [],
    transitions: [],
    comments: [],
    ...overrides,
  };
}

export function aBug(overrides: Partial<WorkItemRecord> = {}): WorkItemRecord {
  return aWorkItem({ type: 'Bug', ...overrides });
}

export function aSprint(overrides: Partial<SprintRecord> = {}): SprintRecord {
  return {
    id: `sprint-${++seq}`,
    startAt: at('2024-02-26T09:00:00Z'),
    endAt: at('2024-03-08T17:00:00Z'),
    completedAt: at('2024-03-08T17:00:00Z'),
    issueKeysAtStart: [],
    issueKeysAddedAfterStart: [],
    ...overrides,
  };
}

/** A Slack message; `ts` is derived from the instant unless given. */
export function aMessage(
  iso: string,
  authorId: string | null,
  overrides: Partial<ChatMessageRecord> = {},
): ChatMessageRecord {
  const t = at(iso);
  return {
    channel: 'C1',
    ts: (t / 1000).toFixed(6),
    at: t,
    threadTs: null,
    authorId,
    subtype: null,
    botId: null,
    ...overrides,
  };
}

/** A reply in the thread of `parent`. */
export function aReply(
  parent: ChatMessageRecord,
  iso: string,
  authorId: string | null,
  overrides: Partial<ChatMessageRecord> = {},
): ChatMessageRecord {
  return aMessage(iso, authorId, { channel: parent.channel, threadTs: parent.ts, ...overrides });
}

export function someRecords(overrides: Partial<EngagementRecords> = {}): EngagementRecords {
  return {
    people: aRoster(),
    pullRequests: [],
    reviews: [],
    deployments: [],
    releases: [],
    coverageSamples: [],
    workItems: [],
    sprints: [],
    chatMessages: [],
    ...overrides,
  };
}

/**
 * Client in New York, vendor in Berlin (both Mon–Fri 09:00–18:00), reported in New York
 * time; `now` far in the future so no bucket is cut short unless a test says so.
 */
export function aContext(overrides: Partial<EngagementContext> = {}): EngagementContext {
  return {
    clientCalendar: { timeZone: 'America/New_York' },
    vendorCalendar: { timeZone: 'Europe/Berlin' },
    now: at('2030-01-01T00:00:00Z'),
    ...overrides,
  };
}
