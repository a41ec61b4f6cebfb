import { type EngagementRecords } from '@pulse/contracts';
import { type ResolvedContext } from '../context';
import { SampleSet, lowerBound } from '../samples';
import { type PrFacts } from './pull-requests';

/** A successful production deployment (or, lacking those, a published release). */
export interface ShippedEvent {
  repo: string;
  createdAt: number;
  finishedAt: number;
  commitShas?: string[];
}

export interface DeployFacts {
  /** True when there is anything to measure deployments from at all. */
  hasData: boolean;
  /** The production deployments (or releases) the KPIs count; sample items index this. */
  events: ShippedEvent[];
  /** For lead-time samples (item = PR fact index): when that PR was deployed. */
  deployedAtByPr: Map<number, number>;
  /** `v` = local day ordinal (reporting zone) of each deployment's finish. */
  deployDays: SampleSet;
  leadTime: SampleSet;
}

/**
 * Production deployments: successful deployments in a production environment. When the
 * records contain none (production not configured or not used), published non-draft,
 * non-prerelease releases stand in for them.
 */
function shippedEvents(records: EngagementRecords, ctx: ResolvedContext): ShippedEvent[] {
  const out: ShippedEvent[] = [];
  if (ctx.productionEnvironments.size > 0) {
    for (const d of records.deployments) {
      if (d.state !== 'success' || d.finishedAt === null) continue;
      if (!ctx.productionEnvironments.has(d.environment.toLowerCase())) continue;
      out.push({ repo: d.repo, createdAt: d.createdAt, finishedAt: d.finishedAt, commitShas: d.commitShas });
    }
  }
  if (out.length > 0) return out;
  for (const r of records.releases) {
    if (r.draft || r.prerelease || r.publishedAt === null) continue;
    out.push({ repo: r.repo, createdAt: r.publishedAt, finishedAt: r.publishedAt });
  }
  return out;
}

export function buildDeployFacts(
  records: EngagementRecords,
  prs: PrFacts,
  ctx: ResolvedContext,
): DeployFacts {
  const events = shippedEvents(records, ctx);
  const deployDays = new SampleSet();
  events.forEach((e, i) => deployDays.add(e.finishedAt, ctx.reportingDays.dayOf(e.finishedAt), 1, i));

  // Ancestry: a merge commit is deployed by the earliest-finishing deployment that shipped it.
  const deployedBySha = new Map<string, number>();
  // Fallback: per repo, deployments by creation time.
  const byRepo = new Map<string, ShippedEvent[]>();
  for (const e of events) {
    if (e.commitShas) {
      for (const sha of e.commitShas) {
        const prev = deployedBySha.get(sha);
        if (prev === undefined || e.finishedAt < prev) deployedBySha.set(sha, e.finishedAt);
      }
    }
    let list = byRepo.get(e.repo);
    if (!list) byRepo.set(e.repo, (list = []));
    list.push(e);
  }
  const repoCreated = new Map<string, { created: Float64Array; list: ShippedEvent[] }>();
  for (const [repo, list] of byRepo) {
    list.sort((a, b) => a.createdAt - b.createdAt);
    repoCreated.set(repo, { created: Float64Array.from(list, (e) => e.createdAt), list });
  }

  const leadTime = new SampleSet();
  const deployedAtByPr = new Map<number, number>();
  for (let i = 0; i < prs.facts.length; i++) {
    const f = prs.facts[i];
    const mergedAt = f.pr.mergedAt;
    if (mergedAt === null) continue;
    let deployedAt = f.pr.mergeCommitSha ? deployedBySha.get(f.pr.mergeCommitSha) : undefined;
    if (deployedAt === undefined) {
      const repo = repoCreated.get(f.pr.repo);
      if (repo) {
        const i = lowerBound(repo.created, mergedAt);
        if (i < repo.list.length) deployedAt = repo.list[i].finishedAt;
      }
    }
    if (deployedAt === undefined) continue;
    leadTime.span(deployedAt, f.start, deployedAt, i);
    deployedAtByPr.set(i, deployedAt);
  }
  return {
    hasData: events.length > 0,
    events,
    deployedAtByPr,
    deployDays: deployDays.finish(),
    leadTime: leadTime.finish(),
  };
}
