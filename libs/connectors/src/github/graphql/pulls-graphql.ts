// Pull requests by GraphQL: pages of PRs newest-updated first, each with its reviews,
// review comments, commits and ready-for-review events, down to the stored high-water mark.
// Answers are turned into the REST shapes and handed to the same mappers as the REST path,
// so both paths store the same records.
//
// The walk cursor is the REST one plus the GraphQL `after` of the last stored page: an
// interrupted walk resumes below it, then walks the top again down to where it started.
import { type EpochMs } from '@pulse/contracts';
import {
  commitIdentities,
  firstCommitAt,
  parsePull,
  readyAt,
  toPullRequestRecord,
  toReviewRecords,
} from '../mappers';
import { type RepoScope } from '../repo-scope';
import { type GithubWalkCursor } from '../sync-cursor';
import { type FetchedPull, addPull, retryPulls } from '../sync-pulls';
import {
  type GqlActor,
  type GqlConnection,
  type GqlPageInfo,
  type GqlPull,
  type GqlReview,
  type GqlReviewComment,
  MAX_PULLS_PAGE,
  PULLS_PAGE_QUERY,
  PULL_REST_QUERY,
  REVIEWS_PER_PR,
  REVIEW_COMMENTS_QUERY,
} from './pulls-query';
import { type GraphqlRunner, GraphqlTooBigError } from './runner';

/** First page of an incremental walk: an unchanged repo costs one small query (1 point). */
const PROBE_PAGE = 5;

const nodesOf = <T>(c: GqlConnection<T> | null | undefined): T[] =>
  (c?.nodes ?? []).filter((n): n is T => n !== null);

/** A BigInt id (a decimal string) as REST's number; anything else fails the mapper's check. */
const bigId = (v: string | null): number | null => (v !== null && /^\d{1,16}$/.test(v) ? Number(v) : null);

/** REST's user object: GraphQL names an app by its slug, REST adds "[bot]". */
function restUser(a: GqlActor | null): { login: string; type: string } | null {
  if (!a) return null;
  const bot = a.__typename === 'Bot';
  return {
    login: bot && !a.login.endsWith('[bot]') ? `${a.login}[bot]` : a.login,
    type: bot ? 'Bot' : 'User',
  };
}

function restPull(p: GqlPull): unknown {
  return {
    id: bigId(p.fullDatabaseId),
    number: p.number,
    state: p.state === 'OPEN' ? 'open' : 'closed',
    user: restUser(p.author),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    draft: p.isDraft,
    merge_commit_sha: p.mergeCommit?.oid ?? null,
    html_url: p.url,
    additions: p.additions,
    deletions: p.deletions,
  };
}

/** One PR's lists in full, after follow-up queries. */
interface PullLists {
  reviews: GqlReview[];
  comments: GqlReviewComment[];
  commits: GqlPull['commits']['nodes'];
  ready: string[];
}

class PullsGraphql {
  private pageSize = MAX_PULLS_PAGE;

  constructor(
    private readonly scope: RepoScope,
    private readonly gql: GraphqlRunner,
  ) {}

  private vars(extra: Record<string, unknown>): Record<string, unknown> {
    return { owner: this.scope.owner, name: this.scope.name, ...extra };
  }

  /** One page of PRs; a page GitHub finds too big is asked for again at half the size. */
  private async page(
    after: string | null,
    size: number,
  ): Promise<{ pageInfo: GqlPageInfo; nodes: GqlPull[] }> {
    for (let first = Math.min(size, this.pageSize); ;) {
      try {
        const data = await this.gql.run<{
          repository: { pullRequests: GqlConnection<GqlPull> } | null;
        }>(PULLS_PAGE_QUERY, this.vars({ first, after, reviews: Math.min(REVIEWS_PER_PR, first) }));
        const list = data.repository?.pullRequests;
        return { pageInfo: list?.pageInfo ?? { hasNextPage: false, endCursor: null }, nodes: nodesOf(list) };
      } catch (e) {
        if (!(e instanceof GraphqlTooBigError) || first <= 1) throw e;
        first = Math.max(1, Math.floor(first / 2));
        this.pageSize = first;
      }
    }
  }

