import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ConnectionDto, EngagementDto, EngagementKpisDto } from '@pulse/contracts';
import { api, withQuery } from '../api/http';
import type { EngagementHealthDto } from '../api/types';
import { resolveRange, todayIn } from '../lib/date-range';
import type { KpiMeta } from '../lib/kpi-registry';
import {
  preparePortfolioCard,
  sortByAttention,
  type PortfolioCardModel,
} from '../lib/prepare-portfolio-card';
import { queryKeys } from './query-keys';

export interface PortfolioEntry extends PortfolioCardModel {
  engagement: EngagementDto;
  name: string;
  loading: boolean;
  error: unknown;
}

/** Health, 12-week KPIs and connections of every engagement, as cards, worst first. */
export function usePortfolio(
  engagements: readonly EngagementDto[] | undefined,
  registry: ReadonlyMap<string, KpiMeta>,
  now: number,
) {
  const list = engagements ?? [];
  const ranges = list.map((e) => resolveRange('12', todayIn(e.reportingTimeZone, now)).range);
  const health = useQueries({
    queries: list.map((e) => ({
      queryKey: queryKeys.health(e.id),
      queryFn: () => api<EngagementHealthDto>(`/api/engagements/${e.id}/health`),
    })),
  });
  const kpis = useQueries({
    queries: list.map((e, i) => ({
      queryKey: queryKeys.kpis(e.id, ranges[i]!.from, ranges[i]!.to),
      queryFn: () => api<EngagementKpisDto>(withQuery(`/api/engagements/${e.id}/kpis`, { ...ranges[i] })),
    })),
  });
  const connections = useQueries({
    queries: list.map((e) => ({
      queryKey: queryKeys.connections(e.id),
      queryFn: () => api<ConnectionDto[]>(`/api/engagements/${e.id}/connections`),
    })),
  });
  // useQueries returns new arrays each render; key the memo on the data it reads.
  const stamp = [...health, ...kpis, ...connections].map((q) => q.dataUpdatedAt + q.status).join('|');
  return useMemo<PortfolioEntry[]>(
    () =>
      sortByAttention(
        list.map((engagement, i) => ({
          engagement,
          name: engagement.name,
          loading: !!health[i]?.isPending,
          error: health[i]?.error ?? null,
          ...preparePortfolioCard({
            health: health[i]?.data,
            kpis: kpis[i]?.data?.kpis,
            connections: connections[i]?.data,
            registry,
            now,
          }),
        })),
      ),
    [list, stamp, registry, now],
  );
}
