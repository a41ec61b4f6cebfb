import { useQuery } from '@tanstack/react-query';
import type { ConnectionDto, EngagementDto, EngagementHealthDto } from '@pulse/contracts';
import { api } from '../api/http';
import { queryKeys } from './query-keys';

export function useEngagements() {
  return useQuery({
    queryKey: queryKeys.engagements,
    queryFn: () => api<EngagementDto[]>('/api/engagements'),
  });
}

export function useEngagement(id: string) {
  return useQuery({
    queryKey: queryKeys.engagement(id),
    queryFn: () => api<EngagementDto>(`/api/engagements/${id}`),
  });
}

export function useEngagementHealth(id: string) {
  return useQuery({
    queryKey: queryKeys.health(id),
    queryFn: () => api<EngagementHealthDto>(`/api/engagements/${id}/health`),
  });
}

export function useConnections(id: string) {
  return useQuery({
    queryKey: queryKeys.connections(id),
    queryFn: () => api<ConnectionDto[]>(`/api/engagements/${id}/connections`),
  });
}
