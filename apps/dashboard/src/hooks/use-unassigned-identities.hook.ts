import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { UnassignedIdentityDto } from '@pulse/contracts';
import { api } from '../api/http';
import { unclaimedIdentities, type RosterRow } from '../lib/roster';
import { queryKeys } from './query-keys';

/** GitHub logins active on the engagement that neither the roster nor the unsaved form claims. */
export function useUnassignedIdentities(engagementId: string, rows: readonly RosterRow[]) {
  const query = useQuery({
    queryKey: queryKeys.unassigned(engagementId),
    queryFn: () => api<UnassignedIdentityDto[]>(`/api/engagements/${engagementId}/people/unassigned`),
  });
  const data = useMemo(() => (query.data ? unclaimedIdentities(query.data, rows) : null), [query.data, rows]);
  return { ...query, data };
}
