import { type CoverageSampleRecord, type EngagementRecords } from '@pulse/contracts';

/** Engagement coverage at one instant: Σ over repos of each repo's latest sample. */
export interface CoverageSnapshot {
  linesCovered: number;
  linesValid: number;
  /** Repos contributing line data. */
  repos: number;
  branchesCovered: number;
  branchesValid: number;
  /** Repos whose latest sample has branch data. */
  branchRepos: number;
}

export interface CoverageFacts {
  /** Default-branch samples sorted by commit time (stable). */
  samples: CoverageSampleRecord[];
}

export function buildCoverageFacts(records: EngagementRecords): CoverageFacts {
  const samples = records.coverageSamples
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.isDefaultBranch)
    .sort((a, b) => a.s.committedAt - b.s.committedAt || a.i - b.i)
    .map(({ s }) => s);
  return { samples };
}

const hasBranches = (s: CoverageSampleRecord): boolean =>
  s.branchesCovered !== null && s.branchesValid !== null;

/**
 * Scan path: for each repo the latest default-branch sample strictly before `t` (a
 * bucket's end is exclusive, so "at or before the end of the bucket" is `< end`).
 */
export function snapshotAt(facts: CoverageFacts, t: number): CoverageSnapshot {
  const latest = new Map<string, CoverageSampleRecord>();
  for (const s of facts.samples) if (s.committedAt < t) latest.set(s.repo, s);
  return summarize(latest.values());
}

function summarize(samples: Iterable<CoverageSampleRecord>): CoverageSnapshot {
  const snap: CoverageSnapshot = {
    linesCovered: 0,
    linesValid: 0,
    repos: 0,
    branchesCovered: 0,
    branchesValid: 0,
    branchRepos: 0,
  };
  for (const s of samples) {
    snap.linesCovered += s.linesCovered;
    snap.linesValid += s.linesValid;
    snap.repos++;
    if (hasBranches(s)) {
      snap.branchesCovered += s.branchesCovered ?? 0;
      snap.branchesValid += s.branchesValid ?? 0;
      snap.branchRepos++;
    }
  }
  return snap;
}

/**
 * Batch path: snapshots at many instants with one sweep, keeping running sums and
 * replacing a repo's contribution whenever a newer sample of it passes.
 */
export function snapshotsAt(facts: CoverageFacts, instants: number[]): Map<number, CoverageSnapshot> {
  const sortedInstants = [...new Set(instants)].sort((a, b) => a - b);
  const out = new Map<number, CoverageSnapshot>();
  const current = new Map<string, CoverageSampleRecord>();
  const run: CoverageSnapshot = {
    linesCovered: 0,
    linesValid: 0,
    repos: 0,
    branchesCovered: 0,
    branchesValid: 0,
    branchRepos: 0,
  };
  const apply = (s: CoverageSampleRecord, sign: 1 | -1): void => {
    run.linesCovered += sign * s.linesCovered;
    run.linesValid += sign * s.linesValid;
    run.repos += sign;
    if (hasBranches(s)) {
      run.branchesCovered += sign * (s.branchesCovered ?? 0);
      run.branchesValid += sign * (s.branchesValid ?? 0);
      run.branchRepos += sign;
    }
  };
  let i = 0;
  for (const t of sortedInstants) {
    while (i < facts.samples.length && facts.samples[i].committedAt < t) {
      const s = facts.samples[i++];
      const prev = current.get(s.repo);
      if (prev) apply(prev, -1);
      apply(s, 1);
      current.set(s.repo, s);
    }
    out.set(t, { ...run });
  }
  return out;
}

/** Line coverage in % of a snapshot; null when nothing has lines. */
export const lineRate = (s: CoverageSnapshot): number | null =>
  s.linesValid > 0 ? (100 * s.linesCovered) / s.linesValid : null;
/** Branch coverage in %; null when no repo's latest report has branch data. */
export const branchRate = (s: CoverageSnapshot): number | null =>
  s.branchRepos > 0 && s.branchesValid > 0 ? (100 * s.branchesCovered) / s.branchesValid : null;
