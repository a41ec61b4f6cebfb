// Internal model of the simulated GitHub data (rendered to API JSON by github.render.ts).
import { type Person, type RepoDef, type Scenario } from '../core/world.model';

export interface Actor {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  person?: Person;
}

export interface ReviewModel {
  id: number;
  reviewer: Actor;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';
  submittedAt: number;
}

export interface ReviewCommentModel {
  id: number;
  reviewId: number;
  author: Actor;
  createdAt: number;
  path: string;
  line: number;
}

export interface CommitModel {
  sha: string;
  authoredAt: number;
  author: Actor;
  message: string;
}

export interface TimelineEventModel {
  id: number;
  event:
    | 'ready_for_review'
    | 'review_requested'
    | 'merged'
    | 'closed'
    | 'reopened'
    | 'labeled'
    | 'convert_to_draft';
  createdAt: number;
  actor: Actor;
  requestedReviewer?: Actor;
  label?: string;
}

export interface ItemModel {
  kind: 'pr' | 'issue';
  scenario: Scenario;
  repo: RepoDef;
  index: number;
  number: number;
  id: number;
  title: string;
  author: Actor;
  createdAt: number;
  updatedAt: number;
  closedAt?: number;
  mergedAt?: number;
  state: 'open' | 'closed';
  /** currently a draft (open PR never marked ready) */
  draft: boolean;
  wasDraft: boolean;
  readyAt?: number;
  labels: string[];
  reviews: ReviewModel[];
  reviewComments: ReviewCommentModel[];
  commits: CommitModel[];
  events: TimelineEventModel[];
  requestedReviewers: Actor[];
  additions: number;
  deletions: number;
  changedFiles: number;
  headRef: string;
  headSha: string;
  mergeSha: string;
  comments: number;
  reopenCount: number;
  /** coverage (percent, 2 decimals) measured on the merge commit */
  coverage: number;
  previousCoverage: number;
  linesValid: number;
  branchesValid: number;
  ciFailed: boolean;
}

export interface DeploymentModel {
  scenario: Scenario;
  repo: RepoDef;
  id: number;
  sha: string;
  ref: string;
  environment: 'production' | 'staging';
  createdAt: number;
  creator: Actor;
  statuses: { id: number; state: 'in_progress' | 'success' | 'failure'; createdAt: number }[];
}

export interface ReleaseModel {
  scenario: Scenario;
  repo: RepoDef;
  id: number;
  tag: string;
  name: string;
  createdAt: number;
  publishedAt: number;
  prerelease: boolean;
  draft: boolean;
  author: Actor;
  sha: string;
}
