import { useQuery } from '@tanstack/react-query';
import type { SharedViewDto } from '@pulse/contracts';
import { api } from '../api/http';
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
