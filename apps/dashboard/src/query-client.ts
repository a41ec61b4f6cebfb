import { QueryClient } from '@tanstack/react-query';
import { isApiError, setUnauthorizedListener } from './api/http';
import { queryKeys } from './hooks/query-keys';
import { sessionStore } from './hooks/session-store';

/** The app's one query cache, with its defaults; a 401 on a signed-in request ends the session in it. */
export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (401, 403, 404, 400) will not fix themselves by retrying.
        retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
      },
    },
  });
  setUnauthorizedListener(() => {
    sessionStore.expire();
    client.setQueryData(queryKeys.me, null);
  });
  return client;
}
