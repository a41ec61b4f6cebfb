import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { EngagementDto, EngagementHealthDto, EngagementKpisDto } from '@pulse/contracts';
import { api, withQuery } from '../api/http';
import { resolveRange, todayIn } from '../lib/date-range';
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

/** Health (with source freshness) and 12-week KPIs of every engagement, as cards, worst first. */
export function usePortfolio(engagements: readonly EngagementDto[] | undefined, now: number) {
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
  // The weekly scores need the rating engine (@pulse/kpi and its date library): loaded after
  // the first paint, so the sign-in and this page's first render do not wait for it.
  const engine = useQuery({
    queryKey: ['weekly-health-module'],
    queryFn: () => import('../lib/weekly-health'),
    staleTime: Infinity,
  });
  const weeklyHealth = engine.data?.weeklyHealth;
  // useQueries returns new arrays each render; key the memo on the data it reads.
  const stamp = [...health, ...kpis].map((q) => q.dataUpdatedAt + q.status).join('|');
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
            weeks: weeklyHealth && kpis[i]?.data ? weeklyHealth(kpis[i]!.data!.kpis) : undefined,
            zone: engagement.reportingTimeZone,
          }),
        })),
      ),
    // `stamp` stands for the query results (see above).
    [list, stamp, weeklyHealth],
  );
}
