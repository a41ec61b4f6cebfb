import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PullRequestDrillDownDto, SharedViewDto } from '@pulse/contracts';
import { api, withQuery } from '../api/http';
import type { DateRange } from '../lib/date-range';
import { sortPullRequests, type PrStage } from '../lib/prepare-drill-down';
import { queryKeys } from './query-keys';

const sharePath = (token: string) => `/api/share/${encodeURIComponent(token)}`;

/** The vendor's view behind a share link. The token is the credential: a 401 is no expired session. */
export function useSharedView(token: string) {
  return useQuery({
    queryKey: queryKeys.share(token),
    queryFn: () => api<SharedViewDto>(sharePath(token), { quiet401: true }),
    retry: false,
  });
}

/** The PRs behind a delivery KPI on a share link, slowest first on the KPI's stage. */
export function useSharePullRequests(token: string, stage: PrStage, range: DateRange) {
  const query = useQuery({
    queryKey: queryKeys.sharePullRequests(token, range.from, range.to),
    queryFn: () =>
      api<PullRequestDrillDownDto[]>(withQuery(`${sharePath(token)}/pull-requests`, { ...range }), {
        quiet401: true,
      }),
    retry: false,
  });
  const rows = useMemo(() => (query.data ? sortPullRequests(query.data, stage) : null), [query.data, stage]);
  return { ...query, data: rows };
}
