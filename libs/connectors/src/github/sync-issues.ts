// Issues by REST: the issues list walked newest-updated first (pull requests in it are
// left to the pulls list), with the timeline where the work item needs it.
import { type WorkItemRecord } from '@pulse/contracts';
import {
  type GithubIssue,
  isPullRequestIssue,
  issueNeedsTimeline,
  parseIssue,
  toWorkItemRecord,
} from './mappers';
import { type RepoScope, isGone, pool } from './repo-scope';
import { isoKey, pickKey, skippedKey, walkList } from './walk';

async function workItemOf(scope: RepoScope, issue: GithubIssue): Promise<WorkItemRecord> {
  const timeline = issueNeedsTimeline(issue)
    ? await scope.client.getAll<unknown>(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
        scope.params({ issue_number: issue.number }),
      )
    : null;
  return toWorkItemRecord(scope.repo, issue, timeline);
}

/** Issues skipped by an earlier sync, fetched again by number. */
async function retryIssues(scope: RepoScope): Promise<void> {
  const numbers = [...(scope.cursor.retry?.issues ?? [])];
  if (numbers.length === 0) return;
  const skips = scope.ctx.skips;
  const results = await pool(numbers, scope.ctx.concurrency, async (n) => {
    let raw: unknown;
    try {
      raw = (
        await scope.client.get<unknown>(
          'GET /repos/{owner}/{repo}/issues/{issue_number}',
          scope.params({ issue_number: n }),
        )
      ).data;
    } catch (e) {
      if (isGone(e)) return { n, record: null, done: true };
      throw e;
    }
    if (isPullRequestIssue(raw)) return { n, record: null, done: true };
    const issue = parseIssue(scope.repo, raw, skips);
    return issue
      ? { n, record: await workItemOf(scope, issue), done: true }
      : { n, record: null, done: false };
  });
  const batch = scope.emptyBatch();
  for (const r of results) if (r.record) batch.workItems.push(r.record);
  await scope.save(batch);
  for (const r of results) if (r.done) scope.forget('issues', r.n);
  await scope.ctx.saveCursor();
}

export async function syncIssues(scope: RepoScope): Promise<void> {
  const skips = scope.ctx.skips;
  await retryIssues(scope);
  // Newest-first without `since`: the URL stays the same between syncs, so an unchanged
  // repo answers 304; stopping at the cursor gives what `since` would.
  await walkList<unknown>(scope, {
    walk: scope.cursor.issues,
    route: 'GET /repos/{owner}/{repo}/issues',
    params: scope.params({ state: 'all', sort: 'updated', direction: 'desc' }),
    keyOf: (raw) => {
      const p = isoKey.safeParse(pickKey(raw, 'number', 'updated_at'));
      if (!p.success) {
        // pull requests in this list are collected from the pulls list
        if (isPullRequestIssue(raw)) return null;
        parseIssue(scope.repo, raw, skips); // logs why
        return skippedKey(raw, 'number', 'updated_at');
      }
      return { id: p.data.id, at: p.data.at, value: raw };
    },
    remember: (id) => scope.remember('issues', id),
    process: async (items, skip) => {
      const issues: GithubIssue[] = [];
      for (const item of items) {
        if (isPullRequestIssue(item.value)) continue;
        const issue = parseIssue(scope.repo, item.value, skips);
        if (issue) {
          issues.push(issue);
          scope.forget('issues', item.id);
        } else skip(item);
      }
      const records = await pool(issues, scope.ctx.concurrency, (issue) => workItemOf(scope, issue));
      if (records.length === 0) return;
      const batch = scope.emptyBatch();
      batch.workItems.push(...records);
      await scope.save(batch);
    },
  });
}
