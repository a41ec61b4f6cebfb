import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, withQuery } from '../api/http';
import type { PullRequestDrillDownDto, WorkItemDrillDownDto } from '@pulse/contracts';
import type { UnansweredRequestDto } from '../api/types';
import type { DateRange } from '../lib/date-range';
import { sortPullRequests, sortUnanswered, sortWorkItems, type DrillDown } from '../lib/prepare-drill-down';
import { queryKeys } from './query-keys';

export type DrillRows =
  | { kind: 'pull-requests'; rows: PullRequestDrillDownDto[] }
  | { kind: 'work-items'; rows: WorkItemDrillDownDto[] }
  | { kind: 'unanswered-requests'; rows: UnansweredRequestDto[] };

function pathFor(id: string, drill: DrillDown, range: DateRange): string {
  switch (drill.kind) {
    case 'pull-requests':
      return withQuery(`/api/engagements/${id}/pull-requests`, { ...range });
    case 'work-items':
      return withQuery(`/api/engagements/${id}/work-items`, { kind: drill.itemKind, ...range });
    case 'unanswered-requests':
      return `/api/engagements/${id}/unanswered-requests`;
  }
}

/** The items behind a KPI over a range, sorted the way a manager chases them. */
export function useDrillDown(id: string, drill: DrillDown, range: DateRange) {
  const path = pathFor(id, drill, range);
  const query = useQuery({
    queryKey: queryKeys.drill(id, path, range.from, range.to),
    queryFn: () => api<unknown[]>(path),
    retry: false,
  });
  const data = useMemo<DrillRows | null>(() => {
    if (!query.data) return null;
    switch (drill.kind) {
      case 'pull-requests':
        return {
          kind: drill.kind,
          rows: sortPullRequests(query.data as PullRequestDrillDownDto[], drill.stage),
        };
      case 'work-items':
        return { kind: drill.kind, rows: sortWorkItems(query.data as WorkItemDrillDownDto[]) };
      case 'unanswered-requests':
        return { kind: drill.kind, rows: sortUnanswered(query.data as UnansweredRequestDto[]) };
    }
  }, [query.data, drill]);
  return { ...query, data };
}
