import { useQuery } from '@tanstack/react-query';
import type { ConnectionDto, EngagementDto } from '@pulse/contracts';
import { api } from '../api/http';
import { queryKeys } from './query-keys';
import { engagementQuery, healthQuery } from './page-queries';

export function useEngagements() {
  return useQuery({
    queryKey: queryKeys.engagements,
    queryFn: () => api<EngagementDto[]>('/api/engagements'),
  });
}

export function useEngagement(id: string) {
  return useQuery(engagementQuery(id));
}

export function useEngagementHealth(id: string) {
  return useQuery(healthQuery(id));
}

export function useConnections(id: string) {
  return useQuery({
    queryKey: queryKeys.connections(id),
    queryFn: () => api<ConnectionDto[]>(`/api/engagements/${id}/connections`),
  });
}