  /** Completes the lists a page cut short, with follow-up queries for this PR only. */
  private async complete(p: GqlPull): Promise<PullLists> {
    const reviews = nodesOf(p.reviews);
    const commits = nodesOf(p.commits);
    const timeline = nodesOf(p.timelineItems);
    let next = {
      reviews: p.reviews.pageInfo,
      commits: p.commits.pageInfo,
      timeline: p.timelineItems.pageInfo,
    };
    while (next.reviews.hasNextPage || next.commits.hasNextPage || next.timeline.hasNextPage) {
      const data = await this.gql.run<{
        repository: {
          pullRequest: {
            reviews?: GqlConnection<GqlReview>;
            commits?: GqlPull['commits'];
            timelineItems?: GqlPull['timelineItems'];
          } | null;
        } | null;
      }>(
        PULL_REST_QUERY,
        this.vars({
          number: p.number,
          reviewsAfter: next.reviews.endCursor,
          commitsAfter: next.commits.endCursor,
          timelineAfter: next.timeline.endCursor,
          withReviews: next.reviews.hasNextPage,
          withCommits: next.commits.hasNextPage,
          withTimeline: next.timeline.hasNextPage,
        }),
      );
      const pr = data.repository?.pullRequest;
      const done: GqlPageInfo = { hasNextPage: false, endCursor: null };
      if (!pr) break;
      if (pr.reviews) reviews.push(...nodesOf(pr.reviews));
      if (pr.commits) commits.push(...nodesOf(pr.commits));
      if (pr.timelineItems) timeline.push(...nodesOf(pr.timelineItems));
      next = {
        reviews: next.reviews.hasNextPage ? (pr.reviews?.pageInfo ?? done) : done,
        commits: next.commits.hasNextPage ? (pr.commits?.pageInfo ?? done) : done,
        timeline: next.timeline.hasNextPage ? (pr.timelineItems?.pageInfo ?? done) : done,
      };
    }
    const comments: GqlReviewComment[] = [];
    for (const r of reviews) {
      comments.push(...nodesOf(r.comments));
      let info = r.comments.pageInfo;
      while (info.hasNextPage) {
        const data = await this.gql.run<{ node: { comments?: GqlConnection<GqlReviewComment> } | null }>(
          REVIEW_COMMENTS_QUERY,
          { id: r.id, after: info.endCursor },
        );
        comments.push(...nodesOf(data.node?.comments));
        info = data.node?.comments?.pageInfo ?? { hasNextPage: false, endCursor: null };
      }
    }
    return {
      reviews,
      comments,
      commits,
      ready: timeline.flatMap((t) =>
        t.__typename === 'ReadyForReviewEvent' && t.createdAt ? [t.createdAt] : [],
      ),
    };
  }

  /** The same records as the REST path's `fetchPull`, from one PR of a page. */
  private async toRecords(p: GqlPull): Promise<FetchedPull> {
    const lists = await this.complete(p);
    const repo = this.scope.repo;
    const skips = this.scope.ctx.skips;
    const before = skips.count;
    const pull = parsePull(repo, restPull(p), skips);
    if (!pull) return { number: p.number, part: null, complete: false };
    const commits = (lists.commits ?? [])
      .filter((c) => c !== null)
      .map((c) => ({
        sha: c.commit.oid,
        commit: {
          author: c.commit.author
            ? { date: c.commit.authoredDate, email: c.commit.author.email ?? '' }
            : null,
        },
        author: c.commit.author?.user ? { login: c.commit.author.user.login } : null,
      }));
    const reviews = lists.reviews.map((r) => ({
      id: bigId(r.fullDatabaseId),
      user: restUser(r.author),
      state: r.state,
      submitted_at: r.submittedAt,
    }));
    const comments = lists.comments.map((c) => ({
      id: bigId(c.fullDatabaseId),
      user: restUser(c.author),
      created_at: c.createdAt,
    }));
    const part = {
      pull: toPullRequestRecord(repo, pull, {
        firstCommitAt: firstCommitAt(repo, commits, skips),
        readyAt: readyAt(lists.ready.map((at) => ({ event: 'ready_for_review', created_at: at }))),
      }),
      reviews: toReviewRecords(repo, pull.number, reviews, comments, skips),
      identities: commitIdentities(commits),
    };
    return { number: p.number, part, complete: skips.count === before };
  }

