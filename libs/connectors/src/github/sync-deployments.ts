// Deployments (with their statuses; unfinished ones re-checked on later syncs) and
// releases by REST.
import { type ReleaseRecord } from '@pulse/contracts';
import { hasNextPage } from './client';
import { type GithubDeployment, parseDeployment, toDeploymentRecord, toReleaseRecord } from './mappers';
import { type RepoScope, idField, pool } from './repo-scope';
import { type GithubPendingDeployment } from './sync-cursor';
import { skippedKey, walkList } from './walk';

// --- deployments ---------------------------------------------------------------------

async function deploymentStatuses(
  scope: RepoScope,
  id: number,
  etag: string | undefined,
): Promise<{ notModified: true } | { notModified: false; statuses: unknown[]; etag: string | null }> {
  const route = 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
  const params = scope.params({ deployment_id: id, per_page: 100 });
  const first = await scope.client.getConditional<unknown>(route, params, etag);
  if (first.notModified) return first;
  const statuses = Array.isArray(first.data) ? [...(first.data as unknown[])] : [];
  if (hasNextPage(first.headers)) {
    statuses.push(...(await scope.client.getAll<unknown>(route, params)).slice(statuses.length));
  }
  return { notModified: false, statuses, etag: first.etag };
}

export async function syncDeployments(scope: RepoScope): Promise<void> {
  const skips = scope.ctx.skips;
  await recheckPendingDeployments(scope);
  await walkList<GithubDeployment>(scope, {
    walk: scope.cursor.deployments,
    route: 'GET /repos/{owner}/{repo}/deployments',
    params: scope.params(),
    keyOf: (raw) => {
      const d = parseDeployment(scope.repo, raw, skips);
      return d ? { id: d.id, at: d.created_at, value: d } : skippedKey(raw, 'id', 'created_at');
    },
    process: async (items) => {
      const records = await pool(items, scope.ctx.concurrency, async (item) => {
        const d = item.value;
        const res = await deploymentStatuses(scope, d.id, undefined);
        const statuses = res.notModified ? [] : res.statuses;
        const before = skips.count;
        const record = toDeploymentRecord(scope.repo, d, statuses, skips);
        // a malformed status may hide the outcome: re-checked next time, without an ETag
        if (skips.count !== before)
          trackPending(scope, { id: d.id, environment: d.environment, sha: d.sha, createdAt: d.created_at });
        else if (record.finishedAt === null && !res.notModified) {
          trackPending(scope, {
            id: d.id,
            environment: d.environment,
            sha: d.sha,
            createdAt: d.created_at,
            ...(res.etag ? { etag: res.etag } : {}),
          });
        }
        return record;
      });
      const batch = scope.emptyBatch();
      batch.deployments.push(...records);
      await scope.save(batch);
    },
  });
}

function trackPending(scope: RepoScope, p: GithubPendingDeployment): void {
  const list = scope.cursor.pendingDeployments.filter((x) => x.id !== p.id);
  list.push(p);
  // a deployment that never finishes must not be re-checked forever
  scope.cursor.pendingDeployments = list.sort((a, b) => b.id - a.id).slice(0, 50);
}

async function recheckPendingDeployments(scope: RepoScope): Promise<void> {
  const pending = [...scope.cursor.pendingDeployments];
  if (pending.length === 0) return;
  const skips = scope.ctx.skips;
  const batch = scope.emptyBatch();
  for (const p of pending) {
    const res = await deploymentStatuses(scope, p.id, p.etag);
    if (res.notModified) continue;
    const before = skips.count;
    const record = toDeploymentRecord(
      scope.repo,
      { id: p.id, environment: p.environment, sha: p.sha, created_at: p.createdAt },
      res.statuses,
      skips,
    );
    batch.deployments.push(record);
    if (skips.count !== before) {
      const { etag: _stale, ...withoutEtag } = p;
      trackPending(scope, withoutEtag);
    } else if (record.finishedAt !== null) {
      scope.cursor.pendingDeployments = scope.cursor.pendingDeployments.filter((x) => x.id !== p.id);
    } else {
      trackPending(scope, { ...p, ...(res.etag ? { etag: res.etag } : {}) });
    }
  }
  if (batch.deployments.length > 0) await scope.save(batch);
  await scope.ctx.saveCursor();
}

// --- releases ------------------------------------------------------------------------

export async function syncReleases(scope: RepoScope): Promise<void> {
  const skips = scope.ctx.skips;
  await walkList<ReleaseRecord>(scope, {
    walk: scope.cursor.releases,
    route: 'GET /repos/{owner}/{repo}/releases',
    params: scope.params(),
    keyOf: (raw) => {
      const r = toReleaseRecord(scope.repo, raw, skips);
      if (!r) return skippedKey(raw, 'id', 'created_at');
      const { createdAt, ...release } = r;
      return { id: Number(idField(raw)), at: new Date(createdAt).toISOString(), value: release };
    },
    process: async (items) => {
      const batch = scope.emptyBatch();
      batch.releases.push(...items.map((i) => i.value));
      await scope.save(batch);
    },
  });
}
