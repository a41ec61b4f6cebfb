import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { KpiDrillDownDto } from '@pulse/contracts';
import { api } from '../api/http';
import { drillDownPath, prepareDrillTable } from '../lib/prepare-drill-down';

/**
 * The items behind one KPI value — the trailing window, or one week — exactly as the API
 * lists them (their number is the value's n), as a table in the reporting zone.
 * `base` is `/api/engagements/:id` or `/api/share/:token`.
 */
export function useDrillDown(base: string, key: string, week: string | null, zone: string, quiet401 = false) {
  const path = drillDownPath(base, key, week);
  const query = useQuery({
    queryKey: ['drill', path] as const,
    queryFn: () => api<KpiDrillDownDto>(path, { quiet401 }),
    retry: false,
  });
  const table = useMemo(() => (query.data ? prepareDrillTable(query.data, zone) : null), [query.data, zone]);
  return { ...query, table };
}