  /**
   * Walks from `after` down to the mark (`hw`, skipping `hwIds` there), storing each page and
   * calling `checkpoint` after it. Returns the newest PR seen (the new mark candidate).
   */
  private async walkDown(args: {
    after: string | null;
    hw: string | null;
    hwIds: number[];
    checkpoint: (top: { iso: string; ids: number[] }, lowest: string, after: string | null) => Promise<void>;
  }): Promise<{ iso: string; ids: number[] } | null> {
    const hw = args.hw ? Date.parse(args.hw) : null;
    const hwIds = new Set(args.hwIds);
    let after = args.after;
    let top: { at: EpochMs; iso: string; ids: number[] } | null = null;
    let size = hw !== null && after === null ? PROBE_PAGE : MAX_PULLS_PAGE;
    for (;;) {
      const page = await this.page(after, size);
      size = MAX_PULLS_PAGE;
      const toStore: GqlPull[] = [];
      let stop = false;
      let lowest: string | null = null;
      for (const p of page.nodes) {
        const at = Date.parse(p.updatedAt);
        if (hw !== null && at < hw) {
          stop = true;
          break;
        }
        if (hw !== null && at === hw && hwIds.has(p.number)) continue;
        if (!top || at > top.at) top = { at, iso: p.updatedAt, ids: [p.number] };
        else if (at === top.at) top.ids.push(p.number);
        lowest = p.updatedAt;
        toStore.push(p);
      }
      if (toStore.length > 0) {
        const fetched: FetchedPull[] = [];
        for (const p of toStore) fetched.push(await this.toRecords(p));
        const batch = this.scope.emptyBatch();
        for (const f of fetched) {
          if (f.part) addPull(batch, f.part);
          // a PR that could not be collected whole is fetched again by number next time
          if (f.complete) this.scope.forget('pulls', f.number);
          else if (!this.scope.remember('pulls', f.number)) this.scope.ctx.heldRecords++;
        }
        await this.scope.save(batch);
      }
      if (top && lowest) await args.checkpoint(top, lowest, page.pageInfo.endCursor);
      if (stop || !page.pageInfo.hasNextPage || page.nodes.length === 0) break;
      after = page.pageInfo.endCursor;
    }
    return top ? { iso: top.iso, ids: top.ids } : null;
  }

  async run(): Promise<void> {
    const walk: GithubWalkCursor = this.scope.cursor.pulls;
    const save = (): Promise<void> => this.scope.ctx.saveCursor();
    // an interrupted GraphQL walk: finish below where it stopped, then walk the top again
    const resumed = walk.partial;
    if (resumed?.after) {
      await this.walkDown({
        after: resumed.after,
        hw: walk.hw,
        hwIds: walk.hwIds,
        checkpoint: async (_top, lowest, after) => {
          walk.partial = { ...resumed, doneDownTo: lowest, ...(after ? { after } : {}) };
          await save();
        },
      });
      walk.hw = resumed.top;
      walk.hwIds = [];
      delete walk.partial;
      await save();
    } else if (resumed) {
      // left by the REST path: the top walk below goes down to the old mark again
      delete walk.partial;
    }
    const top = await this.walkDown({
      after: null,
      hw: walk.hw,
      hwIds: walk.hwIds,
      checkpoint: async (t, lowest, after) => {
        walk.partial = { top: t.iso, doneDownTo: lowest, ...(after ? { after } : {}) };
        await save();
      },
    });
    if (top) {
      const same = walk.hw !== null && Date.parse(walk.hw) === Date.parse(top.iso);
      if (walk.hw === null || Date.parse(top.iso) > Date.parse(walk.hw)) {
        walk.hw = top.iso;
        walk.hwIds = top.ids;
      } else if (same) {
        walk.hwIds = [...new Set([...walk.hwIds, ...top.ids])];
      }
    }
    delete walk.partial;
    // the REST list's ETag no longer vouches for what is stored
    delete this.scope.ctx.cursor.etags[
      this.scope.client.keyOf('GET /repos/{owner}/{repo}/pulls', {
        ...this.scope.params({ state: 'all', sort: 'updated', direction: 'desc' }),
        per_page: 100,
      })
    ];
    await save();
  }
}

/** Pull requests by GraphQL; skipped ones from earlier syncs are fetched again by REST. */
export async function syncPullsGraphql(scope: RepoScope, gql: GraphqlRunner): Promise<void> {
  await retryPulls(scope);
  await new PullsGraphql(scope, gql).run();
}
