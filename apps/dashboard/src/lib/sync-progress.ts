import type { SyncRunDto } from '@pulse/contracts';

export function isRunActive(run: Pick<SyncRunDto, 'status'> | null | undefined): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

/** The newest run (the API lists newest first, but do not rely on it). */
export function latestRun<T extends Pick<SyncRunDto, 'createdAt'>>(runs: readonly T[] | undefined): T | null {
  if (!runs?.length) return null;
  return runs.reduce((a, b) => (Date.parse(b.createdAt) > Date.parse(a.createdAt) ? b : a));
}

export function progressPercent(run: Pick<SyncRunDto, 'progress' | 'status'>): number {
  if (run.status === 'succeeded' || run.status === 'partial' || run.status === 'skipped') return 100;
  return Math.max(0, Math.min(100, Math.round(run.progress)));
}

/** What the progress line says: a queued run waits for a worker, it has not stalled at 0 %. */
export function progressText(run: Pick<SyncRunDto, 'progress' | 'status' | 'phase'>): string {
  if (run.status === 'queued') return 'waiting for a worker…';
  return `${progressPercent(run)} %${run.phase ? ` · ${run.phase}` : ''}`;
}

/** "github 120 pull requests · jira 40 issues" from the nested counts. */
export function countsText(counts: SyncRunDto['counts']): string {
  const parts: string[] = [];
  for (const [source, byKind] of Object.entries(counts ?? {})) {
    const inner = Object.entries(byKind ?? {})
      .filter(([, n]) => typeof n === 'number' && n > 0)
      .map(([kind, n]) => `${n} ${kind.replace(/_/g, ' ')}`);
    if (inner.length) parts.push(`${source}: ${inner.join(', ')}`);
  }
  return parts.length ? parts.join(' · ') : 'no new records';
}

export function durationText(run: Pick<SyncRunDto, 'startedAt' | 'finishedAt'>): string {
  if (!run.startedAt || !run.finishedAt) return '—';
  const s = Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
