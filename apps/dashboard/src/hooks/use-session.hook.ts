import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { UserDto } from '@pulse/contracts';
import { api } from '../api/http';
import { queryKeys } from './query-keys';
import { meQuery } from './page-queries';
import { sessionStore } from './session-store';

/** The signed-in user, or null when there is no (longer a) session. */
export function useMe() {
  return useQuery(meQuery);
}

export function useSessionExpired(): boolean {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.isExpired);
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<UserDto>('/api/auth/login', { method: 'POST', body, quiet401: true }),
    onSuccess: (user) => {
      sessionStore.clear();
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.setQueryData(queryKeys.me, user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST', quiet401: true }),
    onSettled: () => {
      client.clear();
      client.setQueryData(queryKeys.me, null);
    },
  });
}
