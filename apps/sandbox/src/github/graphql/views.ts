// The sandbox world seen through GitHub's GraphQL schema: plain objects whose fields are
// values or functions of the field's arguments (the executor calls them), with
// `__typename` so interfaces and unions resolve. Same world as the REST routes.
import { GraphQLError } from 'graphql';
import { iso, isoOrNull } from '../../core/http.util';
import { type WorldStore } from '../../core/world.store';
import { type RepoWorld } from '../github.generator';
import { type Actor, type ItemModel, type ReviewModel, type TimelineEventModel } from '../github.model';

type View = Record<string, unknown>;
type Args = Record<string, unknown>;

export interface ViewUrls {
  html: string;
}

/** An error GitHub reports with a `type` (NOT_FOUND, INVALID_CURSOR_ARGUMENTS…). */
export class TypedGraphqlError extends GraphQLError {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

const nodeId = (kind: string, id: number | string): string =>
  Buffer.from(`0:${kind}${String(id)}`).toString('base64');

const encodeCursor = (offset: number): string => Buffer.from(`cursor:v2:${offset}`).toString('base64');

function decodeCursor(c: unknown): number {
  if (typeof c !== 'string') return -1;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m)
    throw new TypedGraphqlError(`\`${c}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS');
  return Number(m[1]);
}

/** Offsets of one page of a connection from `first/after` or `last/before`. */
function window(args: Args, total: number): { from: number; to: number } {
  const after = args['after'] != null ? decodeCursor(args['after']) : -1;
  const before = args['before'] != null ? decodeCursor(args['before']) : total;
  let from = Math.max(0, after + 1);
  let to = Math.min(total, before);
  if (typeof args['first'] === 'number') to = Math.min(to, from + args['first']);
  if (typeof args['last'] === 'number') from = Math.max(from, to - args['last']);
  return { from, to: Math.max(from, to) };
}

function connection(nodes: View[], from: number, total: number, to: number): View {
  return {
    __typename: 'Connection',
    totalCount: total,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: encodeCursor(from + i), node })),
    pageInfo: {
      hasNextPage: to < total,
      hasPreviousPage: from > 0,
      startCursor: nodes.length > 0 ? encodeCursor(from) : null,
      endCursor: nodes.length > 0 ? encodeCursor(to - 1) : null,
    },
  };
}

/** A connection over a list held in memory. */
function listConnection(all: View[], args: Args): View {
  const { from, to } = window(args, all.length);
  return connection(all.slice(from, to), from, all.length, to);
}

export function actorView(a: Actor, urls: ViewUrls): View {
  // GraphQL names an app by its slug; REST adds "[bot]" to the login
  const login = a.type === 'Bot' ? a.login.replace(/\[bot\]$/, '') : a.login;
  return {
    __typename: a.type === 'Bot' ? 'Bot' : 'User',
    id: nodeId(a.type, a.id),
    databaseId: a.id,
    login,
    url: `${urls.html}/${a.type === 'Bot' ? 'apps/' : ''}${encodeURIComponent(login)}`,
    avatarUrl: `${urls.html}/avatars/u/${a.id}?v=4`,
    resourcePath: `/${encodeURIComponent(login)}`,
    name: a.person?.name ?? null,
  };
}

function reviewView(w: RepoWorld, it: ItemModel, r: ReviewModel, urls: ViewUrls): View {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return {
    __typename: 'PullRequestReview',
    // the id leads back to the review (the `node` field)
    id: nodeId('PullRequestReview', `${w.ctx.repo.id}:${it.number}:${r.id}`),
    databaseId: r.id,
    fullDatabaseId: String(r.id),
    state: r.state,
    author: actorView(r.reviewer, urls),
    submittedAt: iso(r.submittedAt),
    createdAt: iso(r.submittedAt),
    url: `${urls.html}/${full}/pull/${it.number}#pullrequestreview-${r.id}`,
    comments: (args: Args) =>
      listConnection(
        it.reviewComments
          .filter((c) => c.reviewId === r.id)
          .map((c) => ({
            __typename: 'PullRequestReviewComment',
            id: nodeId('PullRequestReviewComment', c.id),
            databaseId: c.id,
            fullDatabaseId: String(c.id),
            author: actorView(c.author, urls),
            createdAt: iso(c.createdAt),
            publishedAt: iso(c.createdAt),
            path: c.path,
            line: c.line,
          })),
        args,
      ),
  };
}

