import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { SyncRunDto } from '@pulse/contracts';
import { api } from '../api/http';
import { isRunActive, latestRun } from '../lib/sync-progress';
import { queryKeys } from './query-keys';

const POLL_MS = 1500;

/** Sync runs, polled while one is queued or running; fresh KPIs are fetched when it ends. */
export function useSync(id: string) {
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: queryKeys.syncRuns(id),
    queryFn: () => api<SyncRunDto[]>(`/api/engagements/${id}/sync-runs?limit=10`),
    refetchInterval: (q) => (isRunActive(latestRun(q.state.data)) ? POLL_MS : false),
  });
  const start = useMutation({
    mutationFn: () => api<SyncRunDto>(`/api/engagements/${id}/sync`, { method: 'POST' }),
    onSuccess: (run) => {
      client.setQueryData<SyncRunDto[]>(queryKeys.syncRuns(id), (old) => [
        run,
        ...(old ?? []).filter((r) => r.id !== run.id),
      ]);
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
