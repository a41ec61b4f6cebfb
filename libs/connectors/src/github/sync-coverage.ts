// Coverage by REST: successful push runs on the default branch, one sample per day, read
// from a coverage artifact or else from a commit status / check run stating the percentage.
import { type CoverageSampleRecord } from '@pulse/contracts';
import { type z } from 'zod';
import {
  extractCoverageFromZip,
  isCoverageParseError,
  parseCoveragePercentFromDescription,
} from '../coverage';
import {
  artifactSchema,
  coverageTextsFromStatuses,
  matchesArtifactPattern,
  percentCoverageSample,
  workflowRunSchema,
} from './mappers';
import { type RepoScope, idField, pool } from './repo-scope';
import { skippedKey, walkList } from './walk';

// --- coverage ------------------------------------------------------------------------

export async function syncCoverage(scope: RepoScope): Promise<void> {
  const branch = scope.cursor.defaultBranch ?? 'main';
  const skips = scope.ctx.skips;
  const lookbackDays = scope.ctx.options.coverageLookbackDays ?? 182;
  const daysDone = new Set<string>();
  await walkList<z.infer<typeof workflowRunSchema>>(scope, {
    walk: scope.cursor.coverageRuns,
    route: 'GET /repos/{owner}/{repo}/actions/runs',
    params: scope.params({ branch, status: 'success', event: 'push' }),
    pick: (body) => {
      const runs = (body as { workflow_runs?: unknown } | null)?.workflow_runs;
      return Array.isArray(runs) ? runs : [];
    },
    floor: scope.ctx.options.now() - lookbackDays * 86_400_000,
    keyOf: (raw) => {
      const r = workflowRunSchema.safeParse(raw);
      if (!r.success) {
        skips.add(`${scope.repo} workflow run ${idField(raw)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
        return skippedKey(raw, 'id', 'created_at');
      }
      return { id: r.data.id, at: r.data.created_at, value: r.data };
    },
    process: async (items) => {
      // one sample per day is plenty for weekly KPIs: the newest successful run of each day
      const chosen = items.filter((i) => {
        const day = i.atIso.slice(0, 10);
        if (daysDone.has(day)) return false;
        daysDone.add(day);
        return true;
      });
      const samples = await pool(chosen, scope.ctx.concurrency, (i) => coverageOfRun(scope, i.value, branch));
      const batch = scope.emptyBatch();
      batch.coverageSamples.push(...samples.filter((s): s is CoverageSampleRecord => s !== null));
      if (batch.coverageSamples.length > 0) await scope.save(batch);
    },
  });
}

async function coverageOfRun(
  scope: RepoScope,
  run: z.infer<typeof workflowRunSchema>,
  defaultBranch: string,
): Promise<CoverageSampleRecord | null> {
  const branch = run.head_branch ?? defaultBranch;
  const base = {
    repo: scope.repo,
    branch,
    isDefaultBranch: branch === defaultBranch,
    sha: run.head_sha,
    committedAt: Date.parse(run.head_commit?.timestamp ?? run.created_at),
  };
  const pattern = scope.ctx.options.settings.coverageArtifactPattern || 'coverage*';
  const artifacts = await scope.client.getAll<unknown>(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    scope.params({ run_id: run.id }),
    (body) => {
      const list = (body as { artifacts?: unknown } | null)?.artifacts;
      return Array.isArray(list) ? list : [];
    },
  );
  const match = artifacts
    .map((a) => artifactSchema.safeParse(a))
    .find((a) => a.success && !a.data.expired && matchesArtifactPattern(a.data.name, pattern));
  if (match?.success) {
    try {
      const zip = await scope.client.downloadArtifact(scope.owner, scope.name, match.data.id);
      const { totals } = extractCoverageFromZip(zip);
      return {
        ...base,
        linesCovered: totals.linesCovered,
        linesValid: totals.linesValid,
        branchesCovered: totals.branchesCovered,
        branchesValid: totals.branchesValid,
        source: 'artifact',
      };
    } catch (e) {
      const status = (e as { status?: unknown } | null)?.status;
      // the name comes from upstream: shown only when it looks like a name
      const name = /^[\w.-]{1,100}$/.test(match.data.name) ? match.data.name : '(unnamed)';
      if (isCoverageParseError(e)) {
        scope.ctx.skips.add(`${scope.repo} coverage artifact ${name} (run ${run.id}): ${e.message}`);
      } else if (status === 404 || status === 410) {
        scope.ctx.skips.add(`${scope.repo} coverage artifact ${name} (run ${run.id}) has expired`);
      } else {
        throw e;
      }
    }
  }
  // Codecov style: a commit status (or check run) stating the percentage
  const status = await scope.client.get<{ statuses?: unknown }>(
    'GET /repos/{owner}/{repo}/commits/{ref}/status',
    scope.params({ ref: run.head_sha }),
  );
  const statuses = Array.isArray(status.data.statuses) ? (status.data.statuses as unknown[]) : [];
  let texts = coverageTextsFromStatuses(statuses, []);
  if (texts.length === 0) {
    const checks = await scope.client.get<{ check_runs?: unknown }>(
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      scope.params({ ref: run.head_sha }),
    );
    texts = coverageTextsFromStatuses(
      [],
      Array.isArray(checks.data.check_runs) ? checks.data.check_runs : [],
    );
  }
  for (const text of texts) {
    const percent = parseCoveragePercentFromDescription(text);
    if (percent !== null) return percentCoverageSample(base, percent);
  }
  return null;
}