const EVENT_TYPES: Record<TimelineEventModel['event'], string> = {
  ready_for_review: 'ReadyForReviewEvent',
  convert_to_draft: 'ConvertToDraftEvent',
  review_requested: 'ReviewRequestedEvent',
  merged: 'MergedEvent',
  closed: 'ClosedEvent',
  reopened: 'ReopenedEvent',
  labeled: 'LabeledEvent',
};

/** READY_FOR_REVIEW_EVENT ↔ ReadyForReviewEvent. */
const itemTypeOf = (typename: string): string => typename.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

function commitView(c: ItemModel['commits'][number], urls: ViewUrls): View {
  return {
    __typename: 'Commit',
    id: nodeId('Commit', c.sha),
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    authoredDate: iso(c.authoredAt),
    committedDate: iso(c.authoredAt),
    messageHeadline: c.message.split('\n')[0],
    author: {
      __typename: 'GitActor',
      name: c.author.person?.name ?? c.author.login,
      email: c.author.person?.email ?? `${c.author.id}+${c.author.login}@users.noreply.github.com`,
      date: iso(c.authoredAt),
      // a Git author is linked to a User only; apps are not users
      user: c.author.type === 'Bot' ? null : actorView(c.author, urls),
    },
  };
}

export function pullRequestView(w: RepoWorld, it: ItemModel, urls: ViewUrls): View {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const merged = it.mergedAt !== undefined;
  const prCommits = (): View[] =>
    it.commits.map((c) => ({
      __typename: 'PullRequestCommit',
      id: nodeId('PullRequestCommit', c.sha),
      commit: commitView(c, urls),
    }));
  return {
    __typename: 'PullRequest',
    id: nodeId('PullRequest', it.id),
    // a 32-bit Int: GitHub's own ids outgrew it (it errors like GitHub's); BigInt is a string
    databaseId: it.id,
    fullDatabaseId: String(it.id),
    number: it.number,
    title: it.title,
    url: `${urls.html}/${full}/pull/${it.number}`,
    state: merged ? 'MERGED' : it.state === 'open' ? 'OPEN' : 'CLOSED',
    isDraft: it.draft,
    merged,
    createdAt: iso(it.createdAt),
    updatedAt: iso(it.updatedAt),
    closedAt: isoOrNull(it.closedAt),
    mergedAt: isoOrNull(it.mergedAt),
    additions: it.additions,
    deletions: it.deletions,
    changedFiles: it.changedFiles,
    baseRefName: 'main',
    headRefName: it.headRef,
    headRefOid: it.headSha,
    mergeCommit: merged
      ? { __typename: 'Commit', id: nodeId('Commit', it.mergeSha), oid: it.mergeSha }
      : null,
    author: actorView(it.author, urls),
    reviews: (args: Args) => {
      const states = Array.isArray(args['states']) ? (args['states'] as string[]) : null;
      return listConnection(
        it.reviews.filter((r) => !states || states.includes(r.state)).map((r) => reviewView(w, it, r, urls)),
        args,
      );
    },
    commits: (args: Args) => listConnection(prCommits(), args),
    timelineItems: (args: Args) => {
      const all: { at: number; view: View }[] = it.events.map((e) => ({
        at: e.createdAt,
        view: {
          __typename: EVENT_TYPES[e.event],
          id: nodeId(EVENT_TYPES[e.event], e.id),
          createdAt: iso(e.createdAt),
          actor: actorView(e.actor, urls),
        },
      }));
      for (const r of it.reviews) all.push({ at: r.submittedAt, view: reviewView(w, it, r, urls) });
      for (const [i, c] of it.commits.entries()) all.push({ at: c.authoredAt, view: prCommits()[i] as View });
      const types = Array.isArray(args['itemTypes']) ? (args['itemTypes'] as string[]) : null;
      const views = all
        .sort((a, b) => a.at - b.at)
        .map((x) => x.view)
        .filter((v) => !types || types.includes(itemTypeOf(String(v['__typename']))));
      return listConnection(views, args);
    },
  };
}

