import { useQuery } from '@tanstack/react-query';
import type { ConnectorDescriptionDto } from '@pulse/contracts';
import { api } from '../api/http';
import { queryKeys } from './query-keys';

/** Each connection kind's settings form, from the API's connector registry (GET /api/connectors). */
export function useConnectorForms() {
  return useQuery({
    queryKey: queryKeys.connectorForms,
    queryFn: () => api<ConnectorDescriptionDto[]>('/api/connectors'),
    staleTime: Infinity,
  });
}
