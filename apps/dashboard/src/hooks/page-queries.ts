import type {
  EngagementDto,
  EngagementHealthDto,
  EngagementKpisDto,
  EngagementMembersDto,
  SharedViewDto,
  UserDto,
} from '@pulse/contracts';
import { api, isApiError, withQuery } from '../api/http';
import type { DateRange } from '../lib/date-range';
import { queryKeys } from './query-keys';

// The queries of the engagement page and the share view (and the session check that every
// signed-in page waits for), defined once: their hooks run them, and a full load starts them
// before the app and the page's code have run (`first-page-data.ts`), under the same keys, so
// the page finds them running or done.
//
// `quiet` keeps a 401 from counting as an expired session: a request made before the app
// knows whether anyone is signed in must not end a session that never was.

/** The signed-in user, or null when there is no (longer a) session. */
export const meQuery = {
  queryKey: queryKeys.me,
  queryFn: async (): Promise<UserDto | null> => {
    try {
      return await api<UserDto>('/api/auth/me', { quiet401: true });
    } catch (e) {
      if (isApiError(e, 401)) return null;
      throw e;
    }
  },
  staleTime: 5 * 60_000,
};

export const engagementQuery = (id: string, quiet = false) => ({
  queryKey: queryKeys.engagement(id),
  queryFn: () => api<EngagementDto>(`/api/engagements/${id}`, { quiet401: quiet }),
});

export const healthQuery = (id: string, quiet = false) => ({
  queryKey: queryKeys.health(id),
  queryFn: () => api<EngagementHealthDto>(`/api/engagements/${id}/health`, { quiet401: quiet }),
});

export const membersQuery = (id: string, quiet = false) => ({
  queryKey: queryKeys.members(id),
  queryFn: () => api<EngagementMembersDto>(`/api/engagements/${id}/members`, { quiet401: quiet }),
  retry: false,
});

export const kpisQuery = (id: string, range: DateRange, quiet = false) => ({
  queryKey: queryKeys.kpis(id, range.from, range.to),
  queryFn: () =>
    api<EngagementKpisDto>(withQuery(`/api/engagements/${id}/kpis`, { ...range }), { quiet401: quiet }),
});

const sharePath = (token: string) => `/api/share/${encodeURIComponent(token)}`;

/** The token is the credential: a 401 here is never an expired session. */
export const sharedViewQuery = (token: string) => ({
  queryKey: queryKeys.share(token),
  queryFn: () => api<SharedViewDto>(sharePath(token), { quiet401: true }),
  retry: false,
});
