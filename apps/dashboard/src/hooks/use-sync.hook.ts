import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { SyncNowDto, SyncRunDto } from '@pulse/contracts';
import { api } from '../api/http';
import { isRunActive, latestRun } from '../lib/sync-progress';
import { queryKeys } from './query-keys';

// Short enough that a sync finishing in under a second is seen finishing, not stuck at 0 %.
const POLL_MS = 700;

/** Sync runs, polled while one is queued or running; fresh KPIs are fetched when it ends. */
export function useSync(id: string) {
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: queryKeys.syncRuns(id),
    queryFn: () => api<SyncRunDto[]>(`/api/engagements/${id}/sync-runs?limit=10`),
    refetchInterval: (q) => (isRunActive(latestRun(q.state.data)) ? POLL_MS : false),
  });
  const start = useMutation({
    mutationFn: () => api<SyncNowDto>(`/api/engagements/${id}/sync`, { method: 'POST' }),
    onSuccess: ({ run }) => {
      client.setQueryData<SyncRunDto[]>(queryKeys.syncRuns(id), (old) => [
        run,
        ...(old ?? []).filter((r) => r.id !== run.id),
      ]);
      // The answer is a snapshot: fetch the run's real state at once rather than after a poll.
      void client.invalidateQueries({ queryKey: queryKeys.syncRuns(id) });
    },
  });
  const latest = useMemo(() => latestRun(runs.data), [runs.data]);
  const active = isRunActive(latest);
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      // The rollup follows the sync: refresh everything derived from the data.
      void client.invalidateQueries({
        predicate: (q) =>
          q.queryKey[0] === 'engagement' && q.queryKey[1] === id && q.queryKey[2] !== 'sync-runs',
      });
    }
    wasActive.current = active;
  }, [active, client, id]);
  return { runs, start, latest, active };
}
