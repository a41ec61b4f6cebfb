// The GraphQL queries for pull requests, and what they answer. Each PR brings what the
// KPIs need; nested lists longer than one page are completed per PR (see pulls-graphql.ts).
//
// Ids are `fullDatabaseId` (BigInt, sent as a string): `databaseId` is a 32-bit Int that
// GitHub's ids have outgrown.
//
// Cost (GitHub counts one request per connection per parent node): a page of P pull
// requests with R reviews each costs 1 + 3P + P·R requests, i.e. (1 + 3P + P·R) / 100
// points. Leaf lists (commits, timeline, review comments) do not multiply, so they are asked
// for in full pages of 100.

/** Reviews asked for per PR on a list page: the only nested list that multiplies the cost. */
export const REVIEWS_PER_PR = 5;
/** Largest PR page: 1 + 3·25 + 25·5 = 201 requests → 2 points. */
export const MAX_PULLS_PAGE = 25;

const ACTOR = 'login __typename';

const PULL_FIELDS = `
  number fullDatabaseId state isDraft url createdAt updatedAt closedAt mergedAt additions deletions
  author { ${ACTOR} }
  mergeCommit { oid }
  reviews(first: $reviews) {
    pageInfo { hasNextPage endCursor }
    nodes { id fullDatabaseId state submittedAt author { ${ACTOR} }
      comments(first: 100) { pageInfo { hasNextPage endCursor } nodes { fullDatabaseId createdAt author { ${ACTOR} } } } }
  }
  commits(first: 100) {
    pageInfo { hasNextPage endCursor }
    nodes { commit { oid authoredDate author { email user { login } } } }
  }
  timelineItems(first: 100, itemTypes: [READY_FOR_REVIEW_EVENT]) {
    pageInfo { hasNextPage endCursor }
    nodes { __typename ... on ReadyForReviewEvent { createdAt } }
  }`;

const RATE = 'rateLimit { cost remaining resetAt }';

export const PULLS_PAGE_QUERY = `
query PulsePulls($owner: String!, $name: String!, $first: Int!, $after: String, $reviews: Int!) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${PULL_FIELDS} }
    }
  }
}`;

/** The rest of one PR's long lists, each from where the page left it. */
export const PULL_REST_QUERY = `
query PulsePullLists($owner: String!, $name: String!, $number: Int!,
    $reviewsAfter: String, $commitsAfter: String, $timelineAfter: String,
    $withReviews: Boolean!, $withCommits: Boolean!, $withTimeline: Boolean!) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $reviewsAfter) @include(if: $withReviews) {
        pageInfo { hasNextPage endCursor }
        nodes { id fullDatabaseId state submittedAt author { ${ACTOR} }
          comments(first: 100) { pageInfo { hasNextPage endCursor } nodes { fullDatabaseId createdAt author { ${ACTOR} } } } }
      }
      commits(first: 100, after: $commitsAfter) @include(if: $withCommits) {
        pageInfo { hasNextPage endCursor }
        nodes { commit { oid authoredDate author { email user { login } } } }
      }
      timelineItems(first: 100, after: $timelineAfter, itemTypes: [READY_FOR_REVIEW_EVENT]) @include(if: $withTimeline) {
        pageInfo { hasNextPage endCursor }
        nodes { __typename ... on ReadyForReviewEvent { createdAt } }
      }
    }
  }
}`;

/** The rest of one review's comments (a review with more than 100). */
export const REVIEW_COMMENTS_QUERY = `
query PulseReviewComments($id: ID!, $after: String) {
  ${RATE}
  node(id: $id) {
    ... on PullRequestReview {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { fullDatabaseId createdAt author { ${ACTOR} } }
      }
    }
  }
}`;

export interface GqlPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface GqlConnection<T> {
  pageInfo: GqlPageInfo;
  nodes: (T | null)[] | null;
}

export interface GqlActor {
  login: string;
  __typename: string;
}

export interface GqlReviewComment {
  fullDatabaseId: string | null;
  createdAt: string;
  author: GqlActor | null;
}

export interface GqlReview {
  id: string;
  fullDatabaseId: string | null;
  state: string;
  submittedAt: string | null;
  author: GqlActor | null;
  comments: GqlConnection<GqlReviewComment>;
}

export interface GqlCommit {
  commit: {
    oid: string;
    authoredDate: string;
    author: { email: string | null; user: { login: string } | null } | null;
  };
}

export interface GqlTimelineItem {
  __typename: string;
  createdAt?: string;
}

export interface GqlPull {
  number: number;
  fullDatabaseId: string | null;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  url: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  additions: number;
  deletions: number;
  author: GqlActor | null;
  mergeCommit: { oid: string } | null;
  reviews: GqlConnection<GqlReview>;
  commits: GqlConnection<GqlCommit>;
  timelineItems: GqlConnection<GqlTimelineItem>;
}

export interface GqlRateLimit {
  cost: number;
  remaining: number;
  resetAt: string;
}
