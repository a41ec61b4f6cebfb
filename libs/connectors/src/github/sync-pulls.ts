// Pull requests by REST: the pulls list walked newest-updated first, and per pull request
// its detail, reviews, review comments, commits and timeline.
import { type PullRequestRecord } from '@pulse/contracts';
import {
  type GithubIdentityHint,
  type GithubReviewRecord,
  commitIdentities,
  firstCommitAt,
  parsePull,
  readyAt,
  toPullRequestRecord,
  toReviewRecords,
} from './mappers';
import { type RepoScope, isGone, pool } from './repo-scope';
import { type GithubPageBatch } from './sync-types';
import { type WalkItem, isoKey, pickKey, skippedKey, walkList } from './walk';

export interface FetchedPull {
  number: number;
  part: { pull: PullRequestRecord; reviews: GithubReviewRecord[]; identities: GithubIdentityHint[] } | null;
  complete: boolean;
}

export function addPull(batch: GithubPageBatch, part: NonNullable<FetchedPull['part']>): void {
  batch.pullRequests.push(part.pull);
  batch.reviews.push(...part.reviews);
  (batch.identityHints ??= []).push(...part.identities);
}

/** Pull requests skipped by an earlier sync, fetched again by number. */
export async function retryPulls(scope: RepoScope): Promise<void> {
  const numbers = [...(scope.cursor.retry?.pulls ?? [])];
  if (numbers.length === 0) return;
  const fetched = await pool(numbers, scope.ctx.concurrency, async (n) => {
    try {
      return await fetchPull(scope, n);
    } catch (e) {
      if (isGone(e)) return { number: n, part: null, complete: true };
      throw e;
    }
  });
  const batch = scope.emptyBatch();
  for (const f of fetched) if (f.part) addPull(batch, f.part);
  await scope.save(batch);
  for (const f of fetched) if (f.complete) scope.forget('pulls', f.number);
  await scope.ctx.saveCursor();
}

export async function syncPulls(scope: RepoScope): Promise<void> {
  const skips = scope.ctx.skips;
  await retryPulls(scope);
  await walkList<null>(scope, {
    walk: scope.cursor.pulls,
    route: 'GET /repos/{owner}/{repo}/pulls',
    params: scope.params({ state: 'all', sort: 'updated', direction: 'desc' }),
    keyOf: (raw) => {
      const p = isoKey.safeParse(pickKey(raw, 'number', 'updated_at'));
      if (!p.success) {
        parsePull(scope.repo, raw, skips); // logs why
        return skippedKey(raw, 'number', 'updated_at');
      }
      return { id: p.data.id, at: p.data.at, value: null };
    },
    remember: (id) => scope.remember('pulls', id),
    process: async (items, skip) => {
      const fetched = await pool(items, scope.ctx.concurrency, (item) => fetchPull(scope, item.id));
      const batch = scope.emptyBatch();
      fetched.forEach((f, i) => {
        if (f.part) addPull(batch, f.part);
        if (f.complete) scope.forget('pulls', f.number);
        else skip(items[i] as WalkItem<null>);
      });
      await scope.save(batch);
    },
  });
}

/**
 * A pull request with its reviews, commits and timeline. `complete` is false when any
 * of it was skipped as malformed (the pull request itself or one of its reviews).
 */
async function fetchPull(scope: RepoScope, number: number): Promise<FetchedPull> {
  const p = scope.params({ pull_number: number });
  const [detail, reviews, comments, commits, timeline] = await Promise.all([
    scope.client.get<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}', p),
    scope.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', p),
    scope.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', p),
    scope.client.getAll<unknown>('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', p),
    scope.client.getAll<unknown>(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
      scope.params({ issue_number: number }),
    ),
  ]);
  // synchronous from here on: the skips counted belong to this pull request
  const skips = scope.ctx.skips;
  const before = skips.count;
  const pull = parsePull(scope.repo, detail.data, skips);
  if (!pull) return { number, part: null, complete: false };
  const part = {
    pull: toPullRequestRecord(scope.repo, pull, {
      firstCommitAt: firstCommitAt(scope.repo, commits, skips),
      readyAt: readyAt(timeline),
    }),
    reviews: toReviewRecords(scope.repo, pull.number, reviews, comments, skips),
    identities: commitIdentities(commits),
  };
  return { number, part, complete: skips.count === before };
}