export function repositoryView(world: WorldStore, w: RepoWorld, urls: ViewUrls): View {
  const { repo, scenario } = w.ctx;
  const prs = (i: ItemModel): boolean => i.kind === 'pr';
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${scenario.owner}/${repo.name}`,
    url: `${urls.html}/${scenario.owner}/${repo.name}`,
    isPrivate: true,
    defaultBranchRef: { __typename: 'Ref', id: nodeId('Ref', repo.id), name: 'main', prefix: 'refs/heads/' },
    pullRequest: (args: Args) => {
      const n = Number(args['number']);
      const it =
        Number.isInteger(n) && n > 0
          ? (w.items.byIndex(n - 1) ?? w.items.tail.find((i) => i.number === n))
          : undefined;
      if (!it || it.kind !== 'pr')
        throw new TypedGraphqlError(
          `Could not resolve to a PullRequest with the number of ${String(args['number'])}.`,
          'NOT_FOUND',
        );
      return pullRequestView(w, it, urls);
    },
    pullRequests: (args: Args) => {
      const states = Array.isArray(args['states']) ? (args['states'] as string[]) : null;
      const filter = (i: ItemModel): boolean =>
        prs(i) &&
        (!states ||
          states.includes(i.mergedAt !== undefined ? 'MERGED' : i.state === 'open' ? 'OPEN' : 'CLOSED'));
      const sig = `gql-pr:${states?.join(',') ?? 'all'}`;
      const order = (args['orderBy'] ?? {}) as { field?: string; direction?: string };
      const total = w.items.query({ filter, sig, offset: 0, limit: 0 }).total;
      const { from, to } = window(args, total);
      let items: ItemModel[];
      if (order.field === 'UPDATED_AT' || world.scale > 2) {
        // larger worlds keep last-update order, as the REST list does
        items = w.items.query({
          filter,
          sig,
          desc: order.direction === 'DESC',
          offset: from,
          limit: to - from,
        }).items;
      } else {
        // GitHub's default order is creation, oldest first
        const all = w.items.query({ filter, sig, offset: 0, limit: Number.MAX_SAFE_INTEGER }).items;
        all.sort((x, y) => x.createdAt - y.createdAt || x.number - y.number);
        if (order.direction === 'DESC') all.reverse();
        items = all.slice(from, to);
      }
      return connection(
        items.map((i) => pullRequestView(w, i, urls)),
        from,
        total,
        to,
      );
    },
  };
}

/** `node(id:)` for the node ids Pulse follows up on (reviews). */
export function nodeView(world: WorldStore, id: unknown, urls: ViewUrls): View | null {
  const raw = typeof id === 'string' ? Buffer.from(id, 'base64').toString('utf8') : '';
  const m = /^0:PullRequestReview(\d+):(\d+):(\d+)$/.exec(raw);
  const w = m ? world.repoById(Number(m[1])) : undefined;
  const n = Number(m?.[2]);
  const it = w ? (w.items.byIndex(n - 1) ?? w.items.tail.find((i) => i.number === n)) : undefined;
  const r = it?.reviews.find((x) => x.id === Number(m?.[3]));
  if (!w || !it || !r)
    throw new TypedGraphqlError(
      `Could not resolve to a node with the global id of '${String(id)}'`,
      'NOT_FOUND',
    );
  return reviewView(w, it, r, urls);
}
