import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { KpiDefinitionMeta } from '@pulse/contracts';
import { api, isApiError } from '../api/http';
import { buildRegistry } from '../lib/kpi-registry';
import { queryKeys } from './query-keys';

/**
 * The KPI registry the API exposes, merged over the bundled catalogue so new KPIs from new
 * sources get labels and definitions without a dashboard release. A 404 (older API) is fine.
 */
export function useKpiRegistry() {
  const query = useQuery({
    queryKey: queryKeys.kpiDefinitions,
    queryFn: async () => {
      try {
        return await api<KpiDefinitionMeta[]>('/api/kpi-definitions');
      } catch (e) {
        if (isApiError(e, 404)) return null;
        throw e;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
  return useMemo(() => buildRegistry(query.data), [query.data]);
}
